/**
 * Extreme inputs give finite, in-range values or a clear error — never NaN or an exception from deep inside;
 * fast-check properties over the whole parameter and data space.
 */
import fc from 'fast-check';

import { bgnbdExpectedPurchases, bgnbdProbabilityAlive, fitBgNbd } from '../../../nodes/engine/clv/bgnbd';
import { mbgnbdExpectedPurchases, mbgnbdProbabilityAlive } from '../../../nodes/engine/clv/mbgnbd';
import { ClvInputError, ModelNotUsableError, mergeIdenticalRows, type ClvModel } from '../../../nodes/engine/clv/model';
import { fitParetoNbd, paretoNbdExpectedPurchases, paretoNbdProbabilityAlive } from '../../../nodes/engine/clv/paretonbd';
import { predictCustomers } from '../../../nodes/engine/clv/predict';
import { fitPurchase } from '../../../nodes/engine/clv/index';

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const params4 = fc.record({ r: positive(0.01, 50), alpha: positive(0.01, 500), a: positive(0.01, 50), b: positive(0.01, 50) });
const pareto = fc.record({ r: positive(0.01, 50), alpha: positive(0.01, 500), s: positive(0.01, 50), beta: positive(0.01, 500) });
const customer = fc
	.record({ x: fc.integer({ min: 0, max: 2000 }), T: positive(0, 500), share: positive(0, 1) })
	.map(({ x, T, share }) => ({ x, T, tx: x === 0 ? 0 : T * share }));

describe('probabilities and expectations are finite and in range for any parameters and data', () => {
	it('BG/NBD and MBG/NBD', () => {
		fc.assert(
			fc.property(params4, customer, positive(0, 1000), (p, c, t) => {
				for (const [alive, expected] of [
					[bgnbdProbabilityAlive, bgnbdExpectedPurchases],
					[mbgnbdProbabilityAlive, mbgnbdExpectedPurchases],
				] as const) {
					const pa = alive(p, c.x, c.tx, c.T);
					expect(pa).toBeGreaterThanOrEqual(0);
					expect(pa).toBeLessThanOrEqual(1);
					const e = expected(p, t, c.x, c.tx, c.T);
					// A horizon hundreds of times α + T puts the series argument within 1e-4 of 1: the engine then
					// reports "did not converge" (NaN, written as null + reason by the node), never a wrong number.
					const z = t / (p.alpha + c.T + t);
					if (z < 0.999) expect(Number.isFinite(e)).toBe(true);
					if (!Number.isNaN(e)) expect(e).toBeGreaterThanOrEqual(-1e-9);
				}
			}),
			{ numRuns: 400 },
		);
	});

	it('Pareto/NBD (both hypergeometric branches)', () => {
		fc.assert(
			fc.property(pareto, customer, positive(0, 1000), (p, c, t) => {
				const pa = paretoNbdProbabilityAlive(p, c.x, c.tx, c.T);
				expect(pa).toBeGreaterThanOrEqual(0);
				expect(pa).toBeLessThanOrEqual(1);
				const e = paretoNbdExpectedPurchases(p, t, c.x, c.tx, c.T);
				expect(Number.isFinite(e)).toBe(true);
				expect(e).toBeGreaterThanOrEqual(0);
			}),
			{ numRuns: 300 },
		);
	});

	it('expected purchases grow with the horizon; P(alive) falls with time since the last purchase', () => {
		fc.assert(
			fc.property(params4, customer, positive(0.01, 300), positive(0.01, 300), (p, c, t1, dt) => {
				const e1 = bgnbdExpectedPurchases(p, t1, c.x, c.tx, c.T);
				const e2 = bgnbdExpectedPurchases(p, t1 + dt, c.x, c.tx, c.T);
				fc.pre(Number.isFinite(e1) && Number.isFinite(e2));
				expect(e2).toBeGreaterThanOrEqual(e1 - 1e-9 * Math.max(1, e1));
				if (c.x > 0) {
					expect(bgnbdProbabilityAlive(p, c.x, c.tx, c.T + dt)).toBeLessThanOrEqual(bgnbdProbabilityAlive(p, c.x, c.tx, c.T) + 1e-12);
				}
			}),
			{ numRuns: 300 },
		);
	});
});

describe('extreme customers', () => {
	const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
	it('x = 1000 with small t_x: dead, zero expected purchases; with t_x = T: very active', () => {
		expect(bgnbdProbabilityAlive(p, 1000, 1, 100)).toBe(0);
		expect(paretoNbdProbabilityAlive({ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }, 1000, 1, 100)).toBe(0);
		const active = bgnbdExpectedPurchases(p, 10, 1000, 100, 100);
		expect(Number.isFinite(active)).toBe(true);
		expect(active).toBeGreaterThan(50);
	});
	it('T = 0 (bought today): P(alive) 1, expected purchases finite', () => {
		expect(bgnbdProbabilityAlive(p, 0, 0, 0)).toBe(1);
		expect(Number.isFinite(bgnbdExpectedPurchases(p, 52, 0, 0, 0))).toBe(true);
		expect(paretoNbdProbabilityAlive({ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }, 0, 0, 0)).toBe(1);
	});
});

