/**
 * BFGS quasi-Newton minimisation with analytic gradients (Nocedal & Wright, Numerical Optimization, 2nd ed.,
 * Algorithm 6.1) and a backtracking Armijo line search (Algorithm 3.1).
 *
 * The models optimise over log-parameters, so the search space is unconstrained and every parameter stays
 * positive. The objective may return a non-finite value for a wild trial point; the line search then
 * shortens the step instead of failing.
 */

import type { Language } from '../../shared/i18n';

import { message } from './messages';

/** Objective: writes the gradient into `gradient` and returns the value. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
	/** Converged when the largest gradient component is below this. */
	gradientTolerance?: number;
	maxIterations?: number;
	/** Inverse Hessian to start from (row-major n×n), e.g. from a run on a sample of the same data. */
	inverseHessian?: Float64Array;
	/** Language of `reason` (English by default). */
	language?: Language;
}

export interface MinimizeResult {
	x: Float64Array;
	value: number;
	iterations: number;
	/** Largest absolute gradient component at the solution. */
	gradientNorm: number;
	converged: boolean;
	/** Why the search stopped, in plain words. */
	reason: string;
	evaluations: number;
	/** The final inverse Hessian approximation, to warm-start a later run. */
	inverseHessian: Float64Array;
}

function maxAbs(v: Float64Array): number {
	let m = 0;
	for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
	return m;
}

function dot(a: Float64Array, b: Float64Array): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i] * b[i];
	return s;
}

/** Iterations without a relative decrease above 1e-12 before the search gives up. */
const MAX_STALLED_ITERATIONS = 10;

/** Gradient small enough to call a point optimal when the line search can no longer make progress. */
const PRECISION_LIMIT_GRADIENT = 1e-4;

export function minimize(objective: Objective, start: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
	const n = start.length;
	const gtol = options.gradientTolerance ?? 1e-8;
	const maxIterations = options.maxIterations ?? 300;
	const language = options.language;
	let x = Float64Array.from(start);
	let g = new Float64Array(n);
	let f = objective(x, g);
	let evaluations = 1;
	// Inverse Hessian approximation, row-major (declared before `result`, which returns it, can be called).
	const H = new Float64Array(n * n);
	const result = (converged: boolean, reason: string, iterations: number): MinimizeResult => ({
		x,
		value: f,
		iterations,
		gradientNorm: maxAbs(g),
		converged,
		reason,
		evaluations,
		inverseHessian: H,
	});
	if (!Number.isFinite(f) || !g.every(Number.isFinite)) {
		return result(false, message('notFiniteAtStart', language), 0);
	}
	if (options.inverseHessian && options.inverseHessian.length === n * n && options.inverseHessian.every(Number.isFinite)) {
		H.set(options.inverseHessian);
	} else {
		for (let i = 0; i < n; i++) H[i * n + i] = 1;
	}
	const direction = new Float64Array(n);
	const xNew = new Float64Array(n);
	let gNew = new Float64Array(n);
	const s = new Float64Array(n);
	const y = new Float64Array(n);
	const Hy = new Float64Array(n);
	let first = !options.inverseHessian;
	let stalledIterations = 0;

	for (let iteration = 1; iteration <= maxIterations; iteration++) {
		if (maxAbs(g) < gtol) return result(true, message('gradientBelowTolerance', language), iteration - 1);
		for (let i = 0; i < n; i++) {
			let d = 0;
			for (let j = 0; j < n; j++) d -= H[i * n + j] * g[j];
			direction[i] = d;
		}
		let slope = dot(direction, g);
		if (!(slope < 0)) {
			// Not a descent direction (H lost positive definiteness): restart from steepest descent.
			H.fill(0);
			for (let i = 0; i < n; i++) {
				H[i * n + i] = 1;
				direction[i] = -g[i];
			}
			slope = dot(direction, g);
		}
		// First step: at most one unit in log-parameter space (a factor e), the scale of the problem.
		let step = first ? Math.min(1, 1 / maxAbs(direction)) : 1;
		let fNew = NaN;
		let accepted = false;
		for (let k = 0; k < 40; k++) {
			for (let i = 0; i < n; i++) xNew[i] = x[i] + step * direction[i];
			fNew = objective(xNew, gNew);
			evaluations++;
			if (Number.isFinite(fNew) && gNew.every(Number.isFinite) && fNew <= f + 1e-4 * step * slope) {
				accepted = true;
				break;
			}
			step *= 0.5;
		}
		if (!accepted) {
			const gn = maxAbs(g);
			return gn < PRECISION_LIMIT_GRADIENT
				? result(true, message('precisionLimit', language), iteration - 1)
				: result(false, message('lineSearchFailed', language, { gradient: gn.toExponential(2) }), iteration - 1);
		}
		for (let i = 0; i < n; i++) {
			s[i] = xNew[i] - x[i];
			y[i] = gNew[i] - g[i];
		}
		const sy = dot(s, y);
		const fOld = f;
		x = Float64Array.from(xNew);
		const swap = g;
		g = gNew;
		gNew = swap;
		f = fNew;
		if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
			if (first) {
				// Nocedal & Wright eq. 6.20: scale the initial inverse Hessian before the first update.
				const scale = sy / dot(y, y);
				for (let i = 0; i < n * n; i++) H[i] *= scale;
			}
			first = false;
			// H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs (eq. 6.17).
			const rho = 1 / sy;
			for (let i = 0; i < n; i++) {
				let v = 0;
				for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
				Hy[i] = v;
			}
			const yHy = dot(y, Hy);
			for (let i = 0; i < n; i++) {
				for (let j = 0; j < n; j++) {
					H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
				}
			}
		}
		const stalled = Math.abs(fOld - f) <= 1e-12 * Math.max(1, Math.abs(f));
		if (stalled && maxAbs(g) < PRECISION_LIMIT_GRADIENT && Math.abs(fOld - f) <= 1e-15 * Math.max(1, Math.abs(f))) {
			return result(true, message('objectiveStable', language), iteration);
		}
		stalledIterations = stalled ? stalledIterations + 1 : 0;
		if (stalledIterations >= MAX_STALLED_ITERATIONS) {
			const gn = maxAbs(g);
			return gn < PRECISION_LIMIT_GRADIENT
				? result(true, message('objectiveStable', language), iteration)
				: result(false, message('noProgress', language, { count: MAX_STALLED_ITERATIONS, gradient: gn.toExponential(2) }), iteration);
		}
	}
	return result(maxAbs(g) < gtol, message('stoppedAfter', language, { count: maxIterations }), maxIterations);
}
