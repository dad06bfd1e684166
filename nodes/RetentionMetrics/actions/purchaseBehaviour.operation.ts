/** Purchase Behaviour: AOV, purchase frequency, repeat purchase rate, lifespan and historic CLV. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { purchaseBehaviour } from '../../engine/metrics/purchaseBehaviour';
import { formatDay } from '../../shared/dates';
import { InputError, getField, readAll, readDay, readId, readNumber, readOptionalId } from '../../shared/fields';
import { getCalendar, getLanguage, handleInputErrors, pairedAll, toItems } from '../../shared/node';
import { round } from '../../shared/numbers';
import { IdIndex, dayParameter, explain, fieldProperty, groupByProperty, groupValue, partition, scopeFields } from './common';

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
	const orders = new IdIndex();
	const { rows, itemIndexes, errors } = readAll(items, (json, i) => {
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
		const orderId = orderField ? readOptionalId(json, orderField, i) : undefined;
		return { customer, day, amount, order: orderId === undefined ? -1 : orders.of(orderId), group: groupField ? groupValue(json, groupField) : '' };
	});
	const out = handleInputErrors(this, errors);
	const groups = partition(groupField ? rows.map((r) => r.group) : undefined, rows.length);
	for (const g of groups) {
		const r = purchaseBehaviour(
			{
				customer: Int32Array.from(g.rows, (k) => rows[k].customer),
				day: Int32Array.from(g.rows, (k) => rows[k].day),
				amount: Float64Array.from(g.rows, (k) => rows[k].amount),
				order: orderField ? Int32Array.from(g.rows, (k) => rows[k].order) : undefined,
			},
			customers.size,
			orders.size,
			{ revenueBasis, windowStart, windowEnd: windowEndInclusive === undefined ? undefined : windowEndInclusive + 1 },
		);
		const pairs = pairedAll(g.rows.map((k) => itemIndexes[k]));
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
				const list = itemsOfCustomer.get(rows[k].customer) ?? [];
				list.push(itemIndexes[k]);
				itemsOfCustomer.set(rows[k].customer, list);
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
