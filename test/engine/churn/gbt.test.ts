import { fitGbt, GBT_DEFAULTS, pathContributions, predictLogit, REFIT_AUTO_MAX_ROWS } from '../../../nodes/engine/churn/gbt';
import { rocAuc } from '../../../nodes/engine/churn/metrics';
import { normal, seededRandom, stratifiedSplit } from '../../../nodes/shared/random';
import { generateLogistic } from './generated';

describe('gradient-boosted trees', () => {
	it('one split on a step function: hand-computed Newton leaf values', () => {
		// x ≤ 0.5 → 3 retained, x > 0.5 → 3 churned; base rate ½ → initial logit 0, μ = ½.
		// Left leaf: G = Σ(μ − y) = 1.5, H = Σ μ(1−μ) = 0.75, value = −G/(H+λ) × η = −1.5/1.75 × 0.5.
		const x = Float64Array.from([0, 0.1, 0.2, 0.8, 0.9, 1]);
		const y = [0, 0, 0, 1, 1, 1];
		const fit = fitGbt(x, 1, y, { rounds: 1, maxDepth: 1, minRowsPerLeaf: 1, l2: 1, learningRate: 0.5, earlyStoppingRounds: 0, subsample: 1 });
		const tree = fit.trees[0];
		expect(fit.initialLogit).toBeCloseTo(0, 12);
		expect(tree.feature).toEqual([0, -1, -1]);
		expect(tree.threshold[0]).toBeCloseTo(0.5, 12);
		expect(tree.value[1]).toBeCloseTo((-1.5 / 1.75) * 0.5, 12);
		expect(tree.value[2]).toBeCloseTo((1.5 / 1.75) * 0.5, 12);
		expect(tree.value[0]).toBeCloseTo(0, 12); // G = 0 at the root
	});

	it('learns an interaction a linear model cannot (XOR-like): AUC near the best possible 0.9', () => {
		const random = seededRandom(3);
		const n = 4000;
		const x = new Float64Array(n * 2);
		const y = new Uint8Array(n);
		for (let i = 0; i < n; i++) {
			const a = normal(random);
			const b = normal(random);
			x[i * 2] = a;
			x[i * 2 + 1] = b;
			y[i] = random() < (a * b > 0 ? 0.9 : 0.1) ? 1 : 0;
		}
		const fit = fitGbt(x, 2, y, { rounds: 100, maxDepth: 2, learningRate: 0.2, earlyStoppingRounds: 0 });
		const scores = Array.from({ length: n }, (_, i) => predictLogit(fit, x, i * 2));
		// Best possible AUC: churned from the same-sign half (0.9) against retained from the other half (0.9)
		// → 0.81, plus half the tied pairs 0.5 × (0.09 + 0.09) = 0.9. A linear score has AUC ≈ 0.5 here.
		const auc = rocAuc(scores, y).value!;
		expect(auc).toBeGreaterThan(0.87);
		expect(auc).toBeLessThan(0.93);
		const linear = Array.from({ length: n }, (_, i) => x[i * 2] + x[i * 2 + 1]);
		expect(Math.abs(rocAuc(linear, y).value! - 0.5)).toBeLessThan(0.05);
	});

	it('path contributions sum to the logit exactly: base + Σ contributions = logit', () => {
		const data = generateLogistic(3000, -0.5, [1, -1, 0.5, 0], 11);
		const fit = fitGbt(data.x, 4, data.y, { rounds: 60, maxDepth: 3, earlyStoppingRounds: 0 });
		const c = new Float64Array(4);
		for (let i = 0; i < 200; i++) {
			c.fill(0);
			const logit = pathContributions(fit, data.x, i * 4, c);
			expect(logit).toBeCloseTo(predictLogit(fit, data.x, i * 4), 12);
			expect(fit.base + c.reduce((s, v) => s + v, 0)).toBeCloseTo(logit, 10);
		}
		// The unused column (β = 0) gets far less credit than the strongest one.
		expect(fit.gainByColumn[3]).toBeLessThan(fit.gainByColumn[0] / 10);
	});

	it('early stopping stops on pure noise and keeps the best round', () => {
		const random = seededRandom(9);
		const n = 2000;
		const x = Float64Array.from({ length: n * 3 }, () => normal(random));
		const y = Uint8Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
		const fit = fitGbt(x, 3, y, { rounds: 500, earlyStoppingRounds: 10, seed: 1, refit: false });
		expect(fit.roundsRun).toBeLessThan(500);
		expect(fit.trees.length).toBe(fit.bestRound);
		const best = Math.min(...fit.earlyStoppingLoss);
		expect(fit.earlyStoppingLoss[fit.bestRound - 1]).toBe(best);
	});

	it('with balanced class weights the early-stopping loss weighs its rows like the trees do', () => {
		// 10 % churners: the balanced weights are n/(2·positives) and n/(2·negatives) of the growing rows.
		const data = generateLogistic(3000, -2.5, [1, -1, 0.5], 21);
		const options = { rounds: 25, earlyStoppingRounds: 1000, earlyStoppingFraction: 0.2, seed: 5, refit: false, classWeighting: 'balanced' as const };
		const fit = fitGbt(data.x, 3, data.y, options);
		const { train, test } = stratifiedSplit(data.y, 0.2, 5);
		const positives = train.filter((i) => data.y[i]).length;
		const wp = train.length / (2 * positives);
		const wn = train.length / (2 * (train.length - positives));
		expect(wp / wn).toBeGreaterThan(5);
		// Independent: the weighted mean log loss of the held-back rows after the kept rounds.
		let loss = 0;
		let total = 0;
		for (const i of test) {
			const p = 1 / (1 + Math.exp(-predictLogit(fit, data.x, i * 3)));
			const w = data.y[i] ? wp : wn;
			loss += -w * (data.y[i] ? Math.log(p) : Math.log(1 - p));
			total += w;
		}
		expect(fit.trees.length).toBe(fit.bestRound);
		expect(fit.earlyStoppingLoss[fit.bestRound - 1]).toBeCloseTo(loss / total, 10);
	});

	it('subsampled trees: contributions still sum to the logit, every row moves, and a seed fixes the sample', () => {
		const data = generateLogistic(3000, -0.5, [1, -1, 0.5, 0], 12);
		const options = { rounds: 40, maxDepth: 3, subsample: 0.5, earlyStoppingRounds: 0, seed: 3 };
		const fit = fitGbt(data.x, 4, data.y, options);
		const c = new Float64Array(4);
		for (let i = 0; i < 300; i++) {
			c.fill(0);
			const logit = pathContributions(fit, data.x, i * 4, c);
			expect(fit.base + c.reduce((s, v) => s + v, 0)).toBeCloseTo(logit, 10);
		}
		// Rows outside a tree's sample are scored by it too: training AUC is close to the true model's.
		const scores = Array.from({ length: 3000 }, (_, i) => predictLogit(fit, data.x, i * 4));
		expect(rocAuc(scores, data.y).value!).toBeGreaterThan(rocAuc(data.trueLogit, data.y).value! - 0.03);
		expect(JSON.stringify(fitGbt(data.x, 4, data.y, options))).toBe(JSON.stringify(fit));
		expect(JSON.stringify(fitGbt(data.x, 4, data.y, { ...options, seed: 4 }))).not.toBe(JSON.stringify(fit));
	});

	it("refit 'auto' (the default) refits on small data only", () => {
		expect(GBT_DEFAULTS.refit).toBe('auto');
		const data = generateLogistic(2000, 0, [1, 1], 6);
		const options = { rounds: 200, earlyStoppingRounds: 10, seed: 2 };
		const auto = fitGbt(data.x, 2, data.y, options);
		const refit = fitGbt(data.x, 2, data.y, { ...options, refit: true });
		const kept = fitGbt(data.x, 2, data.y, { ...options, refit: false });
		expect(JSON.stringify(auto)).toBe(JSON.stringify(refit));
		expect(auto.trees.length).toBe(auto.bestRound);
		// Without refit the trees grow on the rows not held back: another start (their churn rate).
		expect(kept.bestRound).toBe(auto.bestRound);
		expect(kept.initialLogit).not.toBe(auto.initialLogit);
		// Beyond REFIT_AUTO_MAX_ROWS, 'auto' keeps the early-stopped trees (training time).
		const big = generateLogistic(REFIT_AUTO_MAX_ROWS + 1000, 0, [1], 7);
		const bigOptions = { rounds: 5, earlyStoppingRounds: 2, seed: 2 };
		expect(JSON.stringify(fitGbt(big.x, 1, big.y, bigOptions))).toBe(JSON.stringify(fitGbt(big.x, 1, big.y, { ...bigOptions, refit: false })));
	});

	it('is reproducible: the same seed gives the same trees', () => {
		const data = generateLogistic(1500, 0, [1, 1], 4);
		const a = fitGbt(data.x, 2, data.y, { rounds: 50, seed: 5 });
		const b = fitGbt(data.x, 2, data.y, { rounds: 50, seed: 5 });
		expect(JSON.stringify(a)).toBe(JSON.stringify(b));
	});
});

