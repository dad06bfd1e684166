/** Parameters, input reading and output shaping shared by the Customer Lifetime Value operations. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DAYS_PER_UNIT, type ClvModel, type TimeUnit } from '../../engine/clv/model';
import { message, type MessageKey } from '../../engine/clv/messages';
import { MAX_HORIZON, checkPredictionOptions, type PredictionOptions, type Predictions } from '../../engine/clv/predict';
import type { RfmRanking } from '../../engine/clv/rfm';
import { summariseTransactions, type CustomerSummaries } from '../../engine/clv/summary';
import type { ZonedCalendar } from '../../shared/dates';
import { formatDay } from '../../shared/dates';
import { InputError, describeValue, readDay, readId, readInto, readNumber, readOptionalNumber, type Json } from '../../shared/fields';
import { explainWith, type Language } from '../../shared/i18n';
import { IdIndex } from '../../shared/ids';
import { handleInputErrors, numbersFromText, pairedAll, requireUsableItems } from '../../shared/node';
import { round } from '../../shared/numbers';
import { DEFINITIONS, LABELS, type DefinitionKey, type LabelKey } from '../labels';

export type OperationName = 'fitPredict' | 'predictWithModel' | 'validate';

function field(operations: OperationName[], name: string, displayName: string, defaultField: string, description: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: defaultField,
		description,
		displayOptions: { show: { operation: operations, ...(extra.displayOptions?.show ?? {}) } },
		...(extra.required ? { required: true } : {}),
	};
}

const ALL: OperationName[] = ['fitPredict', 'predictWithModel', 'validate'];
const WITH_INPUT_CHOICE: OperationName[] = ['fitPredict', 'predictWithModel'];
const transactionsShown = { inputType: ['transactions'] };
const summariesShown = { inputType: ['summaries'] };

/** Input fields, time unit, horizon: one definition per parameter, shown where each operation uses it. */
export const sharedProperties: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'inputType',
		type: 'options',
		options: [
			{ name: 'Transactions (One Item per Purchase)', value: 'transactions' },
			{ name: 'Customer Summaries (Frequency, Recency, T)', value: 'summaries' },
		],
		default: 'transactions',
		displayOptions: { show: { operation: WITH_INPUT_CHOICE } },
	},
	field(ALL, 'customerIdField', 'Customer ID Field', 'customerId', 'Field holding the customer identifier', { required: true }),
	field(WITH_INPUT_CHOICE, 'dateField', 'Date Field', 'date', 'Field holding the purchase date', { displayOptions: { show: transactionsShown } }),
	field(['validate'], 'dateField', 'Date Field', 'date', 'Field holding the purchase date'),
	field(WITH_INPUT_CHOICE, 'amountField', 'Amount Field', 'amount', 'Field holding the purchase amount (needed for spend and CLV; empty: purchases only)', {
		displayOptions: { show: transactionsShown },
	}),
	{
		displayName: 'Calibration End',
		name: 'calibrationEnd',
		type: 'string',
		default: '',
		placeholder: '2025-06-30',
		description: 'Last day of the history the model learns from (included). Empty: the last purchase date in the data.',
		displayOptions: { show: { operation: WITH_INPUT_CHOICE, inputType: ['transactions'] } },
	},
	{
		displayName: 'Calibration End',
		name: 'calibrationEnd',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2025-06-30',
		description: 'Split date: the model is fitted on purchases up to this day (included) and checked on the purchases after it',
		displayOptions: { show: { operation: ['validate'] } },
	},
	{
		displayName: 'Holdout End',
		name: 'observationEnd',
		type: 'string',
		default: '',
		placeholder: '2025-12-31',
		description: 'Last day of the holdout period (included). Empty: the last purchase date in the data.',
		displayOptions: { show: { operation: ['validate'] } },
	},
	field(WITH_INPUT_CHOICE, 'frequencyField', 'Frequency Field', 'frequency', 'Field holding the number of repeat purchases', {
		displayOptions: { show: summariesShown },
	}),
	field(WITH_INPUT_CHOICE, 'recencyField', 'Recency Field', 'recency', 'Field holding the time from the first to the last purchase, in the time unit', {
		displayOptions: { show: summariesShown },
	}),
	field(WITH_INPUT_CHOICE, 'ageField', 'T Field', 'T', 'Field holding the time from the first purchase to the end of the history (customer age), in the time unit', {
		displayOptions: { show: summariesShown },
	}),
	field(WITH_INPUT_CHOICE, 'meanSpendField', 'Mean Spend Field', 'monetary', 'Field holding the mean spend of the repeat purchases (empty: no spend prediction)', {
		displayOptions: { show: summariesShown },
	}),
	field(WITH_INPUT_CHOICE, 'historicSpendField', 'Spent So Far Field', '', 'Optional field holding what the customer has spent so far (for total CLV)', {
		displayOptions: { show: summariesShown },
	}),
	{
		displayName: 'Time Unit',
		name: 'timeUnit',
		type: 'options',
		options: [
			{ name: 'Days', value: 'days' },
			{ name: 'Weeks', value: 'weeks' },
			{ name: 'Months (30.4375 Days)', value: 'months' },
		],
		default: 'weeks',
		description: 'Unit of recency, T, the horizon and the discount rate. With summaries: the unit the summaries are in.',
		displayOptions: { show: { operation: ALL } },
	},
];

