/** Cohort Retention: acquisition cohorts by month or week, with a heatmap picture (SVG and PNG). */
import type { IBinaryData, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cohortTable, type CohortGranularity, type CohortTable } from '../../../engine/metrics/cohorts';
import { noteText } from '../../../engine/metrics/notes';
import { heatmapPng, heatmapSvg, type HeatmapMode, type HeatmapText } from '../../../engine/metrics/heatmap';
import { readDay, readId, readInto } from '../../../shared/fields';
import { isRefundRow, readRefundRule, refundProperties } from '../../../shared/refunds';
import { pick, type Language } from '../../../shared/i18n';
import {
	dayParameter,
	fieldProperty,
	getCalendar,
	getLanguage,
	handleInputErrors,
	pairedAll,
	numbersFromText,
	optionParameter,
	requireUsableItems,
	toItems,
	wholeNumberParameter,
} from '../../../shared/node';
import { IdIndex } from '../../../shared/ids';
import { round } from '../../../shared/numbers';
import { LABELS } from '../../labels';
import { explain, gather, groupByProperty, groupValue, itemsOf, partition, scopeFields } from '../common';

const OP = 'cohortRetention';
const show = { operation: [OP] };
const MAX_PERIODS = 120;

export const description: INodeProperties[] = [
	fieldProperty([OP], 'customerIdField', 'Customer ID Field', 'customerId', 'Field holding the customer identifier'),
	fieldProperty([OP], 'dateField', 'Date Field', 'date', 'Field holding the transaction (or activity) date'),
	...refundProperties(show, true),
	{
		displayName: 'Cohort Period',
		name: 'granularity',
		type: 'options',
		options: [
			{ name: 'Calendar Month', value: 'month' },
			{ name: 'ISO Week (Monday–Sunday)', value: 'week' },
		],
		default: 'month',
		displayOptions: { show },
	},
	{
		displayName: 'Periods to Show',
		name: 'maxPeriods',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_PERIODS },
		default: 12,
		description: 'How many periods after acquisition the table shows (columns 0 … N)',
		displayOptions: { show },
	},
	{
		displayName: 'As-Of Date',
		name: 'asOf',
		type: 'string',
		default: '',
		placeholder: '2025-06-30',
		description:
			'Last day that counts as observed. Cells of periods not complete by then are empty. Empty: the date of the latest transaction.',
		displayOptions: { show },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Cohort, Then a Summary With the Picture', value: 'rows' },
			{ name: 'Summary Only (One Item With Table and Picture)', value: 'summary' },
		],
		default: 'rows',
		displayOptions: { show },
	},
	{
		displayName: 'Heatmap Shows',
		name: 'heatmapMode',
		type: 'options',
		options: [
			{ name: 'Classic (Active in Period K)', value: 'classic' },
			{ name: 'Unbounded (Active in Period K or Later)', value: 'unbounded' },
			{ name: 'No Picture', value: 'none' },
		],
		default: 'classic',
		description: 'Which rates the picture attached to the summary item shows (binary properties "heatmapSvg" and "heatmapPng")',
		displayOptions: { show },
	},
	groupByProperty(OP),
];

function heatmapText(language: Language, mode: HeatmapMode, granularity: CohortGranularity, group: string | null, ascii: boolean): HeatmapText {
	const groupSuffix = group === null ? '' : ` - ${group}`;
	if (language === 'zh' && !ascii) {
		return {
			title: `同期群留存 (${mode === 'classic' ? '经典口径' : '无界口径'}, 按${granularity === 'month' ? '月' : '周'})${groupSuffix}`,
			cohortHeader: '同期群',
			sizeHeader: '客户数',
			periodHeader: `获客后第 k ${granularity === 'month' ? '月' : '周'}`,
			averageRow: '加权平均',
			footnote: mode === 'classic' ? '单元格 = 第 k 期有交易的客户占比; 灰色 = 周期尚未结束' : '单元格 = 第 k 期或之后仍有交易的客户占比; 灰色 = 周期尚未结束',
		};
	}
	return {
		title: `Cohort retention (${mode}, by ${granularity})${groupSuffix}`,
		cohortHeader: 'Cohort',
		sizeHeader: 'Size',
		periodHeader: `${granularity === 'month' ? 'Months' : 'Weeks'} since first purchase`,
		averageRow: 'Weighted avg',
		footnote:
			mode === 'classic'
				? 'Cell = share of the cohort with a transaction in period k; grey = period not complete yet'
				: 'Cell = share of the cohort with a transaction in period k or later; grey = period not complete yet',
	};
}

