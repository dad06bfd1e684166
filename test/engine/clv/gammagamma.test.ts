/** Gamma-Gamma (Fader & Hardie 2013 note) on the 946 CDNOW repeat buyers: p 6.25, q 3.74, v 15.44. */
import { fitGammaGamma, gammaGammaExpectedSpend } from '../../../nodes/engine/clv/gammagamma';
import { ClvInputError } from '../../../nodes/engine/clv/model';
import { cdnowSummaries, readSummaryWithSpend } from './cdnow';
import { asPublished } from './published';

describe('Gamma-Gamma on CDNOW', () => {
	it('reproduces p 6.25, q 3.74, v 15.44 from the raw transactions (exact mean spends)', () => {
		const s = cdnowSummaries();
		const model = fitGammaGamma(s.frequency, s.meanRepeatSpend, { timeUnit: 'weeks' });
		expect(model.converged).toBe(true);
		expect(model.customersUsed).toBe(946);
		expect([model.params.p, model.params.q, model.params.v].map((v, i) => asPublished(v, ['6.25', '3.74', '15.44'][i]))).toEqual([
			'6.25',
			'3.74',
			'15.44',
		]);
	});

	it('from the summary file (mean spend rounded to cents) p and q agree; v moves to 15.45', () => {
		const file = readSummaryWithSpend();
		const model = fitGammaGamma(file.frequency, file.meanSpend, { timeUnit: 'weeks' });
		expect(asPublished(model.params.p, '6.25')).toBe('6.25');
		expect(asPublished(model.params.q, '3.74')).toBe('3.74');
		expect(Math.abs(model.params.v - 15.44)).toBeLessThan(0.01);
	});

	it('expected average spend of customers 1..10 at (6.25, 3.74, 15.44)', () => {
		const file = readSummaryWithSpend();
		const params = { p: 6.25, q: 3.74, v: 15.44 };
		const exact = [24.664, 18.917, 35.219, 35.219, 35.219, 71.46, 18.917, 35.219, 27.28, 35.219];
		const published = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
		for (let i = 0; i < 10; i++) {
			const value = gammaGammaExpectedSpend(params, file.frequency[i], file.meanSpend[i]);
			expect(Math.abs(value - published[i])).toBeLessThanOrEqual(0.1);
			expect(Math.abs(value - exact[i])).toBeLessThanOrEqual(0.01);
		}
	});

	it('hand-computed: x = 2, m̄ = 20 → p(v + x m̄)/(px + q − 1)', () => {
		expect(gammaGammaExpectedSpend({ p: 2, q: 3, v: 10 }, 2, 20)).toBeCloseTo((2 * (10 + 40)) / (4 + 2), 12);
		// no repeat purchases → the population mean pv/(q−1)
		expect(gammaGammaExpectedSpend({ p: 2, q: 3, v: 10 }, 0, 0)).toBeCloseTo(10, 12);
		// q ≤ 1: the population mean does not exist
		expect(Number.isNaN(gammaGammaExpectedSpend({ p: 2, q: 0.8, v: 10 }, 0, 0))).toBe(true);
	});

	it('leaves out non-positive spends with a warning, and refuses data without repeat buyers', () => {
		const model = fitGammaGamma([1, 2, 3, 2, 1, 4, 2], [10, 0, 12, 8, 15, 9, 11], { timeUnit: 'days' });
		expect(model.warnings.join(' ')).toMatch(/1 repeat buyers with a mean spend ≤ 0/);
		expect(model.warnings.join(' ')).toMatch(/fewer than 30/);
		expect(() => fitGammaGamma([0, 0], [0, 0], { timeUnit: 'days' })).toThrow(ClvInputError);
	});
});
