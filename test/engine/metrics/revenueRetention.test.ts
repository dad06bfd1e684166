import { mrrFromSubscriptions, revenueRetention } from '../../../nodes/engine/metrics/revenueRetention';
import { NO_END } from '../../../nodes/engine/metrics/customerRetention';

describe('revenue retention (hand-computed)', () => {
	test('expansion, contraction, churn, reactivation and new revenue', () => {
		const r = revenueRetention([
			{ startMrr: 100, endMrr: 150, previouslyPaying: true }, // +50 expansion
			{ startMrr: 200, endMrr: 120, previouslyPaying: true }, // −80 contraction
			{ startMrr: 50, endMrr: 0, previouslyPaying: true }, // −50 churn
			{ startMrr: 0, endMrr: 30, previouslyPaying: true }, // +30 reactivation
			{ startMrr: 0, endMrr: 70, previouslyPaying: false }, // +70 new
			{ startMrr: 0, endMrr: 0, previouslyPaying: false },
		]);
		expect(r.startMrr).toBe(350);
		expect(r.endMrr).toBe(370);
		expect(r.netRevenueRetention).toBeCloseTo(((350 + 50 - 80 - 50) / 350) * 100, 10);
		expect(r.grossRevenueRetention).toBeCloseTo(((350 - 80 - 50) / 350) * 100, 10);
		expect(r.grossMrrChurnRate).toBeCloseTo((130 / 350) * 100, 10);
		expect(r.netMrrChurnRate).toBeCloseTo(((50 + 80 - 50 - 30) / 350) * 100, 10);
		expect(r).toMatchObject({ reactivationMrr: 30, newMrr: 70, reactivatedCustomers: 1, newCustomers: 1, customersAtStart: 3 });
	});

	test('net MRR churn can be negative; GRR never exceeds 100 %', () => {
		const r = revenueRetention([{ startMrr: 100, endMrr: 300, previouslyPaying: true }]);
		expect(r.netMrrChurnRate).toBe(-200);
		expect(r.grossRevenueRetention).toBe(100);
		expect(r.netRevenueRetention).toBe(300);
	});

	test('no revenue at the start → null rates with a reason', () => {
		const r = revenueRetention([{ startMrr: 0, endMrr: 10, previouslyPaying: false }]);
		expect(r.netRevenueRetention).toBeNull();
		expect(r.grossRevenueRetention).toBeNull();
		expect(r.notes[0]).toMatch(/No recurring revenue/);
	});

	test('MRR summed from decimal prices is compared at a millionth: no expansion or contraction that did not happen', () => {
		const r = revenueRetention([
			{ startMrr: 19.99 + 9.99, endMrr: 29.98, previouslyPaying: true }, // 29.979999999999997 → 29.98: unchanged
			{ startMrr: 0.3, endMrr: 0.1 + 0.2, previouslyPaying: true }, // 0.30000000000000004 → 0.3: unchanged
			{ startMrr: 10, endMrr: 10.000001, previouslyPaying: true }, // a real millionth: expansion
		]);
		expect(r).toMatchObject({ expandedCustomers: 1, contractedCustomers: 0, churnedCustomers: 0, customersAtStart: 3 });
		expect(r.expansionMrr).toBeCloseTo(0.000001, 12);
		expect(r.contractionMrr).toBe(0);
		expect(r.netRevenueRetention).toBeCloseTo(100 + (0.000001 / (29.98 + 0.3 + 10)) * 100, 10);
		expect(r.grossRevenueRetention).toBe(100);
	});

	test('MRR at the period boundaries from subscription rows', () => {
		// period days 100..130 (end exclusive 131)
		const m = mrrFromSubscriptions(
			{
				customer: Int32Array.from([0, 0, 1, 2, 2]),
				start: Int32Array.from([10, 120, 50, 20, 115]),
				end: Int32Array.from([NO_END, NO_END, 125, 60, NO_END]),
				mrr: Float64Array.from([10, 5, 20, 8, 12]),
			},
			3,
			100,
			131,
		);
		expect(m[0]).toEqual({ startMrr: 10, endMrr: 15, previouslyPaying: true });
		expect(m[1]).toEqual({ startMrr: 20, endMrr: 0, previouslyPaying: true });
		expect(m[2]).toEqual({ startMrr: 0, endMrr: 12, previouslyPaying: true });
	});
});
