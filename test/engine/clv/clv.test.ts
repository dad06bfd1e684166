/** Discounted CLV (hand-computed), per-customer predictions and the RFM fallback. */
import { bgnbdExpectedPurchases } from '../../../nodes/engine/clv/bgnbd';
import { discountedValue } from '../../../nodes/engine/clv/clv';
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
});
