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

/** Largest exact Newton step after which the next steps may reuse its Hessian (see fitLogistic). */
const CHORD_FROM = 0.1;
/** Each step reusing a Hessian must shrink to at most this share of the step before. */
const CHORD_SHRINK = 0.25;

/**
 * Parameters (0 = intercept, j + 1 = column j) split into dense ones — the intercept and columns non-zero
 * in at least half of the rows — and sparse ones, each list ascending.
 */
function splitDenseSparse(x: Float64Array, p: number, index: ArrayLike<number>): { denseParam: Int32Array; sparseParam: Int32Array } {
	const nonZero = new Int32Array(p);
	for (let r = 0; r < index.length; r++) {
		const base = index[r] * p;
		for (let j = 0; j < p; j++) if (x[base + j] !== 0) nonZero[j]++;
	}
	const dense = [0];
	const sparse: number[] = [];
	for (let j = 0; j < p; j++) (2 * nonZero[j] >= index.length ? dense : sparse).push(j + 1);
	return { denseParam: Int32Array.from(dense), sparseParam: Int32Array.from(sparse) };
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
	const { denseParam, sparseParam } = splitDenseSparse(x, p, index);
	const m = denseParam.length;
	const q = sparseParam.length;
	// The Hessian in three blocks, each summed over the rows in row order: dense × dense (m × m, upper
	// triangle), sparse × dense (q × m) and sparse × sparse (straight into `hessian`). The first two are
	// contiguous, so their inner loops need no index look-up.
	const denseBlock = new Float64Array(m * m);
	const crossBlock = new Float64Array(q * m);
	const denseValues = new Float64Array(m);
	const sparseValues = new Float64Array(q);
	const sparseAt = new Int32Array(q);
	let current = objective(theta);
	let iterations = 0;
	let converged = false;
	// Near the optimum the Hessian hardly changes, so once an exact Newton step has moved no parameter more
	// than CHORD_FROM, the next steps reuse its factor ("chord" steps: one pass for the gradient instead of
	// the Hessian's ~d²/2 products per row) for as long as each step shrinks to at most CHORD_SHRINK of the
	// one before; otherwise the Hessian is computed afresh. The optimum is the same, only cheaper to reach.
	let chord = false;
	let lastMove = Infinity;
	while (iterations < maxIterations) {
		iterations++;
		gradient.fill(0);
		if (!chord) {
			hessian.fill(0);
			denseBlock.fill(0);
			crossBlock.fill(0);
		}
		for (let r = 0; r < n; r++) {
			const base = index[r] * p - 1; // parameter j + 1 is column j
			let eta = theta[0];
			denseValues[0] = 1;
			for (let a = 1; a < m; a++) {
				const v = x[base + denseParam[a]];
				denseValues[a] = v;
				eta += v * theta[denseParam[a]];
			}
			// Sparse columns (one-hot categories, flags): only their non-zero entries.
			let nnz = 0;
			for (let s = 0; s < q; s++) {
				const v = x[base + sparseParam[s]];
				if (v === 0) continue;
				sparseAt[nnz] = s;
				sparseValues[nnz++] = v;
				eta += v * theta[sparseParam[s]];
			}
			const mu = sigmoid(eta);
			const g = weights[r] * (mu - labels[r]);
			if (chord) {
				for (let a = 0; a < m; a++) gradient[denseParam[a]] += g * denseValues[a];
				for (let t = 0; t < nnz; t++) gradient[sparseParam[sparseAt[t]]] += g * sparseValues[t];
				continue;
			}
			const h = weights[r] * mu * (1 - mu);
			for (let a = 0; a < m; a++) {
				const va = denseValues[a];
				if (va === 0) continue;
				gradient[denseParam[a]] += g * va;
				const hv = h * va;
				const off = a * m;
				for (let b = a; b < m; b++) denseBlock[off + b] += hv * denseValues[b];
			}
			for (let t = 0; t < nnz; t++) {
				const s = sparseAt[t];
				const va = sparseValues[t];
				gradient[sparseParam[s]] += g * va;
				const hv = h * va;
				const off = s * m;
				for (let b = 0; b < m; b++) crossBlock[off + b] += hv * denseValues[b];
				const row = sparseParam[s] * d;
				for (let u = t; u < nnz; u++) hessian[row + sparseParam[sparseAt[u]]] += hv * sparseValues[u];
			}
		}
		for (let j = 1; j < d; j++) gradient[j] += l2 * theta[j];
		if (!chord) {
			// The blocks into the upper triangle of the full Hessian (parameters in ascending order).
			for (let a = 0; a < m; a++) {
				for (let b = a; b < m; b++) hessian[denseParam[a] * d + denseParam[b]] = denseBlock[a * m + b];
			}
			for (let s = 0; s < q; s++) {
				for (let b = 0; b < m; b++) {
					const i = sparseParam[s];
					const j = denseParam[b];
					hessian[Math.min(i, j) * d + Math.max(i, j)] = crossBlock[s * m + b];
				}
			}
			for (let j = 0; j < d; j++) {
				hessian[j * d + j] += ridge(j);
				for (let k = 0; k < j; k++) hessian[j * d + k] = hessian[k * d + j];
			}
			if (!choleskyFactor(hessian, d)) break;
		}
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
			if (chord) {
				chord = false; // the old Hessian led nowhere: try again with the exact one
				continue;
			}
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
		chord = scale === 1 && (chord ? maxMove <= CHORD_SHRINK * lastMove : maxMove <= CHORD_FROM);
		lastMove = maxMove;
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
