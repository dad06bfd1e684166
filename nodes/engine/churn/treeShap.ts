/**
 * TreeSHAP reasons for gradient-boosted trees: exact Shapley values of the log-odds, computed in
 * polynomial time (Lundberg, Erion & Lee 2018, "Consistent Individualized Feature Attribution for Tree
 * Ensembles", Algorithm 2, "path-dependent" conditional expectations).
 *
 * The players are the input fields, not the model's columns: a split on any one-hot column of a category
 * field counts as a split on that field, so a field's reason is its exact Shapley value as a whole.
 *
 * A coalition S of fields is valued by the tree's expected output when only the fields in S are known:
 * at a split on a known field follow the customer's branch; at a split on an unknown field average both
 * branches, weighted by how many training customers went each way (the node's `cover`). The Shapley
 * values then add up exactly: logit = expected value + Σ values, where the expected value (the base) is
 * the initial log-odds plus each tree's cover-weighted mean leaf value.
 *
 * Compared with path contributions (Saabas), which credit each split with the change in node value along
 * the customer's path, TreeSHAP is consistent: a field whose effect on the model grows never gets less
 * credit, and fields split near the root are not favoured.
 *
 * How: a leaf's share of the Shapley values depends on the customer only through which of the fields on
 * the leaf's path the customer "agrees" with (meets every split on that field along the path). For a leaf
 * with K distinct fields on its path the shares follow from Algorithm 2's permutation weights (EXTEND over
 * the K fields, then UNWIND each). Shallow trees have few fields per path, so for K ≤ TABLE_MAX_FIELDS the
 * shares of all 2^K agreement patterns are computed once when the model is prepared (as in Fast TreeSHAP
 * v2, Yang 2021) and explaining a customer is one pass over the leaves; longer paths (deep trees) are
 * computed per customer in O(K²).
 */
import type { Tree } from './gbt';

/** A tree with the number of training customers that reached each node. */
export type CoveredTree = Tree & { cover: number[] };

export class TreeShapError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TreeShapError';
	}
}

/** Expected value of one tree: its leaves weighted by cover. */
function expectedValue(tree: CoveredTree, node = 0): number {
	if (tree.feature[node] < 0) return tree.value[node];
	const cover = tree.cover[node];
	if (!(cover > 0)) return tree.value[node];
	const left = tree.left[node];
	const right = tree.right[node];
	return (tree.cover[left] * expectedValue(tree, left) + tree.cover[right] * expectedValue(tree, right)) / cover;
}

export interface TreeShapExplainer {
	/** initialLogit + Σ tree expected values: the log-odds before any field is known. */
	base: number;
	/**
	 * Adds each field's Shapley value to `out` (one slot per field) for the encoded row at `offset` in `x`;
	 * returns the row's log-odds.
	 */
	explain(x: Float64Array, offset: number, out: Float64Array): number;
}

/**
 * Paths with at most this many distinct fields get a precomputed table of 2^K × K shares (64 × 6 numbers
 * per leaf at most); longer ones are computed per customer.
 */
const TABLE_MAX_FIELDS = 6;

/** Agreement patterns are 32-bit masks: at most 30 distinct fields on one path (trees of depth ≤ 30). */
const MAX_PATH_FIELDS = 30;

/**
 * The permutation weights of a path of fields with zero fractions `zero` and one fractions `one`, written
 * into `w` (K + 1 slots): Algorithm 2's EXTEND applied to each field in turn (the order does not matter).
 */
function pathWeights(zero: ArrayLike<number>, one: ArrayLike<number>, from: number, K: number, w: Float64Array): void {
	w[0] = 1;
	for (let d = 1; d <= K; d++) {
		const z = zero[from + d - 1];
		const o = one[d - 1];
		w[d] = 0;
		for (let i = d - 1; i >= 0; i--) {
			w[i + 1] += (o * w[i] * (i + 1)) / (d + 1);
			w[i] = (z * w[i] * (d - i)) / (d + 1);
		}
	}
}

/** Σ of the weights of a K-field path with one field (fractions z, o) taken out: Algorithm 2's UNWIND, summed. */
function unwoundSum(w: Float64Array, K: number, z: number, o: number): number {
	let next = w[K];
	let total = 0;
	for (let i = K - 1; i >= 0; i--) {
		if (o !== 0) {
			const t = (next * (K + 1)) / ((i + 1) * o);
			total += t;
			next = w[i] - (t * z * (K - i)) / (K + 1);
		} else if (z !== 0) {
			total += (w[i] * (K + 1)) / (z * (K - i));
		}
	}
	return total;
}

/** Adds a leaf's shares for one agreement pattern into `shares` at `at` (K slots); `one` and `w` are scratch. */
function leafShares(value: number, zero: ArrayLike<number>, from: number, K: number, pattern: number, one: Float64Array, w: Float64Array, shares: Float64Array, at: number): void {
	for (let k = 0; k < K; k++) one[k] = (pattern >> k) & 1;
	pathWeights(zero, one, from, K, w);
	for (let k = 0; k < K; k++) shares[at + k] = unwoundSum(w, K, zero[from + k], one[k]) * (one[k] - zero[from + k]) * value;
}

interface Split {
	column: number;
	threshold: number;
	left: boolean;
	/** Share of the node's training customers that went this way. */
	ratio: number;
}

/** One leaf: its value and the splits on its path, grouped by field. */
interface PathLeaf {
	value: number;
	splits: Split[];
	/** Distinct fields on the path, in order of first split. */
	fields: number[];
	/** For each split, the index of its field in `fields`. */
	fieldOf: number[];
	/** Zero fraction of each field: the product of its splits' ratios. */
	zero: number[];
}

