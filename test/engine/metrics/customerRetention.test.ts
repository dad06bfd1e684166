import { NO_END, customerRetention } from '../../../nodes/engine/metrics/customerRetention';
import { daysFromCivil } from '../../../nodes/shared/dates';

const d = (s: string) => {
	const [y, m, day] = s.split('-').map(Number);
	return daysFromCivil(y, m, day);
};

function run(rows: Array<[number, string, string?]>, includeSamePeriodChurn = false) {
	const customers = Math.max(...rows.map((r) => r[0])) + 1;
	return customerRetention(
		{
			customer: Int32Array.from(rows.map((r) => r[0])),
			start: Int32Array.from(rows.map((r) => d(r[1]))),
			end: Int32Array.from(rows.map((r) => (r[2] ? d(r[2]) : NO_END))),
		},
		customers,
		{ periodStart: d('2025-01-01'), periodEnd: d('2025-02-01'), includeSamePeriodChurn },
	);
}

describe('customer retention (hand-computed)', () => {
	// 0: at start, stays. 1: at start, churns mid-January. 2: new, stays. 3: new, churns in January.
	// 4: left in 2024, comes back in January (reactivated). 5: ended exactly on Jan 1 (churned at the boundary).
	// 6: same-day duplicate rows of a staying customer.
	const rows: Array<[number, string, string?]> = [
		[0, '2024-03-01'],
		[1, '2024-05-01', '2025-01-15'],
		[2, '2025-01-10'],
		[3, '2025-01-05', '2025-01-20'],
		[4, '2024-02-01', '2024-06-01'],
		[4, '2025-01-20'],
		[5, '2024-01-01', '2025-01-01'],
		[6, '2024-07-01'],
		[6, '2024-07-01'],
	];

	test('counts and rates', () => {
		const r = run(rows);
		expect(r.customersAtStart).toBe(3); // 0, 1, 6
		expect(r.newCustomers).toBe(2); // 2, 3
		expect(r.reactivatedCustomers).toBe(1); // 4
		expect(r.joinedAndChurned).toBe(1); // 3
		expect(r.churnedCustomers).toBe(1); // 1 (3 excluded by default)
		expect(r.customersAtEnd).toBe(4); // 0, 2, 4, 6
		expect(r.retainedCustomers).toBe(2); // 0, 6
		expect(r.retentionRate).toBeCloseTo((2 / 3) * 100, 10);
		expect(r.churnRate).toBeCloseTo((1 / 3) * 100, 10);
	});

	test('counting customers who joined and churned in the period: they and the new customers join the base (Stripe)', () => {
		const r = run(rows, true);
		expect(r.churnedCustomers).toBe(2); // 1 and 3
		expect(r.churnRate).toBeCloseTo((2 / (3 + 2)) * 100, 10); // 3 at start + 2 new
		expect(r.retentionRate).toBeCloseTo((2 / 3) * 100, 10); // unchanged
	});

	test('counting customers who joined and churned never gives a churn rate above 100 %', () => {
		// one customer all along, five who join on the 10th and leave on the 20th
		const r = run([[0, '2024-01-01'], ...[1, 2, 3, 4, 5].map((c): [number, string, string] => [c, '2025-01-10', '2025-01-20'])], true);
		expect(r.churnedCustomers).toBe(5);
		expect(r.churnRate).toBeCloseTo((5 / 6) * 100, 10);
		expect(r.retentionRate).toBe(100);
	});

	test('zero customers at the start: rates are null with a reason, never NaN', () => {
		const r = run([[0, '2025-01-10']]);
		expect(r.customersAtStart).toBe(0);
		expect(r.retentionRate).toBeNull();
		expect(r.churnRate).toBeNull();
		expect(r.notes[0]).toMatch(/No customers at the start/);
	});

	test('a single customer who stays', () => {
		const r = run([[0, '2020-01-01']]);
		expect(r).toMatchObject({ customersAtStart: 1, customersAtEnd: 1, retentionRate: 100, churnRate: 0 });
	});

	test('a subscription ending on its start day was never active', () => {
		const r = run([
			[0, '2024-01-01'],
			[1, '2025-01-10', '2025-01-10'],
		]);
		expect(r.newCustomers).toBe(0);
		expect(r.customersAtEnd).toBe(1);
	});
});
