import fc from 'fast-check';

import {
	averagePrecision,
	brierScore,
	calibrationTable,
	logLoss,
	placementValues,
	rocAuc,
	rocAucWithInterval,
	validationReport,
} from '../../../nodes/engine/churn/metrics';
import { ASAH } from './aSAH';
import { pairAuc } from './generated';

/** Customers with scores on a few levels (many ties) and random churn flags, at least `each` of either class. */
const tiedCustomers = (levels: number, each: number, maxLength: number) =>
	fc
		.array(fc.tuple(fc.integer({ min: 0, max: levels }), fc.boolean()), { minLength: 2 * each, maxLength })
		.map((rows) => ({ scores: rows.map((r) => r[0] / levels), labels: rows.map((r) => (r[1] ? 1 : 0)) }))
		.filter(({ labels }) => Math.min(labels.filter(Boolean).length, labels.filter((l) => !l).length) >= each);

describe('ROC AUC', () => {
	it('matches the scikit-learn documentation example (0.75)', () => {
		expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]).value).toBeCloseTo(0.75, 12);
	});

	it('counts ties as one half: hand case', () => {
		// positives 0.5, 0.9; negatives 0.5, 0.1 → pairs: (0.5,0.5)=½, (0.5,0.1)=1, (0.9,0.5)=1, (0.9,0.1)=1 → 3.5/4
		expect(rocAuc([0.5, 0.9, 0.5, 0.1], [1, 1, 0, 0]).value).toBeCloseTo(0.875, 12);
		expect(rocAuc([1, 1, 1, 1], [1, 0, 1, 0]).value).toBe(0.5);
	});

	it('is null with a reason when one class is absent', () => {
		const r = rocAuc([0.1, 0.2], [1, 1]);
		expect(r.value).toBeNull();
		expect(r.reason).toMatch(/both/);
	});

	it('equals the pair-counting definition, on scores with many ties (property)', () => {
		fc.assert(
			fc.property(
				tiedCustomers(5, 1, 60),
				({ scores, labels }) => {
					expect(rocAuc(scores, labels).value).toBeCloseTo(pairAuc(scores, labels), 12);
					// reversing the ranking mirrors the AUC
					expect(rocAuc(scores.map((s) => -s), labels).value).toBeCloseTo(1 - pairAuc(scores, labels), 12);
				},
			),
		);
	});
});

/**
 * DeLong's structural components by their definition, pair by pair (O(m·n)): V10 of a churned customer is
 * the mean over retained customers of ψ(churned score, retained score), V01 of a retained customer the mean
 * over churned customers, ψ(x, y) = 1 if x > y, ½ if equal, 0 if below; var = S10 / m + S01 / n.
 */
function bruteForceDeLong(scores: number[], labels: number[]) {
	const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
	const churnedScores = scores.filter((_, i) => labels[i]);
	const retainedScores = scores.filter((_, i) => !labels[i]);
	const v10 = churnedScores.map((x) => retainedScores.reduce((s, y) => s + psi(x, y), 0) / retainedScores.length);
	const v01 = retainedScores.map((y) => churnedScores.reduce((s, x) => s + psi(x, y), 0) / churnedScores.length);
	const auc = v10.reduce((s, v) => s + v, 0) / v10.length;
	const s10 = v10.reduce((s, v) => s + (v - auc) ** 2, 0) / (v10.length - 1);
	const s01 = v01.reduce((s, v) => s + (v - auc) ** 2, 0) / (v01.length - 1);
	return { v10, v01, auc, variance: s10 / v10.length + s01 / v01.length };
}

const sorted = (values: ArrayLike<number>) => Array.from(values).sort((a, b) => a - b);
const logit = (p: number) => Math.log(p / (1 - p));

