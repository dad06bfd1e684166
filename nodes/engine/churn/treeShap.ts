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

function depthOf(tree: Tree, node = 0): number {
	return tree.feature[node] < 0 ? 0 : 1 + Math.max(depthOf(tree, tree.left[node]), depthOf(tree, tree.right[node]));
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
	const maxDepth = trees.reduce((m, t) => Math.max(m, depthOf(t)), 0);

	// The "unique path" of the recursion (fields seen so far with their zero/one fractions and the
	// permutation weights), one copy per recursion level, in flat buffers.
	const levels = maxDepth + 2;
	const pathField = new Int32Array(levels * levels);
	const pathZero = new Float64Array(levels * levels);
	const pathOne = new Float64Array(levels * levels);
	const pathWeight = new Float64Array(levels * levels);

	/** Appends a field to the path at `at` (whose last element is `depth` − 1) and updates the weights. */
	const extend = (at: number, depth: number, zero: number, one: number, field: number) => {
		pathField[at + depth] = field;
		pathZero[at + depth] = zero;
		pathOne[at + depth] = one;
		pathWeight[at + depth] = depth === 0 ? 1 : 0;
		for (let i = depth - 1; i >= 0; i--) {
			pathWeight[at + i + 1] += (one * pathWeight[at + i] * (i + 1)) / (depth + 1);
			pathWeight[at + i] = (zero * pathWeight[at + i] * (depth - i)) / (depth + 1);
		}
	};

	/** Removes element `index` from the path at `at` of length `depth` + 1, undoing its extension. */
	const unwind = (at: number, depth: number, index: number) => {
		const one = pathOne[at + index];
		const zero = pathZero[at + index];
		let next = pathWeight[at + depth];
		for (let i = depth - 1; i >= 0; i--) {
			if (one !== 0) {
				const saved = pathWeight[at + i];
				pathWeight[at + i] = (next * (depth + 1)) / ((i + 1) * one);
				next = saved - (pathWeight[at + i] * zero * (depth - i)) / (depth + 1);
			} else {
				pathWeight[at + i] = (pathWeight[at + i] * (depth + 1)) / (zero * (depth - i));
			}
		}
		for (let i = index; i < depth; i++) {
			pathField[at + i] = pathField[at + i + 1];
			pathZero[at + i] = pathZero[at + i + 1];
			pathOne[at + i] = pathOne[at + i + 1];
		}
	};

	/** Σ of the path's weights as if element `index` were unwound (without changing the path). */
	const unwoundSum = (at: number, depth: number, index: number): number => {
		const one = pathOne[at + index];
		const zero = pathZero[at + index];
		let next = pathWeight[at + depth];
		let total = 0;
		for (let i = depth - 1; i >= 0; i--) {
			if (one !== 0) {
				const w = (next * (depth + 1)) / ((i + 1) * one);
				total += w;
				next = pathWeight[at + i] - (w * zero * (depth - i)) / (depth + 1);
			} else if (zero !== 0) {
				total += (pathWeight[at + i] * (depth + 1)) / (zero * (depth - i));
			}
		}
		return total;
	};

	let tree: CoveredTree;
	let x: Float64Array;
	let offset = 0;
	let out: Float64Array;

	const recurse = (node: number, level: number, depth: number, zero: number, one: number, field: number) => {
		// This level's path starts as a copy of the parent's, then takes the incoming field.
		const at = level * levels;
		if (level > 0) {
			const from = (level - 1) * levels;
			for (let i = 0; i < depth; i++) {
				pathField[at + i] = pathField[from + i];
				pathZero[at + i] = pathZero[from + i];
				pathOne[at + i] = pathOne[from + i];
				pathWeight[at + i] = pathWeight[from + i];
			}
		}
		extend(at, depth, zero, one, field);
		const column = tree.feature[node];
		if (column < 0) {
			const value = tree.value[node];
			for (let i = 1; i <= depth; i++) {
				const w = unwoundSum(at, depth, i);
				out[pathField[at + i]] += w * (pathOne[at + i] - pathZero[at + i]) * value;
			}
			return;
		}
		const goLeft = x[offset + column] <= tree.threshold[node];
		const hot = goLeft ? tree.left[node] : tree.right[node];
		const cold = goLeft ? tree.right[node] : tree.left[node];
		const cover = tree.cover[node];
		const hotZero = cover > 0 ? tree.cover[hot] / cover : 0.5;
		const coldZero = cover > 0 ? tree.cover[cold] / cover : 0.5;
		const splitField = columnField[column];
		let incomingZero = 1;
		let incomingOne = 1;
		let d = depth;
		// A field already on the path (split on again, or another of its one-hot columns): undo it first.
		for (let k = 1; k <= d; k++) {
			if (pathField[at + k] === splitField) {
				incomingZero = pathZero[at + k];
				incomingOne = pathOne[at + k];
				unwind(at, d, k);
				d--;
				break;
			}
		}
		recurse(hot, level + 1, d + 1, hotZero * incomingZero, incomingOne, splitField);
		recurse(cold, level + 1, d + 1, coldZero * incomingZero, 0, splitField);
	};

	return {
		base,
		explain(rowMatrix: Float64Array, rowOffset: number, contributions: Float64Array): number {
			x = rowMatrix;
			offset = rowOffset;
			out = contributions;
			let logit = fit.initialLogit;
			for (const t of trees) {
				tree = t;
				recurse(0, 0, 0, 1, 1, -1);
				let node = 0;
				while (t.feature[node] >= 0) node = x[offset + t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
				logit += t.value[node];
			}
			return logit;
		},
	};
}