function rounded(values: Array<number | null>): Array<number | null> {
	return values.map((v) => (v === null ? null : round(v, 4)));
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const calendar = getCalendar(this);
	const language = getLanguage(this);
	const idField = this.getNodeParameter('customerIdField', 0) as string;
	const dateField = this.getNodeParameter('dateField', 0) as string;
	const granularity = optionParameter<CohortGranularity>(this, description, 'granularity');
	const givenPeriods = numbersFromText({ n: this.getNodeParameter('maxPeriods', 0) as unknown }).n;
	const maxPeriods = wholeNumberParameter('Periods to Show', givenPeriods, 1, MAX_PERIODS, (m) => {
		throw new NodeOperationError(this.getNode(), m);
	});
	const output = optionParameter<'rows' | 'summary'>(this, description, 'output');
	const heatmapMode = optionParameter<HeatmapMode | 'none'>(this, description, 'heatmapMode');
	const groupField = (this.getNodeParameter('groupBy', 0, '') as string).trim();
	const asOfParameter = dayParameter(this, calendar, 'asOf', 'As-Of Date', false);
	const refunds = readRefundRule(this);
	const amountField = refunds.mode === 'negativeAmounts' ? (this.getNodeParameter('amountField', 0) as string) : '';

	const customers = new IdIndex();
	const n = items.length;
	const customerCol = new Int32Array(n);
	const dayCol = new Int32Array(n);
	const groupKeys: string[] = groupField ? new Array(n) : [];
	// Refund rows stay in the input's pairing but are not activity.
	const lookForRefunds = refunds.mode !== 'none';
	const refundRow = new Uint8Array(lookForRefunds ? n : 0);
	let latest = -(2 ** 31);
	const { count, itemIndexes, errors } = readInto(items, (json, i, row) => {
		const customer = customers.of(readId(json, idField, i));
		const day = readDay(json, dateField, i, calendar);
		if (lookForRefunds) refundRow[row] = isRefundRow(json, i, refunds, amountField) ? 1 : 0;
		if (groupField) groupKeys[row] = groupValue(json, groupField, language);
		customerCol[row] = customer;
		dayCol[row] = day;
		if (day > latest) latest = day;
	});
	const out = handleInputErrors(this, errors);
	requireUsableItems(this, count, 'transactions', out);
	const asOfDay = asOfParameter ?? latest;
	const groups = partition(groupField ? groupKeys : undefined, count);

	for (const g of groups) {
		// Activity rows: all of the group's rows, or those that are not refunds.
		const activeRows = lookForRefunds ? g.rows.filter((r) => refundRow[r] === 0) : null;
		const refundRows = activeRows ? g.rows.length - activeRows.length : 0;
		const column = (values: Int32Array) => (activeRows ? activeRows.map((r) => values[r]) : gather(values.subarray(0, count), g));
		const table: CohortTable = cohortTable(column(customerCol), column(dayCol), customers.size, {
			granularity,
			maxPeriods,
			asOfDay,
		});
		const pairs = pairedAll(itemsOf(itemIndexes, g));
		const scope = scopeFields(groupField, g.key);
		const cohortRows = table.cohorts.map((c) => ({
			cohort: c.cohort,
			cohortStart: c.cohortStart,
			size: c.size,
			classicCounts: c.classicCounts,
			classicRates: rounded(c.classicRates),
			unboundedCounts: c.unboundedCounts,
			unboundedRates: rounded(c.unboundedRates),
		}));
		if (output === 'rows') {
			out.push(...toItems(cohortRows.map((c) => ({ metric: 'cohortRow', granularity, asOf: table.asOf, ...scope, ...c })), () => pairs));
		}
		const explained = explain(
			language,
			['cohorts', 'periods', 'size', 'classicCounts', 'classicRates', 'unboundedCounts', 'unboundedRates', 'averageClassicRates', 'averageUnboundedRates'],
			['classicRates', 'unboundedRates', 'cohortCells'],
		);
		// `customers` here counts customers with any transaction, not only orders: its own label.
		explained.labels = { customers: pick(LABELS.cohortCustomers, language), ...explained.labels };
		const summary = {
			metric: OP,
			...scope,
			granularity,
			asOf: table.asOf,
			customers: table.customers,
			cohorts: output === 'summary' ? cohortRows : cohortRows.length,
			periods: table.periods,
			averageClassicRates: rounded(table.averageClassicRates),
			averageUnboundedRates: rounded(table.averageUnboundedRates),
			notes: [
				...(refundRows > 0 ? [noteText('refundRowsNotActivity', language, { count: refundRows })] : []),
				...(table.customers === 0
					? [noteText('noTransactions', language)]
					: table.averageClassicRates.every((v) => v === null)
						? [noteText('noCompletePeriod', language, { asOf: table.asOf })]
						: []),
			],
			...explained,
		};
		const [item] = toItems([summary], () => pairs);
		if (heatmapMode !== 'none' && table.cohorts.length > 0) {
			const suffix = g.key === null ? '' : `-${g.key.replace(/[^\w.-]+/g, '_')}`;
			const svg = heatmapSvg(table, heatmapMode, heatmapText(language, heatmapMode, granularity, g.key, false));
			const png = heatmapPng(table, heatmapMode, heatmapText('en', heatmapMode, granularity, g.key, true));
			const binary: Record<string, IBinaryData> = {
				heatmapSvg: await this.helpers.prepareBinaryData(Buffer.from(svg, 'utf8'), `cohort-heatmap${suffix}.svg`, 'image/svg+xml'),
				heatmapPng: await this.helpers.prepareBinaryData(Buffer.from(png), `cohort-heatmap${suffix}.png`, 'image/png'),
			};
			item.binary = binary;
		}
		out.push(item);
	}
	return out;
}
