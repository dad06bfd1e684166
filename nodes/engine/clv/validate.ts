/**
 * Holdout validation (Fader, Hardie & Lee 2005, §4, Figure 4): fit on the calibration period, predict each
 * customer's purchases over the holdout period, and compare with what they actually did — by calibration
 * frequency (mean actual vs mean predicted per x = 0, 1, …, with the top bucket "x or more"), and over
 * individuals (Pearson correlation, mean absolute error).
 */
import { ClvInputError, checkSummaryRow, type ClvModel } from './model';
import { purchasePredictor } from './predict';

export interface HoldoutData {
	frequency: ArrayLike<number>;
	recency: ArrayLike<number>;
	T: ArrayLike<number>;
	/** Repeat purchases (distinct purchase days) actually made in the holdout period. */
	holdoutPurchases: ArrayLike<number>;
}

export interface FrequencyBucket {
	/** Calibration frequency x; the last bucket holds x and more. */
	frequency: number;
	orMore: boolean;
	customers: number;
	actualMean: number;
	predictedMean: number;
}

export interface HoldoutReport {
	customers: number;
	holdoutLength: number;
	table: FrequencyBucket[];
	actualTotal: number;
	predictedTotal: number;
	/** Pearson correlation of individual predicted and actual holdout purchases; null when undefined. */
	correlation: number | null;
	meanAbsoluteError: number;
	meanProbabilityAlive: number;
	/** Per-customer predictions, in input order. */
	predicted: Float64Array;
}

export function compareHoldout(
	model: ClvModel,
	data: HoldoutData,
	holdoutLength: number,
	options: { topFrequency?: number } = {},
): HoldoutReport {
	if (!(holdoutLength > 0) || !Number.isFinite(holdoutLength)) {
		throw new ClvInputError(`the holdout period must be longer than 0 (got ${holdoutLength})`, undefined, 'holdoutLength', holdoutLength);
	}
	const predictor = purchasePredictor(model);
	const top = options.topFrequency ?? 7;
	const n = data.frequency.length;
	if (n === 0) throw new ClvInputError('there are no customers to validate on');
	const predicted = new Float64Array(n);
	const sums = Array.from({ length: top + 1 }, () => ({ customers: 0, actual: 0, predicted: 0 }));
	let sumA = 0;
	let sumP = 0;
	let sumAA = 0;
	let sumPP = 0;
	let sumAP = 0;
	let absError = 0;
	let aliveSum = 0;
	for (let i = 0; i < n; i++) {
		const x = data.frequency[i];
		const T = data.T[i];
		const tx = Math.min(data.recency[i], T);
		checkSummaryRow(x, data.recency[i], T, i);
		const actual = data.holdoutPurchases[i];
		const alive = predictor.probabilityAlive(x, tx, T);
		const p = alive * predictor.expectedPurchasesIfAlive(holdoutLength, x, T);
		predicted[i] = p;
		aliveSum += alive;
		const bucket = sums[Math.min(x, top)];
		bucket.customers++;
		bucket.actual += actual;
		bucket.predicted += p;
		sumA += actual;
		sumP += p;
		sumAA += actual * actual;
		sumPP += p * p;
		sumAP += actual * p;
		absError += Math.abs(p - actual);
	}
	const covariance = sumAP - (sumA * sumP) / n;
	const varA = sumAA - (sumA * sumA) / n;
	const varP = sumPP - (sumP * sumP) / n;
	const correlation = varA > 0 && varP > 0 ? covariance / Math.sqrt(varA * varP) : null;
	return {
		customers: n,
		holdoutLength,
		table: sums
			.map((b, x) => ({
				frequency: x,
				orMore: x === top,
				customers: b.customers,
				actualMean: b.customers ? b.actual / b.customers : 0,
				predictedMean: b.customers ? b.predicted / b.customers : 0,
			}))
			.filter((b) => b.customers > 0),
		actualTotal: sumA,
		predictedTotal: sumP,
		correlation,
		meanAbsoluteError: absError / n,
		meanProbabilityAlive: aliveSum / n,
		predicted,
	};
}