function leavesOf(tree: CoveredTree, columnField: Int32Array): PathLeaf[] {
	const leaves: PathLeaf[] = [];
	const path: Split[] = [];
	const walk = (node: number) => {
		if (tree.feature[node] < 0) {
			const fields: number[] = [];
			const fieldOf = path.map((s) => {
				const at = fields.indexOf(columnField[s.column]);
				return at >= 0 ? at : fields.push(columnField[s.column]) - 1;
			});
			const zero = fields.map(() => 1);
			path.forEach((s, k) => (zero[fieldOf[k]] *= s.ratio));
			leaves.push({ value: tree.value[node], splits: path.slice(), fields, fieldOf, zero });
			return;
		}
		const cover = tree.cover[node];
		for (const left of [true, false]) {
			const child = left ? tree.left[node] : tree.right[node];
			path.push({ column: tree.feature[node], threshold: tree.threshold[node], left, ratio: cover > 0 ? tree.cover[child] / cover : 0.5 });
			walk(child);
			path.pop();
		}
	};
	walk(0);
	return leaves;
}

/**
 * Prepares TreeSHAP for a fitted model. `columnField` maps each model column to its field. Every tree must
 * carry `cover`; models trained before covers were stored cannot be explained this way.
 */
export function makeTreeShap(fit: { initialLogit: number; trees: Tree[] }, columnField: Int32Array): TreeShapExplainer {
	const trees = fit.trees as CoveredTree[];
	for (const tree of trees) {
		if (!Array.isArray(tree.cover) || tree.cover.length !== tree.feature.length) {
			throw new TreeShapError(
				'The model has no training counts per tree node (it was trained by an older version), so TreeSHAP reasons cannot be computed; train it again, or use path contributions',
			);
		}
	}
	let base = fit.initialLogit;
	for (const tree of trees) base += expectedValue(tree);

	// Every leaf of every tree in flat arrays, so that explaining a customer is one tight loop.
	const leaves = trees.flatMap((tree) => leavesOf(tree, columnField));
	const L = leaves.length;
	const maxK = leaves.reduce((m, leaf) => Math.max(m, leaf.fields.length), 0);
	if (maxK > MAX_PATH_FIELDS) throw new TreeShapError(`A tree path splits on ${maxK} different fields; TreeSHAP reasons support at most ${MAX_PATH_FIELDS}`);
	const splitStart = new Int32Array(L + 1);
	const fieldStart = new Int32Array(L + 1);
	/** Start of the leaf's table of shares, or −1 when its path is too long for one. */
	const tableStart = new Int32Array(L);
	let tableSize = 0;
	leaves.forEach((leaf, l) => {
		splitStart[l + 1] = splitStart[l] + leaf.splits.length;
		fieldStart[l + 1] = fieldStart[l] + leaf.fields.length;
		const K = leaf.fields.length;
		tableStart[l] = K <= TABLE_MAX_FIELDS ? tableSize : -1;
		if (K <= TABLE_MAX_FIELDS) tableSize += (1 << K) * K;
	});
	const splitColumn = new Int32Array(splitStart[L]);
	const splitThreshold = new Float64Array(splitStart[L]);
	const splitLeft = new Uint8Array(splitStart[L]);
	/** Bit of the split's field within its leaf's fields (agreement patterns are bit masks). */
	const splitFieldBit = new Int32Array(splitStart[L]);
	const leafFields = new Int32Array(fieldStart[L]);
	const leafZero = new Float64Array(fieldStart[L]);
	const leafValue = new Float64Array(L);
	const table = new Float64Array(tableSize);
	// Scratch for computing shares (per explainer, not shared between executions).
	const one = new Float64Array(maxK);
	const w = new Float64Array(maxK + 1);
	const shares = new Float64Array(maxK);
	leaves.forEach((leaf, l) => {
		leaf.splits.forEach((s, k) => {
			const at = splitStart[l] + k;
			splitColumn[at] = s.column;
			splitThreshold[at] = s.threshold;
			splitLeft[at] = s.left ? 1 : 0;
			splitFieldBit[at] = 1 << leaf.fieldOf[k];
		});
		leafFields.set(leaf.fields, fieldStart[l]);
		leafZero.set(leaf.zero, fieldStart[l]);
		leafValue[l] = leaf.value;
		const K = leaf.fields.length;
		if (tableStart[l] < 0) return;
		for (let pattern = 0; pattern < 1 << K; pattern++) {
			leafShares(leaf.value, leafZero, fieldStart[l], K, pattern, one, w, table, tableStart[l] + pattern * K);
		}
	});

	return {
		base,
		explain(x: Float64Array, offset: number, out: Float64Array): number {
			let logit = fit.initialLogit;
			for (let l = 0; l < L; l++) {
				const f0 = fieldStart[l];
				const K = fieldStart[l + 1] - f0;
				const all = (1 << K) - 1;
				// A field is agreed with when the customer meets every split on it along the path.
				let pattern = all;
				for (let s = splitStart[l]; s < splitStart[l + 1]; s++) {
					const left = x[offset + splitColumn[s]] <= splitThreshold[s] ? 1 : 0;
					if (left !== splitLeft[s]) pattern &= ~splitFieldBit[s];
				}
				// The one leaf whose every split the customer meets is the customer's leaf in this tree.
				if (pattern === all) logit += leafValue[l];
				if (tableStart[l] >= 0) {
					const from = tableStart[l] + pattern * K;
					for (let k = 0; k < K; k++) out[leafFields[f0 + k]] += table[from + k];
				} else {
					leafShares(leafValue[l], leafZero, f0, K, pattern, one, w, shares, 0);
					for (let k = 0; k < K; k++) out[leafFields[f0 + k]] += shares[k];
				}
			}
			return logit;
		},
	};
}
