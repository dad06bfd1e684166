/**
 * Gamma-Gamma spend model: Fader & Hardie, "The Gamma-Gamma Model of Monetary Value" (2013), after Colombo &
 * Jiang (1999). A customer's purchases have amounts ~ Gamma(p, ν) with ν ~ Gamma(q, v) across customers; it
 * is fitted on repeat buyers only (x ≥ 1) from x and their mean repeat spend m̄, and assumes spend is
 * independent of the purchase process.
 *
 * Likelihood of one customer (note, eq. 3, mean spend of x purchases):
 *   ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m̄ + px ln x − (px+q) ln(v + x m̄)
 * Conditional expected average spend (note, eq. 5):
 *   E[M | x, m̄] = (q−1)/(px+q−1) · pv/(q−1) + px/(px+q−1) · m̄ = p(v + x m̄) / (px + q − 1),
 * a weighted mean of the population mean pv/(q−1) and the customer's own mean; the population mean exists only
 * for q > 1.
 */
import { message } from './messages';
import { digamma, lnGamma } from './special';
import {
	ClvInputError,
	SCREENING_ROWS,
	everyKth,
	fitLikelihood,
	modelFromFit,
	type ClvModel,
	type FitOptions,
	type LikelihoodSpec,
	type TimeUnit,
} from './model';

export interface GammaGammaParams {
	p: number;
	q: number;
	v: number;
}

/** Repeat buyers with their weights. */
export interface SpendRows {
	n: number;
	x: Float64Array;
	meanSpend: Float64Array;
	/** ln m̄, constant during the fit. */
	lnMeanSpend: Float64Array;
	weight: Float64Array;
	xIndex: Int32Array;
	xValues: Float64Array;
	totalWeight: number;
}

export function gammaGammaLogLikelihood(params: Float64Array, rows: SpendRows, gradient: Float64Array): number {
	const [p, q, v] = params;
	const k = rows.xValues.length;
	const head = new Float64Array(k);
	const dHeadP = new Float64Array(k);
	const dHeadQ = new Float64Array(k);
	const lnGammaQ = lnGamma(q);
	const psiQ = digamma(q);
	for (let j = 0; j < k; j++) {
		const x = rows.xValues[j];
		const psiPxq = digamma(p * x + q);
		const psiPx = digamma(p * x);
		head[j] = lnGamma(p * x + q) - lnGamma(p * x) - lnGammaQ + p * x * Math.log(x);
		dHeadP[j] = x * (psiPxq - psiPx + Math.log(x));
		dHeadQ[j] = psiPxq - psiQ;
	}
	const lnV = Math.log(v);
	let ll = 0;
	let gp = 0;
	let gq = 0;
	let gv = 0;
	for (let i = 0; i < rows.n; i++) {
		const j = rows.xIndex[i];
		const x = rows.x[i];
		const m = rows.meanSpend[i];
		const w = rows.weight[i];
		const lnM = rows.lnMeanSpend[i];
		const lnVxm = Math.log(v + x * m);
		ll += w * (head[j] + q * lnV + (p * x - 1) * lnM - (p * x + q) * lnVxm);
		gp += w * (dHeadP[j] + x * lnM - x * lnVxm);
		gq += w * (dHeadQ[j] + lnV - lnVxm);
		gv += w * (q / v - (p * x + q) / (v + x * m));
	}
	gradient[0] = gp;
	gradient[1] = gq;
	gradient[2] = gv;
	return ll;
}

/** A systematic, reweighted sample of the spend rows for screening starting points (see model.ts). */
function screeningSpendRows(rows: SpendRows): { data: SpendRows; totalWeight: number } {
	if (rows.n <= SCREENING_ROWS) return { data: rows, totalWeight: rows.totalWeight };
	const { take, weight, totalWeight } = everyKth(rows.n, rows.weight);
	return {
		data: {
			...rows,
			n: weight.length,
			x: take(rows.x),
			meanSpend: take(rows.meanSpend),
			lnMeanSpend: take(rows.lnMeanSpend),
			weight,
			xIndex: take(rows.xIndex),
			totalWeight,
		},
		totalWeight,
	};
}

