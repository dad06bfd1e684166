import fc from 'fast-check';

import { customerValues, rfmFromTransactions, scoreRfm } from '../../../nodes/engine/segments/rfm';
import { customSegmentMap, elevenSegmentMap, tenSegmentMap } from '../../../nodes/engine/segments/segmentMaps';
import { purchaseHistory } from '../../../nodes/engine/segments/transactions';
import { columns, type Row } from './columns';

// A: three orders on two days, one refund of 10 · B: one order, fully refunded (refund flag, positive amount)
// C: only a refund · D: two orders, the second after an as-of day of 125.
const rows: Row[] = [
	{ customer: 'A', day: 100, amount: 50, order: 'o1' },
	{ customer: 'A', day: 100, amount: 30, order: 'o2' },
	{ customer: 'B', day: 105, amount: 100, order: 'o4' },
	{ customer: 'B', day: 106, amount: 100, order: 'o4', refund: true },
	{ customer: 'C', day: 107, amount: -5, order: 'o9' },
	{ customer: 'A', day: 110, amount: 20, order: 'o3' },
	{ customer: 'A', day: 110, amount: 5, order: 'o3' },
	{ customer: 'A', day: 111, amount: -10, order: 'o3' },
	{ customer: 'D', day: 120, amount: 40, order: 'o5' },
	{ customer: 'D', day: 130, amount: 1000, order: 'o6' },
];
const tx = columns(rows);

describe('per-customer recency, frequency, monetary', () => {
	it('by hand: as-of = day after the last transaction, distinct orders, net total', () => {
		const v = customerValues(tx, { frequency: 'orders', monetary: 'total', refunds: 'net' });
		expect(v.asOfDay).toBe(131);
		expect(Array.from(v.hasPurchase)).toEqual([1, 1, 0, 1]);
		expect(Array.from(v.recencyDays)).toEqual([21, 26, 0, 1]);
		expect(Array.from(v.frequency)).toEqual([3, 1, 0, 2]);
		expect(Array.from(v.monetary)).toEqual([95, 0, 0, 1040]);
		expect(Array.from(v.spend)).toEqual([95, 0, -5, 1040]);
		expect(v.firstPurchaseDay[0]).toBe(100);
		expect(v.lastPurchaseDay[0]).toBe(110);
	});

	it('purchase days, gross, mean', () => {
		const v = customerValues(tx, { frequency: 'purchaseDays', monetary: 'mean', refunds: 'gross' });
		expect(Array.from(v.frequency)).toEqual([2, 1, 0, 2]);
		// A: gross 105 over 2 purchase days; B: 100 over 1; D: 1040 over 2
		expect(Array.from(v.monetary)).toEqual([52.5, 100, 0, 520]);
	});

	it('without an order column every purchase row is an order', () => {
		const plain = columns(rows.map(({ order: _order, ...r }) => r));
		expect(Array.from(customerValues(plain, { frequency: 'orders', monetary: 'total', refunds: 'net' }).frequency)).toEqual([
			4, 1, 0, 2,
		]);
	});

	it('leaves out rows after a given as-of day and says how many', () => {
		const v = customerValues(tx, { asOfDay: 125, frequency: 'orders', monetary: 'total', refunds: 'net' });
		expect(v.rowsAfterAsOf).toBe(1);
		expect(v.recencyDays[3]).toBe(5);
		expect(v.frequency[3]).toBe(1);
		expect(v.monetary[3]).toBe(40);
	});

	it('property: distinct purchase days per customer match a Set-based count', () => {
		const rowArb = fc.record({
			customer: fc.constantFrom('a', 'b', 'c', 'd'),
			day: fc.integer({ min: 0, max: 30 }),
			amount: fc.integer({ min: -20, max: 50 }),
		});
		fc.assert(
			fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 35 }), (list, asOf) => {
				const t = columns(list);
				const h = purchaseHistory(t, asOf);
				t.ids.forEach((id, c) => {
					const expected = [...new Set(list.filter((r) => r.customer === id && r.amount >= 0 && r.day <= asOf).map((r) => r.day))].sort(
						(a, b) => a - b,
					);
					expect(Array.from(h.days.subarray(h.start[c], h.start[c + 1]))).toEqual(expected);
				});
				expect(h.rowsAfterAsOf).toBe(list.filter((r) => r.day > asOf).length);
			}),
		);
	});
});