describe('fits on degenerate data end in a model or a clear error', () => {
	it('no repeat buyers: a ClvInputError saying so', () => {
		expect(() => fitBgNbd({ frequency: [0, 0, 0], recency: [0, 0, 0], T: [5, 6, 7] }, { timeUnit: 'weeks' })).toThrow(
			/no customer bought more than once/,
		);
	});
	it('empty data and bad rows name the row, field and value', () => {
		expect(() => fitBgNbd({ frequency: [], recency: [], T: [] }, { timeUnit: 'weeks' })).toThrow(ClvInputError);
		expect(() => fitBgNbd({ frequency: [1, -1], recency: [1, 0], T: [2, 2] }, { timeUnit: 'weeks' })).toThrow(
			/row 1: frequency must be a whole number ≥ 0 \(got -1\)/,
		);
		expect(() => fitBgNbd({ frequency: [1], recency: [5], T: [2] }, { timeUnit: 'weeks' })).toThrow(/recency must be between 0 and T/);
		expect(() => fitBgNbd({ frequency: [1], recency: [NaN], T: [2] }, { timeUnit: 'weeks' })).toThrow(/row 0/);
	});
	it.each(['bgnbd', 'paretonbd', 'mbgnbd'] as const)(
		'%s: tiny and all-identical data sets are refused with the reason; a penalizer makes them fit',
		(kind) => {
			const tiny = { frequency: [1, 0, 2], recency: [3, 0, 5], T: [10, 8, 9] };
			const identical = { frequency: Array(50).fill(2), recency: Array(50).fill(4), T: Array(50).fill(10) };
			for (const data of [tiny, identical]) {
				const model = fitPurchase(kind, data, { timeUnit: 'weeks' });
				// No heterogeneity to estimate: the likelihood keeps rising as r, α → ∞ (a Poisson limit).
				expect(model.converged).toBe(false);
				expect(model.convergenceReason).toMatch(/no interior maximum|no progress|line search/);
				expect(model.warnings.join(' ')).toMatch(/penalizer/);
				expect(JSON.parse(JSON.stringify(model))).toEqual(model);
				expect(() => predictCustomers(model, null, data, { horizon: 10, discountRate: 0 })).toThrow(ModelNotUsableError);
				const penalized = fitPurchase(kind, data, { timeUnit: 'weeks', penalizer: 0.01 });
				expect(penalized.converged).toBe(true);
				expect(penalized.penalizer).toBe(0.01);
				const predictions = predictCustomers(penalized, null, data, { horizon: 10, discountRate: 0 });
				for (const v of predictions.expectedPurchases) expect(Number.isFinite(v) && v >= 0).toBe(true);
			}
			expect(fitPurchase(kind, tiny, { timeUnit: 'weeks' }).warnings.join(' ')).toMatch(/only 2 repeat buyers/);
			expect(fitPurchase(kind, identical, { timeUnit: 'weeks' }).distinctRows).toBe(1);
		},
	);
	it('fast-check: any small data set fits to finite parameters or throws ClvInputError', () => {
		const data = fc.array(customer, { minLength: 1, maxLength: 12 });
		fc.assert(
			fc.property(data, fc.constantFrom('bgnbd' as const, 'paretonbd' as const, 'mbgnbd' as const), (rows, kind) => {
				try {
					const model = fitPurchase(
						kind,
						{ frequency: rows.map((c) => c.x), recency: rows.map((c) => c.tx), T: rows.map((c) => c.T) },
						{ timeUnit: 'days' },
					);
					for (const value of Object.values(model.params)) expect(Number.isFinite(value)).toBe(true);
					expect(typeof model.convergenceReason).toBe('string');
				} catch (error) {
					expect(error).toBeInstanceOf(ClvInputError);
				}
			}),
			{ numRuns: 60 },
		);
	});
});

describe('a fit that did not converge is refused for prediction', () => {
	it('predictCustomers throws ModelNotUsableError with the reason', () => {
		const model = fitParetoNbd({ frequency: [1, 0, 3], recency: [3, 0, 5], T: [10, 8, 9] }, { timeUnit: 'weeks' });
		const broken: ClvModel = { ...model, converged: false, convergenceReason: 'stopped after 500 iterations' };
		expect(() => predictCustomers(broken, null, { frequency: [1], recency: [1], T: [2] }, { horizon: 10, discountRate: 0 })).toThrow(
			ModelNotUsableError,
		);
		expect(() => predictCustomers(broken, null, { frequency: [1], recency: [1], T: [2] }, { horizon: 10, discountRate: 0 })).toThrow(
			/did not converge \(stopped after 500 iterations\)/,
		);
	});
});

describe('merging identical rows', () => {
	it('keeps the total weight and one row per distinct (x, t_x, T)', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }), (pairs) => {
				const data = {
					frequency: pairs.map(([x]) => x),
					recency: pairs.map(([x, k]) => (x === 0 ? 0 : k)),
					T: pairs.map(() => 3),
				};
				const rows = mergeIdenticalRows(data);
				expect(rows.totalWeight).toBe(pairs.length);
				expect(rows.n).toBe(new Set(data.frequency.map((x, i) => `${x}/${data.recency[i]}`)).size);
			}),
		);
	});
});
