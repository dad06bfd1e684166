/**
 * Special functions for the buy-till-you-die models, all evaluated in log space where the models need it.
 *
 * - lnGamma: recurrence to x ≥ 10, then Stirling's series; relative error about 1e-15 for x > 0.
 * - digamma: recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 6, then the asymptotic series (Abramowitz & Stegun
 *   6.3.18). Needed for the analytic gradients (d lnΓ(x)/dx = ψ(x)).
 * - logSumExp / logDiffExp: sums and differences of numbers held as logarithms, so that terms like
 *   (α + T)^−(r+x) with x = 1000 never overflow (Fader & Hardie, "Overcoming the BG/NBD model's #NUM! error
 *   problem", note 027, solution 2).
 * - Gauss hypergeometric series 2F1 in the forms the models use (see the functions for the derivations).
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0: the recurrence Γ(x) = Γ(x + n) / (x (x+1) … (x+n−1)) up to x ≥ 10, then Stirling's series
 * (Abramowitz & Stegun 6.1.40) to the x^−13 term — relative error below 1e-15 there.
 */
export function lnGamma(x: number): number {
	let shift = 0;
	if (x < 10) {
		let product = 1;
		while (x < 10) {
			product *= x;
			x += 1;
		}
		shift = Math.log(product);
	}
	const inv = 1 / x;
	const inv2 = inv * inv;
	const series =
		inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360 - inv2 / 156))))));
	return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - shift;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lnBeta(a: number, b: number): number {
	return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** ψ(x) = d ln Γ(x) / dx for x > 0. */
export function digamma(x: number): number {
	let result = 0;
	while (x < 6) {
		result -= 1 / x;
		x += 1;
	}
	const f = 1 / (x * x);
	// A&S 6.3.18: ψ(x) ~ ln x − 1/(2x) − Σ B₂ₖ / (2k x^2k)
	return (
		result +
		Math.log(x) -
		0.5 / x -
		f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f / 12))))))
	);
}

