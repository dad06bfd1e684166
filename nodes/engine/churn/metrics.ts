/**
 * How good is a churn model on held-out customers? The measures models.md asks for ("Churn
 * classification"): ROC AUC (with its 95 % confidence interval), PR AUC, Brier score and a calibration
 * table. Each is `null` with a reason when it is undefined (for example no churned customer in the
 * validation part), never NaN.
 */

export interface MetricValue {
	value: number | null;
	/** Why the value is null. */
	reason?: string;
}

function countPositives(labels: ArrayLike<number>): number {
	let positives = 0;
	for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
	return positives;
}

/** Indexes sorted by score, descending; ties keep index order (stable sort). */
function byScoreDescending(scores: ArrayLike<number>): Uint32Array {
	const order = new Uint32Array(scores.length);
	for (let i = 0; i < order.length; i++) order[i] = i;
	return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

/**
 * Visits the groups of tied scores, highest first: the customers order[start] … order[end − 1] share one
 * score, and `positives` of them churned.
 */
function forEachTieGroup(
	scores: ArrayLike<number>,
	labels: ArrayLike<number>,
	visit: (order: Uint32Array, start: number, end: number, positives: number) => void,
): void {
	const order = byScoreDescending(scores);
	let i = 0;
	while (i < order.length) {
		let j = i;
		let positives = 0;
		while (j < order.length && scores[order[j]] === scores[order[i]]) {
			if (labels[order[j]]) positives++;
			j++;
		}
		visit(order, i, j, positives);
		i = j;
	}
}

/**
 * Area under the ROC curve = probability that a random churned customer scores above a random retained
 * one, ties counting one half (Mann–Whitney U with mid-ranks; Hanley & McNeil 1982).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): MetricValue {
	const n = scores.length;
	const positives = countPositives(labels);
	const negatives = n - positives;
	if (positives === 0 || negatives === 0) {
		return { value: null, reason: 'ROC AUC needs both churned and retained customers' };
	}
	// Walk from the top: for each group of tied scores, every negative in it outranks the positives below
	// it; count pairs (positive above negative) with ties as one half.
	let positivesAbove = 0;
	let concordant = 0;
	forEachTieGroup(scores, labels, (_order, start, end, groupPositives) => {
		concordant += (end - start - groupPositives) * (positivesAbove + groupPositives / 2);
		positivesAbove += groupPositives;
	});
	return { value: concordant / (positives * negatives) };
}

/** A 95 % confidence interval of the ROC AUC. */
export interface AucInterval {
	low: number;
	high: number;
	/** DeLong standard error of the AUC (on the AUC's own scale). */
	standardError: number;
	level: 0.95;
}

/** ROC AUC with its 95 % interval; the interval is absent in model items trained before it was reported. */
export interface RocAucValue extends MetricValue {
	interval?: AucInterval | null;
	/** Why the interval is null. */
	intervalReason?: string;
}

/**
 * DeLong's structural components (placement values) of the empirical AUC: for each churned customer, the
 * share of retained customers scoring below it (V10), and for each retained customer, the share of churned
 * customers scoring above it (V01), ties counting one half as in `rocAuc`. Sun & Xu (2014, "Fast
 * implementation of DeLong's algorithm", IEEE Signal Processing Letters 21(11)) write them with mid-ranks:
 * V10(x) = (T_Z(x) − T_X(x)) / n, with T_Z the mid-rank among all customers and T_X among the churned
 * ones; that difference is the number of retained customers below x plus half of those tied with it,
 * counted here in one pass over the scores sorted once (O(n log n)). Both lists average to the AUC.
 */
export function placementValues(scores: ArrayLike<number>, labels: ArrayLike<number>): { churned: Float64Array; retained: Float64Array } {
	const positives = countPositives(labels);
	const negatives = labels.length - positives;
	const churned = new Float64Array(positives);
	const retained = new Float64Array(negatives);
	// From the top: a churned customer's retained customers below are those not yet passed; a retained
	// customer's churned customers above are those already passed.
	let positivesAbove = 0;
	let negativesAbove = 0;
	let p = 0;
	let q = 0;
	forEachTieGroup(scores, labels, (order, start, end, groupPositives) => {
		const groupNegatives = end - start - groupPositives;
		const v10 = (negatives - negativesAbove - groupNegatives / 2) / negatives;
		const v01 = (positivesAbove + groupPositives / 2) / positives;
		for (let k = start; k < end; k++) {
			if (labels[order[k]]) churned[p++] = v10;
			else retained[q++] = v01;
		}
		positivesAbove += groupPositives;
		negativesAbove += groupNegatives;
	});
	return { churned, retained };
}

const Z_95 = 1.959963984540054; // standard normal quantile 0.975

/** Sample variance (divisor n − 1) around a given mean. */
function sampleVariance(values: Float64Array, centre: number): number {
	let sum = 0;
	for (const v of values) sum += (v - centre) ** 2;
	return sum / (values.length - 1);
}

/**
 * ROC AUC with its 95 % confidence interval. Variance of the empirical AUC by DeLong, DeLong &
 * Clarke-Pearson (1988, Biometrics 44(3)): var = S10 / m + S01 / n, with S10 and S01 the sample variances
 * of the m churned customers' and n retained customers' placement values (`placementValues`). The interval
 * is the normal one on the logit scale, back-transformed (Pepe 2003, The Statistical Evaluation of Medical
 * Tests for Classification and Prediction): logit(AUC) ± 1.96 · SE / (AUC (1 − AUC)), so it stays inside
 * (0, 1) and is asymmetric near 1, where AUC ± 1.96 · SE would pass 1. Null with a reason when there are
 * fewer than 2 churned or 2 retained customers, or when the standard error is 0 (every churned customer
 * ranks alike against every retained one: perfectly separated, reversed, or all tied).
 */
export function rocAucWithInterval(scores: ArrayLike<number>, labels: ArrayLike<number>): RocAucValue {
	const auc = rocAuc(scores, labels);
	if (auc.value === null) return { ...auc, interval: null, intervalReason: auc.reason };
	const { churned, retained } = placementValues(scores, labels);
	if (churned.length < 2 || retained.length < 2) {
		return {
			...auc,
			interval: null,
			intervalReason: `the 95 % interval needs at least 2 churned and 2 retained held-out customers (there are ${churned.length} and ${retained.length})`,
		};
	}
	const centre = auc.value;
	const variance = sampleVariance(churned, centre) / churned.length + sampleVariance(retained, centre) / retained.length;
	// Variance 0 only when every placement value is 0, ½ or 1 alike (exact in floating point), i.e. AUC 0, ½ or 1.
	if (!(variance > 0)) {
		return {
			...auc,
			interval: null,
			intervalReason:
				'the 95 % interval is undefined: its standard error is 0 because every churned customer ranks alike against every retained one (perfectly separated or all tied); more held-out customers are needed to judge the model',
		};
	}
	// A positive variance means the placement values differ, so 0 < AUC < 1 and the logit is finite.
	const standardError = Math.sqrt(variance);
	const logit = Math.log(centre / (1 - centre));
	const half = (Z_95 * standardError) / (centre * (1 - centre));
	const expit = (t: number) => 1 / (1 + Math.exp(-t));
	return { ...auc, interval: { low: expit(logit - half), high: expit(logit + half), standardError, level: 0.95 } };
}

/**
 * PR AUC as average precision: Σ (recall_k − recall_{k−1}) × precision_k over distinct score thresholds,
 * highest first (the step-wise definition of scikit-learn's average_precision_score; no interpolation).
 * A model that guesses scores the churn rate, so read it against that base rate.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): MetricValue {
	const positives = countPositives(labels);
	if (positives === 0) return { value: null, reason: 'PR AUC needs at least one churned customer' };
	let truePositives = 0;
	let previousRecall = 0;
	let sum = 0;
	// Each group of tied scores is one threshold: the customers seen so far are those ranked at or above it.
	forEachTieGroup(scores, labels, (_order, _start, seen, groupPositives) => {
		truePositives += groupPositives;
		const recall = truePositives / positives;
		sum += (recall - previousRecall) * (truePositives / seen);
		previousRecall = recall;
	});
	return { value: sum };
}

/** Brier score: mean squared difference between predicted probability and outcome (0 is perfect). */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): MetricValue {
	const n = probabilities.length;
	if (n === 0) return { value: null, reason: 'no customers to evaluate' };
	let sum = 0;
	for (let i = 0; i < n; i++) {
		const d = probabilities[i] - (labels[i] ? 1 : 0);
		sum += d * d;
	}
	return { value: sum / n };
}

