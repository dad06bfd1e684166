/**
 * Predict with Model: apply a model item (from "Fit and Predict", merged into the input, or pasted JSON) to
 * new customers. Summaries in another time unit are converted to the model's unit; a model that did not
 * converge, or that does not validate, is refused with the reason.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { TIME_UNIT_NAMES, message } from '../../engine/clv/messages';
import { DAYS_PER_UNIT, type TimeUnit } from '../../engine/clv/model';
import { checkPredictionOptions, predictCustomers } from '../../engine/clv/predict';
import { describeValue } from '../../shared/fields';
import { pick } from '../../shared/i18n';
import { dayParameter, getCalendar, getLanguage, optionParameter } from '../../shared/node';
import { calibrationRows, customerItems, pick64, predictionParameters, readSummaries, readTransactions, sharedProperties, type ReadCustomers } from './common';
import { modelItem, trustOf } from './modelItem';
import { MODEL_ITEM_TYPE, readModelItem } from './modelSchema';

const OP = 'predictWithModel';
const show = { operation: [OP] };

export const description: INodeProperties[] = [
	{
		displayName: 'Model Source',
		name: 'modelSource',
		type: 'options',
		options: [
			{
				name: 'An Input Item',
				value: 'inputItem',
				description: `The input item with "type": "${MODEL_ITEM_TYPE}" (e.g. merged in from the Model output of Fit and Predict); the other items are the customers`,
			},
			{ name: 'JSON', value: 'json', description: 'A model pasted as JSON, or an expression returning one' },
		],
		default: 'inputItem',
		displayOptions: { show },
	},
	{
		displayName: 'Model (JSON)',
		name: 'modelJson',
		type: 'json',
		default: '',
		description: 'The model item written by Fit and Predict (its Model output)',
		displayOptions: { show: { operation: [OP], modelSource: ['json'] } },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const language = getLanguage(this);
	const inputUnit = optionParameter<TimeUnit>(this, sharedProperties, 'timeUnit');
	const inputType = optionParameter<'transactions' | 'summaries'>(this, sharedProperties, 'inputType');
	const { horizon, discountRate } = predictionParameters(this);
	const source = optionParameter<'inputItem' | 'json'>(this, description, 'modelSource');

	let skipItem = -1;
	let model: ReturnType<typeof readModelItem>;
	if (source === 'json') {
		model = readModelItem(this.getNodeParameter('modelJson', 0), 'The parameter "Model (JSON)"');
	} else {
		const at = items.findIndex((item) => item.json?.type === MODEL_ITEM_TYPE);
		if (at < 0) {
			throw new NodeOperationError(this.getNode(), `No input item has "type": "${MODEL_ITEM_TYPE}"`, {
				description: 'Merge the Model output of a Fit and Predict node into this node’s input, or choose Model Source "JSON".',
			});
		}
		model = readModelItem(items[at].json, `Item ${at}`);
		skipItem = at;
	}
	const timeUnit = model.timeUnit;
	// Time Unit is the unit of the input, the horizon and the discount rate together; the model works in
	// its own unit, so all three are converted (273 days → 39 weeks; a rate per day compounds to a rate per
	// week: (1 + d)^7 − 1).
	const modelHorizon = (horizon * DAYS_PER_UNIT[inputUnit]) / DAYS_PER_UNIT[timeUnit];
	const modelDiscountRate = inputUnit === timeUnit ? discountRate : (1 + discountRate) ** (DAYS_PER_UNIT[timeUnit] / DAYS_PER_UNIT[inputUnit]) - 1;
	if (inputUnit !== timeUnit) {
		// In range as given, but perhaps not once converted (100,000 months are more than 100,000 days): say both.
		try {
			checkPredictionOptions({ horizon: modelHorizon, discountRate: modelDiscountRate });
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`${error instanceof Error ? error.message : String(error)} once converted from ${inputUnit} to the model's ${timeUnit} (given: Horizon ${describeValue(horizon)}, Discount Rate ${describeValue(discountRate)})`,
			);
		}
	}
	let read: ReadCustomers;
	if (inputType === 'transactions') {
		const calendar = getCalendar(this);
		const calibrationEnd = dayParameter(this, calendar, 'calibrationEnd', 'Calibration End', false);
		read = readTransactions(this, items, calendar, timeUnit, {
			calibrationEnd,
			readAmounts: model.spendModel !== null,
			skipItem,
		});
	} else {
		read = readSummaries(this, items, inputUnit, timeUnit, skipItem);
	}
	const rows = calibrationRows(read);
	const s = read.summaries;
	const withSpend = model.spendModel !== null && model.spendModel.converged && read.hasAmounts;
	// A model that did not converge throws ModelNotUsableError with the reason (the router reports it).
	const predictions = predictCustomers(
		model.purchaseModel,
		withSpend ? model.spendModel : null,
		{ frequency: pick64(s.frequency, rows), recency: pick64(s.recency, rows), T: pick64(s.T, rows), meanSpend: pick64(s.meanRepeatSpend, rows) },
		{ horizon: modelHorizon, discountRate: modelDiscountRate },
	);
	const settings = { horizon: modelHorizon, discountRate: modelDiscountRate, timeUnit };
	const method = withSpend ? `${model.purchaseModel.kind}+gammagamma` : model.purchaseModel.kind;
	const spendReason = withSpend ? null : message(model.spendModel ? 'noMeanSpendInInput' : 'modelWithoutSpend', language);
	const output = customerItems(read, settings, method, predictions, null, rows, spendReason, language);
	const converted =
		inputUnit !== timeUnit
			? message(inputType === 'summaries' ? 'summariesConverted' : 'horizonConverted', language, {
					from: pick(TIME_UNIT_NAMES[inputUnit], language),
					to: pick(TIME_UNIT_NAMES[timeUnit], language),
				})
			: null;
	const item = modelItem(language, {
		purchaseModel: model.purchaseModel,
		spendModel: model.spendModel,
		timeUnit,
		// Judged on the models used: a spend model left unused (no amounts in the input) does not make it doubtful.
		trust: trustOf(model.purchaseModel, withSpend ? model.spendModel : null),
		method,
		reason: null,
		spendReason,
		calibrationEnd: read.calibrationEnd,
		settings,
		read,
		modelInputItem: skipItem,
		extra: converted ? { note: converted } : undefined,
	});
	return [[...read.errorItems, ...output], [item]];
}
