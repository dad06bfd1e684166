import fc from 'fast-check';

import { classWeights, fitLogistic, sigmoid, softplus } from '../../../nodes/engine/churn/logistic';
import { rocAuc } from '../../../nodes/engine/churn/metrics';
import { seededRandom } from '../../../nodes/shared/random';
import { generateLogistic } from './generated';

describe('logistic regression', () => {
	const intercept = -1.2;
	const beta = [1.5, -0.8, 0.5, 0, 0.25];
	const n = 20000;
	const data = generateLogistic(n, intercept, beta, 2024);
	const p = beta.length;

	it('recovers the generating coefficients (no penalty), within 4 standard errors', () => {
		const fit = fitLogistic(data.x, p, data.y, { l2: 0 });
		expect(fit.converged).toBe(true);
		expect(fit.iterations).toBeLessThan(15);
		// Standard error of a coefficient here is about 1 / sqrt(n × E[μ(1−μ)]) ≈ 1/sqrt(20000 × 0.15) ≈ 0.018.
		expect(fit.intercept).toBeCloseTo(intercept, 1);
		expect(Math.abs(fit.intercept - intercept)).toBeLessThan(0.08);
		fit.coefficients.forEach((b, j) => expect(Math.abs(b - beta[j])).toBeLessThan(0.08));
	});

	it("ranks customers as well as the generating model (AUC within 0.005 of the true model's)", () => {
		const fit = fitLogistic(data.x, p, data.y, { l2: 1 });
		const fitted = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			let eta = fit.intercept;
			for (let j = 0; j < p; j++) eta += fit.coefficients[j] * data.x[i * p + j];
			fitted[i] = eta;
		}
		const trueAuc = rocAuc(data.trueLogit, data.y).value!;
		const fittedAuc = rocAuc(fitted, data.y).value!;
		expect(trueAuc).toBeGreaterThan(0.75);
		expect(Math.abs(fittedAuc - trueAuc)).toBeLessThan(0.005);
	});

	it('solves the penalised score equations: Σ s(μ − y)x + λβ = 0 (an optimality check, not a re-fit)', () => {
		for (const [l2, classWeighting] of [
			[0.5, 'none'],
			[10, 'balanced'],
		] as const) {
			const fit = fitLogistic(data.x, p, data.y, { l2, classWeighting });
			const w = classWeights(data.y, classWeighting);
			const grad = new Float64Array(p + 1);
			for (let i = 0; i < n; i++) {
				let eta = fit.intercept;
				for (let j = 0; j < p; j++) eta += fit.coefficients[j] * data.x[i * p + j];
				const r = w[i] * (sigmoid(eta) - data.y[i]);
				grad[0] += r;
				for (let j = 0; j < p; j++) grad[j + 1] += r * data.x[i * p + j];
			}
			for (let j = 0; j < p; j++) grad[j + 1] += l2 * fit.coefficients[j];
			for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6 * n);
		}
	});

	it('solves the score equations also with mostly-zero columns and a subset of rows (property)', () => {
		// Columns of every kind of sparsity: dense numbers, one-hot levels, a rare flag, a mostly-zero amount
		// (values other than 1) and an all-zero column; only the rows listed in `rows` are fitted.
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.05, max: 20, noNaN: true }), fc.boolean(), (seed, l2, balanced) => {
				const random = seededRandom(seed);
				const rowsIn = 400;
				const width = 8;
				const x = new Float64Array(rowsIn * width);
				const y = new Uint8Array(rowsIn);
				for (let i = 0; i < rowsIn; i++) {
					const o = i * width;
					x[o] = random() * 4 - 2;
					x[o + 1] = random() - 0.5;
					x[o + 2 + Math.floor(random() * 3)] = 1; // one-hot: columns 2, 3, 4
					x[o + 5] = random() < 0.03 ? 1 : 0;
					x[o + 6] = random() < 0.2 ? 1 + random() * 9 : 0;
					// column 7 stays 0
					y[i] = random() < sigmoid(-0.5 + x[o] - x[o + 3] + 0.2 * x[o + 6]) ? 1 : 0;
				}
				const rows = Array.from({ length: rowsIn }, (_, i) => i).filter((i) => i % 5 !== 2);
				const classWeighting = balanced ? 'balanced' : 'none';
				const fit = fitLogistic(x, width, y, { l2, classWeighting }, rows);
				expect(fit.converged).toBe(true);
				const labels = rows.map((i) => y[i]);
				const w = classWeights(labels, classWeighting);
				const grad = new Float64Array(width + 1);
				rows.forEach((i, k) => {
					let eta = fit.intercept;
					for (let j = 0; j < width; j++) eta += fit.coefficients[j] * x[i * width + j];
					const r = w[k] * (sigmoid(eta) - labels[k]);
					grad[0] += r;
					for (let j = 0; j < width; j++) grad[j + 1] += r * x[i * width + j];
				});
				for (let j = 0; j < width; j++) grad[j + 1] += l2 * fit.coefficients[j];
				for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6 * rows.length);
				expect(fit.coefficients[7]).toBe(0);
			}),
			{ numRuns: 40 },
		);
	});

	it('balanced class weights: the weighted share of churn predicted equals one half', () => {
		const fit = fitLogistic(data.x, p, data.y, { l2: 1, classWeighting: 'balanced' });
		const w = classWeights(data.y, 'balanced');
		let predicted = 0;
		let total = 0;
		for (let i = 0; i < n; i++) {
			let eta = fit.intercept;
			for (let j = 0; j < p; j++) eta += fit.coefficients[j] * data.x[i * p + j];
			predicted += w[i] * sigmoid(eta);
			total += w[i];
		}
		expect(predicted / total).toBeCloseTo(0.5, 6);
	});

	it('a stronger penalty shrinks the coefficients (property over λ)', () => {
		const small = generateLogistic(500, 0, [1, -1], 5);
		fc.assert(
			fc.property(fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: 1.5, max: 10, noNaN: true }), (l2, factor) => {
				const a = fitLogistic(small.x, 2, small.y, { l2 });
				const b = fitLogistic(small.x, 2, small.y, { l2: l2 * factor });
				const norm = (c: number[]) => Math.hypot(...c);
				expect(norm(b.coefficients)).toBeLessThanOrEqual(norm(a.coefficients) + 1e-9);
			}),
			{ numRuns: 25 },
		);
	});

	it('stays finite on separable data (the penalty bounds the coefficients)', () => {
		const x = Float64Array.from([-2, -1, 1, 2]);
		const fit = fitLogistic(x, 1, [0, 0, 1, 1], { l2: 1 });
		expect(Number.isFinite(fit.coefficients[0])).toBe(true);
		expect(fit.coefficients[0]).toBeGreaterThan(0);
	});

	it('without a penalty, quasi-separated data has no optimum and the fit says so', () => {
		// Column 2 is 1 only for churned rows (every one of them churns): its coefficient can grow for ever.
		const rows = [
			[0.1, 0], [0.4, 0], [0.9, 0], [0.3, 0], [0.7, 0], [0.2, 0],
			[0.5, 1], [0.6, 1], [0.8, 0], [0.35, 0], [0.65, 1], [0.15, 0],
		];
		const labels = [0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0];
		const x = Float64Array.from(rows.flat());
		expect(fitLogistic(x, 2, labels, { l2: 0 }).converged).toBe(false);
		// A little L2 gives an optimum again.
		expect(fitLogistic(x, 2, labels, { l2: 0.01 }).converged).toBe(true);
	});

	it('softplus and sigmoid do not overflow', () => {
		expect(softplus(1000)).toBe(1000);
		expect(softplus(-1000)).toBe(0);
		expect(sigmoid(-1000)).toBe(0);
		expect(sigmoid(1000)).toBe(1);
	});
});
