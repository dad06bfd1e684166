/**
 * How the gradient-boosting defaults (GBT_DEFAULTS in nodes/engine/churn/gbt.ts) were chosen: repeated
 * stratified 5-fold cross-validation on the 80 % TRAINING part of the fixed telco split (seed 42,
 * test/engine/churn/telco.test.ts), never on its 20 % test part. Each fold is encoded from its own
 * training rows (as Train Model does), the trees are grown with early stopping inside the fold's training
 * rows, and the fold's held-out rows are scored; the criterion is the mean ROC AUC over the folds, with
 * L2 = 1 logistic regression on the same folds as the yardstick.
 *
 * Run: npx tsx test/engine/churn/gbtSelection.ts shape        (stage 1 grid)
 *      npx tsx test/engine/churn/gbtSelection.ts stochastic   (stage 2 grid)
 *      npx tsx test/engine/churn/gbtSelection.ts combined     (stage 3 grid)
 *      npx tsx test/engine/churn/gbtSelection.ts refine       (stage 4 grid)
 *      npx tsx test/engine/churn/gbtSelection.ts defaults     (GBT_DEFAULTS only)
 */
import { encodeRows, fitFeatureSchema } from '../../../nodes/engine/churn/encoding';
import { fitGbt, GBT_DEFAULTS, predictLogit, type GbtOptions } from '../../../nodes/engine/churn/gbt';
import { fitLogistic, logitOf } from '../../../nodes/engine/churn/logistic';
import { rocAuc } from '../../../nodes/engine/churn/metrics';
import { seededRandom, shuffled, stratifiedSplit } from '../../../nodes/shared/random';
import { loadTelco } from './telcoData';

/** The split of telco.test.ts: only its training part is used here. */
const SPLIT_SEED = 42;
const FOLDS = 5;
/** Fold assignments: one per repetition of the 5-fold cross-validation. */
const CV_SEEDS = [1, 2, 3];

/** Stratified k-fold: each class shuffled on its own and dealt round-robin into k folds. */
export function stratifiedFolds(labels: ArrayLike<number>, rows: readonly number[], k: number, seed: number): number[][] {
	const random = seededRandom(seed);
	const folds: number[][] = Array.from({ length: k }, () => []);
	for (const cls of [0, 1]) {
		const members = shuffled(
			rows.filter((i) => (labels[i] ? 1 : 0) === cls),
			random,
		);
		members.forEach((i, m) => folds[m % k].push(i));
	}
	return folds.map((f) => f.sort((a, b) => a - b));
}

export interface CvResult {
	name: string;
	meanAuc: number;
	foldAuc: number[];
	meanRounds: number;
}

interface Fold {
	matrix: Float64Array;
	width: number;
	fit: number[];
	held: number[];
	heldLabels: number[];
}

let foldCache: { labels: Uint8Array; folds: Fold[] } | undefined;

/** The folds, each encoded from its own training rows (as Train Model does). */
function cvFolds(): { labels: Uint8Array; folds: Fold[] } {
	if (foldCache) return foldCache;
	const { features, rows, labels } = loadTelco();
	const { train } = stratifiedSplit(labels, 0.2, SPLIT_SEED);
	const out: Fold[] = [];
	for (const cvSeed of CV_SEEDS) {
		const folds = stratifiedFolds(labels, train, FOLDS, cvSeed);
		for (let f = 0; f < FOLDS; f++) {
			const held = folds[f];
			const fit = folds.filter((_, g) => g !== f).flat();
			const schema = fitFeatureSchema(
				features,
				fit.map((i) => rows[i]),
			);
			const { matrix, width } = encodeRows(schema, rows, 'ignore');
			out.push({ matrix, width, fit, held, heldLabels: held.map((i) => labels[i]) });
		}
	}
	foldCache = { labels, folds: out };
	return foldCache;
}

