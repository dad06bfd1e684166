/**
 * How good is a churn model on held-out customers? The measures models.md asks for ("Churn
 * classification"): ROC AUC, PR AUC, Brier score and a calibration table. Each is `null` with a reason when
 * it is undefined (for example no churned customer in the validation part), never NaN.
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
	const order = byScoreDescending(scores);
	// Walk from the top: for each group of tied scores, every negative in it outranks the positives below
	// it; count pairs (positive above negative) with ties as one half.
	let positivesAbove = 0;
	let concordant = 0;
	let i = 0;
	while (i < n) {
		let j = i;
		let groupPositives = 0;
		let groupNegatives = 0;
		while (j < n && scores[order[j]] === scores[order[i]]) {
			if (labels[order[j]]) groupPositives++;
			else groupNegatives++;
			j++;
		}
		concordant += groupNegatives * (positivesAbove + groupPositives / 2);
		positivesAbove += groupPositives;
		i = j;
	}
	return { value: concordant / (positives * negatives) };
}

/**
 * PR AUC as average precision: Σ (recall_k − recall_{k−1}) × precision_k over distinct score thresholds,
 * highest first (the step-wise definition of scikit-learn's average_precision_score; no interpolation).
 * A model that guesses scores the churn rate, so read it against that base rate.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): MetricValue {
	const n = scores.length;
	const positives = countPositives(labels);
	if (positives === 0) return { value: null, reason: 'PR AUC needs at least one churned customer' };
	const order = byScoreDescending(scores);
	let truePositives = 0;
	let seen = 0;
	let previousRecall = 0;
	let sum = 0;
	let i = 0;
	while (i < n) {
		let j = i;
		while (j < n && scores[order[j]] === scores[order[i]]) {
			if (labels[order[j]]) truePositives++;
			j++;
		}
		seen = j;
		const recall = truePositives / positives;
		sum += (recall - previousRecall) * (truePositives / seen);
		previousRecall = recall;
		i = j;
	}
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
	rocAuc: MetricValue;
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
		rocAuc: rocAuc(probabilities, labels),
		prAuc: averagePrecision(probabilities, labels),
		brierScore: brierScore(probabilities, labels),
		logLoss: logLoss(probabilities, labels),
		calibration: calibrationTable(probabilities, labels),
	};
}