export const horizonProperties: INodeProperties[] = [
	{
		displayName: 'Horizon',
		name: 'horizon',
		type: 'number',
		default: 52,
		// The node accepts 0 < horizon ≤ MAX_HORIZON; the field offers whole units from 1 (an expression may give less).
		typeOptions: { minValue: 1, maxValue: MAX_HORIZON },
		description: 'How far ahead to predict, in the time unit (52 weeks = one year)',
		displayOptions: { show: { operation: WITH_INPUT_CHOICE } },
	},
	{
		displayName: 'Discount Rate per Time Unit',
		name: 'discountRate',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 6 },
		description: 'Discount rate applied per time unit to future purchases (0.01 = 1 % per unit; about 0.0018 per week is 10 % a year)',
		displayOptions: { show: { operation: WITH_INPUT_CHOICE } },
	},
];

/**
 * Horizon and Discount Rate, in the node's Time Unit. An expression may give them as text: numeric text is
 * a number ("52" → 52), anything else is refused naming the value given — before any input is read or any
 * model fitted, so a bad value never reaches a computation or an output.
 */
export function predictionParameters(ctx: IExecuteFunctions): PredictionOptions {
	const given = numbersFromText({ horizon: ctx.getNodeParameter('horizon', 0) as unknown, discountRate: ctx.getNodeParameter('discountRate', 0) as unknown });
	checkPredictionOptions(given);
	return given;
}

/** A penalizer parameter (numeric text read as a number): a number, 0 or more, or the node fails naming the value. */
export function penalizerParameter(ctx: IExecuteFunctions, value: unknown): number {
	const { penalizer } = numbersFromText({ penalizer: value ?? 0 });
	if (typeof penalizer === 'number' && penalizer >= 0 && Number.isFinite(penalizer)) return penalizer;
	throw new NodeOperationError(ctx.getNode(), `Penalizer must be a number, 0 or more (got ${describeValue(penalizer)})`);
}

export const purchaseModelProperty: INodeProperties = {
	displayName: 'Purchase Model',
	name: 'purchaseModel',
	type: 'options',
	options: [
		{ name: 'BG/NBD (Default)', value: 'bgnbd', description: 'Fader, Hardie & Lee 2005: customers may leave after each purchase' },
		{ name: 'Pareto/NBD', value: 'paretonbd', description: 'Customers may leave at any time' },
		{ name: 'Modified BG/NBD', value: 'mbgnbd', description: 'Like BG/NBD, but one-time buyers may also have left' },
	],
	default: 'bgnbd',
	displayOptions: { show: { operation: ['fitPredict', 'validate'] } },
};

export interface ReadCustomers {
	ids: string[];
	summaries: CustomerSummaries;
	/** Item indexes behind each customer (pairedItem). */
	items: number[][];
	/** Amounts (transactions) or mean spends (summaries) were read: spend can be predicted. */
	hasAmounts: boolean;
	/** What each customer spent so far is known (transactions with amounts, or a "spent so far" field). */
	hasHistoricSpend: boolean;
	calibrationEnd: number | null;
	observationEnd: number | null;
	errorItems: INodeExecutionData[];
}

/**
 * readInto (shared/fields.ts) that leaves out one item — the model item of "Predict with Model" — while item
 * indexes in errors and pairedItem stay those of the input: the skipped item is "refused" and its error dropped.
 */
function readItems(
	items: INodeExecutionData[],
	skip: number | undefined,
	read: (json: Json, itemIndex: number, row: number) => void,
): { count: number; itemIndexes: Int32Array; errors: InputError[] } {
	if (skip === undefined || skip < 0) return readInto(items, read);
	const result = readInto(items, (json, i, row) => {
		if (i === skip) throw new InputError(i, '(model item)', undefined, 'is the model, not a customer');
		read(json, i, row);
	});
	return { ...result, errors: result.errors.filter((e) => e.itemIndex !== skip) };
}

