/**
 * L2-penalised logistic regression with optional class weights, fitted by Newton's method (iteratively
 * reweighted least squares; Hastie, Tibshirani & Friedman, The Elements of Statistical Learning, §4.4.1).
 *
 * Objective, minimised over intercept b and coefficients β (the intercept is not penalised):
 *   Σᵢ sᵢ [log(1 + e^{ηᵢ}) − yᵢ ηᵢ] + (λ/2) ‖β‖²,   ηᵢ = b + xᵢ·β,
 * where sᵢ is the class weight of row i ("balanced": n / (2 × rows of its class), as scikit-learn) and λ the
 * L2 strength. Newton on this smooth, strictly convex objective converges in a handful of iterations and
 * is deterministic — no learning rate, no random order — so the same data always gives the same model.
 */

export type ClassWeighting = 'none' | 'balanced';

export interface LogisticOptions {
	/** L2 strength λ (≥ 0). λ = 1 on standardised columns is a mild penalty. */
	l2?: number;
	classWeighting?: ClassWeighting;
	maxIterations?: number;
	/** Stop when no parameter moves more than this in a Newton step. */
	tolerance?: number;
}

export interface LogisticFit {
	intercept: number;
	coefficients: number[];
	iterations: number;
	converged: boolean;
	/** Penalised objective per row at the solution. */
	objective: number;
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
	return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
	if (x >= 0) return 1 / (1 + Math.exp(-x));
	const e = Math.exp(x);
	return e / (1 + e);
}

/** Row weights for class weighting. */
export function classWeights(y: ArrayLike<number>, weighting: ClassWeighting): Float64Array {
	const n = y.length;
	const w = new Float64Array(n).fill(1);
	if (weighting === 'none') return w;
	let positives = 0;
	for (let i = 0; i < n; i++) if (y[i]) positives++;
	const negatives = n - positives;
	const wp = positives ? n / (2 * positives) : 1;
	const wn = negatives ? n / (2 * negatives) : 1;
	for (let i = 0; i < n; i++) w[i] = y[i] ? wp : wn;
	return w;
}

/** Log-odds of the (weighted) share of positives, kept away from ±∞. */
export function weightedLogOdds(labels: ArrayLike<number>, weights: ArrayLike<number>): number {
	let positives = 0;
	let total = 0;
	for (let r = 0; r < labels.length; r++) {
		total += weights[r];
		if (labels[r]) positives += weights[r];
	}
	const rate = Math.min(1 - 1e-9, Math.max(1e-9, total > 0 ? positives / total : 0.5));
	return Math.log(rate / (1 - rate));
}

/**
 * Cholesky factorisation A = L Lᵀ of a symmetric positive-definite d × d matrix (row-major), in place
 * (L in the lower triangle). Returns false when A is not positive definite.
 */
function choleskyFactor(a: Float64Array, d: number): boolean {
	for (let j = 0; j < d; j++) {
		let s = a[j * d + j];
		for (let k = 0; k < j; k++) s -= a[j * d + k] * a[j * d + k];
		if (!(s > 0)) return false;
		const ljj = Math.sqrt(s);
		a[j * d + j] = ljj;
		for (let i = j + 1; i < d; i++) {
			let t = a[i * d + j];
			for (let k = 0; k < j; k++) t -= a[i * d + k] * a[j * d + k];
			a[i * d + j] = t / ljj;
		}
	}
	return true;
}

/** Solves L Lᵀ x = b in place with a factor from {@link choleskyFactor}. */
function choleskySolve(l: Float64Array, b: Float64Array, d: number): void {
	for (let i = 0; i < d; i++) {
		let t = b[i];
		for (let k = 0; k < i; k++) t -= l[i * d + k] * b[k];
		b[i] = t / l[i * d + i];
	}
	for (let i = d - 1; i >= 0; i--) {
		let t = b[i];
		for (let k = i + 1; k < d; k++) t -= l[k * d + i] * b[k];
		b[i] = t / l[i * d + i];
	}
}

/**
 * Fits on a row-major matrix `x` (n × p, already encoded) and 0/1 labels `y`. Rows may be restricted to
 * `rows` (indexes) so that a training split needs no copy.
 */
