/**
 * Churn Risk against nasty input found by an adversarial review: out-of-range settings, huge numbers,
 * edited model items, impossible signal values, names that clash. Each case names the rule it checks:
 * a clear error naming the item, field or parameter and the value — never a silent wrong answer,
 * Infinity, NaN or a lost error item.
 */
import type { IDataObject } from 'n8n-workflow';

import { knownModelCustomers } from './knownModel';
import { runNode } from '../../harness/workflow';

const customers = knownModelCustomers;

const train = { operation: 'trainModel', labelField: 'churned', numericFields: 'logins', categoricalFields: 'plan' };
const gbt = { ...train, algorithm: 'gradientBoosting' };
const noInfinity = (value: unknown) => expect(JSON.stringify(value)).not.toMatch(/Infinity|NaN/);

async function trainedModel(algorithm = 'logisticRegression'): Promise<IDataObject> {
	const result = await runNode('churnRisk', { ...train, algorithm }, customers(600, 5));
	expect(result.error).toBeUndefined();
	return result.json('Node')[0];
}

describe('Train Model: settings out of range are refused, naming the setting and the value', () => {
	test.each([
		[{ learningRate: -0.05 }, 'Learning Rate must be a number above 0 and at most 1 (got -0.05)'],
		[{ learningRate: '={{ "abc" }}' }, 'Learning Rate must be a number above 0 and at most 1 (got "abc")'],
		[{ rounds: 0 }, 'Max Rounds must be a whole number at least 1 and at most 100,000 (got 0)'],
		[{ maxDepth: -1 }, 'Max Depth must be a whole number at least 1 and at most 16 (got -1)'],
		[{ subsample: 0 }, 'Rows per Tree must be a number above 0 and at most 1 (got 0)'],
		[{ minRowsPerLeaf: 2.5 }, 'Min Customers per Leaf must be a whole number at least 1 and at most 10,000,000 (got 2.5)'],
	])('tree option %j', async (treeOptions, message) => {
		const result = await runNode('churnRisk', { ...gbt, treeOptions }, customers(300, 1));
		expect(result.error?.message).toBe(`Tree options: ${message}`);
	});

	test('the L2 penalty of logistic regression, and a seed that is not whole', async () => {
		const l2 = await runNode('churnRisk', { ...train, trainOptions: { l2: -1 } }, customers(300, 1));
		expect(l2.error?.message).toBe('The L2 penalty must be a number from 0 to 1,000,000 (got -1)');
		const seed = await runNode('churnRisk', { ...train, trainOptions: { seed: 1.5 } }, customers(300, 1));
		expect(seed.error?.message).toBe('The seed must be a whole number from 0 to 4,294,967,295 (got 1.5)');
		// 2^32 + 1 would give the model of seed 1 (the random streams take 32 bits).
		const wide = await runNode('churnRisk', { ...train, trainOptions: { seed: 4294967297 } }, customers(300, 1));
		expect(wide.error?.message).toBe('The seed must be a whole number from 0 to 4,294,967,295 (got 4294967297)');
	});

	test('numbers given as text by an expression are read as numbers', async () => {
		const result = await runNode('churnRisk', { ...gbt, treeOptions: { learningRate: '={{ "0.1" }}', rounds: '={{ "40" }}' } }, customers(300, 1));
		expect(result.error).toBeUndefined();
		expect(result.json('Node')[0].settings).toMatchObject({ gradientBoosting: { learningRate: 0.1, rounds: 40 } });
	});
});

