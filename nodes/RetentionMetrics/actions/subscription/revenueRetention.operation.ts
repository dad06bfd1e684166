/** Revenue Retention: NRR, GRR, expansion, contraction and MRR churn. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { NO_END, neverActive } from '../../../engine/metrics/customerRetention';
import { noteText } from '../../../engine/metrics/notes';
import { mrrFromSubscriptions, revenueRetention, type CustomerMrr } from '../../../engine/metrics/revenueRetention';
import { formatDay } from '../../../shared/dates';
import { InputError, getField, readAll, readDay, readId, readNumber, readOptionalBoolean, readOptionalDay } from '../../../shared/fields';
import { fieldProperty, getCalendar, getLanguage, handleInputErrors, optionParameter, pairedAll, toItems } from '../../../shared/node';
import { IdIndex } from '../../../shared/ids';
import { round } from '../../../shared/numbers';
import { explain, groupByProperty, groupCustomers, groupValue, partition, scopeFields } from '../common';
import { periodProperties, readPeriod } from './customerRetention.operation';

const OP = 'revenueRetention';
const showInput = (input: string) => ({ show: { operation: [OP], input: [input] } });

export const description: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'input',
		type: 'options',
		options: [
			{ name: 'One Item per Customer (MRR at Start and End)', value: 'customerMrr' },
			{ name: 'Subscription Rows (MRR, Start and End Dates)', value: 'subscriptions' },
		],
		default: 'customerMrr',
		displayOptions: { show: { operation: [OP] } },
	},
	fieldProperty([OP], 'customerIdField', 'Customer ID Field', 'customerId', 'Field holding the customer identifier'),
	{ ...fieldProperty([OP], 'startMrrField', 'Start MRR Field', 'startMrr', 'Field holding the monthly recurring revenue at the start of the period'), displayOptions: showInput('customerMrr') },
	{ ...fieldProperty([OP], 'endMrrField', 'End MRR Field', 'endMrr', 'Field holding the monthly recurring revenue at the end of the period'), displayOptions: showInput('customerMrr') },
	{
		...fieldProperty(
			[OP],
			'previouslyPayingField',
			'Previously Paying Field',
			'',
			'Optional true/false field: the customer paid before the period, so revenue from a return counts as reactivation rather than new business',
			false,
		),
		displayOptions: showInput('customerMrr'),
	},
	{ ...fieldProperty([OP], 'mrrField', 'MRR Field', 'mrr', 'Field holding the monthly recurring revenue of the subscription'), displayOptions: showInput('subscriptions') },
	{ ...fieldProperty([OP], 'startDateField', 'Start Date Field', 'startDate', 'Field holding the date the subscription started'), displayOptions: showInput('subscriptions') },
	{
		...fieldProperty([OP], 'endDateField', 'End Date Field', 'endDate', 'Field holding the date the subscription ended; empty means still active', false),
		displayOptions: showInput('subscriptions'),
	},
	...periodProperties(OP).map((p) => ({ ...p, displayOptions: showInput('subscriptions') })),
	groupByProperty(OP),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const language = getLanguage(this);
	const input = optionParameter<'customerMrr' | 'subscriptions'>(this, description, 'input');
	const idField = this.getNodeParameter('customerIdField', 0) as string;
	const groupField = (this.getNodeParameter('groupBy', 0, '') as string).trim();
	const ids = new IdIndex();
	let groupOf: (row: number) => string;
	let itemIndexes: number[];
	let mrrByGroup: (rowsOfGroup: Int32Array) => CustomerMrr[];
	/** Subscription rows that end on their start day: never active, counted nowhere, said in a note. */
	let neverActiveIn: (rowsOfGroup: Int32Array) => number = () => 0;
	let period: { periodStart: string; periodEnd: string } | undefined;
	const out: INodeExecutionData[] = [];

	if (input === 'customerMrr') {
		const startField = this.getNodeParameter('startMrrField', 0) as string;
		const endField = this.getNodeParameter('endMrrField', 0) as string;
		const prevField = (this.getNodeParameter('previouslyPayingField', 0, '') as string).trim();
		const read = readAll(items, (json, i) => ({
			customer: ids.of(readId(json, idField, i)),
			mrr: {
				startMrr: readNumber(json, startField, i, { min: 0 }),
				endMrr: readNumber(json, endField, i, { min: 0 }),
				previouslyPaying: prevField ? (readOptionalBoolean(json, prevField, i) ?? false) : false,
			},
			group: groupField ? groupValue(json, groupField, language) : '',
		}));
		out.push(...handleInputErrors(this, read.errors));
		itemIndexes = read.itemIndexes;
		groupOf = (r) => read.rows[r].group;
		// Several rows of one customer (e.g. one per product) add up.
		mrrByGroup = (rowsOfGroup) => {
			const byCustomer = new Map<number, CustomerMrr>();
			for (const r of rowsOfGroup) {
				const row = read.rows[r];
				const acc = byCustomer.get(row.customer) ?? { startMrr: 0, endMrr: 0, previouslyPaying: false };
				acc.startMrr += row.mrr.startMrr;
				acc.endMrr += row.mrr.endMrr;
				acc.previouslyPaying ||= row.mrr.previouslyPaying;
				byCustomer.set(row.customer, acc);
			}
			return [...byCustomer.values()];
		};
	} else {
		const calendar = getCalendar(this);
		const [periodStart, periodEnd] = readPeriod(this, calendar);
		period = { periodStart: formatDay(periodStart), periodEnd: formatDay(periodEnd - 1) };
		const mrrField = this.getNodeParameter('mrrField', 0) as string;
		const startField = this.getNodeParameter('startDateField', 0) as string;
		const endField = (this.getNodeParameter('endDateField', 0, '') as string).trim();
		const read = readAll(items, (json, i) => {
			const start = readDay(json, startField, i, calendar);
			const end = endField ? readOptionalDay(json, endField, i, calendar) : undefined;
			if (end !== undefined && end < start) throw new InputError(i, endField, getField(json, endField), `is before the start date ${formatDay(start)}`);
			return {
				customer: ids.of(readId(json, idField, i)),
				mrr: readNumber(json, mrrField, i, { min: 0 }),
				start,
				end: end ?? NO_END,
				group: groupField ? groupValue(json, groupField, language) : '',
			};
		});
		out.push(...handleInputErrors(this, read.errors));
		itemIndexes = read.itemIndexes;
		groupOf = (r) => read.rows[r].group;
		neverActiveIn = (rowsOfGroup) => rowsOfGroup.reduce((n, r) => n + (neverActive(read.rows[r].start, read.rows[r].end) ? 1 : 0), 0);
		mrrByGroup = (rowsOfGroup) => {
			const { customer, count } = groupCustomers((r) => read.rows[r].customer, rowsOfGroup);
			return mrrFromSubscriptions(
				{
					customer,
					start: Int32Array.from(rowsOfGroup, (r) => read.rows[r].start),
					end: Int32Array.from(rowsOfGroup, (r) => read.rows[r].end),
					mrr: Float64Array.from(rowsOfGroup, (r) => read.rows[r].mrr),
				},
				count,
				periodStart,
				periodEnd,
			);
		};
	}
	const groups = partition(groupField ? itemIndexes.map((_, r) => groupOf(r)) : undefined, itemIndexes.length);
	const results = groups.map((g) => {
		const r = revenueRetention(mrrByGroup(g.rows), language);
		const neverActive = neverActiveIn(g.rows);
		if (neverActive > 0) r.notes.push(noteText('neverActiveRows', language, { count: neverActive }));
		const money = (v: number) => round(v, 6);
		const pct = (v: number | null) => (v === null ? null : round(v, 4));
		return {
			metric: OP,
			...scopeFields(groupField, g.key),
			...(period ?? {}),
			customersAtStart: r.customersAtStart,
			startMrr: money(r.startMrr),
			endMrr: money(r.endMrr),
			expansionMrr: money(r.expansionMrr),
			contractionMrr: money(r.contractionMrr),
			churnedMrr: money(r.churnedMrr),
			reactivationMrr: money(r.reactivationMrr),
			newMrr: money(r.newMrr),
			expandedCustomers: r.expandedCustomers,
			contractedCustomers: r.contractedCustomers,
			churnedCustomers: r.churnedCustomers,
			reactivatedCustomers: r.reactivatedCustomers,
			newCustomers: r.newCustomers,
			netRevenueRetention: pct(r.netRevenueRetention),
			grossRevenueRetention: pct(r.grossRevenueRetention),
			grossMrrChurnRate: pct(r.grossMrrChurnRate),
			netMrrChurnRate: pct(r.netMrrChurnRate),
			notes: r.notes,
			...explain(
				language,
				['customersAtStart', 'startMrr', 'endMrr', 'expansionMrr', 'contractionMrr', 'churnedMrr', 'reactivationMrr', 'newMrr', 'expandedCustomers', 'contractedCustomers', 'churnedCustomers', 'reactivatedCustomers', 'newCustomers', 'netRevenueRetention', 'grossRevenueRetention', 'grossMrrChurnRate', 'netMrrChurnRate'],
				['netRevenueRetention', 'grossRevenueRetention', 'grossMrrChurnRate', 'netMrrChurnRate'],
			),
		};
	});
	out.push(...toItems(results, (i) => pairedAll(groups[i].rows.map((r) => itemIndexes[r]))));
	return out;
}
