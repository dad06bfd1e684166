/** Data generated from a known logistic model, for learner tests (models.md: "generate data from known coefficients"). */
import { normal, seededRandom } from '../../../nodes/shared/random';

export interface Generated {
	/** Row-major, n × p. */
	x: Float64Array;
	y: Uint8Array;
	/** The generating log-odds of each row. */
	trueLogit: Float64Array;
}

/** x ~ N(0, 1) independent; P(churn) = σ(intercept + x·β). */
export function generateLogistic(n: number, intercept: number, beta: number[], seed: number): Generated {
	const random = seededRandom(seed);
	const p = beta.length;
	const x = new Float64Array(n * p);
	const y = new Uint8Array(n);
	const trueLogit = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		let eta = intercept;
		for (let j = 0; j < p; j++) {
			const v = normal(random);
			x[i * p + j] = v;
			eta += beta[j] * v;
		}
		trueLogit[i] = eta;
		y[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
	}
	return { x, y, trueLogit };
}

/** ROC AUC by counting every (churned, retained) pair: the definition, O(n²), for checking. */
export function pairAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
	let sum = 0;
	let pairs = 0;
	for (let i = 0; i < scores.length; i++) {
		if (!labels[i]) continue;
		for (let j = 0; j < scores.length; j++) {
			if (labels[j]) continue;
			pairs++;
			sum += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
		}
	}
	return sum / pairs;
}
