/**
 * BG/NBD purchase model: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to
 * the Pareto/NBD Model", Marketing Science 24(2). Parameters r, α (purchase rate ~ Gamma(r, α)) and a, b
 * (drop-out probability after each purchase ~ Beta(a, b)).
 *
 * Likelihood (paper eq. 6), in log space as in Fader & Hardie's note 027 (solution 2):
 *   L = Γ(r+x)α^r/Γ(r) · [ B(a, b+x)/B(a,b) · (α+T)^−(r+x) + 1{x>0} · B(a+1, b+x−1)/B(a,b) · (α+t_x)^−(r+x) ]
 */
import { digamma, expectationSeries, gammaRatioTerms, inverseOnePlusExp, lnBeta, lnGamma, logSumExp } from './special';
import {
	fitPurchaseModel,
	purchaseStarts,
	screeningRows,
	type ClvModel,
	type LikelihoodSpec,
	type PurchaseFitOptions,
	type PurchaseSummaries,
	type WeightedRows,
} from './model';

export interface BgNbdParams {
	r: number;
	alpha: number;
	a: number;
	b: number;
}

/**
 * Σ weight · ln L over the rows, with the gradient in (r, α, a, b). Terms that depend on x only (ln Γ, ψ)
 * are computed once per distinct x.
 */
export function bgnbdLogLikelihood(params: Float64Array, rows: WeightedRows, gradient: Float64Array): number {
	return betaGeometricLogLikelihood(params, rows, gradient, false);
}

/**
 * The BG/NBD likelihood and its modified form (MBG/NBD, Batislam, Denizel & Filiztekin 2007, eq. 5):
 *   MBG: L = Γ(r+x)α^r/Γ(r) · [ B(a, b+x+1)/B(a,b)·(α+T)^−(r+x) + B(a+1, b+x)/B(a,b)·(α+t_x)^−(r+x) ]
 * — the beta terms of BG/NBD at x + 1, and the "dropped out after the last purchase" term also for x = 0
 * (an MBG customer may drop out right after the first purchase). One implementation serves both.
 */
