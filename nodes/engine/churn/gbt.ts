/**
 * Gradient-boosted decision trees for churn (binary log loss), histogram-based.
 *
 * Method: Friedman (2001) gradient boosting with second-order (Newton) leaf values and split gains as in
 * XGBoost (Chen & Guestrin 2016): for a node with gradient sum G and hessian sum H, the leaf value is
 * −G / (H + λ) and a split gains G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Columns are cut into at most
 * `maxBins` quantile bins once (LightGBM's histogram method, Ke et al. 2017), a child's histogram is the
 * parent's minus its sibling's, and trees grow depth-wise to `maxDepth`.
 *
 * Early stopping: a seeded stratified part of the training rows is held back; boosting stops when its log
 * loss has not improved for `earlyStoppingRounds` rounds, and the model keeps the best round.
 *
 * Reasons: every node stores the value it would predict as a leaf, so a customer's path through a tree
 * splits (leaf − root) into one step per split, credited to the split's column (Saabas 2014, "path
 * contributions"). Hence logit = base + Σ contributions exactly, with base = initial log-odds + Σ root values.
 */
import { classWeights, sigmoid, type ClassWeighting } from './logistic';
import { stratifiedSplit } from './random';

export interface GbtOptions {
	rounds?: number;
	learningRate?: number;
	maxDepth?: number;
	/** Fewest training rows in a leaf. */
	minRowsPerLeaf?: number;
	/** L2 penalty λ on leaf values. */
	l2?: number;
	/** Most bins per column (≤ 256). */
	maxBins?: number;
	/** Stop after this many rounds without improvement on the early-stopping rows; 0 turns it off. */
	earlyStoppingRounds?: number;
	/** Share of the training rows held back for early stopping. */
	earlyStoppingFraction?: number;
	classWeighting?: ClassWeighting;
	seed?: number;
	/**
	 * After early stopping has chosen the number of rounds, grow that many rounds again on all training
	 * rows (the held-back rows included), as is usual after choosing rounds by cross-validation.
	 */
	refit?: boolean;
}

/** One tree in flat arrays; node 0 is the root; `feature` −1 marks a leaf. */
export interface Tree {
	feature: number[];
	/** Go left when the column value ≤ threshold. */
	threshold: number[];
	left: number[];
	right: number[];
	/** Value of the node as if it were a leaf, learning rate included. */
	value: number[];
}

export interface GbtFit {
	/** Log-odds of churn in the training rows: the start of every prediction. */
	initialLogit: number;
	trees: Tree[];
	/** Σ of root values: logit = base + Σ path contributions. */
	base: number;
	roundsRun: number;
	bestRound: number;
	/** Early-stopping log loss after each round (empty without early stopping). */
	earlyStoppingLoss: number[];
	/** Total split gain per column: the basis of feature importance. */
	gainByColumn: number[];
}

/** Cut points per column: midpoints between distinct values, or between quantiles when there are many. */
function binColumns(x: Float64Array, p: number, rows: ArrayLike<number>, maxBins: number): Float64Array[] {
	const n = rows.length;
	const thresholds: Float64Array[] = [];
	const column = new Float64Array(n);
	for (let j = 0; j < p; j++) {
		for (let r = 0; r < n; r++) column[r] = x[rows[r] * p + j];
		const sorted = column.slice().sort();
		const distinct: number[] = [];
		for (let r = 0; r < n; r++) if (r === 0 || sorted[r] !== sorted[r - 1]) distinct.push(sorted[r]);
		const cuts: number[] = [];
		if (distinct.length <= maxBins) {
			for (let k = 1; k < distinct.length; k++) cuts.push((distinct[k - 1] + distinct[k]) / 2);
		} else {
			for (let k = 1; k < maxBins; k++) {
				const v = sorted[Math.floor((k * n) / maxBins)];
				// Cut just below the quantile value so that tied values stay together.
				const below = sorted[Math.floor((k * n) / maxBins) - 1];
				const cut = (below + v) / 2;
				if (below !== v && (cuts.length === 0 || cut > cuts[cuts.length - 1])) cuts.push(cut);
			}
		}
		thresholds.push(Float64Array.from(cuts));
	}
	return thresholds;
}

