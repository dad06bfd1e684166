/** Pareto/NBD against the published CDNOW fit (r 0.553, α 10.578, s 0.606, β 11.669, LL −9595.0). */
import { mergeIdenticalRows } from '../../../nodes/engine/clv/model';
import {
	fitParetoNbd,
	paretoNbdCustomerLogLikelihood,
	paretoNbdExpectedPurchases,
	paretoNbdExpectedPurchasesNewCustomer,
	paretoNbdLogLikelihood,
	paretoNbdProbabilityAlive,
	type ParetoNbdParams,
} from '../../../nodes/engine/clv/paretonbd';
import { cdnowSummaries, readSummaryFile } from './cdnow';
import { asPublished } from './published';

describe('Pareto/NBD on CDNOW', () => {
	// The published estimates come from the exact data; the summary file rounds t_x and T to 0.01 week,
	// which moves the weakly identified β by 0.001 (11.668 instead of 11.669) — see the second test.
	const model = fitParetoNbd(cdnowSummaries(), { timeUnit: 'weeks' });
	const p = model.params as unknown as ParetoNbdParams;

	it('reproduces r 0.553, α 10.578, s 0.606, β 11.669 and LL −9595.0 from the raw transactions', () => {
		expect(model.converged).toBe(true);
		expect([p.r, p.alpha, p.s, p.beta].map((v, i) => asPublished(v, ['0.553', '10.578', '0.606', '11.669'][i]))).toEqual([
			'0.553',
			'10.578',
			'0.606',
			'11.669',
		]);
		expect(asPublished(model.logLikelihood!, '-9595.0')).toBe('-9595.0');
	});

	it('from the rounded summary file: the same r, α, s and log-likelihood; β within 0.002', () => {
		const fromFile = fitParetoNbd(readSummaryFile(), { timeUnit: 'weeks' });
		expect(fromFile.converged).toBe(true);
		expect(asPublished(fromFile.params.r, '0.553')).toBe('0.553');
		expect(asPublished(fromFile.params.alpha, '10.578')).toBe('10.578');
		expect(asPublished(fromFile.params.s, '0.606')).toBe('0.606');
		expect(Math.abs(fromFile.params.beta - 11.669)).toBeLessThan(0.002);
		expect(asPublished(fromFile.logLikelihood!, '-9595.0')).toBe('-9595.0');
	});

	it('conditional expected purchases, t = 52, x = 26, t_x = 30.86, T = 31 → 25.46 (±0.01)', () => {
		expect(Math.abs(paretoNbdExpectedPurchases(p, 52, 26, 30.86, 31) - 25.46)).toBeLessThanOrEqual(0.01);
	});

	it('P(alive | x = 26, t_x = 30.86, T = 31) with (0.5534, 10.5802, 0.6061, 11.6562) → 0.9979 (±0.001)', () => {
		const q = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };
		expect(Math.abs(paretoNbdProbabilityAlive(q, 26, 30.86, 31) - 0.9979)).toBeLessThanOrEqual(0.001);
	});
});