export function betaGeometricLogLikelihood(
	params: Float64Array,
	rows: WeightedRows,
	gradient: Float64Array,
	modified: boolean,
): number {
	const [r, alpha, a, b] = params;
	const shift = modified ? 1 : 0;
	const k = rows.xValues.length;
	const base1 = new Float64Array(k);
	const base2 = new Float64Array(k);
	const d1a = new Float64Array(k);
	const d1b = new Float64Array(k);
	const d2a = new Float64Array(k);
	const d2b = new Float64Array(k);
	const { value: gammaR, dR: dGammaR } = gammaRatioTerms(r, rows.xValues);
	const lnGammaB = lnGamma(b);
	const lnGammaAB = lnGamma(a + b);
	const psiB = digamma(b);
	const psiAB = digamma(a + b);
	const lnA = Math.log(a);
	for (let j = 0; j < k; j++) {
		const x = rows.xValues[j] + shift;
		const lnGammaABX = lnGamma(a + b + x);
		const psiABX = digamma(a + b + x);
		// ln B(a, b+x) − ln B(a, b)
		base1[j] = lnGamma(b + x) - lnGammaABX - lnGammaB + lnGammaAB;
		d1a[j] = psiAB - psiABX;
		d1b[j] = digamma(b + x) - psiABX - psiB + psiAB;
		if (x > 0) {
			// ln B(a+1, b+x−1) − ln B(a, b)   (x already shifted for MBG/NBD)
			base2[j] = lnA + lnGamma(b + x - 1) - lnGammaABX - lnGammaB + lnGammaAB;
			d2a[j] = 1 / a + psiAB - psiABX;
			d2b[j] = digamma(b + x - 1) - psiABX - psiB + psiAB;
		}
	}
	const lnAlpha = Math.log(alpha);
	const lnAlphaT = logsOfShifted(alpha, rows.TValues);
	const lnAlphaTx = logsOfShifted(alpha, rows.txValues);
	const invAlphaT = reciprocalsOfShifted(alpha, rows.TValues);
	const invAlphaTx = reciprocalsOfShifted(alpha, rows.txValues);
	let ll = 0;
	let gr = 0;
	let gAlpha = 0;
	let ga = 0;
	let gb = 0;
	for (let i = 0; i < rows.n; i++) {
		const j = rows.xIndex[i];
		const x = rows.x[i];
		const w = rows.weight[i];
		const rx = r + x;
		const tIndex = rows.TIndex[i];
		const l1 = lnAlphaT[tIndex];
		const c1 = base1[j] - rx * l1;
		let m = c1;
		let w1 = 1;
		let l2 = 0;
		let inv2 = 0;
		const deathTerm = x > 0 || modified;
		if (deathTerm) {
			const txIndex = rows.txIndex[i];
			l2 = lnAlphaTx[txIndex];
			inv2 = invAlphaTx[txIndex];
			const c2 = base2[j] - rx * l2;
			// log-sum-exp and the weight of the first term with a single exp: e = e^−|c1 − c2|.
			const e = Math.exp(-Math.abs(c1 - c2));
			m = Math.max(c1, c2) + Math.log1p(e);
			w1 = c1 >= c2 ? 1 / (1 + e) : e / (1 + e);
		}
		const w2 = 1 - w1;
		ll += w * (gammaR[j] + r * lnAlpha + m);
		gr += w * (dGammaR[j] + lnAlpha - w1 * l1 - w2 * l2);
		gAlpha += w * (r / alpha - rx * (w1 * invAlphaT[tIndex] + w2 * inv2));
		ga += w * (w1 * d1a[j] + w2 * d2a[j]);
		gb += w * (w1 * d1b[j] + w2 * d2b[j]);
	}
	gradient[0] = gr;
	gradient[1] = gAlpha;
	gradient[2] = ga;
	gradient[3] = gb;
	return ll;
}

/** ln(shift + v) for each distinct v. */
function logsOfShifted(shift: number, values: Float64Array): Float64Array {
	const out = new Float64Array(values.length);
	for (let k = 0; k < values.length; k++) out[k] = Math.log(shift + values[k]);
	return out;
}

/** 1 / (shift + v) for each distinct v. */
function reciprocalsOfShifted(shift: number, values: Float64Array): Float64Array {
	const out = new Float64Array(values.length);
	for (let k = 0; k < values.length; k++) out[k] = 1 / (shift + values[k]);
	return out;
}

/** ln L of one customer (all constants included). */
export function bgnbdCustomerLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number {
	const head = lnGamma(p.r + x) - lnGamma(p.r) + p.r * Math.log(p.alpha);
	const c1 = lnBeta(p.a, p.b + x) - lnBeta(p.a, p.b) - (p.r + x) * Math.log(p.alpha + T);
	if (x === 0) return head + c1;
	const c2 = lnBeta(p.a + 1, p.b + x - 1) - lnBeta(p.a, p.b) - (p.r + x) * Math.log(p.alpha + tx);
	return head + logSumExp(c1, c2);
}

export const bgnbdSpec: LikelihoodSpec<WeightedRows> = {
	kind: 'bgnbd',
	paramNames: ['r', 'alpha', 'a', 'b'],
	logLikelihood: bgnbdLogLikelihood,
	screeningSample: screeningRows,
	starts: (rows) =>
		purchaseStarts(rows, (s) => [
			[1, s, 1, 1],
			[0.3, s / 3, 0.7, 2.5],
			[3, 3 * s, 2, 6],
		]),
};

/** Fits BG/NBD by maximum likelihood (see model.ts for the options and the fit report). */
export function fitBgNbd(data: PurchaseSummaries, options: PurchaseFitOptions): ClvModel {
	return fitPurchaseModel(bgnbdSpec, data, options);
}