/** Bin of a value: the number of cut points below it. */
function binOf(cuts: Float64Array, v: number): number {
	let lo = 0;
	let hi = cuts.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (cuts[mid] < v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function binRows(x: Float64Array, p: number, thresholds: Float64Array[], n: number): Uint8Array {
	const bins = new Uint8Array(n * p);
	for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) bins[r * p + j] = binOf(thresholds[j], x[r * p + j]);
	return bins;
}

/** Raw log-odds of one encoded row (row-major `x` at `offset`). */
export function predictLogit(fit: Pick<GbtFit, 'initialLogit' | 'trees'>, x: Float64Array, offset: number): number {
	let eta = fit.initialLogit;
	for (const tree of fit.trees) {
		let node = 0;
		while (tree.feature[node] >= 0) {
			node = x[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
		}
		eta += tree.value[node];
	}
	return eta;
}

/**
 * Saabas path contributions of one row, added into `contributions` (one per column); returns the logit.
 * The base is `fit.base`; base + Σ contributions = logit.
 */
export function pathContributions(
	fit: Pick<GbtFit, 'initialLogit' | 'trees'>,
	x: Float64Array,
	offset: number,
	contributions: Float64Array,
): number {
	let eta = fit.initialLogit;
	for (const tree of fit.trees) {
		let node = 0;
		while (tree.feature[node] >= 0) {
			const column = tree.feature[node];
			const next = x[offset + column] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
			contributions[column] += tree.value[next] - tree.value[node];
			node = next;
		}
		eta += tree.value[node];
	}
	return eta;
}

interface Histogram {
	g: Float64Array;
	h: Float64Array;
	c: Float64Array;
}

export function fitGbt(
	x: Float64Array,
	p: number,
	y: ArrayLike<number>,
	options: GbtOptions = {},
	rows?: ArrayLike<number>,
): GbtFit {
	const rounds = options.rounds ?? 500;
	const learningRate = options.learningRate ?? 0.05;
	const maxDepth = options.maxDepth ?? 3;
	const minRowsPerLeaf = options.minRowsPerLeaf ?? 20;
	const lambda = options.l2 ?? 1;
	const maxBins = Math.min(256, Math.max(2, options.maxBins ?? 255));
	const patience = options.earlyStoppingRounds ?? 30;
	const seed = options.seed ?? 1;
	const all = rows ? Array.from(rows) : Array.from({ length: y.length }, (_, i) => i);

	// Early-stopping rows: a stratified part of the training rows, never used to grow trees.
	let growRows = all;
	let stopRows: number[] = [];
	if (patience > 0) {
		const labels = all.map((i) => (y[i] ? 1 : 0));
		const split = stratifiedSplit(labels, options.earlyStoppingFraction ?? 0.1, seed);
		if (split.test.length > 0 && split.train.length > 0) {
			growRows = split.train.map((k) => all[k]);
			stopRows = split.test.map((k) => all[k]);
		}
	}
	const n = growRows.length;
	const xs = new Float64Array(n * p);
	const ys = new Uint8Array(n);
	for (let r = 0; r < n; r++) {
		xs.set(x.subarray(growRows[r] * p, growRows[r] * p + p), r * p);
		ys[r] = y[growRows[r]] ? 1 : 0;
	}
	const weights = classWeights(ys, options.classWeighting ?? 'none');
	const thresholds = binColumns(xs, p, Uint32Array.from({ length: n }, (_, i) => i), maxBins);
	const bins = binRows(xs, p, thresholds, n);

	let weightedPositives = 0;
	let weightTotal = 0;
	for (let r = 0; r < n; r++) {
		weightTotal += weights[r];
		if (ys[r]) weightedPositives += weights[r];
	}
	const rate = Math.min(1 - 1e-6, Math.max(1e-6, weightedPositives / weightTotal));
	const initialLogit = Math.log(rate / (1 - rate));

	const score = new Float64Array(n).fill(initialLogit);
	const grad = new Float64Array(n);
	const hess = new Float64Array(n);
	const stopScore = new Float64Array(stopRows.length).fill(initialLogit);
	const trees: Tree[] = [];
	const gainsPerTree: Array<Array<[number, number]>> = [];
	const earlyStoppingLoss: number[] = [];
	let bestLoss = Infinity;
	let bestRound = 0;
	const B = 256;

	const newHistogram = (): Histogram => ({ g: new Float64Array(p * B), h: new Float64Array(p * B), c: new Float64Array(p * B) });
	const fillHistogram = (hist: Histogram, members: Uint32Array) => {
		const { g, h, c } = hist;
		for (let k = 0; k < members.length; k++) {
			const r = members[k];
			const gr = grad[r];
			const hr = hess[r];
			const base = r * p;
			for (let j = 0; j < p; j++) {
				const slot = j * B + bins[base + j];
				g[slot] += gr;
				h[slot] += hr;
				c[slot]++;
			}
		}
	};

	for (let round = 0; round < rounds; round++) {
		for (let r = 0; r < n; r++) {
			const mu = sigmoid(score[r]);
			grad[r] = weights[r] * (mu - ys[r]);
			hess[r] = Math.max(1e-12, weights[r] * mu * (1 - mu));
		}
		const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
		const gains: Array<[number, number]> = [];
		const grow = (members: Uint32Array, hist: Histogram, depth: number): number => {
			let G = 0;
			let H = 0;
			// Sums from column 0's histogram: every row falls in exactly one of its bins.
			for (let b = 0; b < B; b++) {
				G += hist.g[b];
				H += hist.h[b];
			}
			const id = tree.feature.length;
			tree.feature.push(-1);
			tree.threshold.push(0);
			tree.left.push(-1);
			tree.right.push(-1);
			tree.value.push((-G / (H + lambda)) * learningRate);
			if (depth >= maxDepth || members.length < 2 * minRowsPerLeaf) return id;
			const parentScore = (G * G) / (H + lambda);
			let bestGain = 1e-12;
			let bestColumn = -1;
			let bestBin = -1;
			for (let j = 0; j < p; j++) {
				const cuts = thresholds[j].length;
				if (cuts === 0) continue;
				let gl = 0;
				let hl = 0;
				let cl = 0;
				for (let b = 0; b < cuts; b++) {
					const slot = j * B + b;
					gl += hist.g[slot];
					hl += hist.h[slot];
					cl += hist.c[slot];
					if (cl < minRowsPerLeaf) continue;
					if (members.length - cl < minRowsPerLeaf) break;
					const gr = G - gl;
					const hr = H - hl;
					const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
					if (gain > bestGain) {
						bestGain = gain;
						bestColumn = j;
						bestBin = b;
					}
				}
			}
			if (bestColumn < 0) return id;
			gains.push([bestColumn, bestGain]);
			let leftCount = 0;
			for (let k = 0; k < members.length; k++) if (bins[members[k] * p + bestColumn] <= bestBin) leftCount++;
			const leftMembers = new Uint32Array(leftCount);
			const rightMembers = new Uint32Array(members.length - leftCount);
			let li = 0;
			let ri = 0;
			for (let k = 0; k < members.length; k++) {
				const r = members[k];
				if (bins[r * p + bestColumn] <= bestBin) leftMembers[li++] = r;
				else rightMembers[ri++] = r;
			}
			// Histogram of the smaller child by counting, of the larger by subtraction.
			const small = newHistogram();
			const leftIsSmall = leftCount <= members.length - leftCount;
			fillHistogram(small, leftIsSmall ? leftMembers : rightMembers);
			const large = hist; // reused in place: the parent is not needed any more
			for (let s = 0; s < p * B; s++) {
				large.g[s] -= small.g[s];
				large.h[s] -= small.h[s];
				large.c[s] -= small.c[s];
			}
			tree.feature[id] = bestColumn;
			tree.threshold[id] = thresholds[bestColumn][bestBin];
			tree.left[id] = grow(leftMembers, leftIsSmall ? small : large, depth + 1);
			tree.right[id] = grow(rightMembers, leftIsSmall ? large : small, depth + 1);
			return id;
		};
		const rootMembers = Uint32Array.from({ length: n }, (_, i) => i);
		const rootHist = newHistogram();
		fillHistogram(rootHist, rootMembers);
		grow(rootMembers, rootHist, 0);
		trees.push(tree);
		gainsPerTree.push(gains);

		for (let r = 0; r < n; r++) {
			let node = 0;
			while (tree.feature[node] >= 0) {
				node = xs[r * p + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
			}
			score[r] += tree.value[node];
		}
		if (stopRows.length) {
			let loss = 0;
			for (let k = 0; k < stopRows.length; k++) {
				const offset = stopRows[k] * p;
				let node = 0;
				while (tree.feature[node] >= 0) {
					node = x[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
				}
				stopScore[k] += tree.value[node];
				const s = stopScore[k];
				// log loss = softplus(s) − y s, computed stably
				loss += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - (y[stopRows[k]] ? s : 0);
			}
			loss /= stopRows.length;
			earlyStoppingLoss.push(loss);
			if (loss < bestLoss - 1e-12) {
				bestLoss = loss;
				bestRound = round + 1;
			} else if (round + 1 - bestRound >= patience) {
				break;
			}
		} else {
			bestRound = round + 1;
		}
	}
	const roundsRun = trees.length;
	if (stopRows.length && (options.refit ?? true) && bestRound > 0) {
		const again = fitGbt(x, p, y, { ...options, rounds: bestRound, earlyStoppingRounds: 0 }, all);
		return { ...again, roundsRun, bestRound, earlyStoppingLoss };
	}
	trees.length = bestRound;
	// Importance counts only the trees the model keeps.
	const gainByColumn = new Float64Array(p);
	for (let t = 0; t < bestRound; t++) for (const [column, gain] of gainsPerTree[t]) gainByColumn[column] += gain;
	let base = initialLogit;
	for (const tree of trees) base += tree.value[0];
	return {
		initialLogit,
		trees,
		base,
		roundsRun,
		bestRound,
		earlyStoppingLoss,
		gainByColumn: Array.from(gainByColumn),
	};
}
