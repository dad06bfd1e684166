/**
 * RFM: recency, frequency and monetary value per customer, scores, code and segment (output 1), and one
 * summary item per segment (output 2). From transactions, or from pre-aggregated per-customer rows.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { lifecycleStages, type LifecycleSettings } from '../../engine/segments/lifecycle';
import {
	customerValues,
	scoreRfm,
	type CustomerValues,
	type FrequencyBasis,
	type MonetaryBasis,
	type RefundTreatment,
	type RfmResult,
	type Scoring,
} from '../../engine/segments/rfm';
import { isScale, thresholdProblems, type Scale } from '../../engine/segments/scoring';
import { customSegmentMap, elevenSegmentMap, tenSegmentMap, type SegmentMap } from '../../engine/segments/segmentMaps';
import { purchaseHistory } from '../../engine/segments/transactions';
import { formatDay } from '../../shared/dates';
import { InputError, describeValue, getField, readAll, readDay, readId, readNumber } from '../../shared/fields';
import { labelsFor, pick, type Language } from '../../shared/i18n';
import {
	dayParameter,
	fieldProperty,
	getCalendar,
	getLanguage,
	handleInputErrors,
	numbersFromText,
	optionParameter,
	readBooleanParameter,
	toItems,
} from '../../shared/node';
import { round } from '../../shared/numbers';
import { revenueBasisProperty } from '../../shared/refunds';
import { formatIssues, parseJsonParameter } from '../../shared/validation';
import {
	DEFINITIONS,
	LABELS,
	LIFECYCLE_LIMITS,
	lifecycleWarningText,
	rfmCustomerLabels,
	rfmReason,
	rfmWarningText,
	segmentDescription,
	segmentLabel,
	stageLabel,
	stageReason,
	type DefinitionKey,
} from '../labels';
import { asOfProperty, customerPairs, dayFormatter, flatPairs, numberList, readTransactions, transactionFields, transactionProperties } from './common';
import { lifecycleLimits, lifecycleOptionsProperty, lifecycleSettings } from './lifecycleStage.operation';

const OP = 'rfm';
const show = { operation: [OP] };
const fromTransactions = { operation: [OP], inputMode: ['transactions'] };
const fromCustomers = { operation: [OP], inputMode: ['customers'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'inputMode',
		type: 'options',
		options: [
			{ name: 'Transactions (One Item per Order or Line)', value: 'transactions' },
			{ name: 'Customers (One Pre-Aggregated Item per Customer)', value: 'customers' },
		],
		default: 'transactions',
		displayOptions: { show },
	},
	...transactionProperties([OP], { inputMode: ['transactions'] }),
	{
		displayName: 'Recency From',
		name: 'recencyFrom',
		type: 'options',
		options: [
			{ name: 'Last Purchase Date Field', value: 'lastPurchaseDate' },
			{ name: 'Days Since Last Purchase Field', value: 'recencyDays' },
		],
		default: 'lastPurchaseDate',
		displayOptions: { show: fromCustomers },
	},
	{
		...fieldProperty([OP], 'lastPurchaseDateField', 'Last Purchase Date Field', 'lastPurchaseDate', 'Field holding the date of the customer’s last purchase'),
		displayOptions: { show: { ...fromCustomers, recencyFrom: ['lastPurchaseDate'] } },
	},
	{
		...fieldProperty([OP], 'recencyDaysField', 'Recency Days Field', 'recencyDays', 'Field holding the days since the customer’s last purchase'),
		displayOptions: { show: { ...fromCustomers, recencyFrom: ['recencyDays'] } },
	},
	{
		...fieldProperty([OP], 'frequencyField', 'Frequency Field', 'frequency', 'Field holding the number of orders (at least 1)'),
		displayOptions: { show: fromCustomers },
	},
	{
		...fieldProperty([OP], 'monetaryField', 'Monetary Field', 'monetary', 'Field holding the customer’s spend'),
		displayOptions: { show: fromCustomers },
	},
	asOfProperty([OP]),
	{
		displayName: 'Frequency Counts',
		name: 'frequencyBasis',
		type: 'options',
		options: [
			{ name: 'Distinct Orders', value: 'orders' },
			{ name: 'Distinct Purchase Days', value: 'purchaseDays' },
		],
		default: 'orders',
		displayOptions: { show: fromTransactions },
	},
	{
		displayName: 'Monetary Value',
		name: 'monetaryBasis',
		type: 'options',
		options: [
			{ name: 'Total Spend', value: 'total' },
			{ name: 'Average Spend per Order', value: 'mean' },
		],
		default: 'total',
		description: 'With pre-aggregated customers: what the monetary field holds',
		displayOptions: { show },
	},
	revenueBasisProperty(fromTransactions),
	{
		displayName: 'Scoring',
		name: 'scoring',
		type: 'options',
		options: [
			{ name: 'Quantiles (Equal-Sized Groups)', value: 'quantiles' },
			{ name: 'Fixed Thresholds', value: 'thresholds' },
		],
		default: 'quantiles',
		displayOptions: { show },
	},
	{
		displayName: 'Score Scale',
		name: 'scale',
		type: 'options',
		options: [
			{ name: '1–5 (Quintiles)', value: 5 },
			{ name: '1–4 (Quartiles)', value: 4 },
			{ name: '1–3', value: 3 },
		],
		default: 5,
		description: 'The named segment maps are defined on the 1–5 scale; other scales need your own map',
		displayOptions: { show },
	},
	{
		displayName: 'Recency Thresholds (Days)',
		name: 'recencyThresholds',
		type: 'string',
		default: '30, 90, 180, 365',
		description: 'Scale − 1 increasing day counts; each is the last day of the better score (≤ 30 days → 5)',
		displayOptions: { show: { ...show, scoring: ['thresholds'] } },
	},
	{
		displayName: 'Frequency Thresholds',
		name: 'frequencyThresholds',
		type: 'string',
		default: '2, 3, 5, 10',
		description: 'Scale − 1 increasing values; each is the first value of the better score (≥ 10 → 5)',
		displayOptions: { show: { ...show, scoring: ['thresholds'] } },
	},
	{
		displayName: 'Monetary Thresholds',
		name: 'monetaryThresholds',
		type: 'string',
		default: '100, 250, 500, 1000',
		description: 'Scale − 1 increasing amounts; each is the first value of the better score',
		displayOptions: { show: { ...show, scoring: ['thresholds'] } },
	},
	{
		displayName: 'Segment Map',
		name: 'segmentMap',
		type: 'options',
		options: [
			{ name: '11 Named Segments by R-F-M Code', value: 'elevenSegments' },
			{ name: '10 Segments by R and F', value: 'tenSegments' },
			{ name: 'Custom Map', value: 'custom' },
			{ name: 'None (Scores Only)', value: 'none' },
		],
		default: 'elevenSegments',
		displayOptions: { show },
	},
	{
		displayName: 'Custom Map (JSON)',
		name: 'customMap',
		type: 'json',
		default: '{\n  "555": "VIP"\n}',
		description:
			'Code → segment ({"555": "VIP", …}) or segment → codes ({"VIP": ["555", "554"], …}). Every code of the scale must belong to exactly one segment.',
		displayOptions: { show: { ...show, segmentMap: ['custom'] } },
	},
	{
		displayName: 'Add Lifecycle Stage',
		name: 'addLifecycleStage',
		type: 'boolean',
		default: false,
		description: 'Whether to add each customer’s lifecycle stage (new, active, at risk, dormant, lost, reactivated) to the customer items',
		displayOptions: { show: fromTransactions },
	},
	lifecycleOptionsProperty({ ...fromTransactions, addLifecycleStage: [true] }),
];

function segmentMapOf(ctx: IExecuteFunctions, scale: Scale): SegmentMap | null {
	const kind = optionParameter<'elevenSegments' | 'tenSegments' | 'custom' | 'none'>(ctx, description, 'segmentMap');
	if (kind === 'none') return null;
	if (kind === 'custom') {
		const parsed = parseJsonParameter(ctx.getNodeParameter('customMap', 0));
		if (!parsed.ok) throw new NodeOperationError(ctx.getNode(), `Custom Map: ${formatIssues(parsed.issues)}`);
		const result = customSegmentMap(parsed.value, scale);
		if (!result.ok) {
			throw new NodeOperationError(ctx.getNode(), `Custom Map: ${result.problems.join('; ')}`, {
				description: `Every one of the ${scale ** 3} codes 111 … ${scale}${scale}${scale} must belong to exactly one segment.`,
			});
		}
		return result.map;
	}
	if (scale !== 5) {
		throw new NodeOperationError(ctx.getNode(), `The ${kind === 'tenSegments' ? '10' : '11'}-segment map is defined on 1–5 scores, not on a 1–${scale} scale`, {
			description: 'Choose the 1–5 scale, a Custom Map for your scale, or Segment Map "None (Scores Only)".',
		});
	}
	return kind === 'tenSegments' ? tenSegmentMap() : elevenSegmentMap();
}

function scoringOf(ctx: IExecuteFunctions, scale: Scale): Scoring {
	if (optionParameter<Scoring['method']>(ctx, description, 'scoring') === 'quantiles') return { method: 'quantiles' };
	const scoring = {
		method: 'thresholds' as const,
		recency: numberList(ctx, 'recencyThresholds', 'Recency Thresholds'),
		frequency: numberList(ctx, 'frequencyThresholds', 'Frequency Thresholds'),
		monetary: numberList(ctx, 'monetaryThresholds', 'Monetary Thresholds'),
	};
	const problems = (['recency', 'frequency', 'monetary'] as const).flatMap((m) =>
		thresholdProblems(scoring[m], scale).map((p) => `${m} thresholds ${p}`),
	);
	if (problems.length) throw new NodeOperationError(ctx.getNode(), `Fixed thresholds: ${problems.join('; ')}`);
	return scoring;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const calendar = getCalendar(this);
	const language = getLanguage(this);
	const mode = optionParameter<'transactions' | 'customers'>(this, description, 'inputMode');
	const rawScale = numbersFromText({ scale: this.getNodeParameter('scale', 0, 5) as unknown }).scale;
	if (!isScale(rawScale)) throw new NodeOperationError(this.getNode(), `Score Scale must be 3, 4 or 5 (got ${describeValue(rawScale)})`);
	const scale: Scale = rawScale;
	const scoring = scoringOf(this, scale);
	const map = segmentMapOf(this, scale);
	const monetaryBasis = optionParameter<MonetaryBasis>(this, description, 'monetaryBasis');
	const givenAsOf = dayParameter(this, calendar, 'asOfDate', 'As-Of Date', false);

	let values: Pick<CustomerValues, 'recencyDays' | 'frequency' | 'monetary' | 'spend' | 'hasPurchase'> & Partial<CustomerValues>;
	let ids: string[];
	/** pairedItem of each customer's item: all of that customer's input items. */
	let pairs: IPairedItemData[][];
	let errorItems: INodeExecutionData[];
	let frequencyBasis: 'orders' | 'purchaseDays' = 'orders';
	let revenueBasis: 'net' | 'gross' = 'net';
	let stages: ReturnType<typeof lifecycleStages> | null = null;
	let stageSettings: ReturnType<typeof lifecycleSettings> | null = null;
	let asOfDay: number | null = givenAsOf ?? null;

	if (mode === 'transactions') {
		const fields = transactionFields(this);
		frequencyBasis = optionParameter<FrequencyBasis>(this, description, 'frequencyBasis');
		revenueBasis = optionParameter<RefundTreatment>(this, description, 'revenueBasis');
		const read = readTransactions(this, items, fields, calendar);
		errorItems = handleInputErrors(this, read.errors);
		const v = customerValues(read.tx, { asOfDay: givenAsOf, frequency: frequencyBasis, monetary: monetaryBasis, refunds: revenueBasis });
		values = v;
		ids = read.ids;
		// No transaction and no as-of date given: there is no as-of date to report.
		asOfDay = read.tx.day.length || givenAsOf !== undefined ? v.asOfDay : null;
		if (readBooleanParameter(this, 'addLifecycleStage', 'Add Lifecycle Stage', false)) {
			stageSettings = lifecycleSettings(this, v.asOfDay);
			stages = lifecycleStages(v.history ?? purchaseHistory(read.tx, v.asOfDay), stageSettings);
		}
		pairs = customerPairs(read.tx.customer, read.itemOfRow, read.tx.customerCount, items.length);
	} else {
		const aggregated = readCustomers(this, items, calendar, givenAsOf, monetaryBasis);
		errorItems = handleInputErrors(this, aggregated.errors);
		values = aggregated.values;
		ids = aggregated.ids;
		asOfDay = aggregated.asOfDay;
		pairs = aggregated.itemOf.map((i) => [{ item: i }]);
	}

	const result = scoreRfm(values, scale, scoring, map);
	if (values.rowsAfterAsOf) result.warnings.unshift({ code: 'rowsAfterAsOf', rows: values.rowsAfterAsOf });
	// On RFM items the stage comes with its reason and rhythm; the Lifecycle Stage operation gives the details.
	const stageOf =
		stages && stageSettings
			? (c: number) => {
					const stage = stages.customers[c];
					return {
						stage: stage.stage,
						stageLabel: stage.stage === null ? null : stageLabel(stage.stage, language),
						stageReason: stageReason(stage, stageSettings, language),
						usualIntervalDays: stage.usualIntervalDays === null ? null : round(stage.usualIntervalDays, 4),
						intervalRatio: stage.ratio === null ? null : round(stage.ratio, 4),
					};
				}
			: undefined;
	const out = errorItems.concat(customerOutput(result, values, ids, map, pairs, stageOf, { frequencyBasis, monetaryBasis, language }));

	const warnings = result.warnings.map((w) => rfmWarningText(w, language));
	if (stages) warnings.push(...stages.warnings.filter((w) => w.code === 'populationInterval' || w.code === 'defaultInterval').map((w) => lifecycleWarningText(w, language)));
	const summaryItems = summaryOutput(result, map, pairs, {
		asOfDay,
		scale,
		scoring,
		frequencyBasis,
		monetaryBasis,
		revenueBasis,
		mode,
		language,
		warnings,
		stageSettings,
	});
	return [out, summaryItems];
}

