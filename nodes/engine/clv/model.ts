/**
 * What every CLV model shares: time units, the per-customer summary (frequency, recency, T), merging of
 * identical rows with weights, the fitted-model object and the multi-start fit around the BFGS optimiser.
 *
 * A fitted model is plain JSON (scikit-learn's estimator contract): settings + fitted parameters + fit
 * report. Prediction functions are pure functions of (model, data) and refuse a model that did not converge.
 */
import type { Language } from '../../shared/i18n';

import { message } from './messages';
import { minimize, type MinimizeResult } from './optimize';

/** The unit in which recency, T and horizons are counted. A month is 365.25 / 12 = 30.4375 days. */
export type TimeUnit = 'days' | 'weeks' | 'months';
export const TIME_UNITS: readonly TimeUnit[] = ['days', 'weeks', 'months'];
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7, months: 365.25 / 12 };

export type PurchaseModelKind = 'bgnbd' | 'paretonbd' | 'mbgnbd';
export type ModelKind = PurchaseModelKind | 'gammagamma';
export const MODEL_VERSION = 1;

/** Below this many repeat buyers the estimates are too uncertain to rank customers by (see README). */
export const MIN_REPEAT_BUYERS = 30;

/** Per-customer summary in one time unit: x repeat purchases, last at t_x, observed for T since the first. */
export interface PurchaseSummaries {
	/** x: number of repeat purchases (distinct purchase days after the first). */
	frequency: ArrayLike<number>;
	/** t_x: time from the first to the last purchase. */
	recency: ArrayLike<number>;
	/** T: time from the first purchase to the end of the calibration period (the customer's age). */
	T: ArrayLike<number>;
}

/** Identical (x, t_x, T) rows merged; `weight` counts the customers behind each row. */
export interface WeightedRows {
	n: number;
	x: Float64Array;
	tx: Float64Array;
	T: Float64Array;
	weight: Float64Array;
	/** Index of each row's x in `xValues`, so terms depending on x only (ln Γ, ψ) are computed once per x. */
	xIndex: Int32Array;
	xValues: Float64Array;
	/** Likewise for T and t_x: ln(α + T) and ln(α + t_x) are taken once per distinct value. */
	TIndex: Int32Array;
	TValues: Float64Array;
	txIndex: Int32Array;
	txValues: Float64Array;
	totalWeight: number;
}

/** Dense index of each value among the distinct values (in order of first appearance). */
function distinctIndex(values: Float64Array): { index: Int32Array; distinct: Float64Array } {
	const position = new Map<number, number>();
	const index = new Int32Array(values.length);
	for (let i = 0; i < values.length; i++) {
		let k = position.get(values[i]);
		if (k === undefined) {
			k = position.size;
			position.set(values[i], k);
		}
		index[i] = k;
	}
	return { index, distinct: Float64Array.from(position.keys()) };
}

export class ClvInputError extends Error {
	constructor(
		message: string,
		/** Position of the offending customer in the input arrays, when there is one. */
		readonly row?: number,
		readonly field?: string,
		readonly value?: unknown,
	) {
		super(message);
		this.name = 'ClvInputError';
	}
}

/** Checks one summary row; the error names the row, field and value. */
export function checkSummaryRow(x: number, tx: number, T: number, row: number): void {
	if (!Number.isFinite(x) || x < 0 || !Number.isInteger(x)) {
		throw new ClvInputError(`row ${row}: frequency must be a whole number ≥ 0 (got ${x})`, row, 'frequency', x);
	}
	if (!Number.isFinite(T) || T < 0) throw new ClvInputError(`row ${row}: T must be ≥ 0 (got ${T})`, row, 'T', T);
	if (!Number.isFinite(tx) || tx < 0 || tx > T * (1 + 1e-9) + 1e-9) {
		throw new ClvInputError(`row ${row}: recency must be between 0 and T = ${T} (got ${tx})`, row, 'recency', tx);
	}
	if (x === 0 && tx !== 0) {
		throw new ClvInputError(`row ${row}: recency must be 0 when frequency is 0 (got ${tx})`, row, 'recency', tx);
	}
}

