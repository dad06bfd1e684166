/**
 * RFM ranking: the fallback when there are too few repeat buyers for a model (fewer than MIN_REPEAT_BUYERS).
 * It predicts nothing; it orders customers by how recently (T − t_x: time since the last purchase, smaller is
 * better), how often (x) and how much (historic spend) they bought, each scored 1–5 by quintile (ties share
 * the mean score), as in Hughes' RFM method. Outputs carry method "rfm-fallback" so no one mistakes them for
 * predictions.
 */

export interface RfmInput {
	frequency: ArrayLike<number>;
	recency: ArrayLike<number>;
	T: ArrayLike<number>;
	/** Spend so far; NaN when unknown. */
	spend: ArrayLike<number>;
}

/** Scores and ranks; 0 where the spend is unknown (no monetary score, so no RFM score and no rank). */
export interface RfmRanking {
	recencyScore: Int32Array;
	frequencyScore: Int32Array;
	monetaryScore: Int32Array;
	/** Sum of the three scores, 3–15. */
	rfmScore: Int32Array;
	/** 1 = best customer; ties share a rank. */
	rank: Int32Array;
}

/**
 * Quintile scores 1–5 of `values` (higher value → higher score); equal values get equal scores. NaN (unknown)
 * values get 0 and the quintiles are those of the known values.
 */
function quintileScores(values: Float64Array): Int32Array {
	const order: number[] = [];
	for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) order.push(i);
	order.sort((i, j) => values[i] - values[j]);
	const n = order.length;
	const scores = new Int32Array(values.length);
	let start = 0;
	while (start < n) {
		let end = start;
		while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
		// Mean position of the tie group, as a fraction of n, decides the quintile.
		const position = (start + end) / 2 / n;
		const score = Math.min(5, Math.floor(position * 5) + 1);
		for (let k = start; k <= end; k++) scores[order[k]] = score;
		start = end + 1;
	}
	return scores;
}

export function rankByRfm(input: RfmInput): RfmRanking {
	const n = input.frequency.length;
	const sinceLast = new Float64Array(n);
	const frequency = new Float64Array(n);
	const spend = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		sinceLast[i] = -(input.T[i] - input.recency[i]); // negated: more recent → higher score
		frequency[i] = input.frequency[i];
		spend[i] = input.spend[i];
	}
	const recencyScore = quintileScores(sinceLast);
	const frequencyScore = quintileScores(frequency);
	const monetaryScore = quintileScores(spend);
	const rfmScore = new Int32Array(n);
	for (let i = 0; i < n; i++) if (monetaryScore[i] > 0) rfmScore[i] = recencyScore[i] + frequencyScore[i] + monetaryScore[i];
	const rank = new Int32Array(n);
	const order = Array.from({ length: n }, (_, i) => i)
		.filter((i) => rfmScore[i] > 0)
		.sort((i, j) => rfmScore[j] - rfmScore[i]);
	for (let k = 0; k < order.length; k++) {
		const i = order[k];
		rank[i] = k > 0 && rfmScore[order[k - 1]] === rfmScore[i] ? rank[order[k - 1]] : k + 1;
	}
	return { recencyScore, frequencyScore, monetaryScore, rfmScore, rank };
}
