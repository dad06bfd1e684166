/**
 * Churn Risk cases from the eighth adversarial review: answers that looked plausible but were wrong (a
 * custom signal without levels, trees that never split on small data, a category in another Unicode form,
 * reasons with no effect worded "raises"), and settings that should be one clear parameter error.
 */
import type { IDataObject } from 'n8n-workflow';

import { knownModelCustomers } from './knownModel';
import { expectChineseLabels, unlabelledNumbers } from '../RetentionMetrics/unlabelled';
import { runNode } from '../../harness/workflow';

const signalsRun = { operation: 'scoreBySignals', asOfDate: '2025-03-01', timeZone: 'Asia/Shanghai' };
const train = { operation: 'trainModel', labelField: 'churned', numericFields: 'logins', categoricalFields: 'plan' };
type Reason = IDataObject & { field: string; contribution: number; text: string };

describe('Score by Signals: settings that would give wrong scores are refused', () => {
	test('a custom field signal with Warning and Alert Level left at 0 and 0 (no defaults to fall back on)', async () => {
		const result = await runNode('churnRisk', { ...signalsRun, signals: { signal: [{ kind: 'custom', field: 'x' }] } }, [{ x: 0 }, { x: -5 }]);
		expect(result.error?.message).toBe(
			'Signal 1 (custom, field "x"): set its Warning Level and Alert Level — a custom field has no default levels, and 0 and 0 would score every value at or beyond 0 as an alert',
		);
		// Levels given: scored as before (0 below the warning level).
		const given = await runNode('churnRisk', { ...signalsRun, signals: { signal: [{ kind: 'custom', field: 'x', warnAt: 2, alertAt: 4 }] } }, [{ x: 0 }]);
		expect((given.json('Node')[0].churnRisk as IDataObject).score).toBe(0);
	});

	test('a spreadsheet date serial number is not read as 125 years of days', async () => {
		const signals = {
			signal: [
				{ kind: 'renewalDue', field: 'renewal' },
				{ kind: 'daysSincePurchase', field: 'last', usualIntervalDays: 30 },
			],
		};
		const result = await runNode('churnRisk', { ...signalsRun, signals }, [{ renewal: 45730, last: 10 }]);
		expect(result.error?.message).toBe(
			'Item 0: field "renewal" is more than 36,500 days (100 years); a spreadsheet date serial number? Give a date or a number of days (value: 45730)',
		);
		// Day counts up to 100 years and YYYYMMDD numbers are read as before.
		const ok = await runNode('churnRisk', { ...signalsRun, signals }, [{ renewal: 20250311, last: 36500 }]);
		expect(ok.error).toBeUndefined();
		expect((ok.json('Node')[0].churnRisk as IDataObject).score).toBe(100);
	});

	test('an Output Field that is a field a signal reads', async () => {
		const result = await runNode(
			'churnRisk',
			{ ...signalsRun, outputField: 'nps', signals: { signal: [{ kind: 'npsDetractor', field: 'nps' }] } },
			[{ nps: 3 }],
		);
		expect(result.error?.message).toBe(`The Output Field "nps" is also a field a signal reads (npsDetractor); the score would overwrite the customer's value`);
	});
});

describe('Train Model', () => {
	test('a blank Churned Field is one parameter error, not an error per item', async () => {
		const result = await runNode('churnRisk', { ...train, labelField: '  ' }, knownModelCustomers(50, 1), { onError: 'continueRegularOutput' });
		// With Continue On Fail: one error item, not one per customer.
		expect(result.json('Node')).toEqual([{ error: 'The Churned Field is empty' }]);
		const failing = await runNode('churnRisk', { ...train, labelField: ' ' }, knownModelCustomers(50, 1));
		expect(failing.error?.message).toBe('The Churned Field is empty');
	});

	test('gradient boosting on 200 customers still splits (the leaf minimum is capped to what a tree can split)', async () => {
		const result = await runNode('churnRisk', { ...train, algorithm: 'gradientBoosting' }, knownModelCustomers(200, 3));
		expect(result.error).toBeUndefined();
		const model = result.json('Node')[0] as IDataObject & {
			gradientBoosting: { trees: Array<{ feature: number[] }> };
			summary: { rocAuc: number };
		};
		const splits = model.gradientBoosting.trees.reduce((s, t) => s + t.feature.filter((f) => f >= 0).length, 0);
		// Before: 43 trees, not one split, ROC AUC 0.5 and the same score for everyone.
		expect(splits).toBeGreaterThan(10);
		expect(model.summary.rocAuc).toBeGreaterThan(0.55);
		const scored = await runNode('churnRisk', { operation: 'scoreWithModel', model }, knownModelCustomers(20, 4));
		const probabilities = new Set(scored.json('Node').map((i) => (i.churnRisk as IDataObject).probability));
		expect(probabilities.size).toBeGreaterThan(3);
	});
});

