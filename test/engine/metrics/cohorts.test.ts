import fc from 'fast-check';

import { cohortTable } from '../../../nodes/engine/metrics/cohorts';
import { daysFromCivil } from '../../../nodes/shared/dates';

const d = (y: number, m: number, day: number) => daysFromCivil(y, m, day);

describe('cohort table (hand-computed)', () => {
	// Jan cohort: a (Jan, Feb, Apr), b (Jan, Mar), c (Jan only). Feb cohort: x (Feb, Mar), y (Feb, Feb again).
	const tx: Array<[number, number]> = [
		[0, d(2025, 1, 5)], [0, d(2025, 2, 7)], [0, d(2025, 4, 1)],
		[1, d(2025, 1, 20)], [1, d(2025, 3, 3)],
		[2, d(2025, 1, 31)],
		[3, d(2025, 2, 1)], [3, d(2025, 3, 15)],
		[4, d(2025, 2, 10)], [4, d(2025, 2, 28)],
	];
	const table = cohortTable(Int32Array.from(tx.map((t) => t[0])), Int32Array.from(tx.map((t) => t[1])), 5, {
		granularity: 'month',
		maxPeriods: 3,
		asOfDay: d(2025, 4, 15),
	});

	test('classic and unbounded counts; unelapsed cells are null', () => {
		const [jan, feb] = table.cohorts;
		expect(jan.cohort).toBe('2025-01');
		expect(jan.size).toBe(3);
		// April is not complete on April 15th: Jan+3 is null.
		expect(jan.classicCounts).toEqual([3, 1, 1, null]);
		expect(jan.unboundedCounts).toEqual([3, 2, 2, null]);
		expect(feb.cohort).toBe('2025-02');
		expect(feb.classicCounts).toEqual([2, 1, null, null]);
		expect(feb.unboundedCounts).toEqual([2, 1, null, null]);
		expect(jan.classicRates[1]).toBeCloseTo(100 / 3, 10);
	});

	test('averages weight by cohort size over complete cells only', () => {
		expect(table.averageClassicRates[0]).toBe(100);
		expect(table.averageClassicRates[1]).toBeCloseTo(((1 + 1) / (3 + 2)) * 100, 10);
		expect(table.averageClassicRates[2]).toBeCloseTo((1 / 3) * 100, 10);
		expect(table.averageClassicRates[3]).toBeNull();
	});

	test('weekly cohorts use ISO weeks', () => {
		const t = cohortTable(Int32Array.from([0, 0]), Int32Array.from([d(2024, 12, 30), d(2025, 1, 6)]), 1, {
			granularity: 'week',
			maxPeriods: 2,
			asOfDay: d(2025, 1, 12),
		});
		expect(t.cohorts[0].cohort).toBe('2025-W01');
		expect(t.cohorts[0].classicCounts).toEqual([1, 1, null]);
	});

	test('unbounded rates never increase and bound classic rates (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 200 }), (rows) => {
				const base = d(2024, 1, 1);
				const t = cohortTable(Int32Array.from(rows.map((r) => r[0])), Int32Array.from(rows.map((r) => base + r[1])), 21, {
					granularity: 'month',
					maxPeriods: 14,
					asOfDay: base + 400,
				});
				for (const c of t.cohorts) {
					const u = c.unboundedCounts.filter((v): v is number => v !== null);
					for (let k = 1; k < u.length; k++) expect(u[k]).toBeLessThanOrEqual(u[k - 1]);
					c.classicCounts.forEach((v, k) => v !== null && expect(v).toBeLessThanOrEqual(c.unboundedCounts[k]!));
					if (c.classicCounts[0] !== null) expect(c.classicCounts[0]).toBe(c.size);
				}
				expect(t.cohorts.reduce((s, c) => s + c.size, 0)).toBe(new Set(rows.map((r) => r[0])).size);
			}),
		);
	});
});
