/** Score with Model: applies a model item to customers: probability, tier and per-customer reasons. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ChurnDataError, compareFields, type FeatureValue } from '../../engine/churn/encoding';
import { MODEL_TYPE, makeScorer, reportedScore, type ChurnModel, type TreeReasonMethod } from '../../engine/churn/model';
import { TreeShapError } from '../../engine/churn/treeShap';
import { modelReasonText } from '../../engine/churn/reasonText';
import { InputError, getField } from '../../shared/fields';
import type { Language } from '../../shared/i18n';
import { getLanguage, handleInputErrors, numbersFromText, optionParameter, wholeNumberParameter } from '../../shared/node';
import { finiteOnly, round } from '../../shared/numbers';
import { formatIssues, parseJsonParameter } from '../../shared/validation';
import { parseModel } from '../modelSchema';
import { explain, outputFieldProperty, parameterError, readTiers, tierLabel, tierProperty, tierThresholdProblem } from './common';
import { readFeatureValue } from './trainModel.operation';

const OP = 'scoreWithModel';
const show = { operation: [OP] };

export const description: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'json',
		default: '',
		placeholder: "{{ $('Churn Risk').first().json }}",
		description:
			'The model item made by Train Model (an expression pointing to it, or its JSON). Empty: the input item that is a model is used, and the other input items are scored.',
		displayOptions: { show },
	},
	{
		displayName: 'Unseen Categories',
		name: 'unseenCategories',
		type: 'options',
		options: [
			{
				name: 'Score Anyway and Note It',
				value: 'ignore',
				description: 'A category not seen in training is treated as none of the known ones; the reason says so',
			},
			{ name: 'Refuse the Item', value: 'error', description: 'The item fails with the field and value named' },
		],
		default: 'ignore',
		displayOptions: { show },
	},
	{
		displayName: 'Reasons per Customer',
		name: 'maxReasons',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 3,
		description: 'How many fields to list as reasons, largest effect first; the rest is summed in otherContributions',
		displayOptions: { show },
	},
	{
		displayName: 'Tree Reasons',
		name: 'treeReasons',
		type: 'options',
		options: [
			{
				name: 'TreeSHAP (Exact Shapley Values)',
				value: 'treeShap',
				description:
					'Each field gets its exact Shapley value: its fair share of the difference from the average customer (about 30 µs per customer for 170 trees)',
			},
			{
				name: 'Path Contributions (Faster)',
				value: 'pathContributions',
				description:
					'Each split on the customer\'s path credits its field with the change it made. About five times faster; tends to favour fields the trees split on first.',
			},
		],
		default: 'treeShap',
		description:
			'How a gradient-boosted tree model\'s score is split into reasons (logistic regression models always use coefficient × value). Both add up exactly to the score.',
		displayOptions: { show },
	},
	tierProperty(OP),
	outputFieldProperty(OP),
];

function isModelItem(item: INodeExecutionData): boolean {
	return (item.json as { type?: unknown }).type === MODEL_TYPE;
}

function readModel(ctx: IExecuteFunctions, items: INodeExecutionData[]): { model: ChurnModel; customers: number[] } {
	const raw = ctx.getNodeParameter('model', 0, '') as unknown;
	const all = items.map((_, i) => i);
	let value: unknown;
	let customers = all;
	if (raw === '' || raw === null || raw === undefined || (typeof raw === 'object' && Object.keys(raw as object).length === 0)) {
		const modelItems = all.filter((i) => isModelItem(items[i]));
		if (modelItems.length > 1) {
			throw parameterError(
				ctx,
				`The input holds ${modelItems.length} model items (items ${modelItems.slice(0, 5).join(', ')}${modelItems.length > 5 ? ', …' : ''}); it is unclear which one to use`,
				'Feed one model item, or point the Model parameter at the one to use.',
			);
		}
		const at = modelItems.length ? modelItems[0] : -1;
		if (at < 0) {
			throw parameterError(
				ctx,
				'No model: set the Model parameter, or feed the model item from Train Model into this node together with the customers',
			);
		}
		value = items[at].json;
		customers = all.filter((i) => !isModelItem(items[i]));
	} else {
		const parsedJson = parseJsonParameter(raw);
		if (!parsedJson.ok) throw parameterError(ctx, `The Model parameter is ${formatIssues(parsedJson.issues)}`);
		value = parsedJson.value;
		customers = all.filter((i) => !isModelItem(items[i]));
	}
	const parsed = parseModel(value);
	if ('error' in parsed) throw parameterError(ctx, parsed.error, 'Use the item made by the Train Model operation, unchanged.');
	return { model: parsed.model, customers };
}

/** Fails with the missing and unexpected fields when the items do not carry the model's features. */
function checkSchema(ctx: IExecuteFunctions, model: ChurnModel, items: INodeExecutionData[], customers: number[], outputField: string) {
	const present = new Set<string>();
	for (const i of customers) for (const key of Object.keys(items[i].json)) present.add(key);
	// Dotted feature names (customer.plan) are present when any item resolves them.
	for (const f of model.schema.features) {
		if (!present.has(f.field) && customers.some((i) => getField(items[i].json, f.field) !== undefined)) present.add(f.field);
	}
	present.delete(outputField);
	const { missing, unexpected } = compareFields(model.schema, present);
	if (missing.length === 0) return;
	throw parameterError(
		ctx,
		`The items do not match the model's feature schema. Missing fields: ${missing.join(', ')}. Fields in the items that the model does not use: ${unexpected.slice(0, 30).join(', ') || '(none)'}${unexpected.length > 30 ? ', …' : ''}`,
		'Rename the fields to the names the model was trained with (see schema.features in the model item), or train a new model.',
	);
}

