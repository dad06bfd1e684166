/**
 * Pareto/NBD purchase model: Schmittlein, Morrison & Colombo (1987); likelihood and expressions as in
 * Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions" (2005). Parameters r, α
 * (purchase rate ~ Gamma(r, α)) and s, β (drop-out rate ~ Gamma(s, β)).
 *
 * Likelihood (note, eq. 22):
 *   L = Γ(r+x)α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s · I ],
 *   I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ   (the customer died at τ, after the last purchase),
 * and s·I = s/(r+s+x) · A₀ of the note. I is evaluated with the Gauss hypergeometric function, in the branch
 * that keeps its argument in [0, 1): with γ = max(α, β), δ = min(α, β),
 *   I = [F(t_x) − F(T)] / a,  F(t) = (γ+t)^−a · 2F1(a, b; a+1; (γ−δ)/(γ+t)),  a = r+s+x,
 * and b = s+1 when α ≥ β (the note's first branch), b = r+x when α < β (its second branch).
 * Everything is carried in logs; the gradient differentiates the 2F1 series term by term (special.ts).
 */
import { gammaRatioTerms, inverseOnePlusExp, lnGamma, logDiffExp, logHypergeometricA1, logSumExp } from './special';
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

export interface ParetoNbdParams {
	r: number;
	alpha: number;
	s: number;
	beta: number;
}

/** ln(s·I) and its gradient in (r, α, s, β); value −Infinity when t_x = T (no time to die unobserved). */
interface DeathTerm {
	value: number;
	dr: number;
	dAlpha: number;
	ds: number;
	dBeta: number;
}

/** Above this hypergeometric argument the series converges slowly; the integral is then taken by quadrature. */
const SERIES_LIMIT_Z = 0.95;
const SERIES_LIMIT_TERMS = 5000;

function deathTerm(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): DeathTerm {
	const a = r + s + x;
	const alphaLarger = alpha >= beta;
	const gamma = alphaLarger ? alpha : beta;
	const delta = alphaLarger ? beta : alpha;
	const b = alphaLarger ? s + 1 : r + x;
	const zMax = (gamma - delta) / (gamma + tx);
	// The series needs about b·z/(1−z) terms before they shrink: beyond a few thousand, integrate instead.
	if (zMax > SERIES_LIMIT_Z || (b * zMax) / (1 - zMax) > SERIES_LIMIT_TERMS) {
		return deathTermByQuadrature(r, alpha, s, beta, x, tx, T);
	}
	// ln F(t) and its derivatives in (a, b, γ, δ).
	const logF = (t: number) => {
		const z = (gamma - delta) / (gamma + t);
		const h = logHypergeometricA1(a, b, z);
		const lg = Math.log(gamma + t);
		return {
			value: -a * lg + h.value,
			dA: -lg + h.dA,
			dB: h.dB,
			dGamma: -a / (gamma + t) + h.dZ * ((delta + t) / ((gamma + t) * (gamma + t))),
			dDelta: -h.dZ / (gamma + t),
		};
	};
	const upper = logF(tx);
	const lower = logF(T);
	if (Number.isNaN(upper.value) || Number.isNaN(lower.value)) return deathTermByQuadrature(r, alpha, s, beta, x, tx, T);
	const ratio = Math.exp(lower.value - upper.value); // F(T)/F(t_x) ≤ 1
	if (!(ratio < 1 - 1e-13) || !Number.isFinite(upper.value)) {
		// t_x = T (or numerically so): I ≈ (T − t_x)·integrand, negligible beside the alive term.
		return { value: -Infinity, dr: 0, dAlpha: 0, ds: 0, dBeta: 0 };
	}
	const value = Math.log(s) + logDiffExp(upper.value, lower.value) - Math.log(a);
	// d ln(F(t_x) − F(T)) = [dlnF(t_x) − ratio · dlnF(T)] / (1 − ratio)
	const k = 1 / (1 - ratio);
	const mix = (u: number, l: number) => k * (u - ratio * l);
	const dA = mix(upper.dA, lower.dA) - 1 / a;
	const dB = mix(upper.dB, lower.dB);
	const dGamma = mix(upper.dGamma, lower.dGamma);
	const dDelta = mix(upper.dDelta, lower.dDelta);
	// a = r+s+x; b = s+1 (α ≥ β) or r+x (α < β); γ, δ = α, β in the branch's order.
	return {
		value,
		dr: dA + (alphaLarger ? 0 : dB),
		ds: dA + (alphaLarger ? dB : 0) + 1 / s,
		dAlpha: alphaLarger ? dGamma : dDelta,
		dBeta: alphaLarger ? dDelta : dGamma,
	};
}

