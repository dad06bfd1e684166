/**
 * Reading transactions into the engine's columns, the parameters both operations share, and the
 * per-customer pairedItem lists.
 *
 * Reading is a single loop into typed arrays (no object per row): a million rows is a normal input here.
 * Bad rows are collected as InputError (the Retention Metrics node's rule: with Continue On Fail they become
 * error items and the rest is computed; without it the first one fails the node).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TransactionColumns } from '../../engine/segments/transactions';
import { indexWithinCustomer } from '../../shared/ids';
import { fieldProperty } from '../../shared/node';
import { readAmount, readRefundRule, refundProperties, type RefundRule } from '../../shared/refunds';
import { formatDay, type ZonedCalendar } from '../../shared/dates';
import { DATE_HINT, InputError, coerceNumber, getField, isMissing, readId, readOptionalId, type Json } from '../../shared/fields';

/** The transaction-field parameters, shown for the operations (and input mode) given. */
export function transactionProperties(operations: string[], extraShow: Record<string, string[]> = {}): INodeProperties[] {
	const show = { operation: operations, ...extraShow };
	return [
		fieldProperty(operations, 'dateField', 'Date Field', 'date', 'Field holding the transaction date', true, extraShow),
		fieldProperty(operations, 'amountField', 'Amount Field', 'amount', 'Field holding the transaction (or line) amount', true, extraShow),
		fieldProperty(
			operations,
			'orderIdField',
			'Order ID Field',
			'',
			'Optional: rows sharing an order ID are one order (line items). Empty: every row is an order.',
			false,
			extraShow,
		),
		...refundProperties(show),
	];
}

export function asOfProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'As-Of Date',
		name: 'asOfDate',
		type: 'string',
		default: '',
		placeholder: '2025-06-30',
		description:
			'Day on which recency is measured. Empty: the day after the last transaction. Transactions after this day are left out.',
		displayOptions: { show: { operation: operations } },
	};
}

export interface TransactionFields {
	customerIdField: string;
	dateField: string;
	amountField: string;
	orderIdField: string;
	refunds: RefundRule;
}

export function transactionFields(ctx: IExecuteFunctions): TransactionFields {
	return {
		customerIdField: ctx.getNodeParameter('customerIdField', 0) as string,
		dateField: ctx.getNodeParameter('dateField', 0) as string,
		amountField: ctx.getNodeParameter('amountField', 0) as string,
		orderIdField: (ctx.getNodeParameter('orderIdField', 0, '') as string).trim(),
		refunds: readRefundRule(ctx),
	};
}

const DAY_CACHE_LIMIT = 20_000;
/** Matches no item value (not even undefined), for the previous-row shortcut before the first row. */
const NO_VALUE = Symbol('none');

export interface ReadTransactions {
	tx: TransactionColumns;
	/** Customer ids by customer index (order of first appearance). */
	ids: string[];
	/** Input item index of each row. */
	itemOfRow: Int32Array;
	errors: InputError[];
}

/** Reads every item as one transaction row; bad items are collected, not thrown. */
export function readTransactions(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	fields: TransactionFields,
	calendar: ZonedCalendar,
): ReadTransactions {
	const n = items.length;
	const customer = new Int32Array(n);
	const day = new Int32Array(n);
	const amount = new Float64Array(n);
	const orderIds: Array<string | undefined> | undefined = fields.orderIdField ? new Array(n) : undefined;
	const refund = fields.refunds.mode === 'statusField' ? new Uint8Array(n) : undefined;
	const itemOfRow = new Int32Array(n);
	const ids: string[] = [];
	const customerIndex = new Map<string, number>();
	// Dates repeat a lot (a few hundred distinct days in a million rows): parse each distinct value once.
	const dayOf = new Map<unknown, number>();
	const errors: InputError[] = [];
	let lastId: string | undefined;
	let lastCustomer = -1;
	let lastRawDay: unknown = NO_VALUE;
	let lastDay = 0;
	let rows = 0;
	for (let i = 0; i < n; i++) {
		const json = items[i].json as Json;
		try {
			const id = readId(json, fields.customerIdField, i);
			const rawDay = getField(json, fields.dateField);
			// Exports are usually sorted by customer or by date: the previous row's answer is the likeliest.
			let d = rawDay === lastRawDay ? lastDay : dayOf.get(rawDay);
			if (d === undefined) {
				if (isMissing(rawDay)) throw new InputError(i, fields.dateField, rawDay, 'is missing; a date is required');
				const parsed = calendar.parseDay(rawDay);
				if (parsed === null) throw new InputError(i, fields.dateField, rawDay, DATE_HINT);
				d = parsed;
				// Bounded: timestamps are mostly distinct, and caching a million of them would only cost memory.
				if (dayOf.size < DAY_CACHE_LIMIT && (typeof rawDay === 'string' || typeof rawDay === 'number')) dayOf.set(rawDay, d);
			}
			const { amount: value, refund: isRefund } = readAmount(json, fields.amountField, i, fields.refunds);
			const orderId = orderIds ? readOptionalId(json, fields.orderIdField, i) : undefined;
			let c = id === lastId ? lastCustomer : customerIndex.get(id);
			if (c === undefined) {
				c = ids.length;
				customerIndex.set(id, c);
				ids.push(id);
			}
			lastId = id;
			lastCustomer = c;
			lastRawDay = rawDay;
			lastDay = d;
			customer[rows] = c;
			day[rows] = d;
			amount[rows] = value;
			if (refund && isRefund) refund[rows] = 1;
			if (orderIds) orderIds[rows] = orderId;
			itemOfRow[rows] = i;
			rows++;
		} catch (error) {
			if (error instanceof InputError) errors.push(error);
			else throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
		}
	}
	// Order ids are numbered within each customer: the same id under two customers is two orders.
	const orders = orderIds ? indexWithinCustomer(customer.subarray(0, rows), orderIds, ids.length) : undefined;
	return {
		tx: {
			customerCount: ids.length,
			customer: customer.subarray(0, rows),
			day: day.subarray(0, rows),
			amount: amount.subarray(0, rows),
			order: orders?.index,
			orderCount: orders?.count,
			refund: refund?.subarray(0, rows),
		},
		ids,
		itemOfRow: itemOfRow.subarray(0, rows),
		errors,
	};
}