/** Reads transaction items (customer, date, amount ≥ 0) and builds the per-customer summaries. */
export function readTransactions(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	calendar: ZonedCalendar,
	timeUnit: TimeUnit,
	split: { calibrationEnd?: number; observationEnd?: number; readAmounts: boolean; skipItem?: number },
): ReadCustomers {
	const idField = ctx.getNodeParameter('customerIdField', 0) as string;
	const dateField = ctx.getNodeParameter('dateField', 0) as string;
	const amountField = split.readAmounts ? (ctx.getNodeParameter('amountField', 0, '') as string).trim() : '';
	const ids = new IdIndex();
	const n = items.length;
	const customer = new Int32Array(n);
	const day = new Float64Array(n);
	const amount = new Float64Array(n);
	const { count, itemIndexes, errors } = readItems(items, split.skipItem, (json: Json, i: number, row: number) => {
		const id = readId(json, idField, i);
		const d = readDay(json, dateField, i, calendar);
		// A negative amount is a refund: net it into its order first; a model of spend cannot use it.
		const value = amountField ? readNumber(json, amountField, i, { min: 0 }) : 0;
		customer[row] = ids.of(id);
		day[row] = d;
		amount[row] = value;
	});
	const errorItems = handleInputErrors(ctx, errors);
	requireUsableItems(ctx, count, 'transactions', errorItems);
	let lastDay = -Infinity;
	for (let r = 0; r < count; r++) lastDay = Math.max(lastDay, day[r]);
	const calibrationEnd = split.calibrationEnd ?? lastDay;
	const observationEnd = split.observationEnd ?? Math.max(lastDay, calibrationEnd);
	if (observationEnd < calibrationEnd) {
		throw new NodeOperationError(ctx.getNode(), `The holdout end ${formatDay(observationEnd)} is before the calibration end ${formatDay(calibrationEnd)}`);
	}
	const summaries = summariseTransactions(
		{ customer: customer.subarray(0, count), day: day.subarray(0, count), amount: amount.subarray(0, count) },
		{ customerCount: ids.size, calibrationEnd, observationEnd, timeUnit },
	);
	const byCustomer: number[][] = ids.ids.map(() => []);
	for (let r = 0; r < count; r++) byCustomer[customer[r]].push(itemIndexes[r]);
	const hasAmounts = amountField !== '';
	return { ids: ids.ids, summaries, items: byCustomer, hasAmounts, hasHistoricSpend: hasAmounts, calibrationEnd, observationEnd, errorItems };
}

