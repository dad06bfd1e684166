/**
 * TreeSHAP against its definition: Shapley values computed by brute force over every coalition of fields,
 * with the path-dependent value function (unknown field → both branches, weighted by cover). Written here
 * without the fast algorithm's path bookkeeping.
 */
import fc from 'fast-check';

import { fitGbt, type Tree } from '../../../nodes/engine/churn/gbt';
import { makeTreeShap, TreeShapError, type CoveredTree } from '../../../nodes/engine/churn/treeShap';
import { seededRandom } from '../../../nodes/shared/random';

/** Expected tree output when only the fields in `known` are known. */
function conditionalValue(tree: CoveredTree, x: number[], columnField: number[], known: Set<number>, node = 0): number {
	if (tree.feature[node] < 0) return tree.value[node];
	const column = tree.feature[node];
	const left = tree.left[node];
	const right = tree.right[node];
	if (known.has(columnField[column])) {
		return conditionalValue(tree, x, columnField, known, x[column] <= tree.threshold[node] ? left : right);
	}
	return (
		(tree.cover[left] * conditionalValue(tree, x, columnField, known, left) +
			tree.cover[right] * conditionalValue(tree, x, columnField, known, right)) /
		tree.cover[node]
	);
}

function factorial(n: number): number {
	return n <= 1 ? 1 : n * factorial(n - 1);
}

/** Exact Shapley values of v(S) = initial + Σ trees E[tree | x_S], by enumerating all 2^F coalitions. */
function bruteForceShapley(initial: number, trees: CoveredTree[], x: number[], columnField: number[], fields: number): number[] {
	const v = (mask: number) => {
		const known = new Set<number>();
		for (let f = 0; f < fields; f++) if (mask & (1 << f)) known.add(f);
		return trees.reduce((s, t) => s + conditionalValue(t, x, columnField, known), initial);
	};
	const phi = new Array<number>(fields).fill(0);
	for (let f = 0; f < fields; f++) {
		for (let mask = 0; mask < 1 << fields; mask++) {
			if (mask & (1 << f)) continue;
			let size = 0;
			for (let g = 0; g < fields; g++) if (mask & (1 << g)) size++;
			const weight = (factorial(size) * factorial(fields - size - 1)) / factorial(fields);
			phi[f] += weight * (v(mask | (1 << f)) - v(mask));
		}
	}
	return phi;
}

/** A random tree over `columns` columns with covers that add up (parent = left + right). */
function randomTree(random: () => number, columns: number, maxDepth: number): CoveredTree {
	const tree: CoveredTree = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] };
	const grow = (depth: number, cover: number): number => {
		const id = tree.feature.length;
		tree.feature.push(-1);
		tree.threshold.push(0);
		tree.left.push(-1);
		tree.right.push(-1);
		tree.value.push(Math.round((random() * 4 - 2) * 100) / 100);
		tree.cover.push(cover);
		if (depth < maxDepth && cover >= 2 && random() < 0.8) {
			tree.feature[id] = Math.floor(random() * columns);
			tree.threshold[id] = Math.round(random() * 10) / 10;
			const leftCover = 1 + Math.floor(random() * (cover - 1));
			tree.left[id] = grow(depth + 1, leftCover);
			tree.right[id] = grow(depth + 1, cover - leftCover);
		}
		return id;
	};
	grow(0, 50 + Math.floor(random() * 200));
	return tree;
}