describe('binning of a count with many ties and a long tail', () => {
	it('keeps a cut between 0 and 1 login when 40 % have 0 and the field has 800+ distinct values', () => {
		// Second review of the models: quantile cuts that fell inside a run of ties were dropped, so 0–37
		// logins shared one bin and the trees could not see that "no logins" is what predicts churn.
		const random = seededRandom(7);
		const n = 10_000;
		const x = new Float64Array(n);
		const y = new Uint8Array(n);
		for (let i = 0; i < n; i++) {
			const u = random();
			x[i] = u < 0.4 ? 0 : u < 0.9 ? 1 + Math.floor(random() * 10) : 11 + Math.floor(random() * 2000);
			y[i] = random() < (x[i] === 0 ? 0.6 : 0.1) ? 1 : 0;
		}
		const train = Array.from({ length: 8000 }, (_, i) => i);
		const test = Array.from({ length: 2000 }, (_, i) => 8000 + i);
		const fit = fitGbt(x, 1, y, { seed: 42 }, train);
		const p = (v: number) => 1 / (1 + Math.exp(-predictLogit(fit, Float64Array.of(v), 0)));
		// The truth: 0.6 at 0 logins, 0.1 otherwise. The rule "0 logins" alone ranks at about 0.79.
		expect(p(0)).toBeGreaterThan(0.5);
		expect(p(1)).toBeLessThan(0.15);
		expect(rocAuc(test.map((i) => predictLogit(fit, x, i)), test.map((i) => y[i])).value!).toBeGreaterThan(0.75);
	});
});