export interface CalibrationRow {
	/** Lower edge of the predicted-probability band (inclusive). */
	from: number;
	/** Upper edge (exclusive, except 1 for the last band). */
	to: number;
	customers: number;
	/** Mean predicted churn probability in the band. */
	meanPredicted: number;
	/** Share of the band's customers who actually churned. */
	observedChurnRate: number;
}

/**
 * Calibration table: customers grouped in equal-width bands of predicted probability; a well-calibrated
 * model has observedChurnRate ≈ meanPredicted in every band (reliability diagram, Niculescu-Mizil & Caruana
 * 2005). Empty bands are left out.
 */
export function calibrationTable(
	probabilities: ArrayLike<number>,
	labels: ArrayLike<number>,
	bands = 10,
): CalibrationRow[] {
	const count = new Float64Array(bands);
	const predicted = new Float64Array(bands);
	const observed = new Float64Array(bands);
	for (let i = 0; i < probabilities.length; i++) {
		const p = probabilities[i];
		const b = Math.min(bands - 1, Math.max(0, Math.floor(p * bands)));
		count[b]++;
		predicted[b] += p;
		if (labels[i]) observed[b]++;
	}
	const rows: CalibrationRow[] = [];
	for (let b = 0; b < bands; b++) {
		if (count[b] === 0) continue;
		rows.push({
			from: b / bands,
			to: (b + 1) / bands,
			customers: count[b],
			meanPredicted: predicted[b] / count[b],
			observedChurnRate: observed[b] / count[b],
		});
	}
	return rows;
}

/** Mean log loss (cross-entropy), probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): MetricValue {
	const n = probabilities.length;
	if (n === 0) return { value: null, reason: 'no customers to evaluate' };
	let sum = 0;
	for (let i = 0; i < n; i++) {
		const p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i]));
		sum -= labels[i] ? Math.log(p) : Math.log(1 - p);
	}
	return { value: sum / n };
}

export interface ValidationReport {
	customers: number;
	churned: number;
	churnRate: number | null;
	rocAuc: RocAucValue;
	prAuc: MetricValue;
	brierScore: MetricValue;
	logLoss: MetricValue;
	calibration: CalibrationRow[];
}

/** All the measures on one held-out part. */
export function validationReport(probabilities: ArrayLike<number>, labels: ArrayLike<number>): ValidationReport {
	const churned = countPositives(labels);
	return {
		customers: labels.length,
		churned,
		churnRate: labels.length ? churned / labels.length : null,
		rocAuc: rocAucWithInterval(probabilities, labels),
		prAuc: averagePrecision(probabilities, labels),
		brierScore: brierScore(probabilities, labels),
		logLoss: logLoss(probabilities, labels),
		calibration: calibrationTable(probabilities, labels),
	};
}