/** Reads summary items (frequency, recency, T, optional spend), converting them to `modelUnit` if needed. */
export function readSummaries(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	inputUnit: TimeUnit,
	modelUnit: TimeUnit = inputUnit,
	skipItem?: number,
): ReadCustomers {
	const idField = ctx.getNodeParameter('customerIdField', 0) as string;
	const frequencyField = ctx.getNodeParameter('frequencyField', 0) as string;
	const recencyField = ctx.getNodeParameter('recencyField', 0) as string;
	const ageField = ctx.getNodeParameter('ageField', 0) as string;
	const meanSpendField = (ctx.getNodeParameter('meanSpendField', 0, '') as string).trim();
	const historicField = (ctx.getNodeParameter('historicSpendField', 0, '') as string).trim();
	const scale = DAYS_PER_UNIT[inputUnit] / DAYS_PER_UNIT[modelUnit];
	const n = items.length;
	const ids: string[] = [];
	const frequency = new Float64Array(n);
	const recency = new Float64Array(n);
	const T = new Float64Array(n);
	const meanSpend = new Float64Array(n);
	const historic = new Float64Array(n);
	const seen = new Set<string>();
	const { count, itemIndexes, errors } = readItems(items, skipItem, (json: Json, i: number, row: number) => {
		const id = readId(json, idField, i);
		const x = readNumber(json, frequencyField, i, { min: 0, integer: true });
		const age = readNumber(json, ageField, i, { min: 0 });
		const tx = readNumber(json, recencyField, i, { min: 0, max: age });
		if (x === 0 && tx !== 0) throw new InputError(i, recencyField, tx, 'must be 0 when frequency is 0 (one purchase has no time between purchases)');
		// A missing mean spend is unknown (NaN), not 0: the spend model then uses its population mean.
		const m = meanSpendField ? (readOptionalNumber(json, meanSpendField, i, { min: 0 }) ?? (x > 0 ? NaN : 0)) : 0;
		// A missing "spent so far" is unknown (NaN), not 0: historicSpend and totalClv are then null with the reason
		// (the predictions do not need it), and the RFM fallback gives no monetary score.
		const h = historicField ? (readOptionalNumber(json, historicField, i, { min: 0 }) ?? NaN) : 0;
		// A second summary of a customer would be predicted twice (and count twice in the fit): refused, as the
		// pre-aggregated input of Customer Segments refuses it, masked as readId masks it (ids are often phone
		// numbers or e-mail addresses). Only items read without error count as seen.
		if (seen.has(id)) throw new InputError(i, idField, id, 'appears twice; customer summaries need one item per customer', true);
		seen.add(id);
		ids[row] = id;
		frequency[row] = x;
		recency[row] = tx * scale;
		T[row] = age * scale;
		meanSpend[row] = m;
		historic[row] = h;
	});
	const errorItems = handleInputErrors(ctx, errors);
	requireUsableItems(ctx, count, 'customer summaries', errorItems);
	const summaries: CustomerSummaries = {
		timeUnit: modelUnit,
		inCalibration: new Uint8Array(count).fill(1),
		frequency: frequency.slice(0, count),
		recency: recency.slice(0, count),
		T: T.slice(0, count),
		meanRepeatSpend: meanSpend.slice(0, count),
		calibrationSpend: historic.slice(0, count),
		firstPurchaseDay: new Float64Array(count).fill(NaN),
		lastPurchaseDay: new Float64Array(count).fill(NaN),
		holdoutPurchases: new Float64Array(count),
		holdoutSpend: new Float64Array(count),
		holdoutLength: 0,
	};
	return {
		ids: ids.slice(0, count),
		summaries,
		items: Array.from(itemIndexes, (i) => [i]),
		hasAmounts: meanSpendField !== '',
		hasHistoricSpend: historicField !== '',
		calibrationEnd: null,
		observationEnd: null,
		errorItems,
	};
}

/** Labels and definitions for an output item, in the chosen language. */
export function explain(language: Language, labelKeys: LabelKey[], definitionKeys: DefinitionKey[]) {
	return explainWith(LABELS, DEFINITIONS, language, labelKeys, definitionKeys);
}

/** The fit report of one model, rounded for display (the model object itself keeps full precision). */
export function fitReport(model: ClvModel | null) {
	if (!model) return null;
	const params: Record<string, number | null> = {};
	for (const [k, v] of Object.entries(model.params)) params[k] = round(v, 6);
	return {
		kind: model.kind,
		params,
		logLikelihood: model.logLikelihood === null ? null : round(model.logLikelihood, 4),
		converged: model.converged,
		convergenceReason: model.convergenceReason,
		iterations: model.iterations,
		customersUsed: model.customersUsed,
		repeatBuyers: model.repeatBuyers,
		warnings: model.warnings,
	};
}

export function dateOrNull(day: number | null | undefined): string | null {
	return day === null || day === undefined || !Number.isFinite(day) ? null : formatDay(day);
}

export interface PredictionSettings {
	horizon: number;
	discountRate: number;
	timeUnit: TimeUnit;
}

/**
 * Per-customer output items from the engine's predictions (or the RFM fallback ranking). Plain field names;
 * a null value always comes with its reason in `reasons`.
 */