describe('TreeSHAP', () => {
	it('a stump, by hand: the field gets leaf − expected value', () => {
		// x0 ≤ 0.5 → +1 (30 customers), else −1 (10): expected value (30 − 10) / 40 = 0.5
		const tree: CoveredTree = { feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 1, -1], cover: [40, 30, 10] };
		const shap = makeTreeShap({ initialLogit: -1, trees: [tree] }, Int32Array.from([0, 1]));
		expect(shap.base).toBeCloseTo(-0.5, 12);
		const out = new Float64Array(2);
		expect(shap.explain(Float64Array.from([0, 7]), 0, out)).toBeCloseTo(0, 12);
		expect(out[0]).toBeCloseTo(0.5, 12);
		expect(out[1]).toBe(0);
		out.fill(0);
		shap.explain(Float64Array.from([1, 7]), 0, out);
		expect(out[0]).toBeCloseTo(-1.5, 12);
	});

	it('two fields in an AND tree share the effect equally, by hand', () => {
		// f0 ≤ 0.5 → 0; else f1 ≤ 0.5 → 0, else 1; covers 50/50 at each split. E = 0.25.
		// x = (1, 1): v({}) = 0.25, v({0}) = 0.5, v({1}) = 0.5, v({0,1}) = 1 → φ0 = φ1 = 0.375.
		const tree: CoveredTree = {
			feature: [0, -1, 1, -1, -1],
			threshold: [0.5, 0, 0.5, 0, 0],
			left: [1, -1, 3, -1, -1],
			right: [2, -1, 4, -1, -1],
			value: [0, 0, 0, 0, 1],
			cover: [100, 50, 50, 25, 25],
		};
		const shap = makeTreeShap({ initialLogit: 0, trees: [tree] }, Int32Array.from([0, 1]));
		const out = new Float64Array(2);
		expect(shap.explain(Float64Array.from([1, 1]), 0, out)).toBe(1);
		expect(shap.base).toBeCloseTo(0.25, 12);
		expect(out[0]).toBeCloseTo(0.375, 12);
		expect(out[1]).toBeCloseTo(0.375, 12);
	});

	it('equals brute-force Shapley values on random trees, fields split repeatedly and across one-hot columns', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (seed, fields, depth) => {
				const random = seededRandom(seed);
				const columns = fields + Math.floor(random() * 3);
				// Several columns may belong to one field (a category's one-hot columns).
				const columnField = Array.from({ length: columns }, (_, j) => (j < fields ? j : Math.floor(random() * fields)));
				const trees = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomTree(random, columns, depth));
				const x = Array.from({ length: columns }, () => Math.round(random() * 10) / 10);
				const shap = makeTreeShap({ initialLogit: 0.3, trees }, Int32Array.from(columnField));
				const out = new Float64Array(fields);
				const logit = shap.explain(Float64Array.from(x), 0, out);
				const expected = bruteForceShapley(0.3, trees, x, columnField, fields);
				for (let f = 0; f < fields; f++) expect(out[f]).toBeCloseTo(expected[f], 9);
				// efficiency: base + Σ φ = the model's log-odds
				expect(shap.base + out.reduce((s, v) => s + v, 0)).toBeCloseTo(logit, 9);
			}),
			{ numRuns: 300 },
		);
	});

	it('deep trees (more than six fields on a path, shares computed per customer) also equal brute force', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
				const random = seededRandom(seed);
				const fields = 8;
				const columnField = Array.from({ length: fields }, (_, j) => j);
				const trees = [randomTree(random, fields, 9), randomTree(random, fields, 8)];
				const x = Array.from({ length: fields }, () => Math.round(random() * 10) / 10);
				const shap = makeTreeShap({ initialLogit: 0, trees }, Int32Array.from(columnField));
				const out = new Float64Array(fields);
				const logit = shap.explain(Float64Array.from(x), 0, out);
				const expected = bruteForceShapley(0, trees, x, columnField, fields);
				for (let f = 0; f < fields; f++) expect(out[f]).toBeCloseTo(expected[f], 9);
				expect(shap.base + out.reduce((s, v) => s + v, 0)).toBeCloseTo(logit, 9);
			}),
			{ numRuns: 40 },
		);
	});

	it('on a fitted model: base + Σ values = the log-odds for every customer, and brute force agrees', () => {
		const random = seededRandom(9);
		const n = 2000;
		const p = 4;
		const x = new Float64Array(n * p);
		const y = new Uint8Array(n);
		for (let i = 0; i < n; i++) {
			for (let j = 0; j < p; j++) x[i * p + j] = random();
			const eta = -1 + 2 * x[i * p] - 1.5 * x[i * p + 1] + (x[i * p + 2] > 0.5 && x[i * p + 3] > 0.5 ? 1 : 0);
			y[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
		}
		const fit = fitGbt(x, p, y, { rounds: 30, maxDepth: 3, minRowsPerLeaf: 20, seed: 3 });
		const columnField = Int32Array.from([0, 1, 2, 3]);
		const shap = makeTreeShap(fit, columnField);
		const out = new Float64Array(p);
		for (let i = 0; i < 20; i++) {
			out.fill(0);
			const logit = shap.explain(x, i * p, out);
			expect(shap.base + out.reduce((s, v) => s + v, 0)).toBeCloseTo(logit, 10);
			const row = Array.from(x.subarray(i * p, i * p + p));
			const expected = bruteForceShapley(fit.initialLogit, fit.trees as CoveredTree[], row, [0, 1, 2, 3], p);
			for (let f = 0; f < p; f++) expect(out[f]).toBeCloseTo(expected[f], 9);
		}
		// covers add up: every split's customers are its children's
		for (const tree of fit.trees) {
			tree.feature.forEach((f, node) => {
				if (f >= 0) expect(tree.cover![tree.left[node]] + tree.cover![tree.right[node]]).toBe(tree.cover![node]);
			});
		}
	});

	it('refuses a model whose trees carry no covers (trained by an older version)', () => {
		const tree: Tree = { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0.1] };
		expect(() => makeTreeShap({ initialLogit: 0, trees: [tree] }, Int32Array.from([0]))).toThrow(TreeShapError);
		expect(() => makeTreeShap({ initialLogit: 0, trees: [tree] }, Int32Array.from([0]))).toThrow(/train it again/);
	});
});