// 16-point Gauss–Legendre nodes and weights on [−1, 1] (positive half; symmetric).
const GL_NODES = [
	0.0950125098376374, 0.2816035507792589, 0.4580167776572274, 0.6178762444026438, 0.755404408355003,
	0.8656312023878318, 0.9445750230732326, 0.9894009349916499,
];
const GL_WEIGHTS = [
	0.1894506104550685, 0.1826034150449236, 0.1691565193950025, 0.1495959888165767, 0.1246289712555339,
	0.0951585116824928, 0.0622535239386479, 0.0271524594117541,
];
const PANELS = 12;

/**
 * The same s·I and gradient by Gauss–Legendre quadrature in u = ln(δ + τ) (which flattens the peak of
 * (δ+τ)^−(s+1) near τ = 0), for the corner where the hypergeometric argument approaches 1 (one of α, β
 * tiny beside the other). Weights are kept in logs (scaled by their maximum) so x = 1000 cannot underflow.
 */
function deathTermByQuadrature(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): DeathTerm {
	const delta = Math.min(alpha, beta);
	const u0 = Math.log(delta + tx);
	const u1 = Math.log(delta + T);
	if (!(u1 > u0)) return { value: -Infinity, dr: 0, dAlpha: 0, ds: 0, dBeta: 0 };
	const p = r + x;
	const q = s + 1;
	const h = (u1 - u0) / PANELS;
	const count = PANELS * GL_NODES.length * 2;
	const logTerm = new Float64Array(count);
	const lnA = new Float64Array(count);
	const lnB = new Float64Array(count);
	let max = -Infinity;
	let k = 0;
	for (let panel = 0; panel < PANELS; panel++) {
		const mid = u0 + (panel + 0.5) * h;
		for (let i = 0; i < GL_NODES.length; i++) {
			for (const sign of [-1, 1]) {
				const u = mid + sign * GL_NODES[i] * (h / 2);
				const tau = Math.max(Math.exp(u) - delta, 0);
				lnA[k] = Math.log(alpha + tau);
				lnB[k] = Math.log(beta + tau);
				// integrand × dτ/du = e^u, × the quadrature weight
				logTerm[k] = -p * lnA[k] - q * lnB[k] + u + Math.log(GL_WEIGHTS[i] * (h / 2));
				if (logTerm[k] > max) max = logTerm[k];
				k++;
			}
		}
	}
	let sum = 0;
	let sumLnA = 0;
	let sumLnB = 0;
	let sumInvA = 0;
	let sumInvB = 0;
	for (let j = 0; j < count; j++) {
		const w = Math.exp(logTerm[j] - max);
		sum += w;
		sumLnA += w * lnA[j];
		sumLnB += w * lnB[j];
		sumInvA += w * Math.exp(-lnA[j]);
		sumInvB += w * Math.exp(-lnB[j]);
	}
	return {
		value: Math.log(s) + max + Math.log(sum),
		dr: -sumLnA / sum,
		dAlpha: (-p * sumInvA) / sum,
		ds: -sumLnB / sum + 1 / s,
		dBeta: (-q * sumInvB) / sum,
	};
}