export function fitLogistic(
	x: Float64Array,
	p: number,
	y: ArrayLike<number>,
	options: LogisticOptions = {},
	rows?: ArrayLike<number>,
): LogisticFit {
	const l2 = options.l2 ?? 1;
	const maxIterations = options.maxIterations ?? 100;
	const tolerance = options.tolerance ?? 1e-6;
	const index = rows ?? Uint32Array.from({ length: y.length }, (_, i) => i);
	const n = index.length;
	const labels = new Uint8Array(n);
	for (let r = 0; r < n; r++) labels[r] = y[index[r]] ? 1 : 0;
	const weights = classWeights(labels, options.classWeighting ?? 'none');
	const d = p + 1; // parameter 0 is the intercept
	const theta = new Float64Array(d);
	// Start from the (weighted) churn rate: the intercept-only optimum, one Newton step saved.
	theta[0] = weightedLogOdds(labels, weights);
	// A tiny ridge on the intercept keeps the Hessian invertible when a column is all zero.
	const ridge = (j: number) => (j === 0 ? 1e-10 : l2 + 1e-10);

	const objective = (t: Float64Array): number => {
		let f = 0;
		for (let r = 0; r < n; r++) {
			const base = index[r] * p;
			let eta = t[0];
			for (let j = 0; j < p; j++) eta += x[base + j] * t[j + 1];
			f += weights[r] * (softplus(eta) - labels[r] * eta);
		}
		for (let j = 1; j < d; j++) f += 0.5 * l2 * t[j] * t[j];
		return f;
	};

	const gradient = new Float64Array(d);
	const hessian = new Float64Array(d * d);
	const row = new Float64Array(d);
	const nonZero = new Int32Array(d);
	let current = objective(theta);
	let iterations = 0;
	let converged = false;
	// (Reusing the Hessian for a few "chord" steps was tried: no faster here, Newton needs ~5 iterations.)
	while (iterations < maxIterations) {
		iterations++;
		gradient.fill(0);
		hessian.fill(0);
		for (let r = 0; r < n; r++) {
			const base = index[r] * p;
			// Non-zero entries only: one-hot columns are mostly zero, so the O(nnz²) Hessian update is the
			// cost that matters (k one-hot fields of many levels add k, not Σ levels, per row).
			nonZero[0] = 0;
			row[0] = 1;
			let nnz = 1;
			let eta = theta[0];
			for (let j = 0; j < p; j++) {
				const v = x[base + j];
				if (v === 0) continue;
				nonZero[nnz] = j + 1;
				row[nnz++] = v;
				eta += v * theta[j + 1];
			}
			const mu = sigmoid(eta);
			const g = weights[r] * (mu - labels[r]);
			const h = weights[r] * mu * (1 - mu);
			// Upper triangle only; the Hessian is symmetric.
			for (let a = 0; a < nnz; a++) {
				const ja = nonZero[a];
				const va = row[a];
				gradient[ja] += g * va;
				const hv = h * va;
				const off = ja * d;
				for (let b = a; b < nnz; b++) hessian[off + nonZero[b]] += hv * row[b];
			}
		}
		for (let j = 0; j < d; j++) {
			if (j > 0) gradient[j] += l2 * theta[j];
			hessian[j * d + j] += ridge(j);
			for (let k = 0; k < j; k++) hessian[j * d + k] = hessian[k * d + j];
		}
		if (!choleskyFactor(hessian, d)) break;
		const step = Float64Array.from(gradient);
		choleskySolve(hessian, step, d);
		// Damped step: halve it until the objective does not increase (Armijo-style safeguard).
		let scale = 1;
		const candidate = new Float64Array(d);
		let value = Infinity;
		for (let tries = 0; tries < 30; tries++) {
			for (let j = 0; j < d; j++) candidate[j] = theta[j] - scale * step[j];
			value = objective(candidate);
			if (value <= current + 1e-12 * Math.abs(current)) break;
			scale /= 2;
		}
		if (!(value <= current + 1e-12 * Math.abs(current))) {
			converged = true; // no descent possible: at the optimum up to rounding
			break;
		}
		let maxMove = 0;
		for (let j = 0; j < d; j++) maxMove = Math.max(maxMove, Math.abs(candidate[j] - theta[j]));
		theta.set(candidate);
		const previous = current;
		current = value;
		if (maxMove < tolerance) {
			converged = true;
			break;
		}
		if (previous - current <= 1e-14 * Math.max(1, Math.abs(current))) {
			// The objective no longer moves. Near an optimum Newton steps shrink fast; steps that stay large
			// mean the coefficients are running off to infinity (quasi-separation without L2): no optimum.
			converged = maxMove < 1e-3;
			break;
		}
	}
	return {
		intercept: theta[0],
		coefficients: Array.from(theta.subarray(1)),
		iterations,
		converged,
		objective: n ? current / n : 0,
	};
}

/** Linear predictor (log-odds) of one encoded row. */
export function logitOf(intercept: number, coefficients: ArrayLike<number>, x: Float64Array, offset: number): number {
	let eta = intercept;
	for (let j = 0; j < coefficients.length; j++) eta += coefficients[j] * x[offset + j];
	return eta;
}