/**
 * One item per customer. Built directly (not through toItems' deep scrub) because there can be a hundred
 * thousand of them: every number here is an integer count or passed through round(), which gives null for
 * a non-finite value, so nothing non-finite can reach the output.
 */
function customerOutput(
	result: RfmResult,
	values: Partial<CustomerValues>,
	ids: string[],
	map: SegmentMap | null,
	pairs: IPairedItemData[][],
	stageOf: ((c: number) => Record<string, unknown>) | undefined,
	o: { frequencyBasis: 'orders' | 'purchaseDays'; monetaryBasis: 'total' | 'mean'; language: Language },
): INodeExecutionData[] {
	const segmentLabels = map ? map.segments.map((s) => segmentLabel(s, o.language)) : [];
	const dateOf = dayFormatter();
	const unscored =
		o.language === 'zh' ? '统计日前没有购买 (只有退款, 或交易都在统计日之后), 未打分' : 'no purchase up to the as-of date (only refunds, or only transactions after it): not scored';
	const out: INodeExecutionData[] = new Array(result.customers.length);
	for (let i = 0; i < result.customers.length; i++) {
		const c = result.customers[i];
		const label = c.segment === null ? null : segmentLabels[c.segment];
		const json: IDataObject = {
			customerId: ids[c.customer],
			recencyDays: c.recencyDays,
			frequency: c.frequency,
			monetary: c.monetary === null ? null : round(c.monetary, 6),
			rScore: c.r,
			fScore: c.f,
			mScore: c.m,
			rfmCode: c.code,
			segment: c.segment === null ? null : map!.segments[c.segment],
			segmentLabel: label,
			reason:
				c.code === null
					? unscored
					: rfmReason(
							{ recencyDays: c.recencyDays!, frequency: c.frequency!, monetary: c.monetary!, r: c.r!, f: c.f!, m: c.m!, code: c.code },
							label,
							o.frequencyBasis,
							o.monetaryBasis,
							o.language,
						),
		};
		if (values.lastPurchaseDay) {
			json.firstPurchaseDate = c.code === null ? null : dateOf(values.firstPurchaseDay![c.customer]);
			json.lastPurchaseDate = c.code === null ? null : dateOf(values.lastPurchaseDay[c.customer]);
		}
		if (stageOf) Object.assign(json, stageOf(c.customer));
		out[i] = { json, pairedItem: pairs[c.customer] };
	}
	return out;
}