describe('Train Model: data edge cases', () => {
	test('values too large to average name the field instead of making a model Score with Model refuses', async () => {
		const input = customers(200, 2).map((c, i) => ({ ...c, logins: i % 2 ? 1e160 : -1e160 }));
		const result = await runNode('churnRisk', train, input);
		expect(result.error?.message).toBe('The field "logins" has values too large to average (beyond about 1e154); use a smaller unit');
	});

	test('a small validation share still holds churned customers, so ROC AUC is reported', async () => {
		// 5 churned of 105: round(5 % × 5) = 0 would leave the held-out part without churners.
		const input = Array.from({ length: 105 }, (_, i) => ({ logins: i, plan: 'Pro', churned: i < 5 }));
		const result = await runNode('churnRisk', { ...train, trainOptions: { validationFraction: 0.05 } }, input);
		expect(result.error).toBeUndefined();
		const summary = result.json('Node')[0].summary as IDataObject;
		expect(summary.validationCustomers).toBe(6);
		expect(summary.rocAuc).toEqual(expect.any(Number));
		expect(summary.prAuc).toEqual(expect.any(Number));
	});

	test('Continue On Fail keeps the refused items’ errors when training then fails', async () => {
		const input = Array.from({ length: 12 }, (_, i) => ({ logins: i, plan: 'Pro', churned: i < 3 ? 'maybe' : i % 2 === 0 }));
		const result = await runNode('churnRisk', train, input, { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const out = result.output('Node');
		expect(out.map((o) => o.json.error)).toEqual([
			'Item 0: field "churned" is not true or false (value: "maybe")',
			'Item 1: field "churned" is not true or false (value: "maybe")',
			'Item 2: field "churned" is not true or false (value: "maybe")',
			expect.stringMatching(/^Too few (churned|retained) customers/),
		]);
		expect(out[3].pairedItem).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11].map((item) => ({ item })));
	});

	test('Continue On Fail with every item refused says so', async () => {
		const input = [{ logins: 1, plan: 'Pro', churned: 'maybe' }];
		const result = await runNode('churnRisk', train, input, { onError: 'continueRegularOutput' });
		expect(result.json('Node').map((j) => j.error)).toEqual([
			'Item 0: field "churned" is not true or false (value: "maybe")',
			'None of the 1 items could be used (see their error items); there are no customers to train on',
		]);
	});

	test('the churned field listed as a feature is refused (a model that reads the answer)', async () => {
		const result = await runNode('churnRisk', { ...train, categoricalFields: 'plan, churned' }, customers(300, 3));
		expect(result.error?.message).toBe('The Churned Field "churned" is also listed as a feature field: the model would learn the answer from the answer');
	});

	test('a field named like an inherited property ("toString") that the items lack is missing, not a function', async () => {
		const input = customers(300, 3);
		const result = await runNode('churnRisk', { ...train, numericFields: 'logins, toString' }, input);
		expect(result.error?.message).toBe('The field "toString" is missing in every training row');
	});
});

describe('Score with Model: edited model items are refused', () => {
	test.each<[string, (m: IDataObject & { gradientBoosting: { trees: IDataObject[] } }) => void, RegExp]>([
		['an empty tree', (m) => (m.gradientBoosting.trees[0] = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] }), /gradientBoosting\.trees\.0\.feature: is empty/],
		['cover counts that do not add up', (m) => ((m.gradientBoosting.trees[0].cover as number[])[0] = 1), /gradientBoosting\.trees\.0\.cover: does not add up/],
	])('gradient boosting: %s', async (_, edit, message) => {
		const model = JSON.parse(JSON.stringify(await trainedModel('gradientBoosting')));
		edit(model);
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model }, customers(3, 9));
		expect(result.error?.message).toMatch(/^The model is not valid: /);
		expect(result.error?.message).toMatch(message);
	});

	test.each<[string, (m: { schema: { features: IDataObject[] } }) => void, RegExp]>([
		['a zero spread on a field that is not constant', (m) => (m.schema.features[0].standardDeviation = 0), /schema\.features\.0\.standardDeviation: must be above 0/],
		['a category listed twice', (m) => ((m.schema.features[1].categories as string[])[0] = (m.schema.features[1].categories as string[])[1]), /categories: lists a category twice/],
		['a field listed twice', (m) => (m.schema.features[1] = { ...m.schema.features[0] }), /schema\.features: names a field twice/],
	])('logistic regression: %s', async (_, edit, message) => {
		const model = JSON.parse(JSON.stringify(await trainedModel()));
		edit(model);
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model }, customers(3, 9));
		expect(result.error?.message).toMatch(message);
	});

	test('two model items in the input are refused instead of silently using the first', async () => {
		const model = await trainedModel();
		const result = await runNode('churnRisk', { operation: 'scoreWithModel' }, [model, ...customers(2, 9), model]);
		expect(result.error?.message).toBe('The input holds 2 model items (items 0, 3); it is unclear which one to use');
	});
});

