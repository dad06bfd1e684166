import fc from 'fast-check';

import {
	SIGNAL_DEFAULTS,
	measureOf,
	scoreBySignals,
	severityOf,
	type SignalDefinition,
	type SignalReading,
} from '../../../nodes/engine/churn/signals';

describe('signal severity', () => {
	it('hand cases: 0 below warning, ½ at warning, linear to 1 at alert, 1 beyond', () => {
		expect(severityOf(0.9, 1, 3, true)).toBe(0);
		expect(severityOf(1, 1, 3, true)).toBe(0.5);
		expect(severityOf(2, 1, 3, true)).toBe(0.75);
		expect(severityOf(3, 1, 3, true)).toBe(1);
		expect(severityOf(30, 1, 3, true)).toBe(1);
		// lower is riskier (NPS 6 → 2)
		expect(severityOf(7, 6, 2, false)).toBe(0);
		expect(severityOf(6, 6, 2, false)).toBe(0.5);
		expect(severityOf(4, 6, 2, false)).toBe(0.75);
		expect(severityOf(0, 6, 2, false)).toBe(1);
		// equal levels: a step
		expect(severityOf(5, 5, 5, true)).toBe(1);
		expect(severityOf(4.99, 5, 5, true)).toBe(0);
	});

	it('measures: ratio to the usual interval, share of usage lost, ticket increase, renewed → no risk', () => {
		const d = (kind: SignalDefinition['kind'], extra: Partial<SignalDefinition> = {}): SignalDefinition => ({
			kind,
			field: 'f',
			weight: 1,
			...SIGNAL_DEFAULTS[kind as Exclude<SignalDefinition['kind'], 'custom'>],
			...extra,
		});
		expect(measureOf(d('daysSincePurchase', { referenceField: 'g' }), { value: 45, reference: 30 })).toEqual({ measure: 1.5 });
		expect(measureOf(d('daysSincePurchase', { usualIntervalDays: 10 }), { value: 45 })).toEqual({ measure: 4.5 });
		expect(measureOf(d('daysSincePurchase', { referenceField: 'g' }), { value: 45, reference: null })).toEqual({ missing: 'referenceMissing' });
		expect(measureOf(d('usageDrop', { referenceField: 'g' }), { value: 30, reference: 40 })).toEqual({ measure: 0.25 });
		expect(measureOf(d('usageDrop', { referenceField: 'g' }), { value: 3, reference: 0 })).toEqual({ missing: 'referenceNotPositive' });
		expect(measureOf(d('ticketsRising', { referenceField: 'g' }), { value: 5, reference: 2 })).toEqual({ measure: 3 });
		expect(measureOf(d('ticketsRising'), { value: 5 })).toEqual({ measure: 5 });
		const renewed = measureOf(d('renewalDue', { referenceField: 'renewed' }), { value: 3, reference: true });
		expect('measure' in renewed && severityOf(renewed.measure, 60, 14, false)).toBe(0);
		expect(measureOf(d('failedPayments'), { value: null })).toEqual({ missing: 'missing' });
	});
});

const definitions: SignalDefinition[] = [
	{ kind: 'daysSincePurchase', field: 'last', referenceField: 'gap', weight: 2, warnAt: 1.5, alertAt: 3 },
	{ kind: 'failedPayments', field: 'failed', weight: 1, warnAt: 1, alertAt: 3 },
	{ kind: 'npsDetractor', field: 'nps', weight: 1.5, warnAt: 6, alertAt: 2 },
	{ kind: 'custom', field: 'x', weight: 0.5, warnAt: 10, alertAt: 20, higherIsRiskier: true },
];

const reading = fc.option(fc.double({ min: 0, max: 200, noNaN: true }), { nil: null });
const customer = fc.tuple(reading, fc.double({ min: 0.5, max: 60, noNaN: true }), reading, reading, reading).map(
	([last, gap, failed, nps, x]): SignalReading[] => [
		{ value: last, reference: gap },
		{ value: failed },
		{ value: nps === null ? null : Math.min(10, nps) },
		{ value: x },
	],
);

describe('signal scores (properties)', () => {
	it('score in [0, 100]; reasons add up to it; missing signals are listed and change the denominator, not the numerator', () => {
		fc.assert(
			fc.property(customer, (c) => {
				const [s] = scoreBySignals(definitions, [c]);
				const available = definitions.filter((_, k) => c[k].value !== null);
				expect(s.missingSignals.map((m) => m.field)).toEqual(definitions.filter((_, k) => c[k].value === null).map((d) => d.field));
				if (available.length === 0) {
					expect(s.score).toBeNull();
					expect(s.tier).toBeNull();
					return;
				}
				expect(s.score!).toBeGreaterThanOrEqual(0);
				expect(s.score!).toBeLessThanOrEqual(100);
				expect(s.reasons.reduce((t, r) => t + r.points, 0)).toBeCloseTo(s.score!, 9);
				expect(s.coverage).toBeCloseTo(available.reduce((t, d) => t + d.weight, 0) / 5, 12);
				for (const r of s.reasons) {
					expect(r.text).toContain(`field "${r.field}" = `);
					expect(r.points).toBeGreaterThan(0);
				}
			}),
		);
	});

	it('a riskier value never lowers the score (monotone in each signal)', () => {
		fc.assert(
			fc.property(customer, fc.double({ min: 0, max: 50, noNaN: true }), fc.integer({ min: 0, max: 3 }), (c, step, k) => {
				fc.pre(c[k].value !== null);
				const riskier = c.map((r) => ({ ...r }));
				// NPS: lower is riskier; the others: higher is riskier
				riskier[k].value = k === 2 ? Math.max(0, c[k].value! - step) : c[k].value! + step;
				const [a] = scoreBySignals(definitions, [c]);
				const [b] = scoreBySignals(definitions, [riskier]);
				expect(b.score!).toBeGreaterThanOrEqual(a.score! - 1e-9);
			}),
		);
	});

	it('is not treating a missing field as zero: a customer with one full-severity signal scores 100', () => {
		const [s] = scoreBySignals(definitions, [[{ value: null }, { value: 5 }, { value: null }, { value: null }]]);
		expect(s.score).toBe(100);
		expect(s.coverage).toBeCloseTo(1 / 5, 12);
	});

	it('refuses bad definitions with a sentence', () => {
		expect(() => scoreBySignals([], [])).toThrow('Add at least one signal');
		expect(() => scoreBySignals([{ ...definitions[1], weight: 0 }], [])).toThrow(/weight must be a number above 0, at most 1,000,000 \(got 0\)/);
		expect(() => scoreBySignals([{ kind: 'usageDrop', field: 'u', weight: 1, warnAt: 0.3, alertAt: 0.7 }], [])).toThrow(/baseline usage field is required/);
		expect(() => scoreBySignals([{ ...definitions[0], referenceField: undefined }], [])).toThrow(/usual-interval field or a usual interval/);
	});
});