describe('Score with Model', () => {
	async function trained(items: IDataObject[], numericFields = 'logins'): Promise<IDataObject> {
		const result = await runNode('churnRisk', { ...train, numericFields }, items);
		expect(result.error).toBeUndefined();
		return result.json('Node')[0];
	}

	test('model items edited so they would score other values are refused', async () => {
		const lr = await trained(knownModelCustomers(400, 2));
		const trees = (await runNode('churnRisk', { ...train, algorithm: 'gradientBoosting' }, knownModelCustomers(600, 2))).json('Node')[0];
		const edit = (model: IDataObject, change: (m: any) => void): IDataObject => {
			const copy = JSON.parse(JSON.stringify(model));
			change(copy);
			return copy;
		};
		const cases: Array<[IDataObject, RegExp]> = [
			[edit(lr, (m) => m.schema.features[1].categories.reverse()), /schema\.features\.1\.categories: are not in the order training writes them \(sorted\)/],
			[
				edit(lr, (m) => (m.schema.features[0] = { field: 'logins', type: 'categorical', categories: ['x'], constant: true })),
				/columns\.0: is "logins" but the schema makes "logins = x" there/,
			],
			[edit(lr, (m) => m.columns.reverse()), /columns\.0: is "plan = Pro" but the schema makes "logins" there/],
			[edit(trees, (m) => (m.gradientBoosting.base = 50)), /gradientBoosting\.base: is 50 but the initial log-odds and the trees' roots make -?\d/],
		];
		for (const [model, message] of cases) {
			const result = await runNode('churnRisk', { operation: 'scoreWithModel', model }, [{ logins: 3, plan: 'Pro' }]);
			expect(result.error?.message).toMatch(message);
		}
		// Unedited models score.
		for (const model of [lr, trees]) expect((await runNode('churnRisk', { operation: 'scoreWithModel', model }, [{ logins: 3, plan: 'Pro' }])).error).toBeUndefined();
	});

	test('log-odds that overflow blame the customer only for an absurd value, else the (edited) model', async () => {
		const lr = await trained(knownModelCustomers(400, 2).map((c) => ({ ...c, small: (c.logins as number) / 1000 })), 'small');
		const far = await runNode('churnRisk', { operation: 'scoreWithModel', model: lr }, [{ small: 1.7e308, plan: 'Pro' }]);
		expect(far.error?.message).toMatch(/field "small".*too far outside the values the model was trained on/);
		// An edited weight far beyond what training writes is refused by the model check…
		const edited = JSON.parse(JSON.stringify(lr));
		edited.logisticRegression.coefficients[0] = 1e308;
		const refused = await runNode('churnRisk', { operation: 'scoreWithModel', model: edited }, [{ small: 0.03, plan: 'Pro' }]);
		expect(refused.error?.message).toMatch(/logisticRegression\.coefficients\.0: is 1e\+308, beyond ±1,000,000, which training never writes/);
		// …and tree outputs that overflow are the model's fault, whatever the customer's value.
		const trees = JSON.parse(JSON.stringify((await runNode('churnRisk', { ...train, numericFields: 'small', algorithm: 'gradientBoosting' }, knownModelCustomers(600, 2).map((c) => ({ ...c, small: (c.logins as number) / 1000 })))).json('Node')[0]));
		// Every leaf of two trees set to 1e308 (roots untouched, so path contributions' base stays finite).
		for (const t of trees.gradientBoosting.trees.slice(0, 2)) t.value = t.value.map((v: number, k: number) => (t.feature[k] < 0 ? 1e308 : v));
		const overflowing = await runNode('churnRisk', { operation: 'scoreWithModel', model: trees, treeReasons: 'pathContributions' }, [{ small: 0.03, plan: 'Pro' }]);
		expect(overflowing.error?.message).toMatch(/field "(small|plan)".*the model's numbers for this field are so large that the log-odds overflow: the model item was edited or damaged/);
		expect(overflowing.error?.message).not.toMatch(/too far outside/);
		// Unedited, the same customer scores.
		expect((await runNode('churnRisk', { operation: 'scoreWithModel', model: lr }, [{ small: 0.03, plan: 'Pro' }])).error).toBeUndefined();
	});

	test('a category in another Unicode form is the same category, not an unseen one', async () => {
		const items = knownModelCustomers(400, 2).map((c) => ({ ...c, plan: c.plan === 'Pro' ? 'Café' : c.plan }));
		const model = await trained(items);
		const composed = await runNode('churnRisk', { operation: 'scoreWithModel', model }, [{ logins: 3, plan: 'Café' }]);
		const decomposed = await runNode('churnRisk', { operation: 'scoreWithModel', model }, [{ logins: 3, plan: 'Café'.normalize('NFD') }]);
		const risk = (r: typeof composed) => r.json('Node')[0].churnRisk as IDataObject & { reasons: Reason[] };
		expect(risk(decomposed).probability).toBe(risk(composed).probability);
		expect(risk(decomposed).reasons.some((x) => x.note === 'unseen')).toBe(false);
	});

	test('true/false in a numeric feature scores as 1/0, and the reason shows the value given', async () => {
		const random = (i: number) => ((i * 7919) % 101) / 101;
		const items = knownModelCustomers(400, 2).map((c, i) => ({ ...c, trial: random(i) < 0.5 }));
		const model = await trained(items, 'logins, trial');
		for (const [language, text] of [
			['en', 'field "trial" = true'],
			['zh', '字段“trial” = true'],
		]) {
			const asFlag = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: 3, language }, [{ logins: 20, plan: 'Pro', trial: true }]);
			const asNumber = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: 3, language }, [{ logins: 20, plan: 'Pro', trial: 1 }]);
			const risk = (r: typeof asFlag) => r.json('Node')[0].churnRisk as IDataObject & { reasons: Reason[] };
			expect(risk(asFlag).probability).toBe(risk(asNumber).probability);
			const reason = risk(asFlag).reasons.find((r) => r.field === 'trial')!;
			expect(reason.value).toBe(true);
			expect(reason.text).toContain(text);
			expect(risk(asNumber).reasons.find((r) => r.field === 'trial')!.value).toBe(1);
		}
	});

	test('a field with no effect is no reason; an effect below ±0.005 does not read "raises"', async () => {
		const items = knownModelCustomers(400, 2).map((c) => ({ ...c, const1: 7 }));
		const model = await trained(items, 'logins, const1');
		for (const language of ['en', 'zh']) {
			const scored = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: 4, language }, [{ logins: 20, plan: 'Pro', const1: 7 }]);
			const reasons = (scored.json('Node')[0].churnRisk as IDataObject & { reasons: Reason[] }).reasons;
			expect(reasons.map((r) => r.field)).not.toContain('const1');
			for (const r of reasons) {
				if (Math.abs(r.contribution) < 0.005) expect(r.text).toMatch(language === 'en' ? /hardly changes churn risk/ : /对流失风险几乎没有影响/);
			}
		}
	});
});

