/** Holdout validation on CDNOW against FHL 2005 (Figure 4 and the correlation quoted in models.md). */
import { fitBgNbd } from '../../../nodes/engine/clv/bgnbd';
import { compareHoldout } from '../../../nodes/engine/clv/validate';
import { cdnowSummaries } from './cdnow';

describe('BG/NBD holdout comparison on CDNOW (39 + 39 weeks)', () => {
	const s = cdnowSummaries();
	const model = fitBgNbd(s, { timeUnit: 'weeks' });
	const report = compareHoldout(model, s, s.holdoutLength);

	it('mean holdout purchases by calibration frequency x = 0..5 match the paper (2 decimals, ±0.01)', () => {
		const actual = [0.24, 0.7, 1.39, 1.56, 2.53, 2.95];
		const predicted = [0.23, 0.52, 1.04, 1.52, 2.16, 2.65];
		for (let x = 0; x <= 5; x++) {
			const row = report.table.find((r) => r.frequency === x)!;
			expect(Math.abs(row.actualMean - actual[x])).toBeLessThanOrEqual(0.005 + 1e-9);
			expect(Math.abs(row.predictedMean - predicted[x])).toBeLessThanOrEqual(0.01);
		}
	});

	it('correlation ≈ 0.63, mean P(alive) ≈ 0.813, totals and MAE consistent', () => {
		expect(report.correlation!.toFixed(2)).toBe('0.63');
		expect(report.meanProbabilityAlive.toFixed(3)).toBe('0.813');
		expect(report.actualTotal).toBe(1882);
		expect(report.customers).toBe(2357);
		let mae = 0;
		for (let i = 0; i < s.frequency.length; i++) mae += Math.abs(report.predicted[i] - s.holdoutPurchases[i]);
		expect(report.meanAbsoluteError).toBeCloseTo(mae / s.frequency.length, 12);
		expect(report.table.reduce((n, r) => n + r.customers, 0)).toBe(2357);
		expect(report.table[report.table.length - 1].orMore).toBe(true);
	});

	it('correlation is null (not NaN) when every prediction is the same', () => {
		const same = compareHoldout(model, { frequency: [0, 0], recency: [0, 0], T: [10, 10], holdoutPurchases: [0, 3] }, 10);
		expect(same.correlation).toBeNull();
	});
});