function summaryOutput(
	result: RfmResult,
	map: SegmentMap | null,
	pairsOf: IPairedItemData[][],
	o: {
		asOfDay: number | null;
		scale: Scale;
		scoring: Scoring;
		frequencyBasis: 'orders' | 'purchaseDays';
		monetaryBasis: 'total' | 'mean';
		revenueBasis: 'net' | 'gross';
		mode: 'transactions' | 'customers';
		language: Language;
		warnings: string[];
		/** The lifecycle limits, when stages were added to the customer items. */
		stageSettings: LifecycleSettings | null;
	},
): INodeExecutionData[] {
	const withStages = o.stageSettings !== null;
	// Pre-aggregated input: frequency and spend are what the source counted, not orders and refunds seen here.
	const given = o.mode === 'customers';
	const definitionKeys: DefinitionKey[] = [
		'recency',
		given ? 'frequencyGiven' : o.frequencyBasis === 'orders' ? 'frequencyOrders' : 'frequencyDays',
		o.monetaryBasis === 'total' ? 'monetaryTotal' : 'monetaryMean',
		given ? 'spendGiven' : o.revenueBasis,
		o.scoring.method,
		'customerShare',
		'revenueShare',
	];
	if (map) definitionKeys.push(map.kind === 'elevenSegments' ? 'segmentMapEleven' : map.kind === 'tenSegments' ? 'segmentMapTen' : 'segmentMapCustom');
	if (withStages) definitionKeys.push('stage');
	const definitions: Record<string, string> = {};
	for (const key of definitionKeys) definitions[key] = pick(DEFINITIONS[key], o.language);
	// The labels of the summary's numbers, of the settings' numbers and of the customer items' numbers.
	const commonLabels = {
		...labelsFor(LABELS, ['scoredCustomers', 'scale'], o.language),
		...(o.scoring.method === 'thresholds'
			? {
					'scoring.recency': pick(LABELS.recencyThresholds, o.language),
					'scoring.frequency': pick(LABELS.frequencyThresholds, o.language),
					'scoring.monetary': pick(LABELS.monetaryThresholds, o.language),
				}
			: {}),
		...rfmCustomerLabels(o.frequencyBasis, o.monetaryBasis, withStages, o.language),
		...(withStages ? labelsFor(LABELS, LIFECYCLE_LIMITS, o.language) : {}),
	};
	const labels = {
		...labelsFor(LABELS, ['customers', 'customerShare', 'revenue', 'revenueShare', 'meanRecencyDays', 'meanFrequency', 'meanMonetary'], o.language),
		...commonLabels,
	};
	const settings = {
		asOfDate: o.asOfDay === null ? null : formatDay(o.asOfDay),
		input: o.mode,
		scale: o.scale,
		scoring: o.scoring,
		frequency: o.mode === 'transactions' ? o.frequencyBasis : 'given',
		monetary: o.monetaryBasis,
		revenueBasis: o.mode === 'transactions' ? o.revenueBasis : 'given',
		segmentMap: map ? map.kind : 'none',
		...(o.stageSettings ? { lifecycle: lifecycleLimits(o.stageSettings) } : {}),
	};
	const membersOf: number[][] = (map ? map.segments : []).map(() => []);
	for (const c of result.customers) if (c.segment !== null) membersOf[c.segment].push(c.customer);

	const rows: Array<Record<string, unknown>> = [];
	const pairs: Array<Array<{ item: number }>> = [];
	if (map) {
		result.summary.forEach((s, i) => {
			const description = segmentDescription(s.segment, map.kind);
			rows.push({
				segment: s.segment,
				segmentLabel: segmentLabel(s.segment, o.language),
				segmentDescription: description ? pick(description, o.language) : null,
				codes: codesOf(map, i),
				customers: s.customers,
				customerShare: s.customerShare === null ? null : round(s.customerShare, 4),
				revenue: round(s.revenue, 6),
				revenueShare: s.revenueShare === null ? null : round(s.revenueShare, 4),
				meanRecencyDays: s.meanRecencyDays === null ? null : round(s.meanRecencyDays, 4),
				meanFrequency: s.meanFrequency === null ? null : round(s.meanFrequency, 4),
				meanMonetary: s.meanMonetary === null ? null : round(s.meanMonetary, 6),
				scoredCustomers: result.scoredCustomers,
				...settings,
				warnings: o.warnings,
				labels,
				definitions,
			});
			pairs.push(flatPairs(membersOf[i].map((c) => pairsOf[c])));
		});
	} else {
		// Scores only: one summary item with the settings and warnings.
		rows.push({
			segment: null,
			scoredCustomers: result.scoredCustomers,
			...settings,
			warnings: o.warnings,
			labels: commonLabels,
			definitions,
		});
		pairs.push(flatPairs(pairsOf));
	}
	return toItems(rows, (i) => pairs[i]);
}