/** Σ weight · ln L with the gradient in (r, α, s, β). */
export function paretoNbdLogLikelihood(params: Float64Array, rows: WeightedRows, gradient: Float64Array): number {
	const [r, alpha, s, beta] = params;
	const { value: gammaR, dR: dGammaR } = gammaRatioTerms(r, rows.xValues);
	const lnAlpha = Math.log(alpha);
	const lnBeta = Math.log(beta);
	let ll = 0;
	let gr = 0;
	let gAlpha = 0;
	let gs = 0;
	let gBeta = 0;
	for (let i = 0; i < rows.n; i++) {
		const x = rows.x[i];
		const T = rows.T[i];
		const w = rows.weight[i];
		const j = rows.xIndex[i];
		const la = Math.log(alpha + T);
		const lb = Math.log(beta + T);
		const alive = -(r + x) * la - s * lb;
		const death = deathTerm(r, alpha, s, beta, x, rows.tx[i], T);
		const m = logSumExp(alive, death.value);
		const pAlive = Math.exp(alive - m);
		const pDead = 1 - pAlive;
		ll += w * (gammaR[j] + r * lnAlpha + s * lnBeta + m);
		gr += w * (dGammaR[j] + lnAlpha + pAlive * -la + (pDead > 0 ? pDead * death.dr : 0));
		gAlpha += w * (r / alpha + pAlive * (-(r + x) / (alpha + T)) + (pDead > 0 ? pDead * death.dAlpha : 0));
		gs += w * (lnBeta + pAlive * -lb + (pDead > 0 ? pDead * death.ds : 0));
		gBeta += w * (s / beta + pAlive * (-s / (beta + T)) + (pDead > 0 ? pDead * death.dBeta : 0));
	}
	gradient[0] = gr;
	gradient[1] = gAlpha;
	gradient[2] = gs;
	gradient[3] = gBeta;
	return ll;
}

/** ln L of one customer (all constants). */
export function paretoNbdCustomerLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
	const alive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
	const death = deathTerm(p.r, p.alpha, p.s, p.beta, x, tx, T).value;
	return lnGamma(p.r + x) - lnGamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta) + logSumExp(alive, death);
}

export const paretoNbdSpec: LikelihoodSpec<WeightedRows> = {
	kind: 'paretonbd',
	paramNames: ['r', 'alpha', 's', 'beta'],
	logLikelihood: paretoNbdLogLikelihood,
	screeningSample: screeningRows,
	starts: (rows) =>
		purchaseStarts(rows, (scale) => {
			const { T } = rows;
			let meanT = 0;
			for (let i = 0; i < rows.n; i++) meanT += (rows.weight[i] * T[i]) / rows.totalWeight;
			return [
				[1, scale, 1, Math.max(meanT, 1e-3)],
				[0.5, scale / 2, 0.5, Math.max(meanT / 3, 1e-3)],
				[2, 2 * scale, 2, Math.max(3 * meanT, 1e-3)],
			];
		}),
};

/** Fits Pareto/NBD by maximum likelihood. */
export function fitParetoNbd(data: PurchaseSummaries, options: PurchaseFitOptions): ClvModel {
	return fitPurchaseModel(paretoNbdSpec, data, options);
}

/**
 * P(alive | x, t_x, T) = alive term / (alive term + s·I) — the share of the likelihood in which the customer
 * is still alive at T (note, eq. 18, written as a ratio of the two likelihood terms).
 */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
	const alive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
	const death = deathTerm(p.r, p.alpha, p.s, p.beta, x, tx, T).value;
	if (Number.isNaN(death)) return NaN;
	return inverseOnePlusExp(death - alive);
}

/**
 * [1 − (β/(β+t))^(s−1)] / (s − 1) with its limit ln(1 + t/β) at s = 1, written with expm1/log1p so that
 * s near 1 keeps full precision.
 */
function survivalIntegral(s: number, beta: number, t: number): number {
	const l = Math.log1p(t / beta);
	const e = s - 1;
	return e === 0 ? l : -Math.expm1(-e * l) / e;
}

/**
 * E[purchases in (T, T+t] | x, t_x, T] = P(alive) · (r+x)/(α+T) · (β+T) · [1 − ((β+T)/(β+T+t))^(s−1)]/(s−1)
 * (note, eq. 22 of Schmittlein et al.; finite at s = 1 through its limit).
 */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
	return paretoNbdExpectedPurchasesIfAlive(p, t, x, T) * paretoNbdProbabilityAlive(p, x, tx, T);
}

/** The expectation above without the P(alive) factor: (r+x)/(α+T) · (β+T) · survival integral. */
export function paretoNbdExpectedPurchasesIfAlive(p: ParetoNbdParams, t: number, x: number, T: number): number {
	if (t <= 0) return 0;
	return ((p.r + x) / (p.alpha + T)) * (p.beta + T) * survivalIntegral(p.s, p.beta + T, t);
}

/** E[X(t)] for a new customer: r β / α · [1 − (β/(β+t))^(s−1)] / (s − 1). */
export function paretoNbdExpectedPurchasesNewCustomer(p: ParetoNbdParams, t: number): number {
	if (t <= 0) return 0;
	return ((p.r * p.beta) / p.alpha) * survivalIntegral(p.s, p.beta, t);
}
