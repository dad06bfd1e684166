/** Customer Retention: retention and churn of customers over one period, from subscription rows. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { NO_END, customerRetention } from '../../../engine/metrics/customerRetention';
import { formatDay } from '../../../shared/dates';
import { InputError, getField, readAll, readDay, readId, readOptionalDay } from '../../../shared/fields';
import { dayParameter, fieldProperty, getCalendar, getLanguage, handleInputErrors, pairedAll, readBooleanParameter, toItems } from '../../../shared/node';
import { IdIndex } from '../../../shared/ids';
import { round } from '../../../shared/numbers';
import { explain, groupByProperty, groupCustomers, groupValue, partition, scopeFields } from '../common';

const OP = 'customerRetention';
const show = { operation: [OP] };

export const periodProperties = (operation: string): INodeProperties[] => [
	{
		displayName: 'Period Start',
		name: 'periodStart',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2025-01-01',
		description: 'First day of the period (ISO date, YYYYMMDD, 2025年1月1日 or an expression)',
		displayOptions: { show: { operation: [operation] } },
	},
	{
		displayName: 'Period End',
		name: 'periodEnd',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2025-01-31',
		description: 'Last day of the period, included',
		displayOptions: { show: { operation: [operation] } },
	},
];

export const description: INodeProperties[] = [
	fieldProperty([OP], 'customerIdField', 'Customer ID Field', 'customerId', 'Field holding the customer identifier'),
	fieldProperty([OP], 'startDateField', 'Start Date Field', 'startDate', 'Field holding the date the subscription (or customer relationship) started'),
	fieldProperty(
		[OP],
		'endDateField',
		'End Date Field',
		'endDate',
		'Field holding the date the customer stopped being a customer; empty or missing means still active',
		false,
	),
	...periodProperties(OP),
	{
		displayName: 'Count Customers Who Joined and Churned in the Period',
		name: 'includeSamePeriodChurn',
		type: 'boolean',
		default: false,
		description:
			'Whether customers who both joined and left during the period count as churned. Off follows ChartMogul: they are reported separately and not counted. On follows Stripe: they count, and new customers join the base (churned / (at start + new)).',
		displayOptions: { show },
	},
	groupByProperty(OP),
];

/** Reads the period parameters as [first day, day after the last day). */
export function readPeriod(ctx: IExecuteFunctions, calendar: ReturnType<typeof getCalendar>): [number, number] {
	const start = dayParameter(ctx, calendar, 'periodStart', 'Period Start', true)!;
	const end = dayParameter(ctx, calendar, 'periodEnd', 'Period End', true)!;
	if (end < start) {
		throw new NodeOperationError(ctx.getNode(), `Period End (${formatDay(end)}) is before Period Start (${formatDay(start)})`);
	}
	return [start, end + 1];
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const calendar = getCalendar(this);
	const language = getLanguage(this);
	const idField = this.getNodeParameter('customerIdField', 0) as string;
	const startField = this.getNodeParameter('startDateField', 0) as string;
	const endField = (this.getNodeParameter('endDateField', 0, '') as string).trim();
	const groupField = (this.getNodeParameter('groupBy', 0, '') as string).trim();
	const includeSamePeriodChurn = readBooleanParameter(this, 'includeSamePeriodChurn', 'Count Customers Who Joined and Churned in the Period', false);
	const [periodStart, periodEnd] = readPeriod(this, calendar);

	const ids = new IdIndex();
	const { rows, itemIndexes, errors } = readAll(items, (json, i) => {
		const customer = readId(json, idField, i);
		const start = readDay(json, startField, i, calendar);
		const end = endField ? readOptionalDay(json, endField, i, calendar) : undefined;
		if (end !== undefined && end < start) {
			throw new InputError(i, endField, getField(json, endField), `is before the start date ${formatDay(start)}`);
		}
		return { customer: ids.of(customer), start, end: end ?? NO_END, group: groupField ? groupValue(json, groupField, language) : '' };
	});
	const out = handleInputErrors(this, errors);
	const groups = partition(groupField ? rows.map((r) => r.group) : undefined, rows.length);
	const results = groups.map((g) => {
		const { customer, count } = groupCustomers((k) => rows[k].customer, g.rows);
		const r = customerRetention(
			{
				customer,
				start: Int32Array.from(g.rows, (k) => rows[k].start),
				end: Int32Array.from(g.rows, (k) => rows[k].end),
			},
			count,
			{ periodStart, periodEnd, includeSamePeriodChurn, language },
		);
		return {
			metric: OP,
			...scopeFields(groupField, g.key),
			periodStart: formatDay(periodStart),
			periodEnd: formatDay(periodEnd - 1),
			customersAtStart: r.customersAtStart,
			newCustomers: r.newCustomers,
			reactivatedCustomers: r.reactivatedCustomers,
			churnedCustomers: r.churnedCustomers,
			joinedAndChurned: r.joinedAndChurned,
			customersAtEnd: r.customersAtEnd,
			retainedCustomers: r.retainedCustomers,
			retentionRate: r.retentionRate === null ? null : round(r.retentionRate, 4),
			churnRate: r.churnRate === null ? null : round(r.churnRate, 4),
			includeSamePeriodChurn,
			notes: r.notes,
			...explain(
				language,
				['customersAtStart', 'newCustomers', 'reactivatedCustomers', 'churnedCustomers', 'joinedAndChurned', 'customersAtEnd', 'retainedCustomers', 'retentionRate', 'churnRate'],
				['retentionRate', 'churnRate', 'activity'],
			),
		};
	});
	out.push(...toItems(results, (i) => pairedAll(groups[i].rows.map((k) => itemIndexes[k]))));
	return out;
}