/** Mean held-out ROC AUC of gradient boosting (or logistic regression when `options` is 'lr') over the folds. */
export function crossValidate(name: string, options: GbtOptions | 'lr'): CvResult {
	const { labels, folds } = cvFolds();
	const foldAuc: number[] = [];
	let rounds = 0;
	for (const { matrix, width, fit, held, heldLabels } of folds) {
		let scores: number[];
		if (options === 'lr') {
			const lr = fitLogistic(matrix, width, labels, { l2: 1 }, fit);
			scores = held.map((i) => logitOf(lr.intercept, lr.coefficients, matrix, i * width));
		} else {
			const gbt = fitGbt(matrix, width, labels, { ...options, seed: SPLIT_SEED }, fit);
			rounds += gbt.trees.length;
			scores = held.map((i) => predictLogit(gbt, matrix, i * width));
		}
		foldAuc.push(rocAuc(scores, heldLabels).value!);
	}
	const meanAuc = foldAuc.reduce((s, v) => s + v, 0) / foldAuc.length;
	return { name, meanAuc, foldAuc, meanRounds: rounds / foldAuc.length };
}

/**
 * The grids searched (GBT_DEFAULTS fills what a candidate leaves out). Stage 1: tree shape and learning
 * rate (depth 2); stage 2, at depth 2: row subsampling, refit and the early-stopping settings; stage 3:
 * the best of both combined; stage 4: around the best of stage 3 (deeper, slower, more cautious).
 */
export function candidates(stage: string): Array<[string, GbtOptions]> {
	const out: Array<[string, GbtOptions]> = [];
	if (stage === 'shape') {
		for (const maxDepth of [2, 3])
			for (const learningRate of [0.1, 0.05, 0.03])
				for (const minRowsPerLeaf of [20, 50, 100])
					for (const l2 of [1, 10]) {
						const rounds = Math.round(30 / learningRate);
						out.push([`depth ${maxDepth} lr ${learningRate} leaf ${minRowsPerLeaf} l2 ${l2}`, { maxDepth, learningRate, minRowsPerLeaf, l2, rounds }]);
					}
	} else if (stage === 'refine') {
		for (const maxDepth of [3, 4])
			for (const learningRate of [0.05, 0.03])
				for (const minRowsPerLeaf of [100, 200])
					for (const l2 of [10, 30]) {
						out.push([
							`depth ${maxDepth} lr ${learningRate} leaf ${minRowsPerLeaf} l2 ${l2}, subsample 0.8 refit true stop 0.2/20`,
							{ maxDepth, learningRate, minRowsPerLeaf, l2, rounds: 300, subsample: 0.8, refit: true, earlyStoppingFraction: 0.2, earlyStoppingRounds: 20 },
						]);
					}
	} else if (stage === 'combined') {
		for (const learningRate of [0.1, 0.05])
			for (const minRowsPerLeaf of [50, 100])
				for (const subsample of [1, 0.8, 0.5])
					for (const refit of [false, true]) {
						out.push([
							`depth 3 lr ${learningRate} leaf ${minRowsPerLeaf} l2 10, subsample ${subsample} refit ${refit} stop 0.2/20`,
							{ maxDepth: 3, learningRate, minRowsPerLeaf, l2: 10, rounds: 300, subsample, refit, earlyStoppingFraction: 0.2, earlyStoppingRounds: 20 },
						]);
					}
	} else {
		const shape: GbtOptions = { maxDepth: 2, learningRate: 0.1, minRowsPerLeaf: 50, l2: 10, rounds: 300 };
		for (const subsample of [1, 0.8, 0.5])
			for (const refit of [false, true])
				for (const [earlyStoppingFraction, earlyStoppingRounds] of [
					[0.1, 20],
					[0.2, 20],
					[0.1, 50],
				]) {
					out.push([
						`depth 2 lr 0.1 leaf 50 l2 10, subsample ${subsample} refit ${refit} stop ${earlyStoppingFraction}/${earlyStoppingRounds}`,
						{ ...shape, subsample, refit, earlyStoppingFraction, earlyStoppingRounds },
					]);
				}
	}
	return out;
}

if (require.main === module) {
	const mode = process.argv[2] ?? 'shape';
	const print = (r: CvResult) =>
		console.log(`${r.meanAuc.toFixed(5)}  rounds ${r.meanRounds.toFixed(0).padStart(4)}  ${r.name}`);
	print(crossValidate('logistic regression, L2 = 1', 'lr'));
	if (mode === 'defaults') {
		print(crossValidate('GBT_DEFAULTS', GBT_DEFAULTS));
	} else {
		const results = candidates(mode).map(([name, o]) => {
			const r = crossValidate(name, o);
			print(r);
			return r;
		});
		console.log('best:');
		results.sort((a, b) => b.meanAuc - a.meanAuc).slice(0, 5).forEach(print);
	}
}