describe('ROC AUC: 95 % confidence interval (DeLong variance, logit scale)', () => {
	it('hand case: 3 churned, 4 retained, one tie', () => {
		// churned 0.9, 0.6, 0.4; retained 0.6, 0.5, 0.3, 0.2 (0.6 is tied across the classes)
		// V10 (share of the 4 retained below, a tie ½): 0.9 → 4/4 = 1; 0.6 → (3 + ½)/4 = 7/8; 0.4 → 2/4 = ½
		// V01 (share of the 3 churned above, a tie ½): 0.6 → (1 + ½)/3 = ½; 0.5 → 2/3; 0.3 → 1; 0.2 → 1
		// AUC = mean V10 = (24 + 21 + 12) / 72 = 19/24 = mean V01 = (12 + 16 + 24 + 24) / 96 ✓
		// In 24ths, V10 − AUC = +5, +2, −7 → S10 = (25 + 4 + 49) / 576 / (3 − 1) = 39/576
		//            V01 − AUC = −7, −3, +5, +5 → S01 = (49 + 9 + 25 + 25) / 576 / (4 − 1) = 36/576
		// var = S10 / 3 + S01 / 4 = 13/576 + 9/576 = 22/576 = 11/288, SE = √(11/288) = 0.19543…
		const scores = [0.9, 0.6, 0.4, 0.6, 0.5, 0.3, 0.2];
		const labels = [1, 1, 1, 0, 0, 0, 0];
		const { churned, retained } = placementValues(scores, labels);
		expect(sorted(churned)).toEqual([0.5, 0.875, 1]);
		expect(sorted(retained)).toEqual([0.5, 2 / 3, 1, 1]);
		const r = rocAucWithInterval(scores, labels);
		expect(r.value).toBeCloseTo(19 / 24, 12);
		expect(r.interval!.standardError).toBeCloseTo(Math.sqrt(11 / 288), 12);
		// logit(19/24) = ln(19/5); half-width 1.959964 · SE / (19/24 · 5/24) on the logit scale
		const half = (1.959963984540054 * Math.sqrt(11 / 288)) / ((19 / 24) * (5 / 24));
		expect(r.interval!.low).toBeCloseTo(1 / (1 + Math.exp(-(Math.log(19 / 5) - half))), 12);
		expect(r.interval!.high).toBeCloseTo(1 / (1 + Math.exp(-(Math.log(19 / 5) + half))), 12);
		expect(r.interval!.low).toBeCloseTo(0.2714, 4);
		expect(r.interval!.high).toBeCloseTo(0.9749, 4);
		expect(r.interval!.level).toBe(0.95);
	});

	it('equals the pair-by-pair structural components and variance, on scores with many ties (property)', () => {
		fc.assert(
			fc.property(
				tiedCustomers(6, 2, 80),
				({ scores, labels }) => {
					const brute = bruteForceDeLong(scores, labels);
					const { churned, retained } = placementValues(scores, labels);
					sorted(churned).forEach((v, k) => expect(v).toBeCloseTo(sorted(brute.v10)[k], 12));
					sorted(retained).forEach((v, k) => expect(v).toBeCloseTo(sorted(brute.v01)[k], 12));
					const r = rocAucWithInterval(scores, labels);
					expect(r.value).toBeCloseTo(brute.auc, 12);
					if (brute.variance === 0) {
						expect(r.interval).toBeNull();
						expect(r.intervalReason).toMatch(/standard error is 0/);
						return;
					}
					const { low, high, standardError } = r.interval!;
					expect(standardError).toBeCloseTo(Math.sqrt(brute.variance), 12);
					// inside (0, 1), around the AUC, symmetric on the logit scale
					expect(0 < low && low < r.value! && r.value! < high && high < 1).toBe(true);
					expect(logit(low) + logit(high)).toBeCloseTo(2 * logit(r.value!), 9);
				},
			),
			{ numRuns: 300 },
		);
	});

	it("reproduces pROC's DeLong variances and interval on its aSAH data (three markers, many ties)", () => {
		const cases: Array<[keyof typeof ASAH, number, number]> = [
			['wfns', 0.823678861788618, 0.00146991470882363],
			['ndka', 0.611957994579946, 0.0031908105493913],
			['s100b', 0.731368563685637, 0.00266868245717244],
		];
		for (const [marker, auc, variance] of cases) {
			const r = rocAucWithInterval(ASAH[marker], ASAH.poor);
			expect(r.value).toBeCloseTo(auc, 12);
			expect(r.interval!.standardError ** 2).toBeCloseTo(variance, 14);
			expect(r.interval!.standardError ** 2 / variance).toBeCloseTo(1, 10);
		}
		// pROC's interval is AUC ± Φ⁻¹(0.975) · SE on the AUC scale: the same SE and quantile give it back.
		const ndka = rocAucWithInterval(ASAH.ndka, ASAH.poor);
		expect(ndka.value! - 1.959963984540054 * ndka.interval!.standardError).toBeCloseTo(0.501244999271703, 12);
		expect(ndka.value! + 1.959963984540054 * ndka.interval!.standardError).toBeCloseTo(0.722670989888189, 12);
		// ours, on the logit scale, is shifted towards 0.5 and narrower above: 0.4973 to 0.7154
		expect(ndka.interval!.low).toBeCloseTo(0.4973, 4);
		expect(ndka.interval!.high).toBeCloseTo(0.7154, 4);
	});

	it('stays below 1 near AUC = 1, where AUC + 1.96 · SE would not', () => {
		// 5 churned, 5 retained; one retained customer (0.85) outranks one churned (0.8): AUC = 24/25
		const r = rocAucWithInterval([0.9, 0.95, 0.8, 0.99, 0.92, 0.1, 0.2, 0.3, 0.85, 0.4], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
		expect(r.value).toBeCloseTo(0.96, 12);
		expect(r.value! + 1.96 * r.interval!.standardError).toBeGreaterThan(1);
		expect(r.interval!.high).toBeLessThan(1);
		expect(r.interval!.low).toBeLessThan(0.96);
	});

	it('is null with a reason, never NaN, when it is undefined', () => {
		const fewChurned = rocAucWithInterval([0.9, 0.1, 0.2, 0.3], [1, 0, 0, 0]);
		expect(fewChurned).toEqual({
			value: 1,
			interval: null,
			intervalReason: 'the 95 % interval needs at least 2 churned and 2 retained held-out customers (there are 1 and 3)',
		});
		expect(rocAucWithInterval([0.9, 0.8, 0.7, 0.3], [1, 1, 1, 0]).intervalReason).toMatch(/there are 3 and 1\)$/);
		// perfectly separated, reversed, all tied: every placement value alike, SE = 0
		for (const scores of [[0.9, 0.8, 0.2, 0.1], [0.1, 0.2, 0.8, 0.9], [0.5, 0.5, 0.5, 0.5]]) {
			const r = rocAucWithInterval(scores, [1, 1, 0, 0]);
			expect(r.interval).toBeNull();
			expect(r.intervalReason).toMatch(/^the 95 % interval is undefined: its standard error is 0/);
		}
		const oneClass = rocAucWithInterval([0.1, 0.2], [1, 1]);
		expect(oneClass).toEqual({ value: null, reason: 'ROC AUC needs both churned and retained customers', interval: null, intervalReason: 'ROC AUC needs both churned and retained customers' });
		const empty = validationReport([], []);
		expect(empty.rocAuc.interval).toBeNull();
		expect(JSON.stringify(validationReport([0.9, 0.9, 0.1], [1, 0, 0]))).not.toMatch(/NaN|Infinity/);
	});
});