/**
 * Validates the summaries and merges identical (x, t_x, T) rows into weighted rows: the likelihood is a sum
 * over customers, so identical customers contribute weight × one term (one pass, typed arrays).
 */
export function mergeIdenticalRows(data: PurchaseSummaries, weights?: ArrayLike<number>): WeightedRows {
	const count = data.frequency.length;
	if (data.recency.length !== count || data.T.length !== count) {
		throw new ClvInputError('frequency, recency and T must have the same length');
	}
	// Nested maps keyed by numbers (x → T → t_x → row): exact matching without building string keys.
	const index = new Map<number, Map<number, Map<number, number>>>();
	const xs: number[] = [];
	const txs: number[] = [];
	const Ts: number[] = [];
	const ws: number[] = [];
	const xValues: number[] = [];
	const xIndexList: number[] = [];
	const xPosition = new Map<number, number>();
	for (let i = 0; i < count; i++) {
		const x = data.frequency[i];
		const T = data.T[i];
		checkSummaryRow(x, data.recency[i], T, i);
		// Recency slightly above T (rounding in a summary file) is clipped rather than refused.
		const tx = Math.min(data.recency[i], T);
		const w = weights ? weights[i] : 1;
		if (!(w >= 0) || !Number.isFinite(w)) throw new ClvInputError(`row ${i}: weight must be ≥ 0 (got ${w})`, i, 'weight', w);
		let byT = index.get(x);
		if (byT === undefined) {
			byT = new Map();
			index.set(x, byT);
			xPosition.set(x, xValues.length);
			xValues.push(x);
		}
		let byTx = byT.get(T);
		if (byTx === undefined) {
			byTx = new Map();
			byT.set(T, byTx);
		}
		const at = byTx.get(tx);
		if (at === undefined) {
			byTx.set(tx, xs.length);
			xs.push(x);
			txs.push(tx);
			Ts.push(T);
			ws.push(w);
			xIndexList.push(xPosition.get(x)!);
		} else {
			ws[at] += w;
		}
	}
	const n = xs.length;
	let totalWeight = 0;
	for (const w of ws) totalWeight += w;
	const T = Float64Array.from(Ts);
	const tx = Float64Array.from(txs);
	const byT = distinctIndex(T);
	const byTx = distinctIndex(tx);
	return {
		n,
		x: Float64Array.from(xs),
		tx,
		T,
		weight: Float64Array.from(ws),
		xIndex: Int32Array.from(xIndexList),
		xValues: Float64Array.from(xValues),
		TIndex: byT.index,
		TValues: byT.distinct,
		txIndex: byTx.index,
		txValues: byTx.distinct,
		totalWeight,
	};
}

/** A fitted model: JSON, to be output as an item and applied later by "Predict with Model". */
export interface ClvModel {
	kind: ModelKind;
	version: number;
	timeUnit: TimeUnit;
	/** Fitted parameters by their names in the papers (r, alpha, a, b, s, beta, p, q, v). */
	params: Record<string, number>;
	/** Maximised log-likelihood with all constants (comparable with the papers), or null when not finite. */
	logLikelihood: number | null;
	converged: boolean;
	/** Why the optimiser stopped. */
	convergenceReason: string;
	iterations: number;
	/** Largest gradient component (per customer, log-parameters) at the solution. */
	gradientNorm: number | null;
	customersUsed: number;
	repeatBuyers: number;
	/** Distinct (x, t_x, T) rows after merging identical customers. */
	distinctRows: number;
	penalizer: number;
	startsTried: number;
	warnings: string[];
}

export class ModelNotUsableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ModelNotUsableError';
	}
}

/** Refuses to predict from a model that did not converge or has no valid parameters; says why. */
export function assertUsable(model: ClvModel, kind?: ModelKind | readonly ModelKind[]): void {
	const kinds = kind === undefined ? undefined : Array.isArray(kind) ? kind : [kind];
	if (kinds && !kinds.includes(model.kind)) {
		throw new ModelNotUsableError(`a ${kinds.join(' or ')} model is needed, got "${model.kind}"`);
	}
	if (!model.converged) {
		throw new ModelNotUsableError(
			`the ${model.kind} fit did not converge (${model.convergenceReason}); predictions from it would be arbitrary. ` +
				'Use more data, a penalizer, or another model.',
		);
	}
	for (const [name, value] of Object.entries(model.params)) {
		if (!(value > 0) || !Number.isFinite(value)) {
			throw new ModelNotUsableError(`parameter ${name} = ${value} is not a positive finite number`);
		}
	}
}