describe('scores, codes and segments', () => {
	it('by hand on three scorable customers (1 + floor(5 (2r − 1) / 6) → 1, 3, 5)', () => {
		const result = rfmFromTransactions(tx, { frequency: 'orders', monetary: 'total', refunds: 'net' }, 5, { method: 'quantiles' }, elevenSegmentMap());
		const [a, b, c, d] = result.customers;
		// recency worst→best: B 26, A 21, D 1 · frequency: B 1, D 2, A 3 · monetary: B 0, A 95, D 1040
		expect([a.code, b.code, d.code]).toEqual(['353', '111', '535']);
		expect([a.segment, b.segment, d.segment].map((s) => result.summary[s!].segment)).toEqual([
			'potentialLoyalist',
			'lost',
			'needAttention',
		]);
		expect(c).toMatchObject({ code: null, segment: null, r: null, unscoredReason: 'noPurchases' });
		expect(result.warnings).toEqual([
			{ code: 'customersWithoutPurchases', customers: 1 },
			{ code: 'fewCustomers', customers: 3, scale: 5 },
			{ code: 'nonPositiveMonetary', customers: 1 },
		]);
		const pl = result.summary.find((s) => s.segment === 'potentialLoyalist')!;
		expect(pl.customers).toBe(1);
		expect(pl.customerShare).toBeCloseTo(100 / 3, 10);
		expect(pl.revenueShare).toBeCloseTo((95 / 1135) * 100, 10);
		expect(pl.meanRecencyDays).toBe(21);
		const champions = result.summary.find((s) => s.segment === 'champions')!;
		expect(champions).toMatchObject({ customers: 0, customerShare: 0, meanRecencyDays: null, meanMonetary: null });
		expect(result.summary.map((s) => s.segment)).toHaveLength(11);
	});

	it('the 10-segment map ignores monetary value', () => {
		const result = rfmFromTransactions(tx, { frequency: 'orders', monetary: 'total', refunds: 'net' }, 5, { method: 'quantiles' }, tenSegmentMap());
		const names = result.customers.map((c) => (c.segment === null ? null : result.summary[c.segment].segment));
		// codes 35x → potential loyalist? no: R3 F5 → loyal ([3-4][4-5]); 11x → hibernating; 53x → potential loyalist
		expect(names).toEqual(['loyal', 'hibernating', null, 'potentialLoyalist']);
	});

	it('a user map on a 1–3 scale with fixed thresholds', () => {
		const codes: Record<string, string> = {};
		for (let r = 1; r <= 3; r++) for (let f = 1; f <= 3; f++) for (let m = 1; m <= 3; m++) codes[`${r}${f}${m}`] = r === 3 ? 'Recent' : 'Older';
		const map = customSegmentMap(codes, 3);
		if (!map.ok) throw new Error(map.problems.join('; '));
		const result = rfmFromTransactions(
			tx,
			{ frequency: 'orders', monetary: 'total', refunds: 'net' },
			3,
			{ method: 'thresholds', recency: [7, 21], frequency: [2, 3], monetary: [50, 500] },
			map.map,
		);
		// A: 21 days → 2, 3 orders → 3, 95 → 2 · B: 26 → 1, 1 → 1, 0 → 1 · D: 1 → 3, 2 → 2, 1040 → 3
		expect(result.customers.map((c) => c.code)).toEqual(['232', '111', null, '323']);
		expect(result.summary.map((s) => [s.segment, s.customers])).toEqual([
			['Older', 2],
			['Recent', 1],
		]);
	});

	it('identical values for every customer: defined scores and one warning per measure', () => {
		const same = columns(['a', 'b', 'c', 'd', 'e'].map((customer) => ({ customer, day: 10, amount: 20 })));
		const result = rfmFromTransactions(same, { frequency: 'orders', monetary: 'total', refunds: 'net' }, 5, { method: 'quantiles' }, elevenSegmentMap());
		// R and M collapse to the middle score 3; F is ranked by appearance (1…5) although all are equal.
		expect(result.customers.map((c) => c.code)).toEqual(['313', '323', '333', '343', '353']);
		expect(result.warnings).toEqual([
			{ code: 'singleValue', measure: 'recency', value: 1, customers: 5, score: 3 },
			{ code: 'singleValue', measure: 'frequency', value: 1, customers: 5, score: 1 },
			{ code: 'singleValue', measure: 'monetary', value: 20, customers: 5, score: 3 },
		]);
	});

	it('pre-aggregated monetary values are scored at a millionth, as transaction sums are: 1.1 + 2.2 ties with 3.3', () => {
		const values = {
			recencyDays: Float64Array.of(3, 3, 30),
			frequency: Float64Array.of(2, 2, 1),
			monetary: Float64Array.of(1.1 + 2.2, 3.3, 5),
			spend: Float64Array.of(1.1 + 2.2, 3.3, 5),
			hasPurchase: Uint8Array.of(1, 1, 1),
		};
		const result = scoreRfm(values, 5, { method: 'quantiles' }, null);
		expect(result.customers.map((c) => [c.monetary, c.m])).toEqual([
			[3.3, 2],
			[3.3, 2],
			[5, 5],
		]);
		// Fixed thresholds: 0.7 + 0.1 (0.7999999999999999 in floating point) reaches a threshold of 0.8 as 0.8 does.
		const below = { ...values, monetary: Float64Array.of(0.7 + 0.1, 0.8, 5) };
		const fixed = scoreRfm(below, 5, { method: 'thresholds', recency: [30, 90, 180, 365], frequency: [2, 3, 5, 10], monetary: [0.5, 0.8, 2, 4] }, null);
		expect(fixed.customers.map((c) => c.m)).toEqual([3, 3, 5]);
	});

	it('a single customer with a single purchase', () => {
		const one = columns([{ customer: 'solo', day: 5, amount: 9.5 }]);
		const result = rfmFromTransactions(one, { frequency: 'orders', monetary: 'total', refunds: 'net' }, 5, { method: 'quantiles' }, elevenSegmentMap());
		expect(result.customers[0]).toMatchObject({ recencyDays: 1, frequency: 1, monetary: 9.5, code: '333' });
		expect(result.summary.find((s) => s.customers === 1)!.segment).toBe('potentialLoyalist');
	});

	it('no purchases at all: nothing scored, shares null, a warning', () => {
		const refunds = columns([{ customer: 'x', day: 5, amount: -3 }]);
		const result = rfmFromTransactions(refunds, { frequency: 'orders', monetary: 'total', refunds: 'net' }, 5, { method: 'quantiles' }, elevenSegmentMap());
		expect(result.scoredCustomers).toBe(0);
		expect(result.warnings).toContainEqual({ code: 'noScorableCustomers' });
		expect(result.summary.every((s) => s.customerShare === null && s.revenueShare === null)).toBe(true);
	});

	it('warns when ties leave scores empty, and when frequency ties are split by appearance', () => {
		// recency: 8 customers bought on the last day, 2 earlier → scores used: 2 of 5
		const list: Row[] = [];
		for (let i = 0; i < 10; i++) list.push({ customer: `c${i}`, day: i < 2 ? 1 : 9, amount: i + 1 });
		const result = scoreRfm(
			customerValues(columns(list), { frequency: 'orders', monetary: 'total', refunds: 'net' }),
			5,
			{ method: 'quantiles' },
			null,
		);
		expect(result.warnings).toContainEqual({ code: 'fewLevels', measure: 'recency', levelsUsed: 2, scale: 5 });
		expect(result.summary).toEqual([]);
		expect(result.customers[0].segment).toBeNull();
	});

	it('warns when fewer customers are scored than there are scores (quantiles), not with fixed thresholds', () => {
		const one: Row[] = [{ customer: 'solo', day: 3, amount: 40 }];
		const values = customerValues(columns(one), { frequency: 'orders', monetary: 'total', refunds: 'net' });
		const single = scoreRfm(values, 5, { method: 'quantiles' }, null);
		expect(single.customers[0].code).toBe('333'); // the middle score, which says nothing
		expect(single.warnings).toContainEqual({ code: 'fewCustomers', customers: 1, scale: 5 });
		const four: Row[] = [1, 2, 3, 4].map((i) => ({ customer: `c${i}`, day: i, amount: 10 * i }));
		const fourValues = customerValues(columns(four), { frequency: 'orders', monetary: 'total', refunds: 'net' });
		expect(scoreRfm(fourValues, 5, { method: 'quantiles' }, null).warnings).toContainEqual({ code: 'fewCustomers', customers: 4, scale: 5 });
		expect(scoreRfm(fourValues, 4, { method: 'quantiles' }, null).warnings.map((w) => w.code)).not.toContain('fewCustomers');
		const fixed = { method: 'thresholds' as const, recency: [30, 60, 90, 180], frequency: [1, 2, 3, 5], monetary: [10, 20, 50, 100] };
		expect(scoreRfm(values, 5, fixed, null).warnings.map((w) => w.code)).not.toContain('fewCustomers');
	});

	it('property: every scored customer lands in exactly one segment; summary counts add up', () => {
		const rowArb = fc.record({
			customer: fc.integer({ min: 0, max: 40 }).map(String),
			day: fc.integer({ min: 0, max: 100 }),
			amount: fc.integer({ min: -50, max: 200 }),
		});
		fc.assert(
			fc.property(fc.array(rowArb, { minLength: 1, maxLength: 150 }), fc.boolean(), (list, ten) => {
				const result = rfmFromTransactions(
					columns(list),
					{ frequency: 'purchaseDays', monetary: 'mean', refunds: 'net' },
					5,
					{ method: 'quantiles' },
					ten ? tenSegmentMap() : elevenSegmentMap(),
				);
				const scored = result.customers.filter((c) => c.code !== null);
				expect(scored.every((c) => c.segment !== null)).toBe(true);
				expect(result.summary.reduce((s, x) => s + x.customers, 0)).toBe(scored.length);
				if (scored.length > 0) expect(result.summary.reduce((s, x) => s + x.customerShare!, 0)).toBeCloseTo(100, 9);
				expect(JSON.stringify(result.summary)).not.toMatch(/NaN|Infinity/);
			}),
		);
	});
});