/**
 * pairedItem lists per customer: all of the customer's input items. One {item} object per input item,
 * shared by the customer's item and its segment's summary item (a million rows are a million objects).
 */
export function customerPairs(customer: Int32Array, itemOfRow: Int32Array, customerCount: number, itemCount: number): IPairedItemData[][] {
	const { start, items } = itemsByCustomer(customer, itemOfRow, customerCount);
	const pairOfItem: IPairedItemData[] = new Array(itemCount);
	const out: IPairedItemData[][] = new Array(customerCount);
	for (let c = 0; c < customerCount; c++) {
		const list: IPairedItemData[] = new Array(start[c + 1] - start[c]);
		for (let p = start[c]; p < start[c + 1]; p++) list[p - start[c]] = pairOfItem[items[p]] ??= { item: items[p] };
		out[c] = list;
	}
	return out;
}

/** formatDay with a cache: a hundred thousand customers share a few hundred dates. */
export function dayFormatter(): (day: number) => string {
	const cache = new Map<number, string>();
	return (day) => {
		let text = cache.get(day);
		if (text === undefined) cache.set(day, (text = formatDay(day)));
		return text;
	};
}

/** The pairedItem lists of several customers as one list (for a summary item). */
export function flatPairs(lists: IPairedItemData[][]): IPairedItemData[] {
	let n = 0;
	for (const list of lists) n += list.length;
	const out: IPairedItemData[] = new Array(n);
	let k = 0;
	for (const list of lists) for (const pair of list) out[k++] = pair;
	return out;
}

/** Input item indexes per customer: customer c's items are items[start[c]] … items[start[c+1] − 1]. */
export function itemsByCustomer(customer: Int32Array, itemOfRow: Int32Array, customerCount: number) {
	const start = new Int32Array(customerCount + 1);
	for (let i = 0; i < customer.length; i++) start[customer[i] + 1]++;
	for (let c = 0; c < customerCount; c++) start[c + 1] += start[c];
	const fill = start.slice(0, customerCount);
	const list = new Int32Array(customer.length);
	for (let i = 0; i < customer.length; i++) list[fill[customer[i]]++] = itemOfRow[i];
	return { start, items: list };
}

/** Comma- or space-separated numbers of a parameter ("30, 60, 90, 180"). */
export function numberList(ctx: IExecuteFunctions, name: string, displayName: string): number[] {
	const raw = String(ctx.getNodeParameter(name, 0, '') ?? '').trim();
	if (raw === '') return [];
	const parts = raw.split(/[\s,，;；]+/).filter(Boolean);
	// The package's rule for numeric text (not Number(): "0x10" or "1_000" are not numbers here).
	const values = parts.map((part) => coerceNumber(part));
	const bad = parts.filter((_, i) => typeof values[i] !== 'number');
	if (bad.length) {
		throw new NodeOperationError(ctx.getNode(), `The parameter "${displayName}" holds values that are not numbers: ${bad.join(', ')}`);
	}
	return values as number[];
}