/** A model family as the generic fit needs it: names, the likelihood with gradient, starting points. */
export interface LikelihoodSpec<D> {
	kind: ModelKind;
	paramNames: readonly string[];
	/** Σ weight × log-likelihood with all constants; writes ∂/∂(natural parameter) into `gradient`. */
	logLikelihood(params: Float64Array, data: D, gradient: Float64Array): number;
	/** Starting points (natural parameters) suited to the data's scale. */
	starts(data: D): number[][];
	/** A smaller, reweighted sample of the data for screening the starting points (large data sets). */
	screeningSample?(data: D): { data: D; totalWeight: number };
}

/**
 * Systematic sample of SCREENING_ROWS of n rows: `take` copies a column at the picked rows; weights are
 * multiplied by the step so that the sample's total weight matches the data's.
 */
export function everyKth(n: number, weights: Float64Array) {
	const step = n / SCREENING_ROWS;
	const picked = new Int32Array(SCREENING_ROWS);
	for (let k = 0; k < SCREENING_ROWS; k++) picked[k] = Math.floor(k * step);
	const take = <A extends Float64Array | Int32Array>(a: A): A => {
		const out = new (a.constructor as new (n: number) => A)(picked.length);
		for (let k = 0; k < picked.length; k++) out[k] = a[picked[k]];
		return out;
	};
	const weight = take(weights).map((w) => w * step);
	let totalWeight = 0;
	for (let k = 0; k < weight.length; k++) totalWeight += weight[k];
	return { take, weight, totalWeight };
}

/** Rows kept for screening starting points; the full data decide the final fit. */
export const SCREENING_ROWS = 500;

/**
 * Every k-th row with its weight multiplied by k: an unbiased estimate of the summed likelihood, good enough
 * to tell a promising starting point from a poor one at a fraction of the cost. Index tables are shared.
 */
export function screeningRows(rows: WeightedRows): { data: WeightedRows; totalWeight: number } {
	if (rows.n <= SCREENING_ROWS) return { data: rows, totalWeight: rows.totalWeight };
	const { take, weight, totalWeight } = everyKth(rows.n, rows.weight);
	return {
		data: {
			...rows,
			n: weight.length,
			x: take(rows.x),
			tx: take(rows.tx),
			T: take(rows.T),
			weight,
			xIndex: take(rows.xIndex),
			TIndex: take(rows.TIndex),
			txIndex: take(rows.txIndex),
			totalWeight,
		},
		totalWeight,
	};
}

export interface FitOptions {
	/**
	 * L2 penalty λ·Σ (ln p)² added to the mean negative log-likelihood per customer. On log-parameters (unlike
	 * lifetimes' λ·Σ p²) it pulls every parameter towards 1 from both sides, so neither r, α → ∞ (too little
	 * heterogeneity) nor s → 0 (no visible drop-out) can run away on small or uniform data.
	 */
	penalizer?: number;
	maxIterations?: number;
	/** Extra starting points (natural parameters) tried after the default ones. */
	starts?: number[][];
	/** Language of the warnings, convergence reason and refusals (English by default). */
	language?: Language;
}

export interface FitOutcome {
	params: Float64Array;
	logLikelihood: number;
	best: MinimizeResult;
	startsTried: number;
	/** Starts run to the end (the others were screened out after a few iterations). */
	fullRuns: number;
}

const LOG_PARAMETER_BOUND = Math.log(1e10);
/** A fitted parameter beyond these bounds means the likelihood has no interior maximum (see modelFromFit). */
const RUNAWAY_ABOVE = 1e6;
const RUNAWAY_BELOW = 1e-6;

/** BFGS iterations each start gets before the starts are compared. */
const SCREEN_ITERATIONS = 6;

/**
 * Maximum likelihood from several starting points, over log-parameters (so every parameter stays positive):
 * minimises −Σ w·LL / Σ w + λ Σ (ln p)², the best converged run wins.
 */
