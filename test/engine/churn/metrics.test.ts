import fc from 'fast-check';

import {
	averagePrecision,
	brierScore,
	calibrationTable,
	logLoss,
	rocAuc,
	validationReport,
} from '../../../nodes/engine/churn/metrics';
import { pairAuc } from './generated';

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
				fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 60 }),
				(rows) => {
					const scores = rows.map((r) => r[0] / 5);
					const labels = rows.map((r) => (r[1] ? 1 : 0));
					const positives = labels.filter(Boolean).length;
					fc.pre(positives > 0 && positives < labels.length);
					expect(rocAuc(scores, labels).value).toBeCloseTo(pairAuc(scores, labels), 12);
					// reversing the ranking mirrors the AUC
					expect(rocAuc(scores.map((s) => -s), labels).value).toBeCloseTo(1 - pairAuc(scores, labels), 12);
				},
			),
		);
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
