/**
 * RFM scores: each customer's recency, frequency and monetary value turned into a score 1…k
 * (k = 3, 4 or 5), by equal-sized rank groups ("quantiles") or by fixed thresholds the user sets.
 *
 * Quantile rule (README.md, Customer Segments, "Tie rule"), following ../shared/docs/metrics.md, RFM:
 * - Customers are ranked from worst to best (1 … n): recency reversed (fewer days since the last purchase
 *   is better), frequency and monetary value ascending.
 * - A customer at rank r gets score 1 + floor(k × (r − ½) / n): rank r is placed at the middle of its
 *   1/n slice (Hazen's plotting position (r − ½)/n), and the unit interval is cut into k equal parts.
 *   With n a multiple of k every score holds exactly n/k customers.
 * - Recency and monetary value: customers with the same value stay together. The whole tie block
 *   (ranks a … b) is placed at its average rank (a + b)/2, so that a block never straddles two scores and
 *   a fully tied measure lands in the middle score rather than at an arbitrary end.
 * - Frequency: "ranked first" — ties are broken by order of first appearance (the customer who appears
 *   earlier in the data gets the lower rank, as R's `rank(ties.method = "first")` and pandas'
 *   `rank(method="first")` do), then cut. Frequency has massive ties (most customers buy once), and
 *   keeping them together would leave most scores empty.
 */

export type Scale = 3 | 4 | 5;

/** Which end of a measure is good: recency is better when lower, frequency and monetary when higher. */
export type Direction = 'higherIsBetter' | 'lowerIsBetter';

/** How customers with equal values are ranked before cutting. */
export type TieRule = 'keepTogether' | 'byFirstAppearance';

/** A tie block that the by-appearance rule spread over several scores (reported as a warning). */
export interface SplitTie {
	value: number;
	customers: number;
	lowestScore: number;
	highestScore: number;
}

export interface MeasureScores {
	/** Score 1…k per customer, in input order. */
	scores: Uint8Array;
	/** How many of the k scores hold at least one customer. */
	levelsUsed: number;
	/** Distinct values of the measure. */
	distinctValues: number;
	/** The largest tie block spread over several scores by order of appearance (frequency only), if any. */
	largestSplitTie: SplitTie | null;
}

export function isScale(value: unknown): value is Scale {
	return value === 3 || value === 4 || value === 5;
}

/** Position of the first entry of an ascending array that is not below `x`. */
function firstNotBelow(sorted: Float64Array, x: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Scores by rank groups. Ranks are 1-based, worst first; a tie block occupies ranks a…b.
 * Integer form of 1 + floor(k × (r − ½) / n): 1 + floor(k × (2r − 1) / (2n)), exact in doubles for any
 * realistic n (both operands are integers far below 2^53, and IEEE division is correctly rounded).
 *
 * The ranks come from one native sort of the values (oriented so that ascending = worse to better) and a
 * binary search for each customer's tie block; by-appearance ranks hand out the block's ranks in input
 * order. No comparator callbacks: this runs on a hundred thousand customers per measure.
 */
export function quantileScores(
	values: ArrayLike<number>,
	scale: Scale,
	direction: Direction,
	ties: TieRule,
): MeasureScores {
	const n = values.length;
	const sign = direction === 'higherIsBetter' ? 1 : -1;
	const goodness = new Float64Array(n);
	// + 0 turns −0 into 0, so that a value and its negation sort alike.
	for (let i = 0; i < n; i++) goodness[i] = sign * values[i] + 0;
	const sorted = goodness.slice().sort();

	// One pass over the sorted values: each tie block's score (kept together), its split (by appearance).
	const blockScore = new Uint8Array(n); // indexed by the block's first position
	let distinctValues = 0;
	let largestSplitTie: SplitTie | null = null;
	for (let p = 0; p < n; ) {
		let end = p + 1;
		while (end < n && sorted[end] === sorted[p]) end++;
		distinctValues++;
		// ranks p+1 … end; average rank (p + 1 + end) / 2
		blockScore[p] = 1 + Math.floor((scale * (p + end)) / (2 * n));
		if (ties === 'byFirstAppearance' && end - p > 1) {
			const lowestScore = 1 + Math.floor((scale * (2 * (p + 1) - 1)) / (2 * n));
			const highestScore = 1 + Math.floor((scale * (2 * end - 1)) / (2 * n));
			if (highestScore > lowestScore && (largestSplitTie === null || end - p > largestSplitTie.customers)) {
				largestSplitTie = { value: sign * sorted[p] + 0, customers: end - p, lowestScore, highestScore };
			}
		}
		p = end;
	}

	const scores = new Uint8Array(n);
	const used = new Uint8Array(scale + 1);
	// Ranks already handed out in each tie block (by the block's first position), by-appearance rule.
	const taken = ties === 'byFirstAppearance' ? new Int32Array(n) : undefined;
	for (let i = 0; i < n; i++) {
		const start = firstNotBelow(sorted, goodness[i]);
		let score: number;
		if (taken === undefined) score = blockScore[start];
		else {
			const rank = start + 1 + taken[start]++;
			score = 1 + Math.floor((scale * (2 * rank - 1)) / (2 * n));
		}
		scores[i] = score;
		used[score] = 1;
	}
	let levelsUsed = 0;
	for (let s = 1; s <= scale; s++) levelsUsed += used[s];
	return { scores, levelsUsed, distinctValues, largestSplitTie };
}

/**
 * Scores by fixed thresholds t1 < t2 < … < t(k−1) (k − 1 thresholds give a 1…k scale).
 * - Higher is better (frequency, monetary): value < t1 → 1, t1 ≤ value < t2 → 2, …, value ≥ t(k−1) → k.
 * - Lower is better (recency in days): value ≤ t1 → k, t1 < value ≤ t2 → k − 1, …, value > t(k−1) → 1.
 * So a threshold is always the first value of the better score for frequency and monetary value, and the
 * last value of the better score for recency ("bought within 30 days").
 */
export function thresholdScores(values: ArrayLike<number>, thresholds: readonly number[], direction: Direction): MeasureScores {
	const n = values.length;
	const scale = thresholds.length + 1;
	const scores = new Uint8Array(n);
	const used = new Uint8Array(scale + 1);
	const distinct = new Set<number>();
	for (let i = 0; i < n; i++) {
		const v = values[i];
		let passed = 0;
		if (direction === 'higherIsBetter') {
			for (const t of thresholds) if (v >= t) passed++;
			scores[i] = 1 + passed;
		} else {
			for (const t of thresholds) if (v > t) passed++;
			scores[i] = scale - passed;
		}
		used[scores[i]] = 1;
		distinct.add(v);
	}
	let levelsUsed = 0;
	for (let s = 1; s <= scale; s++) levelsUsed += used[s];
	return { scores, levelsUsed, distinctValues: distinct.size, largestSplitTie: null };
}

/** Problems with a list of fixed thresholds, or an empty list when it can be used with this scale. */
export function thresholdProblems(thresholds: readonly number[], scale: Scale): string[] {
	const problems: string[] = [];
	if (thresholds.length !== scale - 1) {
		problems.push(`needs ${scale - 1} thresholds for a 1–${scale} scale, got ${thresholds.length}`);
	}
	for (let i = 0; i < thresholds.length; i++) {
		if (!Number.isFinite(thresholds[i])) problems.push(`threshold ${i + 1} is not a number`);
		else if (i > 0 && !(thresholds[i] > thresholds[i - 1])) {
			problems.push(`thresholds must increase: ${thresholds[i - 1]} is followed by ${thresholds[i]}`);
		}
	}
	return problems;
}