export function fitLikelihood<D>(spec: LikelihoodSpec<D>, data: D, totalWeight: number, options: FitOptions): FitOutcome {
	const k = spec.paramNames.length;
	const penalizer = options.penalizer ?? 0;
	const natural = new Float64Array(k);
	const gradNatural = new Float64Array(k);
	const objectiveOn = (sample: D, weight: number) => (theta: Float64Array, gradient: Float64Array): number => {
		for (let i = 0; i < k; i++) {
			// Outside [1e-10, 1e10] no data set identifies a parameter: treat as infeasible, the line search backs off.
			if (Math.abs(theta[i]) > LOG_PARAMETER_BOUND) return Infinity;
			natural[i] = Math.exp(theta[i]);
		}
		const ll = spec.logLikelihood(natural, sample, gradNatural);
		let value = -ll / weight;
		for (let i = 0; i < k; i++) {
			value += penalizer * theta[i] * theta[i];
			// chain rule: ∂/∂θ = p · ∂/∂p for p = e^θ
			gradient[i] = (-natural[i] * gradNatural[i]) / weight + 2 * penalizer * theta[i];
		}
		return value;
	};
	const objective = objectiveOn(data, totalWeight);
	const sample = spec.screeningSample?.(data);
	const screening = sample && sample.data !== data ? sample : undefined;
	const screeningObjective = screening ? objectiveOn(screening.data, screening.totalWeight) : objective;
	const starts = [...spec.starts(data), ...(options.starts ?? [])];
	// Multi-start with screening: a few BFGS iterations from every start, then the most promising ones are
	// run to convergence in order until one converges. Costs little more than one fit, yet a start that
	// lands in a poor region (flat likelihood, a → 0, …) does not decide the result.
	const screened = starts
		.map((start) => minimize(screeningObjective, start.map(Math.log), { maxIterations: SCREEN_ITERATIONS, language: options.language }))
		.sort((p, q) => (Number.isFinite(p.value) ? p.value : Infinity) - (Number.isFinite(q.value) ? q.value : Infinity));
	let best: MinimizeResult | undefined;
	let fullRuns = 0;
	for (const candidate of screened) {
		if (!Number.isFinite(candidate.value)) continue;
		let from = candidate;
		if (screening) {
			// Converge on the sample first (cheap), then polish on all the data from there, keeping the curvature
			// learnt on the sample: the full data then need only a few iterations.
			from = minimize(screeningObjective, candidate.x, {
				maxIterations: options.maxIterations ?? 300,
				gradientTolerance: 1e-6,
				inverseHessian: candidate.inverseHessian,
				language: options.language,
			});
			from.iterations += candidate.iterations;
		}
		const run = minimize(objective, from.x, { maxIterations: options.maxIterations ?? 300, inverseHessian: from.inverseHessian, language: options.language });
		run.iterations += from.iterations;
		fullRuns++;
		if (!best || (run.converged && !best.converged) || (run.converged === best.converged && run.value < best.value)) {
			best = run;
		}
		if (run.converged) break;
	}
	const chosen = best ?? screened[0];
	const params = chosen.x.map(Math.exp);
	const ll = spec.logLikelihood(params, data, new Float64Array(k));
	return { params, logLikelihood: ll, best: chosen, startsTried: starts.length, fullRuns };
}