describe('Score with Model: parameters and huge values', () => {
	test('an Output Field named like a model feature is refused for what it is', async () => {
		const model = await trainedModel();
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model, outputField: 'logins' }, customers(2, 9));
		expect(result.error?.message).toBe('The Output Field "logins" is also a feature field of the model; the score would overwrite the customer\'s value');
	});

	test('Reasons per Customer that is not a whole number from 1 to 50 is refused', async () => {
		const model = await trainedModel();
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: '={{ "x" }}' }, customers(2, 9));
		expect(result.error?.message).toBe('Reasons per Customer must be a whole number from 1 to 50 (got "x")');
		// NaN from an expression is named as NaN (JSON would print it as null)
		const nan = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: '={{ 0/0 }}' }, customers(2, 9));
		expect(nan.error?.message).toBe('Reasons per Customer must be a whole number from 1 to 50 (got NaN)');
	});

	test('a huge value gives finite numbers and says what it is, never Infinity', async () => {
		const model = await trainedModel();
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: 2 }, [{ logins: 1e308, plan: 'Pro' }]);
		expect(result.error).toBeUndefined();
		const risk = result.json('Node')[0].churnRisk as IDataObject & { reasons: IDataObject[] };
		noInfinity(risk);
		expect(risk.probability).toBe(0);
		const logins = risk.reasons.find((r) => r.field === 'logins')!;
		expect(logins).toMatchObject({ value: 1e308 });
		expect(logins.text).toMatch(/^field "logins" = 1e\+308, \d\.\d+e\+307 standard deviations above average lowers churn risk/);
	});

	test('a missing category reads as "none of the known categories", not as an average', async () => {
		const model = await trainedModel();
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: 2 }, [{ logins: 20, plan: null }]);
		const reason = (result.json('Node')[0].churnRisk as { reasons: IDataObject[] }).reasons.find((r) => r.field === 'plan')!;
		expect(reason.text).toMatch(/^field "plan" = null: missing, treated as none of the known categories \([+-]/);
	});
});

