import fc from 'fast-check';

import { DEFAULT_LIFECYCLE, lifecycleStages } from '../../../nodes/engine/segments/lifecycle';
import { purchaseHistory } from '../../../nodes/engine/segments/transactions';
import { columns, type Row } from './columns';

const AS_OF = 400;
const buyer = (customer: string, days: number[]): Row[] => days.map((day) => ({ customer, day, amount: 10 }));

function stagesOf(rows: Row[], settings = {}) {
	const tx = columns(rows);
	const result = lifecycleStages(purchaseHistory(tx, AS_OF), { ...DEFAULT_LIFECYCLE, asOfDay: AS_OF, ...settings });
	return { result, byId: Object.fromEntries(tx.ids.map((id, c) => [id, result.customers[c]])) };
}

describe('lifecycle stages, by hand (as-of day 400; new ≤ 30 days; 1.5× / 3× / 6× the usual interval)', () => {
	const rows = [
		...buyer('new', [380]), // first purchase 20 days ago
		...buyer('active', [300, 330, 360, 390]), // every 30 days, last 10 days ago: 0.33×
		...buyer('atRisk', [200, 240, 280, 320]), // every 40 days, last 80 days ago: 2×
		...buyer('dormant', [300, 310, 320, 330, 340]), // every 10 days, last 60 days ago: exactly 6×
		...buyer('lost', [300, 310, 320, 330]), // every 10 days, last 70 days ago: 7×
		...buyer('reactivated', [100, 110, 120, 390]), // every 10 days, then a 270-day gap, back 10 days ago
		...buyer('twoVisits', [50, 395]), // one 345-day gap, back 5 days ago
		...buyer('oneTime', [340]), // one purchase 60 days ago
		{ customer: 'refundOnly', day: 390, amount: -10 },
	];
	const { result, byId } = stagesOf(rows);

	it('population rhythm = median of the repeat buyers’ own medians [10, 10, 10, 30, 40, 345] = 20', () => {
		expect(result.populationIntervalDays).toBe(20);
	});

	it('new: first purchase within 30 days, whatever the rhythm', () => {
		expect(byId.new).toMatchObject({ stage: 'new', daysSinceLastPurchase: 20, intervalSource: 'population', usualIntervalDays: 20 });
	});

	it('active, at risk, dormant (6× is still dormant), lost', () => {
		expect(byId.active).toMatchObject({ stage: 'active', usualIntervalDays: 30, intervalSource: 'own', daysSinceLastPurchase: 10 });
		expect(byId.active.ratio).toBeCloseTo(1 / 3, 12);
		expect(byId.atRisk).toMatchObject({ stage: 'atRisk', usualIntervalDays: 40, ratio: 2 });
		expect(byId.dormant).toMatchObject({ stage: 'dormant', usualIntervalDays: 10, ratio: 6 });
		expect(byId.lost).toMatchObject({ stage: 'lost', usualIntervalDays: 10, ratio: 7 });
	});

	it('reactivated: back within the rhythm after a gap of more than 3× the earlier rhythm', () => {
		// own intervals 10, 10, 270 → median 10; earlier intervals 10, 10 → 10; 270 > 3 × 10
		expect(byId.reactivated).toMatchObject({
			stage: 'reactivated',
			usualIntervalDays: 10,
			ratio: 1,
			comebackGapDays: 270,
			previousIntervalDays: 10,
		});
		// the gap is the only interval: judged against the population rhythm 20 (345 > 60)
		expect(byId.twoVisits).toMatchObject({ stage: 'reactivated', comebackGapDays: 345, previousIntervalDays: 20 });
	});

	it('one-time buyer: judged on the population rhythm (60 / 20 = 3 → at risk) with a warning', () => {
		expect(byId.oneTime).toMatchObject({ stage: 'atRisk', usualIntervalDays: 20, intervalSource: 'population', ratio: 3 });
		expect(result.warnings).toContainEqual({ code: 'populationInterval', customers: 2, intervalDays: 20 });
	});

	it('a customer with only refunds has no stage and a reason', () => {
		expect(byId.refundOnly).toMatchObject({ stage: null, unstagedReason: 'noPurchases', ratio: null });
		expect(result.warnings).toContainEqual({ code: 'customersWithoutPurchases', customers: 1 });
	});

	it('a regular customer is not reactivated', () => {
		expect(stagesOf(buyer('steady', [310, 340, 370, 395])).byId.steady.stage).toBe('active');
	});

	it('nobody bought twice: the default interval, with a warning', () => {
		const { result: r, byId: b } = stagesOf([...buyer('x', [200]), ...buyer('y', [395])], { defaultIntervalDays: 50 });
		expect(r.populationIntervalDays).toBeNull();
		expect(b.x).toMatchObject({ stage: 'dormant', usualIntervalDays: 50, intervalSource: 'default', ratio: 4 });
		expect(b.y.stage).toBe('new');
		expect(r.warnings).toContainEqual({ code: 'defaultInterval', customers: 2, intervalDays: 50 });
	});

	it('thresholds are configurable', () => {
		const { byId: b } = stagesOf(buyer('c', [300, 310, 320, 330]), { activeUpTo: 2, atRiskUpTo: 5, dormantUpTo: 10 });
		expect(b.c).toMatchObject({ stage: 'dormant', ratio: 7 });
	});

	it('several purchases on one day count as one purchase day', () => {
		const { byId: b } = stagesOf([...buyer('d', [300, 300, 300, 320, 320, 340])]);
		expect(b.d).toMatchObject({ purchaseDays: 3, usualIntervalDays: 20, daysSinceLastPurchase: 60, stage: 'atRisk', ratio: 3 });
	});

	it('property: equals the documented rules written out plainly (arrays, Set, median by sorting)', () => {
		const median = (xs: number[]) => {
			const s = [...xs].sort((a, b) => a - b);
			const h = Math.floor(s.length / 2);
			return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
		};
		const gaps = (days: number[]) => days.slice(1).map((d, i) => d - days[i]);
		const rowArb = fc.record({
			customer: fc.integer({ min: 0, max: 12 }).map(String),
			day: fc.integer({ min: 0, max: AS_OF }),
			amount: fc.integer({ min: -3, max: 30 }),
		});
		const settingsArb = fc.record({
			newCustomerDays: fc.integer({ min: 0, max: 60 }),
			activeUpTo: fc.constantFrom(1, 1.5, 2),
			atRiskUpTo: fc.constantFrom(2.5, 3, 4),
			dormantUpTo: fc.constantFrom(5, 6, 8),
			defaultIntervalDays: fc.constantFrom(7, 30),
		});
		fc.assert(
			fc.property(fc.array(rowArb, { maxLength: 80 }), settingsArb, (list, settings) => {
				const { byId: got } = stagesOf(list, settings);
				const daysOf = new Map<string, number[]>();
				for (const r of list) if (!daysOf.has(r.customer)) daysOf.set(r.customer, []);
				for (const r of list) if (r.amount >= 0) daysOf.get(r.customer)!.push(r.day);
				const distinct = new Map([...daysOf].map(([id, d]) => [id, [...new Set(d)].sort((a, b) => a - b)]));
				const repeat = [...distinct.values()].filter((d) => d.length >= 2).map((d) => median(gaps(d)));
				const population = repeat.length ? median(repeat) : settings.defaultIntervalDays;
				for (const [id, days] of distinct) {
					let expected: string | null;
					if (days.length === 0) expected = null;
					else {
						const usual = days.length >= 2 ? median(gaps(days)) : population;
						const ratio = (AS_OF - days[days.length - 1]) / usual;
						if (AS_OF - days[0] <= settings.newCustomerDays) expected = 'new';
						else if (ratio <= settings.activeUpTo) {
							const g = gaps(days);
							const before = g.length >= 2 ? median(g.slice(0, -1)) : population;
							expected = g.length >= 1 && g[g.length - 1] > settings.atRiskUpTo * before ? 'reactivated' : 'active';
						} else if (ratio <= settings.atRiskUpTo) expected = 'atRisk';
						else if (ratio <= settings.dormantUpTo) expected = 'dormant';
						else expected = 'lost';
					}
					expect([id, got[id].stage]).toEqual([id, expected]);
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('property: stage follows the ratio bands; every number is finite', () => {
		const rowArb = fc.record({
			customer: fc.integer({ min: 0, max: 20 }).map(String),
			day: fc.integer({ min: 0, max: AS_OF + 10 }),
			amount: fc.integer({ min: -5, max: 50 }),
		});
		fc.assert(
			fc.property(fc.array(rowArb, { maxLength: 120 }), (list) => {
				const { result: r } = stagesOf(list);
				for (const c of r.customers) {
					expect(JSON.stringify(c)).not.toMatch(/NaN|Infinity/);
					if (c.stage === null) continue;
					const ratio = c.ratio!;
					if (c.stage === 'new') expect(AS_OF - c.firstPurchaseDay!).toBeLessThanOrEqual(30);
					else if (c.stage === 'active' || c.stage === 'reactivated') expect(ratio).toBeLessThanOrEqual(1.5);
					else if (c.stage === 'atRisk') expect(ratio > 1.5 && ratio <= 3).toBe(true);
					else if (c.stage === 'dormant') expect(ratio > 3 && ratio <= 6).toBe(true);
					else expect(ratio).toBeGreaterThan(6);
				}
			}),
		);
	});
});