/**
 * P(alive | x, t_x, T) (FHL 2005 eq. 11 / note "Computing P(alive) using the BG/NBD model"):
 * 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)); evaluated as a logistic of a log so x = 1000 gives 0,
 * not NaN. A customer without repeat purchases is alive by construction (BG/NBD deaths follow purchases).
 */
export function bgnbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
	if (x === 0) return 1;
	const u =
		Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
	return inverseOnePlusExp(u);
}

/**
 * E[purchases in (T, T + t] | x, t_x, T] (FHL 2005 eq. 10), via the Euler-transformed series of
 * special.ts#expectationSeries: (a+b+x−1) · g(a−1; a+b−1−r, a+b+x−1, t/(α+T+t)) · P(alive).
 * Returns NaN only if the series does not converge (callers report null).
 */
export function bgnbdExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
	return bgnbdExpectedPurchasesIfAlive(p, t, x, T) * bgnbdProbabilityAlive(p, x, tx, T);
}

/** The expectation above without the P(alive) factor: purchases expected if the customer is still active. */
export function bgnbdExpectedPurchasesIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
	if (t <= 0) return 0;
	const z = t / (p.alpha + T + t);
	return (p.a + p.b + x - 1) * expectationSeries(p.a - 1, p.a + p.b - 1 - p.r, p.a + p.b + x - 1, z);
}

/** E[X(t)] for a customer just acquired (FHL 2005 eq. 9): the conditional expectation at x = t_x = T = 0. */
export function bgnbdExpectedPurchasesNewCustomer(p: BgNbdParams, t: number): number {
	return bgnbdExpectedPurchases(p, t, 0, 0, 0);
}

/** Largest n for which P(X(t) = n) is computed (the negative-binomial head is summed term by term). */
const MAX_COUNT = 100_000;

/**
 * P(X(t) = n) for a randomly chosen customer (FHL 2005 eq. 8):
 *   B(a,b+n)/B(a,b) · NB(n) + 1{n>0} · B(a+1,b+n−1)/B(a,b) · P(NB ≥ n),
 * NB = negative binomial(r, α/(α+t)). The tail P(NB ≥ n) is summed directly when it is small (the paper's
 * 1 − Σ_{j<n} form loses all digits there), and as 1 − head when it is large.
 */
export function bgnbdProbabilityOfPurchases(p: BgNbdParams, t: number, n: number): number {
	if (!Number.isInteger(n) || n < 0 || n > MAX_COUNT) return NaN;
	if (t <= 0) return n === 0 ? 1 : 0;
	const lnP = Math.log(p.alpha) - Math.log(p.alpha + t);
	const lnQ = Math.log(t) - Math.log(p.alpha + t);
	const lnPmf = (j: number) => lnGamma(p.r + j) - lnGamma(p.r) - lnGamma(j + 1) + p.r * lnP + j * lnQ;
	const lnB = lnBeta(p.a, p.b);
	const first = Math.exp(lnBeta(p.a, p.b + n) - lnB + lnPmf(n));
	if (n === 0) return first;
	const q = Math.exp(lnQ);
	let head = 0;
	let pmf = Math.exp(lnPmf(0));
	for (let j = 0; j < n; j++) {
		head += pmf;
		pmf *= ((p.r + j) / (j + 1)) * q;
	}
	let tail: number;
	if (head <= 0.5) {
		tail = 1 - head;
	} else {
		tail = 0;
		let term = Math.exp(lnPmf(n));
		for (let j = n; j < n + 10 * MAX_COUNT && term > 1e-18 * tail; j++) {
			tail += term;
			term *= ((p.r + j) / (j + 1)) * q;
			if (term === 0) break;
		}
	}
	return first + Math.exp(lnBeta(p.a + 1, p.b + n - 1) - lnB) * tail;
}