function reasonsJson(s: ReturnType<ReturnType<typeof makeScorer>>, language: Language, categorical: ReadonlySet<string>) {
	return s.reasons.map((r) => ({
		field: r.field,
		value: r.value ?? null,
		contribution: round(r.contribution, 4),
		...(r.note ? { note: r.note } : {}),
		...(r.standardisedValue !== undefined ? { standardisedValue: round(r.standardisedValue, 3) } : {}),
		text: modelReasonText(r.field, r.value, r.contribution, r.note, r.standardisedValue, language, categorical.has(r.field)),
	}));
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const language = getLanguage(this);
	const outputField = (this.getNodeParameter('outputField', 0, 'churnRisk') as string).trim() || 'churnRisk';
	const unseenCategories = optionParameter<'ignore' | 'error'>(this, description, 'unseenCategories');
	const givenReasons = numbersFromText({ n: this.getNodeParameter('maxReasons', 0, 3) as unknown }).n;
	const maxReasons = wholeNumberParameter('Reasons per Customer', givenReasons, 1, 50, (m) => {
		throw parameterError(this, m);
	});
	const treeReasons = optionParameter<TreeReasonMethod>(this, description, 'treeReasons');
	// Tiers are set on the 0–100 risk scale, as for signal scores; the engine works on probabilities.
	const tiersPercent = readTiers(this);
	const tierProblem = tierThresholdProblem(tiersPercent);
	if (tierProblem) throw parameterError(this, tierProblem, 'Check the Tier Thresholds parameter.');
	const tiers = { medium: tiersPercent.medium / 100, high: tiersPercent.high / 100, critical: tiersPercent.critical / 100 };
	const { model, customers } = readModel(this, items);
	if (customers.length === 0) return [];
	if (model.schema.features.some((f) => f.field === outputField)) {
		throw parameterError(
			this,
			`The Output Field "${outputField}" is also a feature field of the model; the score would overwrite the customer's value`,
			'Choose another Output Field name.',
		);
	}
	checkSchema(this, model, items, customers, outputField);

	let score: ReturnType<typeof makeScorer>;
	try {
		score = makeScorer(model, { unseenCategories, tiers, maxReasons, treeReasons });
	} catch (error) {
		throw parameterError(this, error, error instanceof TreeShapError ? 'Set Tree Reasons to Path Contributions, or train the model again.' : undefined);
	}
	const features = model.schema.features.map((f) => ({ field: f.field, type: f.type }));
	const categorical = new Set(features.filter((f) => f.type === 'categorical').map((f) => f.field));
	// The labels of the numbers and the definition used, one shared object for every customer.
	const explained = explain(
		language,
		['probability', 'score', 'tier', 'reasons', 'value', 'contribution', 'standardisedValue', 'logit', 'base', 'otherContributions'],
		['modelScore'],
	);
	const errors: InputError[] = [];
	const scored: INodeExecutionData[] = [];
	for (const i of customers) {
		try {
			const row: FeatureValue[] = features.map((spec) => readFeatureValue(items[i].json, spec, i));
			const s = score(row, i);
			const reasons = reasonsJson(s, language, categorical);
			scored.push({
				json: {
					...items[i].json,
					[outputField]: {
						...finiteOnly({
							probability: round(s.probability, 4),
							score: reportedScore(s.probability * 100),
							tier: s.tier,
							tierLabel: tierLabel(s.tier, language),
							reasonText: reasons
								.filter((r) => r.contribution !== 0 || r.note)
								.map((r) => r.text)
								.join(language === 'zh' ? '；' : '; '),
							reasons,
							logit: round(s.logit, 4),
							base: round(s.base, 4),
							otherContributions: round(s.otherContributions, 4),
							method: model.algorithm,
							reasonMethod: s.reasonMethod,
						}),
						...explained,
					},
				} as INodeExecutionData['json'],
				pairedItem: { item: i },
			});
		} catch (error) {
			errors.push(asInputError(error, i));
		}
	}
	const out = handleInputErrors(this, errors);
	return [...out, ...scored].sort((a, b) => pairedIndex(a) - pairedIndex(b));
}

/** Item problems become InputErrors (error items with Continue On Fail); anything else is a bug. */
function asInputError(error: unknown, itemIndex: number): InputError {
	if (error instanceof InputError) return error;
	if (error instanceof ChurnDataError) return new InputError(itemIndex, error.field, error.value, error.reason);
	return new InputError(itemIndex, '(model)', undefined, error instanceof Error ? error.message : String(error));
}

function pairedIndex(item: INodeExecutionData): number {
	const p = item.pairedItem;
	return typeof p === 'object' && p !== null && !Array.isArray(p) ? p.item : 0;
}
