/** Train Model: learns a churn model from labelled customers and outputs it as one item, with its report. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ChurnDataError, type FeatureSpec, type FeatureValue } from '../../engine/churn/encoding';
import { TrainingError, TrainingSettingsError, trainChurnModel, type Algorithm, type ChurnModel, type TrainSettings } from '../../engine/churn/model';
import type { ClassWeighting } from '../../engine/churn/logistic';
import { InputError, coerceNumber, getField, readAll, readBoolean, type Json } from '../../shared/fields';
import { AllItemsRefusedError, collectionOption, getLanguage, handleInputErrors, numbersFromText, optionParameter, pairedAll } from '../../shared/node';
import { finiteOnly, round } from '../../shared/numbers';
import { explain, fieldList, parameterError } from './common';

const OP = 'trainModel';
const show = { operation: [OP] };
const showGbt = { operation: [OP], algorithm: ['gradientBoosting'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Algorithm',
		name: 'algorithm',
		type: 'options',
		options: [
			{
				name: 'Logistic Regression',
				value: 'logisticRegression',
				description: 'Standardised numbers, one-hot categories, L2 penalty: simple, stable, easy to explain',
			},
			{
				name: 'Gradient-Boosted Trees',
				value: 'gradientBoosting',
				description: 'Captures thresholds and interactions; early stopping on a held-back part',
			},
		],
		default: 'logisticRegression',
		displayOptions: { show },
	},
	{
		displayName: 'Churned Field',
		name: 'labelField',
		type: 'string',
		default: 'churned',
		required: true,
		description: 'Field saying whether the customer churned: true/false, yes/no, 1/0, 是/否',
		displayOptions: { show },
	},
	{
		displayName: 'Numeric Feature Fields',
		name: 'numericFields',
		type: 'string',
		default: '',
		placeholder: 'tenure, monthlyCharges, logins30d',
		description: 'Comma-separated fields holding numbers. A missing value is replaced by the average and counted.',
		displayOptions: { show },
	},
	{
		displayName: 'Category Feature Fields',
		name: 'categoricalFields',
		type: 'string',
		default: '',
		placeholder: 'plan, contract, paymentMethod',
		description: 'Comma-separated fields holding categories (text). Each category seen in training gets its own column.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'trainOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Class Weighting',
				name: 'classWeighting',
				type: 'options',
				options: [
					{ name: 'None', value: 'none', description: 'Probabilities stay calibrated to the real churn rate' },
					{ name: 'Balanced', value: 'balanced', description: 'Churned and retained customers count equally in total; probabilities run high' },
				],
				default: 'none',
			},
			{
				displayName: 'L2 Penalty (Logistic Regression)',
				name: 'l2',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 1,
				description: 'Larger values shrink coefficients towards 0 (more cautious)',
			},
			{ displayName: 'Seed', name: 'seed', type: 'number', typeOptions: { minValue: 0, maxValue: 4294967295 }, default: 42, description: 'Same seed, same split, same model (0 to 4,294,967,295)' },
			{
				displayName: 'Validation Share',
				name: 'validationFraction',
				type: 'number',
				typeOptions: { minValue: 0.05, maxValue: 0.5, numberPrecision: 2 },
				default: 0.2,
				description: 'Share of customers held out (stratified) to check the model',
			},
		],
	},
	// The defaults shown are the engine's (GBT_DEFAULTS in engine/churn/gbt.ts; a test keeps them equal).
	{
		displayName: 'Tree Options',
		name: 'treeOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showGbt },
		options: [
			{
				displayName: 'Early Stopping Rounds',
				name: 'earlyStoppingRounds',
				type: 'number',
				default: 20,
				description: 'Stop after this many rounds without improvement; 0 turns early stopping off',
			},
			{ displayName: 'Learning Rate', name: 'learningRate', type: 'number', typeOptions: { numberPrecision: 3 }, default: 0.05 },
			{
				displayName: 'Max Depth',
				name: 'maxDepth',
				type: 'number',
				default: 3,
				description: 'Depth of each tree (3 lets up to three fields work together)',
			},
			{ displayName: 'Max Rounds', name: 'rounds', type: 'number', default: 300, description: 'Most trees to grow' },
			{
				displayName: 'Min Customers per Leaf',
				name: 'minRowsPerLeaf',
				type: 'number',
				default: 100,
				description: 'Fewest customers a leaf of a tree may hold; lowered to what a tree can split when there are few customers per tree (customers per tree ÷ 2^depth)',
			},
			{
				displayName: 'Refit on All Training Customers',
				name: 'refit',
				type: 'options',
				options: [
					{ name: 'When Under 50,000 Customers', value: 'auto' },
					{ name: 'Always (Twice the Time)', value: 'always' },
					{ name: 'Never', value: 'never' },
				],
				default: 'auto',
				description: 'Whether to grow the chosen number of trees again on all training customers, including those held back for early stopping',
			},
			{
				displayName: 'Rows per Tree',
				name: 'subsample',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 1, numberPrecision: 2 },
				default: 0.8,
				description: 'Share of the training customers each tree is grown on (seeded); 1 uses all',
			},
		],
	},
];

export function readFeatureValue(json: Json, spec: FeatureSpec, itemIndex: number): FeatureValue {
	const value = getField(json, spec.field);
	if (value === undefined || value === null) return null;
	if (spec.type === 'numeric') {
		// true/false stay as they are: the engine reads them as 1/0, and a reason shows the value given.
		if (typeof value === 'boolean') return value;
		const n = coerceNumber(value);
		if (n === undefined) return null;
		if (n === null) {
			throw new InputError(itemIndex, spec.field, value, 'is not a number; list the field under Category Feature Fields if it holds categories');
		}
		return n;
	}
	if (typeof value === 'object') throw new InputError(itemIndex, spec.field, value, 'is not a category (text, number or true/false)');
	return value as FeatureValue;
}

export function readFeatureSpecs(ctx: IExecuteFunctions): FeatureSpec[] {
	const numeric = fieldList(ctx.getNodeParameter('numericFields', 0, ''));
	const categorical = fieldList(ctx.getNodeParameter('categoricalFields', 0, ''));
	const specs: FeatureSpec[] = [
		...numeric.map((field) => ({ field, type: 'numeric' as const })),
		...categorical.map((field) => ({ field, type: 'categorical' as const })),
	];
	if (specs.length === 0) throw parameterError(ctx, 'No feature fields: list at least one numeric or category field');
	const twice = specs.find((s, i) => specs.findIndex((t) => t.field === s.field) !== i);
	if (twice) throw parameterError(ctx, `The field "${twice.field}" is listed twice (numeric and category, or repeated)`);
	return specs;
}

/** The model item's json: the model plus a readable summary for people. */
function modelItemJson(model: ChurnModel, language: 'en' | 'zh') {
	const v = model.validation;
	return {
		...model,
		summary: {
			algorithm: model.algorithm,
			customers: model.training.customers,
			churned: model.training.churned,
			trainingCustomers: model.training.trainingCustomers,
			validationCustomers: model.training.validationCustomers,
			churnRate: v.churnRate === null ? null : round(v.churnRate, 4),
			rocAuc: v.rocAuc.value === null ? null : round(v.rocAuc.value, 4),
			rocAucInterval: v.rocAuc.interval ? { low: round(v.rocAuc.interval.low, 4), high: round(v.rocAuc.interval.high, 4) } : null,
			...(v.rocAuc.interval ? {} : { rocAucIntervalReason: v.rocAuc.intervalReason }),
			prAuc: v.prAuc.value === null ? null : round(v.prAuc.value, 4),
			brierScore: v.brierScore.value === null ? null : round(v.brierScore.value, 4),
			logLoss: v.logLoss.value === null ? null : round(v.logLoss.value, 4),
			calibration: v.calibration.map((r) => ({
				from: r.from,
				to: r.to,
				customers: r.customers,
				meanPredicted: round(r.meanPredicted, 4),
				observedChurnRate: round(r.observedChurnRate, 4),
			})),
			importance: model.importance.slice(0, 10).map((i) => ({ field: i.field, share: round(i.share, 4) })),
			constantFields: model.training.constantFields,
			...explain(
				language,
				[
					'customers', 'churned', 'trainingCustomers', 'validationCustomers', 'churnRate', 'rocAuc', 'rocAucInterval', 'low', 'high', 'prAuc',
					'brierScore', 'logLoss', 'calibration', 'from', 'to', 'meanPredicted', 'observedChurnRate', 'importance', 'share', 'constantFields',
				],
				['validation', 'rocAuc', 'rocAucInterval', 'prAuc', 'brierScore', 'calibration', 'importance', 'modelScore'],
			),
		},
	};
}