describe('every number of a scored customer carries a label, and the definition used is beside it', () => {
	const signals = {
		signal: [
			{ kind: 'usageDrop', field: 'logins30d', referenceField: 'loginsBaseline' },
			{ kind: 'failedPayments', field: 'failedPayments' },
			{ kind: 'npsDetractor', field: 'nps' },
		],
	};
	const customers = [
		{ logins30d: 10, loginsBaseline: 40, failedPayments: 2, nps: 3 },
		{ logins30d: 30, loginsBaseline: 40, failedPayments: 0 },
	];

	test.each(['scoreBySignals', 'scoreWithModel'])('%s, in English and Chinese', async (operation) => {
		const byLanguage: Record<string, IDataObject> = {};
		for (const language of ['en', 'zh']) {
			let items: IDataObject[];
			if (operation === 'scoreBySignals') {
				items = (await runNode('churnRisk', { ...signalsRun, signals, language }, customers)).json('Node');
			} else {
				const trained = await runNode('churnRisk', train, knownModelCustomers(400, 2));
				const model = trained.json('Node')[0];
				items = (await runNode('churnRisk', { operation, model, language, maxReasons: 2 }, [{ logins: 3, plan: 'Pro' }, { logins: 30 }])).json('Node');
			}
			const risks = items.map((i) => i.churnRisk as IDataObject);
			for (const risk of risks) {
				const { labels, definitions, ...numbers } = risk;
				expect(unlabelledNumbers([numbers], labels)).toEqual([]);
				expect(Object.keys(definitions as IDataObject)).toEqual([operation === 'scoreBySignals' ? 'signalScore' : 'modelScore']);
			}
			byLanguage[language] = risks[0];
		}
		expectChineseLabels(byLanguage.en.labels, byLanguage.zh.labels);
		expectChineseLabels(byLanguage.en.definitions, byLanguage.zh.definitions);
	});
});