/** Builds the model object and its warnings from a fit. */
export function modelFromFit(
	spec: { kind: ModelKind; paramNames: readonly string[] },
	outcome: FitOutcome,
	facts: { timeUnit: TimeUnit; customersUsed: number; repeatBuyers: number; distinctRows: number; penalizer: number },
	extraWarnings: string[] = [],
	language: Language = 'en',
): ClvModel {
	const params: Record<string, number> = {};
	spec.paramNames.forEach((name, i) => (params[name] = outcome.params[i]));
	const warnings = [...extraWarnings];
	if (facts.repeatBuyers < MIN_REPEAT_BUYERS) {
		warnings.push(message('fewRepeatBuyers', language, { count: facts.repeatBuyers, minimum: MIN_REPEAT_BUYERS }));
	}
	let runaway: string | undefined;
	for (const [name, value] of Object.entries(params)) {
		if (value > RUNAWAY_ABOVE || value < RUNAWAY_BELOW) {
			runaway ??= message('runawayParameter', language, { name, value: value.toPrecision(3) });
		} else if (value > 1e4 || value < 1e-4) {
			warnings.push(message('extremeParameter', language, { name, value: value.toPrecision(3) }));
		}
	}
	if (runaway) {
		warnings.push(message('noMaximumInside', language, { runaway }));
	}
	if (outcome.fullRuns > 1) {
		warnings.push(message('startsNotConverged', language, { runs: outcome.fullRuns, starts: outcome.startsTried }));
	}
	const best = outcome.best;
	const finite = Number.isFinite(outcome.logLikelihood);
	return {
		kind: spec.kind,
		version: MODEL_VERSION,
		timeUnit: facts.timeUnit,
		params,
		logLikelihood: finite ? outcome.logLikelihood : null,
		converged: best.converged && finite && !runaway,
		convergenceReason: !finite
			? message('logLikelihoodNotFinite', language)
			: runaway
				? message('noInteriorMaximum', language, { runaway })
				: best.reason,
		iterations: best.iterations,
		gradientNorm: Number.isFinite(best.gradientNorm) ? best.gradientNorm : null,
		customersUsed: facts.customersUsed,
		repeatBuyers: facts.repeatBuyers,
		distinctRows: facts.distinctRows,
		penalizer: facts.penalizer,
		startsTried: outcome.startsTried,
		warnings,
	};
}

/** Mean of x and T over the rows, used to put starting points on the data's time scale. */
export function dataScale(rows: WeightedRows): { meanX: number; meanT: number } {
	let sx = 0;
	let sT = 0;
	for (let i = 0; i < rows.n; i++) {
		sx += rows.weight[i] * rows.x[i];
		sT += rows.weight[i] * rows.T[i];
	}
	const w = rows.totalWeight || 1;
	return { meanX: sx / w, meanT: sT / w };
}

export function countRepeatBuyers(rows: WeightedRows): number {
	let c = 0;
	for (let i = 0; i < rows.n; i++) if (rows.x[i] > 0) c += rows.weight[i];
	return c;
}

export interface PurchaseFitOptions extends FitOptions {
	timeUnit: TimeUnit;
	/** Customers behind each row (default 1 each), e.g. for pre-aggregated summaries. */
	weights?: ArrayLike<number>;
}

/** Validates, merges identical rows and fits a purchase model (BG/NBD, Pareto/NBD or MBG/NBD). */
export function fitPurchaseModel(
	spec: LikelihoodSpec<WeightedRows>,
	data: PurchaseSummaries,
	options: PurchaseFitOptions,
): ClvModel {
	const rows = mergeIdenticalRows(data, options.weights);
	if (rows.totalWeight <= 0) throw new ClvInputError(message('noCustomers', options.language));
	const repeatBuyers = countRepeatBuyers(rows);
	if (repeatBuyers === 0) {
		throw new ClvInputError(message('noRepeatPurchases', options.language));
	}
	let maxT = 0;
	for (let i = 0; i < rows.n; i++) maxT = Math.max(maxT, rows.T[i]);
	if (maxT === 0) throw new ClvInputError(message('calibrationEmpty', options.language));
	const penalizer = options.penalizer ?? 0;
	if (!(penalizer >= 0) || !Number.isFinite(penalizer)) {
		throw new ClvInputError(message('negativePenalizer', options.language, { value: penalizer }), undefined, 'penalizer', penalizer);
	}
	const outcome = fitLikelihood(spec, rows, rows.totalWeight, options);
	return modelFromFit(spec, outcome, {
		timeUnit: options.timeUnit,
		customersUsed: rows.totalWeight,
		repeatBuyers,
		distinctRows: rows.n,
		penalizer,
	}, [], options.language);
}

/** Default starting points for the purchase models on the data's scale: r/α ≈ purchases per unit of time. */
export function purchaseStarts(rows: WeightedRows, second: (scale: number) => number[][]): number[][] {
	const { meanX, meanT } = dataScale(rows);
	const alphaScale = Math.max(meanT, 1e-3) / Math.max(meanX, 0.05);
	return second(alphaScale);
}