describe('average precision (PR AUC)', () => {
	it('matches the scikit-learn documentation example (0.8333…)', () => {
		expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]).value).toBeCloseTo(5 / 6, 12);
	});

	it('hand case with a tie at the top: one threshold, precision 1/2 at recall 1/2', () => {
		// scores: 0.9 (pos), 0.9 (neg), 0.2 (pos), 0.1 (neg)
		// threshold 0.9: TP 1, seen 2 → P ½, R ½ ; threshold 0.2: TP 2, seen 3 → P ⅔, R 1
		// AP = ½ × ½ + ½ × ⅔ = 7/12
		expect(averagePrecision([0.9, 0.9, 0.2, 0.1], [1, 0, 1, 0]).value).toBeCloseTo(7 / 12, 12);
	});

	it('is 1 for a perfect ranking and the base rate for a constant score', () => {
		expect(averagePrecision([0.9, 0.8, 0.1, 0.2, 0.3], [1, 1, 0, 0, 0]).value).toBeCloseTo(1, 12);
		expect(averagePrecision([0.5, 0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0, 0]).value).toBeCloseTo(0.4, 12);
	});

	it('is null without churned customers', () => {
		expect(averagePrecision([0.1, 0.2], [0, 0]).value).toBeNull();
	});
});

describe('Brier score, log loss and calibration', () => {
	it('Brier: hand case', () => {
		// (0.9−1)² + (0.2−0)² + (0.6−1)² + (0.5−0)² = 0.01 + 0.04 + 0.16 + 0.25 = 0.46 → /4
		expect(brierScore([0.9, 0.2, 0.6, 0.5], [1, 0, 1, 0]).value).toBeCloseTo(0.115, 12);
		expect(brierScore([], []).value).toBeNull();
	});

	it('log loss: hand case', () => {
		expect(logLoss([0.5, 0.5], [1, 0]).value).toBeCloseTo(Math.log(2), 12);
		// clipping keeps it finite for a confident mistake
		expect(Number.isFinite(logLoss([0], [1]).value)).toBe(true);
	});

	it('calibration bands: hand case', () => {
		const rows = calibrationTable([0.05, 0.15, 0.12, 0.95, 1], [0, 1, 0, 1, 1], 10);
		expect(rows).toEqual([
			{ from: 0, to: 0.1, customers: 1, meanPredicted: 0.05, observedChurnRate: 0 },
			{ from: 0.1, to: 0.2, customers: 2, meanPredicted: expect.closeTo(0.135, 12), observedChurnRate: 0.5 },
			{ from: 0.9, to: 1, customers: 2, meanPredicted: 0.975, observedChurnRate: 1 },
		]);
	});

	it('the report has no NaN or Infinity even when everything is undefined', () => {
		const report = validationReport([], []);
		expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
		expect(report.rocAuc.value).toBeNull();
		expect(report.churnRate).toBeNull();
	});
});