describe('Pareto/NBD likelihood: both branches of the hypergeometric function', () => {
	/** I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ by composite Simpson, independent of the 2F1 closed form. */
	function likelihoodByQuadrature(p: ParetoNbdParams, x: number, tx: number, T: number): number {
		const f = (tau: number) => Math.pow(p.alpha + tau, -(p.r + x)) * Math.pow(p.beta + tau, -(p.s + 1));
		const n = 20000;
		const h = (T - tx) / n;
		let integral = f(tx) + f(T);
		for (let i = 1; i < n; i++) integral += (i % 2 ? 4 : 2) * f(tx + i * h);
		integral *= h / 3;
		const head = Math.exp(
			lgamma(p.r + x) - lgamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta),
		);
		return Math.log(head * (Math.pow(p.alpha + T, -(p.r + x)) * Math.pow(p.beta + T, -p.s) + p.s * integral));
	}
	// Independent ln Γ by the Lanczos-free route: ln Γ(z) = ln Γ(z + 20) − Σ ln(z + k), Stirling at z + 20.
	function lgamma(z: number): number {
		let shift = 0;
		for (let k = 0; k < 20; k++) shift += Math.log(z + k);
		const w = z + 20;
		return (w - 0.5) * Math.log(w) - w + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * w) - 1 / (360 * w ** 3) - shift;
	}

	it.each([
		['α > β', { r: 0.55, alpha: 12, s: 0.6, beta: 3 }],
		['α < β', { r: 0.55, alpha: 3, s: 0.6, beta: 12 }],
		['α = β', { r: 0.55, alpha: 7, s: 0.6, beta: 7 }],
	])('%s matches numerical integration', (_label, p) => {
		for (const [x, tx, T] of [
			[0, 0, 30],
			[3, 10, 30],
			[12, 29, 30],
		]) {
			expect(paretoNbdCustomerLogLikelihood(p, x, tx, T)).toBeCloseTo(likelihoodByQuadrature(p, x, tx, T), 7);
		}
	});

	it('the gradient matches finite differences in both branches', () => {
		const data = { frequency: [0, 2, 7, 1], recency: [0, 5, 28, 0.5], T: [30, 20, 30, 12] };
		const rows = mergeIdenticalRows(data);
		for (const start of [
			[0.5, 10, 0.7, 4],
			[0.5, 4, 0.7, 10],
		]) {
			const params = Float64Array.from(start);
			const gradient = new Float64Array(4);
			paretoNbdLogLikelihood(params, rows, gradient);
			for (let k = 0; k < 4; k++) {
				const h = 1e-6 * params[k];
				const up = Float64Array.from(params);
				const down = Float64Array.from(params);
				up[k] += h;
				down[k] -= h;
				const numeric =
					(paretoNbdLogLikelihood(up, rows, new Float64Array(4)) - paretoNbdLogLikelihood(down, rows, new Float64Array(4))) / (2 * h);
				expect(gradient[k]).toBeCloseTo(numeric, 5);
			}
		}
	});

	it('the series and the quadrature corner (hypergeometric argument > 0.95) agree where they meet', () => {
		// z = (α − β)/(α + t_x) at t_x = 0 is 1 − β/α: β/α = 0.050001 uses the series, 0.049999 the quadrature.
		const below = { r: 0.5, alpha: 20, s: 0.7, beta: 20 * 0.050001 };
		const above = { r: 0.5, alpha: 20, s: 0.7, beta: 20 * 0.049999 };
		for (const [x, tx, T] of [
			[0, 0, 30],
			[3, 0, 30],
			[5, 12, 30],
		]) {
			const slope = (paretoNbdCustomerLogLikelihood(below, x, tx, T) - paretoNbdCustomerLogLikelihood(above, x, tx, T)) / (below.beta - above.beta);
			// The jump across the switch is what the slope explains, to 1e-8: no discontinuity between the methods.
			const mid = { ...below, beta: 20 * 0.05 };
			const interpolated = paretoNbdCustomerLogLikelihood(above, x, tx, T) + slope * (mid.beta - above.beta);
			expect(Math.abs(paretoNbdCustomerLogLikelihood(mid, x, tx, T) - interpolated)).toBeLessThan(1e-8);
		}
	});

	it('s = 1 uses the logarithmic limit of the expectation', () => {
		const p = { r: 0.5, alpha: 10, s: 1, beta: 12 };
		// rβ/α · ln(1 + t/β)
		expect(paretoNbdExpectedPurchasesNewCustomer(p, 20)).toBeCloseTo(((0.5 * 12) / 10) * Math.log(1 + 20 / 12), 12);
		const near = paretoNbdExpectedPurchasesNewCustomer({ ...p, s: 1 + 1e-12 }, 20);
		expect(near).toBeCloseTo(paretoNbdExpectedPurchasesNewCustomer(p, 20), 9);
	});
});
