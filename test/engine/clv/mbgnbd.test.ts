/** MBG/NBD (Batislam et al. 2007) on CDNOW: r 0.525, α 6.183, a 0.891, b 1.614. */
import { bgnbdExpectedPurchases } from '../../../nodes/engine/clv/bgnbd';
import {
	fitMbgNbd,
	mbgnbdExpectedPurchases,
	mbgnbdExpectedPurchasesNewCustomer,
	mbgnbdProbabilityAlive,
	type MbgNbdParams,
} from '../../../nodes/engine/clv/mbgnbd';
import { expectationSeries } from '../../../nodes/engine/clv/special';
import { readSummaryFile } from './cdnow';
import { asPublished } from './published';

describe('MBG/NBD on the CDNOW summary file', () => {
	const model = fitMbgNbd(readSummaryFile(), { timeUnit: 'weeks' });
	const p = model.params as unknown as MbgNbdParams;

	it('reproduces the published parameters to the published digits', () => {
		expect(model.converged).toBe(true);
		expect([p.r, p.alpha, p.a, p.b].map((v, i) => asPublished(v, ['0.525', '6.183', '0.891', '1.614'][i]))).toEqual([
			'0.525',
			'6.183',
			'0.891',
			'1.614',
		]);
	});

	it('one-time buyers are not alive by construction, and P(alive) falls with time since the last purchase', () => {
		const zero = mbgnbdProbabilityAlive(p, 0, 0, 38);
		expect(zero).toBeGreaterThan(0);
		expect(zero).toBeLessThan(1);
		// x = 0, t_x = 0: 1/(1 + a/b · ((α+T)/α)^r), hand-written
		expect(zero).toBeCloseTo(1 / (1 + (p.a / p.b) * Math.pow((p.alpha + 38) / p.alpha, p.r)), 12);
		expect(mbgnbdProbabilityAlive(p, 3, 30, 38)).toBeGreaterThan(mbgnbdProbabilityAlive(p, 3, 5, 38));
	});

	it('the new-customer expectation equals b/(a−1)·[1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))] by direct series', () => {
		const t = 39;
		const z = t / (p.alpha + t);
		let term = 1;
		let sum = 1;
		for (let n = 0; n < 5000; n++) {
			term *= ((p.r + n) * (p.b + 1 + n)) / ((p.a + p.b + n) * (n + 1)) * z;
			sum += term;
		}
		const direct = (p.b / (p.a - 1)) * (1 - Math.pow(p.alpha / (p.alpha + t), p.r) * sum);
		expect(mbgnbdExpectedPurchasesNewCustomer(p, t)).toBeCloseTo(direct, 8);
		expect(mbgnbdExpectedPurchases(p, t, 2, 30.43, 38.86)).toBeGreaterThan(0);
	});
});

describe('the Euler-transformed expectation series', () => {
	it('is continuous through a = 1, where the published formula is 0/0', () => {
		const base = { r: 0.3, alpha: 5, b: 2.5 };
		const at = bgnbdExpectedPurchases({ ...base, a: 1 }, 20, 3, 10, 30);
		const below = bgnbdExpectedPurchases({ ...base, a: 1 - 1e-7 }, 20, 3, 10, 30);
		const above = bgnbdExpectedPurchases({ ...base, a: 1 + 1e-7 }, 20, 3, 10, 30);
		expect(Number.isFinite(at)).toBe(true);
		expect(at).toBeCloseTo(below, 6);
		expect(at).toBeCloseTo(above, 6);
	});

	it('equals [1 − (1−z)^ε 2F1(A, ε; c; z)]/ε computed naively away from ε = 0', () => {
		const [epsilon, A, c, z] = [0.4, 1.7, 3.2, 0.6];
		let term = 1;
		let sum = 1;
		for (let n = 0; n < 2000; n++) {
			term *= ((A + n) * (epsilon + n)) / ((c + n) * (n + 1)) * z;
			sum += term;
		}
		expect(expectationSeries(epsilon, A, c, z)).toBeCloseTo((1 - Math.pow(1 - z, epsilon) * sum) / epsilon, 12);
	});
});
