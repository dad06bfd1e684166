/** Purchase Behaviour: AOV, purchase frequency, repeat purchase rate, lifespan and historic CLV. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { purchaseBehaviour } from '../../../engine/metrics/purchaseBehaviour';
import { formatDay } from '../../../shared/dates';
import { InputError, getField, readDay, readId, readInto, readNumber, readOptionalId } from '../../../shared/fields';
import { getCalendar, getLanguage, handleInputErrors, pairedAll, toItems } from '../../../shared/node';
import { round } from '../../../shared/numbers';
import {
	IdIndex,
	dayParameter,
	explain,
	fieldProperty,
	gather,
	groupByProperty,
	groupValue,
	indexWithinCustomer,
	itemsOf,
	partition,
	scopeFields,
} from '../common';

const OP = 'purchaseBehaviour';
const show = { operation: [OP] };

export const description: INodeProperties[] = [
	fieldProperty(OP, 'customerIdField', 'Customer ID Field', 'customerId', 'Field holding the customer identifier'),
	fieldProperty(OP, 'dateField', 'Date Field', 'date', 'Field holding the order date'),
	fieldProperty(OP, 'amountField', 'Amount Field', 'amount', 'Field holding the order (or line) amount'),
	fieldProperty(OP, 'orderIdField', 'Order ID Field', '', 'Optional: rows sharing an order ID are one order (line items). Empty: every row is an order.', false),
	{
		displayName: 'Refunds',
		name: 'refunds',
		type: 'options',
		options: [
			{ name: 'Negative Amounts Are Refunds', value: 'negativeAmounts' },
			{ name: 'A Status Field Marks Refunds', value: 'statusField' },
			{ name: 'No Refunds in the Data (Negative Amount Is an Error)', value: 'none' },
		],
		default: 'negativeAmounts',
		displayOptions: { show },
	},
	{
		...fieldProperty(OP, 'statusField', 'Status Field', 'status', 'Field whose value marks a refund row'),
		displayOptions: { show: { operation: [OP], refunds: ['statusField'] } },
	},
	{
		displayName: 'Refund Status Values',
		name: 'refundStatuses',
		type: 'string',
		default: 'refunded,refund,cancelled,退款',
		description: 'Comma-separated status values that mark a refund (case-insensitive)',
		displayOptions: { show: { operation: [OP], refunds: ['statusField'] } },
	},
	{
		displayName: 'Revenue Basis',
		name: 'revenueBasis',
		type: 'options',
		options: [
			{ name: 'Net of Refunds', value: 'net' },
			{ name: 'Gross (Refunds Left Out)', value: 'gross' },
		],
		default: 'net',
		displayOptions: { show },
	},
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
	const refunds = this.getNodeParameter('refunds', 0) as 'negativeAmounts' | 'statusField' | 'none';
	const revenueBasis = this.getNodeParameter('revenueBasis', 0) as 'net' | 'gross';
	const groupField = (this.getNodeParameter('groupBy', 0, '') as string).trim();
	const perCustomer = this.getNodeParameter('output', 0) === 'summaryAndCustomers';
	const windowStart = dayParameter(this, calendar, 'windowStart', 'Window Start', false);
	const windowEndInclusive = dayParameter(this, calendar, 'windowEnd', 'Window End', false);
	const statusField = refunds === 'statusField' ? (this.getNodeParameter('statusField', 0) as string) : '';
	const refundStatuses = new Set(
		refunds === 'statusField'
			? (this.getNodeParameter('refundStatuses', 0, '') as string).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
			: [],
	);

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
		let amount = readNumber(json, amountField, i, refunds === 'negativeAmounts' ? {} : { min: 0 });
		if (refunds === 'statusField') {
			const status = getField(json, statusField);
			if (status !== undefined && status !== null && typeof status !== 'string') {
				throw new InputError(i, statusField, status, 'is not text');
			}
			if (typeof status === 'string' && refundStatuses.has(status.trim().toLowerCase())) amount = -amount;
		}
		if (orderField) orderKeys[row] = readOptionalId(json, orderField, i);
		if (groupField) groupKeys[row] = groupValue(json, groupField);
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
			{ revenueBasis, windowStart, windowEnd: windowEndInclusive === undefined ? undefined : windowEndInclusive + 1 },
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
				['orders', 'customers', 'repeatCustomers', 'revenue', 'refunds', 'averageOrderValue', 'purchaseFrequency', 'repeatPurchaseRate', 'averageLifespanDays', 'averageHistoricClv'],
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
