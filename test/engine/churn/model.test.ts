import fc from 'fast-check';

import { trainChurnModel, scoreWithChurnModel, type TrainSettings } from '../../../nodes/engine/churn/model';
import type { FeatureValue } from '../../../nodes/engine/churn/encoding';
import { normal, seededRandom } from '../../../nodes/shared/random';

/** Customers with a numeric, a categorical and a constant field; churn from a known model. */
function customers(n: number, seed: number) {
	const random = seededRandom(seed);
	const plans = ['Basic', 'Pro', 'Enterprise'];
	const planEffect: Record<string, number> = { Basic: 0.8, Pro: 0, Enterprise: -0.8 };
	const rows: FeatureValue[][] = [];
	const labels: number[] = [];
	for (let i = 0; i < n; i++) {
		const logins = Math.max(0, Math.round(20 + 8 * normal(random)));
		const plan = plans[Math.floor(random() * 3)];
		const eta = -1 - 0.1 * (logins - 20) + planEffect[plan];
		rows.push([logins, plan, 'CN']);
		labels.push(random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
	}
	return { rows, labels };
}

const features: TrainSettings['features'] = [
	{ field: 'logins', type: 'numeric' },
	{ field: 'plan', type: 'categorical' },
	{ field: 'country', type: 'categorical' },
];

describe.each(['logisticRegression', 'gradientBoosting'] as const)('churn model (%s)', (algorithm) => {
	const { rows, labels } = customers(3000, 1);
	const model = trainChurnModel(rows, labels, { algorithm, features, seed: 7 });

	it('reports validation metrics on a held-out 20 % and finds the informative fields', () => {
		expect(model.training).toMatchObject({ customers: 3000, trainingCustomers: 2400, validationCustomers: 600, constantFields: ['country'] });
		expect(model.validation.rocAuc.value!).toBeGreaterThan(0.68);
		expect(model.validation.prAuc.value!).toBeGreaterThan(model.validation.churnRate!);
		expect(model.validation.calibration.reduce((s, r) => s + r.customers, 0)).toBe(600);
		expect(model.importance.map((i) => i.field).slice(0, 2).sort()).toEqual(['logins', 'plan']);
		expect(model.importance.find((i) => i.field === 'country')!.meanAbsoluteContribution).toBe(0);
		expect(JSON.stringify(model)).not.toMatch(/NaN|Infinity/);
	});

	it('reasons sum to the log-odds: base + Σ contributions = logit (all fields listed)', () => {
		const scores = scoreWithChurnModel(model, rows.slice(0, 300), { maxReasons: 3 });
		for (const s of scores) {
			const sum = s.base + s.reasons.reduce((t, r) => t + r.contribution, 0);
			expect(sum).toBeCloseTo(s.logit, 10);
			expect(s.otherContributions).toBeCloseTo(0, 10);
			expect(s.probability).toBeCloseTo(1 / (1 + Math.exp(-s.logit)), 12);
		}
	});

	it('reasons name the field and the value, most risk-raising first', () => {
		const [s] = scoreWithChurnModel(model, [[2, 'Basic', 'CN']], { maxReasons: 2 });
		expect(s.reasons.map((r) => r.field).sort()).toEqual(['logins', 'plan']);
		expect(s.reasons.find((r) => r.field === 'plan')!.value).toBe('Basic');
		expect(s.reasons[0].contribution).toBeGreaterThanOrEqual(s.reasons[1].contribution);
		// few logins and the Basic plan both raise the risk in the generating model
		for (const r of s.reasons) expect(r.contribution).toBeGreaterThan(0);
	});

	it('survives a JSON round trip with identical scores, and training is reproducible', () => {
		const copy = JSON.parse(JSON.stringify(model));
		expect(scoreWithChurnModel(copy, rows.slice(0, 50))).toEqual(scoreWithChurnModel(model, rows.slice(0, 50)));
		const again = trainChurnModel(rows, labels, { algorithm, features, seed: 7 });
		expect(JSON.stringify(again)).toBe(JSON.stringify(model));
	});

	it('unseen categories at scoring time: no effect and a note, or an error on request', () => {
		const [s] = scoreWithChurnModel(model, [[20, 'Platinum', 'CN']], { maxReasons: 3 });
		const plan = s.reasons.find((r) => r.field === 'plan')!;
		expect(plan.note).toBe('unseen');
		// Logistic regression: no column set, so exactly no effect. Trees route it as "none of the known
		// plans", which the trees have an opinion on (documented).
		if (algorithm === 'logisticRegression') expect(plan.contribution).toBe(0);
		expect(() => scoreWithChurnModel(model, [[20, 'Platinum', 'CN']], { unseenCategories: 'error' })).toThrow(
			/field "plan" has a category the model was not trained on/,
		);
	});

	it('a score is a probability in [0, 1] with a tier, for any input values (property)', () => {
		fc.assert(
			fc.property(
				fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true })),
				fc.constantFrom('Basic', 'Pro', 'Enterprise', 'Other', null),
				(logins, plan) => {
					const [s] = scoreWithChurnModel(model, [[logins, plan, 'CN']]);
					expect(s.probability).toBeGreaterThanOrEqual(0);
					expect(s.probability).toBeLessThanOrEqual(1);
					expect(['low', 'medium', 'high', 'critical']).toContain(s.tier);
				},
			),
			{ numRuns: 50 },
		);
	});
});

describe('training refuses bad input with a clear message', () => {
	const settings: TrainSettings = { algorithm: 'logisticRegression', features: [{ field: 'x', type: 'numeric' }] };

	it('empty input', () => {
		expect(() => trainChurnModel([], [], settings)).toThrow('There are no customers to train on');
	});

	it('a churned flag with one class only', () => {
		const rows = Array.from({ length: 20 }, (_, i) => [i]);
		expect(() => trainChurnModel(rows, rows.map(() => 0), settings)).toThrow(/one value only \(no customer churned\)/);
		expect(() => trainChurnModel(rows, rows.map(() => 1), settings)).toThrow(/one value only \(every customer churned\)/);
	});

	it('too few of one class to validate', () => {
		const rows = Array.from({ length: 20 }, (_, i) => [i]);
		expect(() => trainChurnModel(rows, rows.map((_, i) => (i < 3 ? 1 : 0)), settings)).toThrow(/Too few churned customers \(3\)/);
	});

	it('only constant columns', () => {
		const rows = Array.from({ length: 20 }, () => [1]);
		expect(() => trainChurnModel(rows, rows.map((_, i) => i % 2), settings)).toThrow(/Every feature field is constant/);
	});

	it('non-numeric values in a numeric feature', () => {
		const rows: FeatureValue[][] = Array.from({ length: 20 }, (_, i) => [i]);
		rows[4] = ['n/a'];
		expect(() => trainChurnModel(rows, rows.map((_, i) => i % 2), { ...settings, validationFraction: 0.2 })).toThrow(/field "x" is not a number/);
	});
});