export const gammaGammaSpec: LikelihoodSpec<SpendRows> = {
	kind: 'gammagamma',
	paramNames: ['p', 'q', 'v'],
	logLikelihood: gammaGammaLogLikelihood,
	screeningSample: screeningSpendRows,
	starts: (rows) => {
		let mean = 0;
		for (let i = 0; i < rows.n; i++) mean += (rows.weight[i] * rows.meanSpend[i]) / rows.totalWeight;
		// Population mean pv/(q−1): put the starts on the data's money scale.
		return [
			[1, 2, Math.max(mean, 1e-6)],
			[5, 4, Math.max(3 * mean, 1e-6)],
			[0.5, 1.5, Math.max(mean / 4, 1e-6)],
		];
	},
};

export interface SpendFitOptions extends FitOptions {
	timeUnit: TimeUnit;
}

/**
 * Fits Gamma-Gamma on the repeat buyers among the rows (x ≥ 1 and mean spend > 0); other rows are skipped and
 * counted in the warnings.
 */
export function fitGammaGamma(frequency: ArrayLike<number>, meanSpend: ArrayLike<number>, options: SpendFitOptions): ClvModel {
	if (frequency.length !== meanSpend.length) throw new ClvInputError('frequency and mean spend must have the same length');
	// Mean spends are continuous: identical (x, m̄) pairs are rare, so rows are not merged here (unlike the
	// purchase models); terms depending on x only are still computed once per distinct x.
	const xs: number[] = [];
	const ms: number[] = [];
	const ws: number[] = [];
	const xIndexList: number[] = [];
	const xPosition = new Map<number, number>();
	let nonPositive = 0;
	let missing = 0;
	for (let i = 0; i < frequency.length; i++) {
		const x = frequency[i];
		const m = meanSpend[i];
		if (!Number.isFinite(x) || x < 0) throw new ClvInputError(`row ${i}: frequency must be ≥ 0 (got ${x})`, i, 'frequency', x);
		if (x === 0) continue;
		// NaN: the customer's mean spend is not known (left out, counted in the warnings).
		if (Number.isNaN(m)) {
			missing++;
			continue;
		}
		if (!Number.isFinite(m)) throw new ClvInputError(`row ${i}: mean spend is not a number (got ${m})`, i, 'meanSpend', m);
		if (m <= 0) {
			nonPositive++;
			continue;
		}
		let k = xPosition.get(x);
		if (k === undefined) {
			k = xPosition.size;
			xPosition.set(x, k);
		}
		xs.push(x);
		ms.push(m);
		ws.push(1);
		xIndexList.push(k);
	}
	const totalWeight = ws.reduce((s, w) => s + w, 0);
	if (totalWeight < 2) {
		throw new ClvInputError(message('tooFewSpendBuyers', options.language, { count: totalWeight }));
	}
	const rows: SpendRows = {
		n: xs.length,
		x: Float64Array.from(xs),
		meanSpend: Float64Array.from(ms),
		lnMeanSpend: Float64Array.from(ms, Math.log),
		weight: Float64Array.from(ws),
		xIndex: Int32Array.from(xIndexList),
		xValues: Float64Array.from(xPosition.keys()),
		totalWeight,
	};
	const outcome = fitLikelihood(gammaGammaSpec, rows, totalWeight, options);
	const warnings: string[] = [];
	if (nonPositive > 0) {
		warnings.push(message('nonPositiveSpend', options.language, { count: nonPositive }));
	}
	if (missing > 0) {
		warnings.push(message('missingSpend', options.language, { count: missing }));
	}
	const q = outcome.params[1];
	if (q <= 1) {
		warnings.push(message('infiniteMeanSpend', options.language, { q: q.toPrecision(3) }));
	}
	return modelFromFit(
		gammaGammaSpec,
		outcome,
		{
			timeUnit: options.timeUnit,
			customersUsed: totalWeight,
			repeatBuyers: totalWeight,
			distinctRows: rows.n,
			penalizer: options.penalizer ?? 0,
		},
		warnings,
		options.language,
	);
}

/**
 * Expected average spend per future purchase: p(v + x m̄)/(px + q − 1) (note, eq. 5). For x = 0 this is the
 * population mean pv/(q−1), null-worthy (NaN) when q ≤ 1.
 */
/**
 * E(M | x, m̄) = p(v + x m̄) / (px + q − 1). A mean spend that is not known (NaN) gives the population mean
 * p v / (q − 1), as for a customer without repeat purchases — never "every purchase cost 0".
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, meanSpend: number): number {
	const { p, q, v } = params;
	const known = !Number.isNaN(meanSpend);
	const n = known ? x : 0;
	const denominator = p * n + q - 1;
	if (!(denominator > 0)) return NaN;
	return (p * (v + (known ? n * Math.max(meanSpend, 0) : 0))) / denominator;
}
