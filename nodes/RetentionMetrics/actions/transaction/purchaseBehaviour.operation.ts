/** Purchase Behaviour: AOV, purchase frequency, repeat purchase rate, lifespan and historic CLV. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { purchaseBehaviour } from '../../../engine/metrics/purchaseBehaviour';
import { formatDay } from '../../../shared/dates';
import { readDay, readId, readInto, readOptionalId } from '../../../shared/fields';
import { dayParameter, fieldProperty, getCalendar, getLanguage, handleInputErrors, optionParameter, pairedAll, toItems } from '../../../shared/node';
import { IdIndex, indexWithinCustomer } from '../../../shared/ids';
import { round } from '../../../shared/numbers';
import { readAmount, readRefundRule, refundProperties, revenueBasisProperty } from '../../../shared/refunds';
import { explain, gather, groupByProperty, groupValue, itemsOf, partition, scopeFields } from '../common';

const OP = 'purchaseBehaviour';
const show = { operation: [OP] };

export const description: INodeProperties[] = [
	fieldProperty([OP], 'customerIdField', 'Customer ID Field', 'customerId', 'Field holding the customer identifier'),
	fieldProperty([OP], 'dateField', 'Date Field', 'date', 'Field holding the order date'),
	fieldProperty([OP], 'amountField', 'Amount Field', 'amount', 'Field holding the order (or line) amount'),
	fieldProperty([OP], 'orderIdField', 'Order ID Field', '', 'Optional: rows sharing an order ID are one order (line items). Empty: every row is an order.', false),
	...refundProperties(show),
	revenueBasisProperty(show),
	{ displayName: 'Window Start', name: 'windowStart', type: 'string', default: '', placeholder: '2025-01-01', description: 'Optional first day counted', displayOptions: { show } },
	{ displayName: 'Window End', name: 'windowEnd', type: 'string', default: '', placeholder: '2025-12-31', description: 'Optional last day counted (included)', displayOptions: { show } },
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Summary Only', value: 'summary' },
			{ name: 'Summary and One Item per Customer', value: 'summaryAndCustomers' },
		],
		default: 'summary',
		displayOptions: { show },
	},
	groupByProperty(OP),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const calendar = getCalendar(this);
	const language = getLanguage(this);
	const idField = this.getNodeParameter('customerIdField', 0) as string;
	const dateField = this.getNodeParameter('dateField', 0) as string;
	const amountField = this.getNodeParameter('amountField', 0) as string;
	const orderField = (this.getNodeParameter('orderIdField', 0, '') as string).trim();
	const refunds = readRefundRule(this);
	const revenueBasis = optionParameter<'net' | 'gross'>(this, description, 'revenueBasis');
	const groupField = (this.getNodeParameter('groupBy', 0, '') as string).trim();
	const perCustomer = optionParameter<'summary' | 'summaryAndCustomers'>(this, description, 'output') === 'summaryAndCustomers';
	const windowStart = dayParameter(this, calendar, 'windowStart', 'Window Start', false);
	const windowEndInclusive = dayParameter(this, calendar, 'windowEnd', 'Window End', false);
	if (windowStart !== undefined && windowEndInclusive !== undefined && windowEndInclusive < windowStart) {
		throw new NodeOperationError(this.getNode(), `Window End (${formatDay(windowEndInclusive)}) is before Window Start (${formatDay(windowStart)})`, {
			description: 'Window End is the last day counted (included): set it on or after Window Start, or leave one of them empty.',
		});
	}

	const customers = new IdIndex();
	const n = items.length;
	const customerCol = new Int32Array(n);
	const dayCol = new Int32Array(n);
	const amountCol = new Float64Array(n);
	const orderKeys: Array<string | undefined> = orderField ? new Array(n) : [];
	const groupKeys: string[] = groupField ? new Array(n) : [];
	const { count, itemIndexes, errors } = readInto(items, (json, i, row) => {
		const customer = customers.of(readId(json, idField, i));
		const day = readDay(json, dateField, i, calendar);
		const read = readAmount(json, amountField, i, refunds);
		const amount = read.refund ? -Math.abs(read.amount) : read.amount;
		if (orderField) orderKeys[row] = readOptionalId(json, orderField, i);
		if (groupField) groupKeys[row] = groupValue(json, groupField, language);
		customerCol[row] = customer;
		dayCol[row] = day;
		amountCol[row] = amount;
	});
	const out = handleInputErrors(this, errors);
	const columns = { customer: customerCol.subarray(0, count), day: dayCol.subarray(0, count), amount: amountCol.subarray(0, count) };
	const orders = orderField ? indexWithinCustomer(columns.customer, orderKeys, customers.size) : undefined;
	const groups = partition(groupField ? groupKeys : undefined, count);
	for (const g of groups) {
		const r = purchaseBehaviour(
			{
				customer: gather(columns.customer, g),
				day: gather(columns.day, g),
				amount: gather(columns.amount, g),
				order: orders ? gather(orders.index, g) : undefined,
			},
			customers.size,
			orders?.count ?? 0,
			{ revenueBasis, windowStart, windowEnd: windowEndInclusive === undefined ? undefined : windowEndInclusive + 1, language },
		);
		const groupItems = itemsOf(itemIndexes, g);
		const pairs = pairedAll(groupItems);
		const summary = {
			metric: OP,
			...scopeFields(groupField, g.key),
			windowStart: windowStart === undefined ? null : formatDay(windowStart),
			windowEnd: windowEndInclusive === undefined ? null : formatDay(windowEndInclusive),
			revenueBasis,
			orders: r.orders,
			customers: r.customers,
			repeatCustomers: r.repeatCustomers,
			revenue: round(r.revenue, 6),
			refunds: round(r.refunds, 6),
			averageOrderValue: r.averageOrderValue === null ? null : round(r.averageOrderValue, 6),
			purchaseFrequency: r.purchaseFrequency === null ? null : round(r.purchaseFrequency, 6),
			repeatPurchaseRate: r.repeatPurchaseRate === null ? null : round(r.repeatPurchaseRate, 4),
			averageLifespanDays: r.averageLifespanDays === null ? null : round(r.averageLifespanDays, 4),
			averageHistoricClv: r.averageHistoricClv === null ? null : round(r.averageHistoricClv, 6),
			notes: r.notes,
			...explain(
				language,
				[
					'orders',
					'customers',
					'repeatCustomers',
					'revenue',
					'refunds',
					'averageOrderValue',
					'purchaseFrequency',
					'repeatPurchaseRate',
					'averageLifespanDays',
					'averageHistoricClv',
					// The numbers of the per-customer items that follow.
					...(perCustomer ? (['historicClv', 'lifespanDays'] as const) : []),
				],
				['averageOrderValue', 'purchaseFrequency', 'repeatPurchaseRate', 'averageLifespanDays', 'averageHistoricClv', revenueBasis === 'net' ? 'revenueNet' : 'revenueGross'],
			),
		};
		out.push(...toItems([summary], () => pairs));
		if (perCustomer) {
			const itemsOfCustomer = new Map<number, number[]>();
			for (const k of g.rows) {
				const list = itemsOfCustomer.get(columns.customer[k]) ?? [];
				list.push(itemIndexes[k]);
				itemsOfCustomer.set(columns.customer[k], list);
			}
			const perRows = r.perCustomer.map((c) => ({
				metric: 'customerPurchases',
				...scopeFields(groupField, g.key),
				customerId: customers.ids[c.customer],
				orders: c.orders,
				historicClv: round(c.revenue, 6),
				firstOrder: formatDay(c.firstDay),
				lastOrder: formatDay(c.lastDay),
				lifespanDays: c.lifespanDays,
			}));
			out.push(...toItems(perRows, (i) => pairedAll(itemsOfCustomer.get(r.perCustomer[i].customer)!)));
		}
	}
	return out;
}