describe('Score by Signals: impossible values, huge numbers, wording', () => {
	const base = { operation: 'scoreBySignals', asOfDate: '2025-03-01' };
	const one = (signal: IDataObject) => ({ ...base, signals: { signal: [signal] } });

	test.each([
		[{ kind: 'npsDetractor', field: 'nps' }, { nps: 42 }, 'Item 0: field "nps" is not an NPS answer (0 to 10) (value: 42)'],
		[{ kind: 'npsDetractor', field: 'nps' }, { nps: -5 }, 'Item 0: field "nps" is not an NPS answer (0 to 10) (value: -5)'],
		[{ kind: 'failedPayments', field: 'f' }, { f: -3 }, 'Item 0: field "f" must not be negative (it is a count or an amount of usage) (value: -3)'],
		[
			{ kind: 'usageDrop', field: 'recent', referenceField: 'baseline' },
			{ recent: -100, baseline: 10 },
			'Item 0: field "recent" must not be negative (it is a count or an amount of usage) (value: -100)',
		],
		[
			{ kind: 'ticketsRising', field: 't', referenceField: 'before' },
			{ t: 1, before: -2 },
			'Item 0: field "before" must not be negative (it is a count or an amount of usage) (value: -2)',
		],
		[
			{ kind: 'daysSincePurchase', field: 'last', usualIntervalDays: 30 },
			{ last: '2025-04-01' },
			'Item 0: field "last" is after the As-Of Date (a last purchase cannot be in the future) (value: "2025-04-01")',
		],
	])('%j on %j is an item error', async (signal, item, message) => {
		const result = await runNode('churnRisk', one(signal), [item]);
		expect(result.error?.message).toBe(message);
		const kept = await runNode('churnRisk', one(signal), [item, item], { onError: 'continueRegularOutput' });
		expect(kept.json('Node').map((j) => j.error)).toEqual([message, message.replace('Item 0', 'Item 1')]);
	});

	test('a custom value beyond 10^15 is refused; up to it the reason shows the value, never Infinity', async () => {
		const signal = { kind: 'custom', field: 'x', warnAt: 1, alertAt: 2 };
		const huge = await runNode('churnRisk', one(signal), [{ x: 1e308 }]);
		expect(huge.error?.message).toBe('Item 0: field "x" is too large (more than 10^15 in size); check the unit or the field (value: 1e+308)');
		const result = await runNode('churnRisk', one(signal), [{ x: 1e15 }]);
		const risk = result.json('Node')[0].churnRisk as IDataObject & { reasons: IDataObject[] };
		noInfinity(risk);
		expect(risk).toMatchObject({ score: 100, tier: 'critical' });
		expect(risk.reasons[0]).toMatchObject({ measure: 1e15, points: 100 });
		expect(risk.reasons[0].text).toMatch(/field "x" = 1000000000000000;/);
	});

	test.each<[IDataObject, IDataObject, string]>([
		[{ kind: 'npsDetractor', field: 'n' }, { n: true }, 'Item 0: field "n" is true/false, not a number (value: true)'],
		[{ kind: 'failedPayments', field: 'f' }, { f: true }, 'Item 0: field "f" is true/false, not a number (value: true)'],
		[{ kind: 'usageDrop', field: 'u', referenceField: 'b' }, { u: 0, b: true }, 'Item 0: field "b" is true/false, not a number (value: true)'],
		[{ kind: 'usageDrop', field: 'u', referenceField: 'b' }, { u: 2, b: -5 }, 'Item 0: field "b" must not be negative (it is a count or an amount of usage) (value: -5)'],
		[{ kind: 'daysSincePurchase', field: 'd', referenceField: 'i' }, { d: 10, i: -5 }, 'Item 0: field "i" must not be negative (it is a number of days) (value: -5)'],
		[{ kind: 'daysSincePurchase', field: 'd', referenceField: 'i' }, { d: 10, i: 1e-320 }, 'Item 0: field "i" is too small to be a number of days between purchases (value: 1e-320)'],
	])('%j on %j: refused, not read as a count', async (signal, item, message) => {
		const result = await runNode('churnRisk', one(signal), [item]);
		expect(result.error?.message).toBe(message);
	});

	test('a flag in a custom field still counts as 1/0', async () => {
		const result = await runNode('churnRisk', one({ kind: 'custom', field: 'late', warnAt: 0.5, alertAt: 1 }), [{ late: true }]);
		expect(result.json('Node')[0].churnRisk).toMatchObject({ score: 100 });
	});

	test('the tier is that of the score shown (74.96 shows as 75.0: critical)', async () => {
		// Custom 0 → 1: value 0.4992 gives severity ½ + ½ × 0.4992 = 0.7496 → 74.96 points → 75.0.
		const result = await runNode('churnRisk', one({ kind: 'custom', field: 'c', warnAt: 0, alertAt: 1 }), [{ c: 0.4992 }]);
		expect(result.json('Node')[0].churnRisk).toMatchObject({ score: 75, tier: 'critical' });
		expect((result.json('Node')[0].churnRisk as { reasons: IDataObject[] }).reasons[0].text).toMatch(/past the warning level/);
	});

	test('a weight above 1,000,000 is refused; the largest weights still give the hand-computed score', async () => {
		const big = await runNode('churnRisk', one({ kind: 'failedPayments', field: 'f', weight: 1e307 }), [{ f: 2 }]);
		expect(big.error?.message).toMatch(/the weight must be a number above 0, at most 1,000,000 \(got 1e\+307\)/);
		// 2 failed payments: ½ + ½ × (2 − 1) / (3 − 1) = 0.75 → 75 points; NPS 9 → 0; equal weights → 37.5.
		const signals = { signal: [{ kind: 'failedPayments', field: 'f', weight: 1e6 }, { kind: 'npsDetractor', field: 'nps', weight: 1e6 }] };
		const max = await runNode('churnRisk', { ...base, signals }, [{ f: 2, nps: 9 }]);
		expect(max.json('Node')[0].churnRisk).toMatchObject({ score: 37.5, coverage: 1, reasons: [{ points: 37.5 }] });
	});

	test('no computable signal: the reason says why, in the chosen language', async () => {
		const signal = { kind: 'daysSincePurchase', field: 'd', referenceField: 'u' };
		const en = await runNode('churnRisk', one(signal), [{ d: 20, u: 0 }, {}]);
		expect(en.json('Node').map((j) => (j.churnRisk as IDataObject).scoreReason)).toEqual([
			'no signal could be computed for this customer (see missingSignals for why)',
			'none of the signal fields has a value for this customer',
		]);
		const zh = await runNode('churnRisk', { ...one(signal), language: 'zh' }, [{ d: 20, u: 0 }, {}]);
		expect(zh.json('Node').map((j) => (j.churnRisk as IDataObject).scoreReason)).toEqual([
			'该客户没有可计算的信号（原因见 missingSignals）',
			'该客户的所有信号字段都没有值',
		]);
	});

	test('tier thresholds given as numeric text by an expression are read as numbers', async () => {
		const result = await runNode('churnRisk', { ...one({ kind: 'failedPayments', field: 'f' }), tiers: { medium: '={{ "30" }}' } }, [{ f: 1 }]);
		expect(result.error).toBeUndefined();
		// 1 failed payment: severity ½ → 50 points: high (50 ≤ score < 75).
		expect(result.json('Node')[0].churnRisk).toMatchObject({ score: 50, tier: 'high' });
	});

	test('a signal field named "constructor" that the item lacks is left out as missing', async () => {
		const result = await runNode('churnRisk', one({ kind: 'custom', field: 'constructor', warnAt: 1, alertAt: 2 }), [{ nps: 3 }]);
		expect(result.error).toBeUndefined();
		expect(result.json('Node')[0].churnRisk).toMatchObject({ score: null, missingSignals: [{ field: 'constructor', reason: 'missing' }] });
	});
});
