/** Train Model and Score with Model through n8n's WorkflowExecute, including a Train → Score chain. */
import type { IDataObject } from 'n8n-workflow';

import { runNode, runWorkflow } from '../../harness/workflow';
import { expectChineseLabels, unlabelledNumbers } from '../RetentionMetrics/unlabelled';
import { knownModelCustomers } from './knownModel';

const customers = knownModelCustomers;

const train = {
	operation: 'trainModel',
	labelField: 'churned',
	numericFields: 'logins',
	categoricalFields: 'plan',
};

describe('Churn Risk — Train Model', () => {
	test.each(['logisticRegression', 'gradientBoosting'])('%s: one model item with its validation report', async (algorithm) => {
		const input = customers(1500, 3);
		const result = await runNode('churnRisk', { ...train, algorithm }, input);
		expect(result.error).toBeUndefined();
		const items = result.output('Node');
		expect(items).toHaveLength(1);
		expect((items[0].pairedItem as unknown[]).length).toBe(1500);
		const model = items[0].json as IDataObject & { summary: IDataObject };
		expect(model).toMatchObject({ type: 'churnRiskModel', version: 1, algorithm });
		expect(model.summary).toMatchObject({ customers: 1500, trainingCustomers: 1200, validationCustomers: 300 });
		expect(model.summary.rocAuc as number).toBeGreaterThan(0.7);
		expect((model.summary.labels as IDataObject).rocAuc).toMatch(/ROC AUC/);
		expect((model.summary.definitions as IDataObject).validation).toMatch(/held out/);
		expect(JSON.stringify(model)).not.toMatch(/NaN|Infinity/);
	});

	test('a churned flag with one class only is a clear error', async () => {
		const input = customers(50, 1).map((c) => ({ ...c, churned: false }));
		const result = await runNode('churnRisk', train, input);
		expect(result.error?.message).toBe(
			'The churned flag has one value only (no customer churned); a model needs churned and retained customers',
		);
	});

	test('a non-numeric feature value names item, field and value', async () => {
		const input = customers(50, 1);
		input[7].logins = 'many';
		const result = await runNode('churnRisk', train, input);
		expect(result.error?.message).toBe(
			'Item 7: field "logins" is not a number; list the field under Category Feature Fields if it holds categories (value: "many")',
		);
	});

	test('a missing churned flag with Continue On Fail: error item, model trained on the rest', async () => {
		const input = customers(300, 2);
		delete input[5].churned;
		const result = await runNode('churnRisk', train, input, { onError: 'continueRegularOutput' });
		const items = result.output('Node');
		expect(items[0].json).toMatchObject({ itemIndex: 5, field: 'churned' });
		expect((items[1].json as IDataObject).type).toBe('churnRiskModel');
		expect((items[1].pairedItem as unknown[]).length).toBe(299);
	});

	test('empty input: n8n does not run the node (no output, no error); the engine itself refuses', async () => {
		const result = await runNode('churnRisk', train, []);
		expect(result.error).toBeUndefined();
		expect(result.run.data.resultData.runData.Node).toBeUndefined();
	});

	test('no feature fields, or a field in both lists, is a parameter error', async () => {
		const none = await runNode('churnRisk', { ...train, numericFields: '', categoricalFields: '' }, customers(20, 1));
		expect(none.error?.message).toMatch(/No feature fields/);
		const twice = await runNode('churnRisk', { ...train, categoricalFields: 'plan, logins' }, customers(20, 1));
		expect(twice.error?.message).toMatch(/"logins" is listed twice/);
	});
});

