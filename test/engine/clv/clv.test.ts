/** Discounted CLV (hand-computed), per-customer predictions and the RFM fallback. */
import * as bgnbd from '../../../nodes/engine/clv/bgnbd';
import { bgnbdExpectedPurchases } from '../../../nodes/engine/clv/bgnbd';
import { mbgnbdExpectedPurchases } from '../../../nodes/engine/clv/mbgnbd';
import { paretoNbdExpectedPurchases } from '../../../nodes/engine/clv/paretonbd';
import { MODEL_VERSION, type ClvModel } from '../../../nodes/engine/clv/model';
import { predictCustomers } from '../../../nodes/engine/clv/predict';
import { rankByRfm } from '../../../nodes/engine/clv/rfm';

function model(kind: ClvModel['kind'], params: Record<string, number>): ClvModel {
	return {
		kind,
		version: MODEL_VERSION,
		timeUnit: 'weeks',
		params,
		logLikelihood: -1,
		converged: true,
		convergenceReason: 'test',
		iterations: 1,
		gradientNorm: 0,
		customersUsed: 100,
		repeatBuyers: 50,
		distinctRows: 100,
		penalizer: 0,
		startsTried: 1,
		warnings: [],
	};
}

/**
 * Σ_k [E(t_k) − E(t_{k−1})] / (1 + d)^{t_k} from the cumulative expectations E(t_0 = 0) … E(t_K): the
 * discounted number of purchases — the definition in nodes/engine/clv/clv.ts summed term by term, one E per
 * time unit: the reference the engine's discount plan (discountPlan / discountedPurchases) is checked against.
 */
function discountedValue(cumulative: ArrayLike<number>, steps: number, horizon: number, discountRate: number): number {
	let total = 0;
	let previous = 0;
	const logFactor = Math.log1p(discountRate);
	for (let k = 1; k <= steps; k++) {
		const current = cumulative[k];
		const t = Math.min(k, horizon);
		total += (current - previous) * Math.exp(-t * logFactor);
		previous = current;
	}
	return total;
}

describe('discountedValue', () => {
	it('hand-computed: 1, 2.5, 3 cumulative purchases over 3 units at 10 % per unit', () => {
		// 1/1.1 + 1.5/1.21 + 0.5/1.331
		expect(discountedValue([0, 1, 2.5, 3], 3, 3, 0.1)).toBeCloseTo(1 / 1.1 + 1.5 / 1.21 + 0.5 / 1.331, 12);
	});
	it('no discount: the expected purchases over the horizon; a partial last unit is discounted at H', () => {
		expect(discountedValue([0, 1, 2.5, 3], 3, 3, 0)).toBeCloseTo(3, 12);
		expect(discountedValue([0, 1, 1.6], 2, 1.5, 0.1)).toBeCloseTo(1 / 1.1 + 0.6 / Math.pow(1.1, 1.5), 12);
	});
});