function codesOf(map: SegmentMap, segment: number): string[] {
	const codes: string[] = [];
	const k = map.scale;
	for (let i = 0; i < map.segmentOfCode.length; i++) {
		if (map.segmentOfCode[i] === segment) codes.push(`${Math.floor(i / (k * k)) + 1}${(Math.floor(i / k) % k) + 1}${(i % k) + 1}`);
	}
	return codes.sort().reverse();
}

/** Pre-aggregated rows: one per customer, with recency (date or days), frequency and monetary value. */
function readCustomers(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	calendar: ReturnType<typeof getCalendar>,
	givenAsOf: number | undefined,
	monetaryBasis: 'total' | 'mean',
) {
	const idField = ctx.getNodeParameter('customerIdField', 0) as string;
	const recencyFrom = optionParameter<'lastPurchaseDate' | 'recencyDays'>(ctx, description, 'recencyFrom');
	const dateField = recencyFrom === 'lastPurchaseDate' ? (ctx.getNodeParameter('lastPurchaseDateField', 0) as string) : '';
	const daysField = recencyFrom === 'recencyDays' ? (ctx.getNodeParameter('recencyDaysField', 0) as string) : '';
	const frequencyField = ctx.getNodeParameter('frequencyField', 0) as string;
	const monetaryField = ctx.getNodeParameter('monetaryField', 0) as string;
	const seen = new Set<string>();
	const { rows, itemIndexes, errors } = readAll(items, (json, i) => {
		const id = readId(json, idField, i);
		const lastDay = dateField ? readDay(json, dateField, i, calendar) : undefined;
		if (lastDay !== undefined && givenAsOf !== undefined && lastDay > givenAsOf) {
			throw new InputError(i, dateField, getField(json, dateField), `is after the as-of date ${formatDay(givenAsOf)}`);
		}
		const days = daysField ? readNumber(json, daysField, i, { min: 0 }) : undefined;
		const frequency = readNumber(json, frequencyField, i, { min: 1, integer: true });
		const monetary = readNumber(json, monetaryField, i);
		// Masked as readId masks it: customer ids are often phone numbers or e-mail addresses.
		if (seen.has(id)) throw new InputError(i, idField, id, 'appears twice; pre-aggregated input needs one item per customer', true);
		seen.add(id);
		return { id, lastDay, days, frequency, monetary };
	});
	// Default as-of: the day after the latest last purchase (as for transactions).
	let asOfDay: number | null = givenAsOf ?? null;
	if (asOfDay === null && dateField && rows.length) {
		let latest = rows[0].lastDay!;
		for (const r of rows) if (r.lastDay! > latest) latest = r.lastDay!;
		asOfDay = latest + 1;
	}
	const n = rows.length;
	const values = {
		recencyDays: new Float64Array(n),
		frequency: new Float64Array(n),
		monetary: new Float64Array(n),
		spend: new Float64Array(n),
		hasPurchase: new Uint8Array(n).fill(1),
		rowsAfterAsOf: 0,
	};
	rows.forEach((r, c) => {
		values.recencyDays[c] = r.days ?? asOfDay! - r.lastDay!;
		values.frequency[c] = r.frequency;
		values.monetary[c] = r.monetary;
		values.spend[c] = monetaryBasis === 'total' ? r.monetary : r.monetary * r.frequency;
	});
	return { values, ids: rows.map((r) => r.id), itemOf: itemIndexes, asOfDay, errors };
}