describe('Churn Risk — Train Model: 95 % interval of the ROC AUC', () => {
	type Interval = { low: number; high: number; standardError: number; level: number };
	type ModelItem = IDataObject & {
		summary: IDataObject & { rocAuc: number; rocAucInterval: { low: number; high: number } | null; labels: IDataObject; definitions: IDataObject };
		validation: IDataObject & { rocAuc: IDataObject & { interval?: Interval | null; intervalReason?: string } };
	};
	const trainOn = async (input: IDataObject[], params: IDataObject = {}) => {
		const result = await runNode('churnRisk', { ...train, ...params }, input);
		expect(result.error).toBeUndefined();
		return result.json('Node')[0] as ModelItem;
	};

	test('the summary carries the interval, rounded, around the AUC; the model item keeps it at full precision', async () => {
		// 300 held-out customers
		const model = await trainOn(customers(1500, 3));
		const full = model.validation.rocAuc.interval!;
		expect(full.level).toBe(0.95);
		expect(full.standardError).toBeGreaterThan(0.01);
		expect(full.standardError).toBeLessThan(0.05);
		expect(model.summary.rocAucInterval).toEqual({ low: Number(full.low.toFixed(4)), high: Number(full.high.toFixed(4)) });
		const { low, high } = model.summary.rocAucInterval!;
		expect(low).toBeLessThan(model.summary.rocAuc);
		expect(high).toBeGreaterThan(model.summary.rocAuc);
		expect(model.summary).not.toHaveProperty('rocAucIntervalReason');
		expect(model.summary.labels.rocAucInterval).toBe('95 % confidence interval of the ROC AUC (low to high)');
		expect(model.summary.definitions.rocAucInterval).toMatch(/^95 % confidence interval of the ROC AUC: with another sample of customers like these/);
	});

	test('every number of the summary carries a label, in English and Chinese', async () => {
		const input = customers(600, 5);
		const labels: Record<string, IDataObject> = {};
		const definitions: Record<string, IDataObject> = {};
		for (const language of ['en', 'zh']) {
			const { labels: l, definitions: d, ...numbers } = (await trainOn(input, { language, algorithm: 'gradientBoosting' })).summary;
			expect(numbers.rocAucInterval).not.toBeNull();
			expect(unlabelledNumbers([numbers], l)).toEqual([]);
			labels[language] = l;
			definitions[language] = d;
		}
		expectChineseLabels(labels.en, labels.zh);
		expectChineseLabels(definitions.en, definitions.zh);
		expect(labels.zh.rocAucInterval).toBe('ROC AUC 的 95% 置信区间 (下限至上限)');
	});

	test('fewer than 2 churned held-out customers: null with the reason beside it, no NaN', async () => {
		// 5 % of 105 customers held out: 6, of whom 1 churned
		const input = Array.from({ length: 105 }, (_, i) => ({ logins: i, plan: 'Pro', churned: i < 5 }));
		const model = await trainOn(input, { trainOptions: { validationFraction: 0.05 } });
		expect(model.summary.rocAuc).toEqual(expect.any(Number));
		expect(model.summary.rocAucInterval).toBeNull();
		expect(model.summary.rocAucIntervalReason).toBe(
			'the 95 % interval needs at least 2 churned and 2 retained held-out customers (there are 1 and 5)',
		);
		expect(model.validation.rocAuc).toMatchObject({ interval: null, intervalReason: model.summary.rocAucIntervalReason });
		expect(JSON.stringify(model)).not.toMatch(/NaN|Infinity/);
	});

	test('a model item trained before the interval existed (none in its report or summary) still scores, the same', async () => {
		const model = await trainOn(customers(400, 2));
		const { rocAucInterval: _i, labels, definitions, ...summary } = model.summary;
		const { interval: _v, intervalReason: _r, ...rocAuc } = model.validation.rocAuc;
		const { rocAucInterval: _l, low: _lo, high: _hi, ...oldLabels } = labels as Record<string, string>;
		const { rocAucInterval: _d, ...oldDefinitions } = definitions as Record<string, string>;
		const old = {
			...model,
			validation: { ...model.validation, rocAuc },
			summary: { ...summary, labels: oldLabels, definitions: oldDefinitions },
		};
		expect(JSON.stringify(old)).not.toMatch(/interval/i);
		const input = customers(30, 8);
		const before = await runNode('churnRisk', { operation: 'scoreWithModel', model: old, maxReasons: 2 }, input);
		const now = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: 2 }, input);
		expect(before.error).toBeUndefined();
		expect(before.json('Node')).toHaveLength(30);
		expect(before.json('Node')).toEqual(now.json('Node'));
	});
});