describe('predictCustomers', () => {
	const purchase = model('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
	const spend = model('gammagamma', { p: 6.25, q: 3.74, v: 15.44 });
	const data = { frequency: [2, 0], recency: [30.43, 0], T: [38.86, 38.86], meanSpend: [22.35, 0], historicSpend: [100, 20] };

	it('CLV without discount = expected purchases × expected spend; total adds the historic spend', () => {
		const out = predictCustomers(purchase, spend, data, { horizon: 39, discountRate: 0 });
		expect(out.expectedPurchases[0]).toBeCloseTo(bgnbdExpectedPurchases(purchase.params as never, 39, 2, 30.43, 38.86), 12);
		// Gamma-Gamma: p(v + x m̄)/(px + q − 1)
		const spend0 = (6.25 * (15.44 + 2 * 22.35)) / (6.25 * 2 + 3.74 - 1);
		expect(out.expectedAverageSpend![0]).toBeCloseTo(spend0, 10);
		expect(out.predictedClv![0]).toBeCloseTo(out.expectedPurchases[0] * spend0, 8);
		expect(out.totalClv![0]).toBeCloseTo(100 + out.predictedClv![0], 8);
		// x = 0: the population mean spend pv/(q−1)
		expect(out.expectedAverageSpend![1]).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
	});

	it('discounting lowers CLV, more at higher rates', () => {
		const none = predictCustomers(purchase, spend, data, { horizon: 52, discountRate: 0 }).predictedClv![0];
		const some = predictCustomers(purchase, spend, data, { horizon: 52, discountRate: 0.002 }).predictedClv![0];
		const more = predictCustomers(purchase, spend, data, { horizon: 52, discountRate: 0.02 }).predictedClv![0];
		expect(some).toBeLessThan(none);
		expect(more).toBeLessThan(some);
	});

	it('refuses mixed time units and bad horizons with clear errors', () => {
		expect(() => predictCustomers(purchase, { ...spend, timeUnit: 'days' }, data, { horizon: 10, discountRate: 0 })).toThrow(/days/);
		expect(() => predictCustomers(purchase, null, data, { horizon: 0, discountRate: 0 })).toThrow(/horizon/);
		expect(() => predictCustomers(purchase, null, data, { horizon: 5, discountRate: -1 })).toThrow(/discount rate/);
	});
});

describe('discounted CLV over long horizons', () => {
	const spend = model('gammagamma', { p: 6.25, q: 3.74, v: 15.44 });
	const purchases = {
		bgnbd: [model('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }), bgnbdExpectedPurchases],
		paretonbd: [model('paretonbd', { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }), paretoNbdExpectedPurchases],
		mbgnbd: [model('mbgnbd', { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }), mbgnbdExpectedPurchases],
	} as const;
	// A customer with few purchases (slowly converging series), a one-time buyer, a frequent buyer, a new one.
	const data = { frequency: [2, 0, 20, 1], recency: [30.43, 0, 35, 0.5], T: [38.86, 38.86, 38, 0.5], meanSpend: [22.35, 0, 40, 10] };
	const spendOf = (x: number, meanSpend: number) => (6.25 * (15.44 + x * meanSpend)) / (6.25 * x + 3.74 - 1);

	/**
	 * The definition, term by term: Σ_{k=1}^{⌈H⌉} [E(t_k) − E(t_{k−1})] / (1 + d)^{t_k}, t_k = min(k, H), with E
	 * the published conditional expectation (P(alive) included), times Gamma-Gamma's p(v + x m̄)/(px + q − 1).
	 * `expected(t)` is called once per time unit (and cached: the same curve serves every rate).
	 */
	function byDefinition(expected: (t: number) => number, spendPerPurchase: number, horizon: number, d: number): number {
		let total = 0;
		let previous = 0;
		for (let k = 1; k <= Math.ceil(horizon); k++) {
			const t = Math.min(k, horizon);
			const current = expected(t);
			total += (current - previous) / Math.pow(1 + d, t);
			previous = current;
		}
		return total * spendPerPurchase;
	}
	const cached = (f: (t: number) => number) => {
		const memo = new Map<number, number>();
		return (t: number) => memo.get(t) ?? memo.set(t, f(t)).get(t)!;
	};

	it.each(Object.keys(purchases) as Array<keyof typeof purchases>)('%s: the discounted CLV is the definition’s sum within 1e-9 (horizons 39 to 1,000)', (kind) => {
		const [purchase, expected] = purchases[kind];
		const p = purchase.params as never;
		const curves = data.frequency.map((x, i) => cached((t) => expected(p, t, x, data.recency[i], data.T[i])));
		for (const horizon of [39, 52.5, 520, 1000]) {
			for (const d of [0, 0.0018, 0.02, 0.5]) {
				const out = predictCustomers(purchase, spend, data, { horizon, discountRate: d });
				for (let i = 0; i < data.frequency.length; i++) {
					const want = byDefinition(curves[i], spendOf(data.frequency[i], data.meanSpend[i]), horizon, d);
					const relativeError = Math.abs(out.predictedClv![i] - want) / want;
					expect({ kind, horizon, d, i, within: relativeError < 1e-9 }).toEqual({ kind, horizon, d, i, within: true });
				}
			}
		}
	});

	it('100,000 weeks: the purchase curve is evaluated at a few hundred points, not once per week (it took minutes)', () => {
		const [purchase] = purchases.bgnbd;
		const original = bgnbd.bgnbdExpectedPurchasesIfAlive;
		let calls = 0;
		const spy = jest.spyOn(bgnbd, 'bgnbdExpectedPurchasesIfAlive').mockImplementation((...args) => {
			if (++calls > 1000) throw new Error('more than 1,000 evaluations of the purchase curve for one customer');
			return original(...args);
		});
		try {
			const out = predictCustomers(purchase, spend, { frequency: [2], recency: [30.43], T: [38.86], meanSpend: [22.35] }, { horizon: 100_000, discountRate: 0.0018 });
			expect(Number.isFinite(out.predictedClv![0])).toBe(true);
		} finally {
			spy.mockRestore();
		}
	});

	it('100,000 weeks are still the definition’s sum: at 1 % a week the weeks after 4,000 add less than 1e-15 of it', () => {
		for (const kind of ['bgnbd', 'paretonbd'] as const) {
			const [purchase, expected] = purchases[kind];
			const out = predictCustomers(purchase, spend, data, { horizon: 100_000, discountRate: 0.01 });
			const noDiscount = predictCustomers(purchase, spend, data, { horizon: 100_000, discountRate: 0 });
			for (const i of [0, 2]) {
				const x = data.frequency[i];
				const curve = (t: number) => expected(purchase.params as never, t, x, data.recency[i], data.T[i]);
				// Tail after week 4,000 ≤ E(100,000) / 1.01^4001 ≈ 5e-18 × E(100,000): far below 1e-9 of the sum.
				const want = byDefinition(curve, spendOf(x, data.meanSpend[i]), 4000, 0.01);
				expect({ kind, i, within: Math.abs(out.predictedClv![i] - want) / want < 1e-9 }).toEqual({ kind, i, within: true });
				// Without discounting the sum telescopes to the purchases expected over the horizon.
				expect(noDiscount.predictedClv![i]).toBeCloseTo(curve(100_000) * spendOf(x, data.meanSpend[i]), 8);
			}
		}
	});
});

describe('rankByRfm', () => {
	it('scores 1–5 by quintile and ranks the best customer first; ties share a rank', () => {
		const r = rankByRfm({
			frequency: [0, 1, 2, 3, 4, 4],
			recency: [0, 1, 2, 3, 4, 4],
			T: [10, 10, 10, 10, 10, 10],
			spend: [10, 20, 30, 40, 50, 50],
		});
		// customers 0 and 1 both fall in the bottom quintile on all three: score 3, sharing rank 5
		expect(r.rank[0]).toBe(5);
		expect(r.rank[1]).toBe(5);
		expect(r.rank[4]).toBe(1);
		expect(r.rank[5]).toBe(1);
		// the tied top pair sits at mean position (4 + 5)/2 of 6 → 0.75 → quintile 4 on each score
		expect(r.rfmScore[4]).toBe(12);
		expect(r.rfmScore[0]).toBe(3);
		expect(r.recencyScore[3]).toBe(3); // position 3/6 = 0.5 → quintile 3
	});

	it('an unknown spend (NaN) gets no monetary score, RFM score or rank (0); the others are scored among themselves', () => {
		const r = rankByRfm({ frequency: [3, 1, 2], recency: [9, 2, 8], T: [10, 10, 10], spend: [300, 50, NaN] });
		expect(Array.from(r.monetaryScore)).toEqual([3, 1, 0]); // known spends 50, 300: positions 0 and 1/2
		expect(Array.from(r.recencyScore)).toEqual([4, 1, 2]); // all three: positions 2/3, 0, 1/3
		expect(Array.from(r.rfmScore)).toEqual([11, 3, 0]);
		expect(Array.from(r.rank)).toEqual([1, 2, 0]);
	});
});