/** The error to report for a failed training: the item and field, or what to change. */
function trainingFailure(ctx: IExecuteFunctions, failure: unknown, itemIndexes: number[]): Error {
	if (failure instanceof ChurnDataError && failure.value === undefined) {
		return parameterError(ctx, `The field "${failure.field}" ${failure.reason}`);
	}
	// Rows of the engine are the good items, in order.
	if (failure instanceof ChurnDataError) return new InputError(itemIndexes[failure.row] ?? 0, failure.field, failure.value, failure.reason);
	if (failure instanceof TrainingSettingsError) return parameterError(ctx, failure, 'Check Options and Tree Options.');
	if (failure instanceof TrainingError) {
		return parameterError(ctx, failure, 'Check the Churned Field and the feature fields, or add more customers.');
	}
	return failure instanceof Error ? failure : new Error(String(failure));
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const algorithm = optionParameter<Algorithm>(this, description, 'algorithm');
	const labelField = (this.getNodeParameter('labelField', 0) as string).trim();
	if (labelField === '') throw parameterError(this, 'The Churned Field is empty', 'Name the field that says whether each customer churned, e.g. churned.');
	const features = readFeatureSpecs(this);
	if (features.some((f) => f.field === labelField)) {
		throw parameterError(
			this,
			`The Churned Field "${labelField}" is also listed as a feature field: the model would learn the answer from the answer`,
			'Remove it from the feature fields.',
		);
	}
	const language = getLanguage(this);
	const o = numbersFromText(
		this.getNodeParameter('trainOptions', 0, {}) as {
			classWeighting?: unknown;
			l2?: number;
			seed?: number;
			validationFraction?: number;
		},
	);
	const { refit: givenRefit, ...tree } = numbersFromText(
		this.getNodeParameter('treeOptions', 0, {}) as Omit<NonNullable<TrainSettings['gradientBoosting']>, 'refit'> & { refit?: unknown },
	);
	// Options of a collection set by an expression: checked as the node's own options are ("Balanced", "yes" refused).
	const hint = 'Check Options and Tree Options.';
	const classWeighting = collectionOption<ClassWeighting>(this, description, 'trainOptions.classWeighting', o.classWeighting, '', hint);
	const refit = collectionOption<'auto' | 'always' | 'never'>(this, description, 'treeOptions.refit', givenRefit, '', hint);
	const t: NonNullable<TrainSettings['gradientBoosting']> = { ...tree, refit: refit === 'auto' ? 'auto' : refit === 'always' };

	const { rows, itemIndexes, errors } = readAll(items, (json, i) => ({
		label: readBoolean(json, labelField, i) ? 1 : 0,
		values: features.map((spec) => readFeatureValue(json, spec, i)),
	}));
	const out = handleInputErrors(this, errors);
	if (rows.length === 0 && errors.length > 0) {
		// Only reachable with Continue On Fail (otherwise the first bad item has failed the node already).
		throw new AllItemsRefusedError(
			this.getNode(),
			`None of the ${errors.length} items could be used (see their error items); there are no customers to train on`,
			out,
		);
	}
	let model: ChurnModel | undefined;
	let failure: unknown;
	try {
		model = trainChurnModel(
			rows.map((r) => r.values),
			rows.map((r) => r.label),
			{
				algorithm,
				features,
				seed: o.seed,
				validationFraction: o.validationFraction,
				classWeighting,
				l2: o.l2,
				gradientBoosting: t,
			},
		);
	} catch (error) {
		failure = error;
	}
	if (!model) {
		const error = trainingFailure(this, failure, itemIndexes);
		// With Continue On Fail the items refused above keep their own error items; the failed training
		// adds one more, paired with the items it was given.
		if (out.length === 0) throw error;
		out.push({ json: { error: error.message }, pairedItem: pairedAll(itemIndexes) });
		return out;
	}
	out.push({
		json: finiteOnly(modelItemJson(model, language)) as unknown as INodeExecutionData['json'],
		pairedItem: pairedAll(itemIndexes),
	});
	return out;
}