describe('Churn Risk — Score with Model', () => {
	let model: IDataObject;
	beforeAll(async () => {
		const result = await runNode('churnRisk', { ...train, algorithm: 'logisticRegression' }, customers(1500, 3));
		model = result.json('Node')[0];
	});

	test('Train → Score chain in one workflow: customers go to Train and to Score, Score reads the model from Train', async () => {
		const input = customers(1200, 9);
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Signals',
					type: 'churnRisk',
					parameters: {
						operation: 'scoreBySignals',
						signals: { signal: [{ kind: 'custom', field: 'logins', weight: 1, warnAt: 10, alertAt: 5, higherIsRiskier: false }] },
						asOfDate: '2025-01-01',
						outputField: 'signalRisk',
					},
				},
				{ name: 'Train', type: 'churnRisk', parameters: { ...train, algorithm: 'gradientBoosting' } },
				{
					name: 'Score',
					type: 'churnRisk',
					parameters: { operation: 'scoreWithModel', model: "={{ $('Train').first().json }}", outputField: 'modelRisk', maxReasons: 2 },
				},
			],
			connections: { Signals: [['Train', 'Score']] },
			input,
		});
		expect(result.error).toBeUndefined();
		const scored = result.json('Score');
		expect(scored).toHaveLength(1200);
		const model = result.json('Train')[0] as IDataObject;
		for (const item of scored.slice(0, 50)) {
			const r = item.modelRisk as IDataObject & { reasons: Array<IDataObject & { contribution: number }> };
			expect(r.method).toBe('gradientBoosting');
			expect(r.reasonMethod).toBe('treeShap');
			// TreeSHAP: base + Σ reasons + the rest = logit (all rounded to 4 decimals)
			const sum = (r.base as number) + r.reasons.reduce((s, x) => s + x.contribution, 0) + (r.otherContributions as number);
			expect(sum).toBeCloseTo(r.logit as number, 3);
			expect(item.signalRisk).toBeDefined();
		}
		// Scores on the training customers rank churners first about as well as the validation report says.
		const churnedScores = scored.filter((i) => i.churned === 'yes').map((i) => (i.modelRisk as IDataObject).probability as number);
		const retainedScores = scored.filter((i) => i.churned === 'no').map((i) => (i.modelRisk as IDataObject).probability as number);
		const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
		expect(mean(churnedScores)).toBeGreaterThan(mean(retainedScores) + 0.1);
		expect((model.summary as IDataObject).rocAuc as number).toBeGreaterThan(0.65); // 240 held-out customers: noisy
	});

	test('model item and customers in the same input (Merge → Score): every customer scored, reasons sum to the logit', async () => {
		const input = customers(200, 11);
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', maxReasons: 2 }, [model, ...input]);
		expect(result.error).toBeUndefined();
		const items = result.output('Node');
		expect(items).toHaveLength(200);
		expect(items[0].pairedItem).toEqual({ item: 1 });
		for (const item of items) {
			const r = item.json.churnRisk as IDataObject & { reasons: Array<IDataObject & { contribution: number }> };
			const sum = (r.base as number) + r.reasons.reduce((s, x) => s + x.contribution, 0) + (r.otherContributions as number);
			expect(sum).toBeCloseTo(r.logit as number, 3);
			expect(r.score).toBeCloseTo((r.probability as number) * 100, 0);
			expect(['low', 'medium', 'high', 'critical']).toContain(r.tier);
		}
		const basicFewLogins = items.find((i) => i.json.plan === 'Basic' && (i.json.logins as number) < 12)!;
		const r = basicFewLogins.json.churnRisk as IDataObject & { reasons: IDataObject[] };
		expect(r.reasons[0].text).toMatch(/^field "(logins|plan)" = .* raises churn risk \(log-odds \+/);
	});

	test('feature schema mismatch lists missing and unexpected fields', async () => {
		const input = customers(5, 1).map(({ logins, ...rest }) => ({ ...rest, loginCount: logins }));
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model: JSON.stringify(model) }, input);
		expect(result.error?.message).toBe(
			"The items do not match the model's feature schema. Missing fields: logins. Fields in the items that the model does not use: churned, id, loginCount",
		);
	});

	test('unseen categories: a note by default; refused on request (error item with Continue On Fail)', async () => {
		const input = [
			{ logins: 5, plan: 'Platinum' },
			{ logins: 5, plan: 'Basic' },
		];
		const noted = await runNode('churnRisk', { operation: 'scoreWithModel', model, maxReasons: 2 }, input);
		const reasons = (noted.json('Node')[0].churnRisk as { reasons: IDataObject[] }).reasons;
		expect(reasons.find((r) => r.field === 'plan')).toMatchObject({ note: 'unseen', contribution: 0, value: 'Platinum' });
		const refused = await runNode(
			'churnRisk',
			{ operation: 'scoreWithModel', model, unseenCategories: 'error' },
			input,
			{ onError: 'continueRegularOutput' },
		);
		const items = refused.json('Node');
		expect(items[0]).toMatchObject({ itemIndex: 0, field: 'plan', value: 'Platinum' });
		expect(items[1].churnRisk).toBeDefined();
	});

	test('a tampered model item is refused with field paths', async () => {
		const broken = { ...model, columns: ['logins'], logisticRegression: { ...(model.logisticRegression as IDataObject), intercept: 'x' } };
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', model: broken }, [{ logins: 1, plan: 'Pro' }]);
		expect(result.error?.message).toMatch(/^The model is not valid: logisticRegression\.intercept: Expected number, received string/);
		const notModel = await runNode('churnRisk', { operation: 'scoreWithModel', model: '{"type":"other"}' }, [{ logins: 1 }]);
		expect(notModel.error?.message).toMatch(/type: must be "churnRiskModel": this item is not a Churn Risk model/);
		const noModel = await runNode('churnRisk', { operation: 'scoreWithModel' }, [{ logins: 1 }]);
		expect(noModel.error?.message).toMatch(/^No model/);
	});

	test('tree models: TreeSHAP reasons by default, path contributions on request, both adding up to the logit; older models without covers get a clear error', async () => {
		const trained = await runNode('churnRisk', { ...train, algorithm: 'gradientBoosting' }, customers(1500, 3));
		const trees = trained.json('Node')[0];
		const input = customers(100, 12);
		const shap = await runNode('churnRisk', { operation: 'scoreWithModel', model: trees, maxReasons: 2 }, input);
		const path = await runNode('churnRisk', { operation: 'scoreWithModel', model: trees, treeReasons: 'pathContributions', maxReasons: 2 }, input);
		expect(shap.error).toBeUndefined();
		let differs = 0;
		shap.json('Node').forEach((item, i) => {
			const r = item.churnRisk as IDataObject & { reasons: Array<IDataObject & { contribution: number }> };
			const p = path.json('Node')[i].churnRisk as IDataObject & { reasons: Array<IDataObject & { contribution: number }> };
			expect(r.reasonMethod).toBe('treeShap');
			expect(p.reasonMethod).toBe('pathContributions');
			// same model, same probability; only the split into reasons differs
			expect(r.probability).toBe(p.probability);
			const sum = (r.base as number) + r.reasons.reduce((s, x) => s + x.contribution, 0) + (r.otherContributions as number);
			expect(sum).toBeCloseTo(r.logit as number, 3);
			if (Math.abs((r.base as number) - (p.base as number)) > 1e-3) differs++;
		});
		expect(differs).toBe(100); // TreeSHAP's base is the average customer's log-odds, not the root values' sum
		const old = JSON.parse(JSON.stringify(trees)) as { gradientBoosting: { trees: IDataObject[] } };
		for (const tree of old.gradientBoosting.trees) delete tree.cover;
		const refused = await runNode('churnRisk', { operation: 'scoreWithModel', model: old }, input);
		expect(refused.error?.message).toMatch(/no training counts per tree node .* train it again, or use path contributions/);
		const stillScores = await runNode('churnRisk', { operation: 'scoreWithModel', model: old, treeReasons: 'pathContributions' }, input);
		expect(stillScores.json('Node')).toHaveLength(100);
	});
});