/** ln(e^a + e^b) without overflow. */
export function logSumExp(a: number, b: number): number {
	if (a === -Infinity) return b;
	if (b === -Infinity) return a;
	return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln(e^a − e^b) for a ≥ b; −Infinity when they are equal. */
export function logDiffExp(a: number, b: number): number {
	if (b === -Infinity) return a;
	return a + Math.log(-Math.expm1(b - a));
}

/** 1 / (1 + e^u), the logistic of −u, without overflow. */
export function inverseOnePlusExp(u: number): number {
	if (u > 0) {
		const e = Math.exp(-u);
		return e / (1 + e);
	}
	return 1 / (1 + Math.exp(u));
}

/** Most terms a hypergeometric series may take before we call it non-convergent. */
export const MAX_SERIES_TERMS = 200_000;
const SERIES_TOLERANCE = 1e-16;

/**
 * g(ε; A, c, z) = [1 − (1 − z)^ε · 2F1(A, ε; c; z)] / ε, with its limit −ln(1 − z) − Σ… at ε = 0.
 *
 * Why this form: the BG/NBD conditional expectation (Fader, Hardie & Lee 2005, eq. 10) is
 *   (a + b + x − 1)/(a − 1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)] / D,  z = t/(α+T+t).
 * Euler's transformation 2F1(A', B'; c; z) = (1−z)^(c−A'−B') 2F1(c−A', c−B'; c; z) turns the bracket into
 * 1 − (1 − z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z): no (1−z)^−(r+x) blow-up for large x, a series whose
 * third parameter grows with x (fast convergence), and — dividing the series by its factor (a − 1) — a value
 * that stays finite and exact as a → 1, where the published formula is 0/0. MBG/NBD uses the same form.
 *
 * Returns NaN when the series does not converge within MAX_SERIES_TERMS (callers turn that into null).
 */
export function expectationSeries(epsilon: number, A: number, c: number, z: number): number {
	if (z <= 0) return 0;
	const logOneMinusZ = Math.log1p(-z);
	// (F − 1)/ε = Σ_{n≥1} (A)_n (1+ε)_{n−1} / ((c)_n n!) z^n — the ε of (ε)_n divided out.
	let term = (A / c) * z; // n = 1
	let sum = term;
	let n = 1;
	while (Math.abs(term) > SERIES_TOLERANCE * Math.abs(sum) || n < 2) {
		term *= (((A + n) * (epsilon + n)) / ((c + n) * (n + 1))) * z;
		sum += term;
		n++;
		if (n > MAX_SERIES_TERMS) return NaN;
		if (term === 0) break;
	}
	const powerTerm = epsilon === 0 ? logOneMinusZ : Math.expm1(epsilon * logOneMinusZ) / epsilon;
	// [1 − (1−z)^ε (1 + ε S)] / ε = −[(1−z)^ε − 1]/ε − (1−z)^ε S
	return -powerTerm - Math.exp(epsilon * logOneMinusZ) * sum;
}

const RESCALE_ABOVE = 1e200;
const LOG_RESCALE = Math.log(RESCALE_ABOVE);

/** ln 2F1(a, b; a + 1; z) and its partial derivatives (of the logarithm) in a, b and z. */
export interface LogHypergeometric {
	value: number;
	dA: number;
	dB: number;
	dZ: number;
}

/**
 * 2F1(a, b; a + 1; z) for 0 ≤ z < 1 with analytic parameter derivatives, for the Pareto/NBD likelihood.
 *
 * With c = a + 1 the series simplifies to Σ a/(a+n) · (b)_n/n! · z^n (all terms positive), and term by term
 * ∂/∂a = term · n/(a(a+n)), ∂/∂b = term · Σ_{k<n} 1/(b+k), ∂/∂z = term · n/z. Returns value NaN when the
 * series does not converge within MAX_SERIES_TERMS (z extremely close to 1).
 */
export function logHypergeometricA1(a: number, b: number, z: number): LogHypergeometric {
	if (z <= 0) return { value: 0, dA: 0, dB: 0, dZ: a === 0 ? 0 : (a * b) / (a + 1) };
	let pochRatio = 1; // (b)_n / n! · z^n, times e^−logScale
	let sum = 1;
	let sumA = 0;
	let sumB = 0;
	let sumZ = 0;
	let harmonic = 0; // Σ_{k<n} 1/(b+k)
	// With b = r + x large (x = 1000) the terms peak near (1−z)^−b: rescale instead of overflowing.
	let logScale = 0;
	for (let n = 1; n <= MAX_SERIES_TERMS; n++) {
		pochRatio *= ((b + n - 1) / n) * z;
		harmonic += 1 / (b + n - 1);
		const term = (a / (a + n)) * pochRatio;
		sum += term;
		sumA += (term * n) / (a * (a + n));
		sumB += term * harmonic;
		sumZ += term * n;
		if (sum > RESCALE_ABOVE) {
			pochRatio /= RESCALE_ABOVE;
			sum /= RESCALE_ABOVE;
			sumA /= RESCALE_ABOVE;
			sumB /= RESCALE_ABOVE;
			sumZ /= RESCALE_ABOVE;
			logScale += LOG_RESCALE;
		}
		if (term * n < SERIES_TOLERANCE * sum && n > 2) {
			return { value: Math.log(sum) + logScale, dA: sumA / sum, dB: sumB / sum, dZ: sumZ / z / sum };
		}
	}
	return { value: NaN, dA: NaN, dB: NaN, dZ: NaN };
}

/**
 * ln Γ(r+x) − ln Γ(r) and ψ(r+x) − ψ(r) for each distinct x: the purchase-count factor Γ(r+x)/Γ(r) of the
 * NBD part of every purchase model and its r-derivative, computed once per x instead of once per customer.
 */
export function gammaRatioTerms(r: number, xValues: Float64Array): { value: Float64Array; dR: Float64Array } {
	const value = new Float64Array(xValues.length);
	const dR = new Float64Array(xValues.length);
	const lnGammaR = lnGamma(r);
	const psiR = digamma(r);
	for (let j = 0; j < xValues.length; j++) {
		value[j] = lnGamma(r + xValues[j]) - lnGammaR;
		dR[j] = digamma(r + xValues[j]) - psiR;
	}
	return { value, dR };
}