export function customerItems(
	read: ReadCustomers,
	settings: PredictionSettings,
	method: string,
	predicted: Predictions | null,
	rfm: RfmRanking | null,
	rows: Int32Array,
	spendReason: string | null,
	language: Language = 'en',
): INodeExecutionData[] {
	// The same few sentences for every customer: each said once.
	const said = new Map<MessageKey, string>();
	const say = (key: MessageKey) => said.get(key) ?? said.set(key, message(key, language)).get(key)!;
	const s = read.summaries;
	const out: INodeExecutionData[] = [];
	const rowOf = new Int32Array(s.frequency.length).fill(-1);
	rows.forEach((customer, k) => (rowOf[customer] = k));
	for (let c = 0; c < read.ids.length; c++) {
		const json: Record<string, unknown> = {
			customerId: read.ids[c],
			method,
			timeUnit: settings.timeUnit,
		};
		const reasons: Record<string, string> = {};
		const k = rowOf[c];
		if (!s.inCalibration[c] || k < 0) {
			Object.assign(json, { frequency: null, recency: null, T: null, probabilityAlive: null, expectedPurchases: null });
			reasons.probabilityAlive = say('firstPurchaseAfterCalibration');
		} else {
			json.frequency = s.frequency[c];
			json.recency = round(s.recency[c], 4);
			json.T = round(s.T[c], 4);
			if (predicted) {
				json.horizon = settings.horizon;
				json.discountRate = settings.discountRate;
				json.probabilityAlive = finiteOr(predicted.probabilityAlive[k], 6, reasons, 'probabilityAlive', say('notComputed'));
				json.expectedPurchases = finiteOr(
					predicted.expectedPurchases[k],
					6,
					reasons,
					'expectedPurchases',
					say('seriesDiverged'),
				);
				if (predicted.expectedAverageSpend) {
					const spend = predicted.expectedAverageSpend[k];
					const meanMissing = Number.isNaN(s.meanRepeatSpend[c]);
					json.expectedAverageSpend = finiteOr(spend, 4, reasons, 'expectedAverageSpend', say(spendUndefinedReason(spend, meanMissing, s.frequency[c])));
					json.predictedClv = finiteOr(predicted.predictedClv![k], 4, reasons, 'predictedClv', say('needsPurchasesAndSpend'));
					if (meanMissing && Number.isFinite(spend)) reasons.expectedAverageSpend = say('spendMissingPopulationMean');
				} else {
					json.expectedAverageSpend = null;
					json.predictedClv = null;
					// Both are unknown for the same reason: no spend model (or no amounts) — each null says why.
					reasons.expectedAverageSpend = reasons.predictedClv = spendReason ?? say('noSpendModel');
				}
			}
			if (rfm) {
				// Score 0: the spend is unknown — no monetary score, hence no RFM score or rank (rfm.ts).
				const scored = rfm.monetaryScore[k] > 0;
				json.rfmScore = scored ? rfm.rfmScore[k] : null;
				json.rfmRank = scored ? rfm.rank[k] : null;
				json.recencyScore = rfm.recencyScore[k];
				json.frequencyScore = rfm.frequencyScore[k];
				json.monetaryScore = scored ? rfm.monetaryScore[k] : null;
				if (!scored) {
					reasons.rfmScore = reasons.rfmRank = say('needsMonetaryScore');
					reasons.monetaryScore = say('historicSpendMissing');
				}
			}
		}
		if (read.hasHistoricSpend) {
			const spent = s.calibrationSpend[c];
			const predictedClv = json.predictedClv;
			if (Number.isNaN(spent)) {
				json.historicSpend = null;
				json.totalClv = null;
				reasons.historicSpend = say('historicSpendMissing');
				reasons.totalClv = say('needsHistoricSpend');
			} else {
				json.historicSpend = round(spent, 4);
				json.totalClv = typeof predictedClv === 'number' ? round(spent + predictedClv, 4) : null;
				if (json.totalClv === null) reasons.totalClv = reasons.predictedClv ?? say('noPredictedClv');
			}
		}
		if (Object.keys(reasons).length) json.reasons = reasons;
		out.push({ json: json as INodeExecutionData['json'], pairedItem: pairedAll(read.items[c]) });
	}
	return out;
}

/**
 * Why Gamma-Gamma's expected spend p(v + x m̄)/(px + q − 1) is not a number (NaN when px + q ≤ 1; a missing
 * mean spend counts as x = 0, the population mean): the case that applies. Anything else: not computed.
 */
function spendUndefinedReason(spend: number, meanMissing: boolean, frequency: number): MessageKey {
	if (!Number.isNaN(spend)) return 'notComputed';
	if (meanMissing) return 'spendUndefinedMeanMissing';
	return frequency === 0 ? 'spendUndefined' : 'spendUndefinedFewPurchases';
}

function finiteOr(value: number, digits: number, reasons: Record<string, string>, name: string, reason: string): number | null {
	if (Number.isFinite(value)) return round(value, digits);
	reasons[name] = reason;
	return null;
}

/** Rows (customer positions) that can be scored: those with a purchase in the calibration period. */
export function calibrationRows(read: ReadCustomers): Int32Array {
	const rows: number[] = [];
	for (let c = 0; c < read.ids.length; c++) if (read.summaries.inCalibration[c]) rows.push(c);
	return Int32Array.from(rows);
}

export function pick64(column: Float64Array, rows: Int32Array): Float64Array {
	const out = new Float64Array(rows.length);
	for (let k = 0; k < rows.length; k++) out[k] = column[rows[k]];
	return out;
}

/** Every input item (for the model item's pairedItem). */
export function allItems(read: ReadCustomers): number[] {
	return read.items.flat();
}
