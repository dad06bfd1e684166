/** Parameter recovery: data simulated from known parameters must give them back (within sampling error). */
import { fitBgNbd } from '../../../nodes/engine/clv/bgnbd';
import { fitGammaGamma } from '../../../nodes/engine/clv/gammagamma';
import { fitMbgNbd } from '../../../nodes/engine/clv/mbgnbd';
import { simulateCustomers } from './synthetic';

const truth = { r: 0.5, alpha: 6, a: 0.7, b: 3 };
const spendTruth = { p: 5, q: 4, v: 30 };

describe('recovery from 40,000 simulated customers', () => {
	const data = simulateCustomers(40_000, truth, spendTruth, 7);

	it('BG/NBD recovers r, α, a, b within 12 %', () => {
		const model = fitBgNbd(data, { timeUnit: 'weeks' });
		expect(model.converged).toBe(true);
		for (const [name, value] of Object.entries(truth)) {
			expect(Math.abs(model.params[name] / value - 1)).toBeLessThan(0.12);
		}
		// whole-day purchase times make many customers identical: the rows were merged
		expect(model.distinctRows).toBeLessThan(40_000);
		expect(model.customersUsed).toBe(40_000);
	});

	it('Gamma-Gamma recovers p, q, v within 15 % (p·v/(q−1), the mean spend, within 5 %)', () => {
		const model = fitGammaGamma(data.frequency, data.meanSpend, { timeUnit: 'weeks' });
		expect(model.converged).toBe(true);
		for (const [name, value] of Object.entries(spendTruth)) {
			expect(Math.abs(model.params[name] / value - 1)).toBeLessThan(0.15);
		}
		const { p, q, v } = model.params;
		expect(Math.abs((p * v) / (q - 1) / ((5 * 30) / 3) - 1)).toBeLessThan(0.05);
	});

	it('a wrong model still fits and converges (MBG/NBD on BG/NBD data)', () => {
		expect(fitMbgNbd(data, { timeUnit: 'weeks' }).converged).toBe(true);
	});
});
