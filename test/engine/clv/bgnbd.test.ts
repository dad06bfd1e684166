/**
 * BG/NBD against Fader, Hardie & Lee (2005) on CDNOW and the per-customer test vectors of models.md.
 */
import {
	bgnbdCustomerLogLikelihood,
	bgnbdExpectedPurchases,
	bgnbdExpectedPurchasesNewCustomer,
	bgnbdLogLikelihood,
	bgnbdProbabilityAlive,
	bgnbdProbabilityOfPurchases,
	fitBgNbd,
	type BgNbdParams,
} from '../../../nodes/engine/clv/bgnbd';
import { mergeIdenticalRows } from '../../../nodes/engine/clv/model';
import { cdnowSummaries, readSummaryFile } from './cdnow';
import { asPublished } from './published';

const summary = readSummaryFile();
const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD fitted on the CDNOW summary file (FHL 2005: r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4)', () => {
	const model = fitBgNbd(summary, { timeUnit: 'weeks' });
	const p = model.params as unknown as BgNbdParams;

	it('reproduces the published parameters and log-likelihood to the published digits', () => {
		expect(model.converged).toBe(true);
		expect(asPublished(p.r, '0.243')).toBe('0.243');
		expect(asPublished(p.alpha, '4.414')).toBe('4.414');
		expect(asPublished(p.a, '0.793')).toBe('0.793');
		expect(asPublished(p.b, '2.426')).toBe('2.426');
		expect(asPublished(model.logLikelihood!, '-9582.4')).toBe('-9582.4');
		expect(model.customersUsed).toBe(2357);
		expect(model.repeatBuyers).toBe(946);
		expect(model.warnings).toEqual([]);
	});

	it('also from the summaries built from the raw transactions', () => {
		const raw = fitBgNbd(cdnowSummaries(), { timeUnit: 'weeks' });
		expect([raw.params.r, raw.params.alpha, raw.params.a, raw.params.b].map((v, i) => asPublished(v, ['0.243', '4.414', '0.793', '2.426'][i]))).toEqual([
			'0.243',
			'4.414',
			'0.793',
			'2.426',
		]);
		expect(asPublished(raw.logLikelihood!, '-9582.4')).toBe('-9582.4');
	});

	it('conditional expected purchases: t = 39, x = 2, t_x = 30.43, T = 38.86 → 1.226 (±0.001)', () => {
		expect(Math.abs(bgnbdExpectedPurchases(p, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThanOrEqual(0.001);
	});

	it('unconditional expected purchases at t = 0.1429 … 78 (3 decimals)', () => {
		const times = [0.1429, 1, 3, 31.8571, 32, 78];
		const expected = ['0.008', '0.053', '0.151', '1.040', '1.044', '1.858'];
		expect(times.map((t) => bgnbdExpectedPurchasesNewCustomer(p, t).toFixed(3))).toEqual(expected);
	});

	it('P(alive | x = 0) = 1; P(alive | x = 1000, t_x = 10, T = 100) = 0 without overflow', () => {
		expect(bgnbdProbabilityAlive(p, 0, 0, 38.86)).toBe(1);
		const dead = bgnbdProbabilityAlive(p, 1000, 10, 100);
		expect(dead).toBe(0);
		expect(bgnbdExpectedPurchases(p, 10, 1000, 10, 100)).toBe(0);
	});

	it('mean P(alive) over the 2,357 customers ≈ 0.813', () => {
		let sum = 0;
		for (let i = 0; i < summary.frequency.length; i++) {
			sum += bgnbdProbabilityAlive(p, summary.frequency[i], summary.recency[i], summary.T[i]);
		}
		expect((sum / summary.frequency.length).toFixed(3)).toBe('0.813');
	});
});

describe('BG/NBD with parameters fixed at (0.243, 4.414, 0.793, 2.426)', () => {
	it('P(N(2) = 10) = 1.07869e-07 and P(N(39) = 0) = 0.5737864 (±1e-4)', () => {
		expect(bgnbdProbabilityOfPurchases(published, 2, 10)).toBeCloseTo(1.07869e-7, 11);
		expect(Math.abs(bgnbdProbabilityOfPurchases(published, 39, 0) - 0.5737864)).toBeLessThan(1e-4);
	});

	it('P(N(30) = n) for n = 11..20', () => {
		const expected = [
			0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913,
			0.0003467171, 0.0002769613, 0.000222226,
		];
		expected.forEach((value, k) => {
			expect(Math.abs(bgnbdProbabilityOfPurchases(published, 30, 11 + k) - value)).toBeLessThan(5e-10);
		});
	});

	it('P(N(t) = n) sums to 1 over n', () => {
		let total = 0;
		for (let n = 0; n <= 2000; n++) total += bgnbdProbabilityOfPurchases(published, 39, n);
		expect(total).toBeCloseTo(1, 8);
	});
});

describe('BG/NBD per-customer log-likelihood (a 0.8, b 2.5, r 0.25, α 4, T 40)', () => {
	const p = { a: 0.8, b: 2.5, r: 0.25, alpha: 4 };
	it('x = 0 → −0.59947382', () => {
		expect(bgnbdCustomerLogLikelihood(p, 0, 0, 40)).toBeCloseTo(-0.59947382, 7);
	});
	it('x = 200, t_x = 38 → 100.7957 (log-sum-exp; the naive formula overflows)', () => {
		expect(bgnbdCustomerLogLikelihood(p, 200, 38, 40)).toBeCloseTo(100.7957, 3);
	});
	it('the summed likelihood equals the sum of per-customer ones, and its gradient matches finite differences', () => {
		const data = { frequency: [0, 1, 5, 200, 5], recency: [0, 3, 20, 38, 20], T: [40, 10, 30, 40, 30] };
		const rows = mergeIdenticalRows(data);
		expect(rows.n).toBe(4);
		const params = Float64Array.from([0.25, 4, 0.8, 2.5]);
		const gradient = new Float64Array(4);
		const total = bgnbdLogLikelihood(params, rows, gradient);
		const direct = data.frequency.reduce((s, x, i) => s + bgnbdCustomerLogLikelihood(p, x, data.recency[i], data.T[i]), 0);
		expect(total).toBeCloseTo(direct, 9);
		for (let k = 0; k < 4; k++) {
			const h = 1e-6 * params[k];
			const up = Float64Array.from(params);
			const down = Float64Array.from(params);
			up[k] += h;
			down[k] -= h;
			const numeric = (bgnbdLogLikelihood(up, rows, new Float64Array(4)) - bgnbdLogLikelihood(down, rows, new Float64Array(4))) / (2 * h);
			expect(gradient[k]).toBeCloseTo(numeric, 4);
		}
	});
});
