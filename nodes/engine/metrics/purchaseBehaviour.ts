/**
 * Purchase behaviour of a non-contractual business (metrics.md, "Purchase behaviour").
 *
 * - AOV = revenue / orders;  purchase frequency = orders / customers (customers with ≥ 1 order);
 * - repeat purchase rate = customers with ≥ 2 orders / customers with ≥ 1 order (not Shopify's
 *   "returning customer rate");
 * - average customer lifespan = mean days between a customer's first and last order in the window
 *   (0 for one-time buyers);
 * - historic CLV = what a customer has spent so far in the window; its average = revenue / customers.
 * Refund rows carry negative amounts. Gross: refunds are left out. Net: revenue = sales − refunds (a refund
 * reduces revenue even when its order was placed before the window). Rows of one order id (line items)
 * make one order; without order ids every sale row is an order.
 */

import type { Language } from '../../shared/i18n';

import { noteText } from './notes';

export interface TransactionColumns {
	customer: Int32Array;
	day: Int32Array;
	/** Signed amount: negative for refunds. */
	amount: Float64Array;
	/** Order index per row, or −1 when each sale row is its own order. */
	order?: Int32Array;
}

export interface PurchaseOptions {
	revenueBasis: 'net' | 'gross';
	/** Inclusive first day of the window (optional). */
	windowStart?: number;
	/** Exclusive end day of the window (optional). */
	windowEnd?: number;
	/** Language of the notes (English by default). */
	language?: Language;
}

export interface CustomerPurchases {
	customer: number;
	orders: number;
	revenue: number;
	firstDay: number;
	lastDay: number;
	lifespanDays: number;
}

export interface PurchaseBehaviourResult {
	orders: number;
	customers: number;
	repeatCustomers: number;
	revenue: number;
	refunds: number;
	averageOrderValue: number | null;
	purchaseFrequency: number | null;
	repeatPurchaseRate: number | null;
	averageLifespanDays: number | null;
	averageHistoricClv: number | null;
	perCustomer: CustomerPurchases[];
	notes: string[];
}

export function purchaseBehaviour(
	rows: TransactionColumns,
	customerCount: number,
	orderCount: number,
	options: PurchaseOptions,
): PurchaseBehaviourResult {
	const lo = options.windowStart ?? -Infinity;
	const hi = options.windowEnd ?? Infinity;
	const net = options.revenueBasis === 'net';
	const orders = new Int32Array(customerCount);
	const revenue = new Float64Array(customerCount);
	const first = new Int32Array(customerCount).fill(2 ** 31 - 1);
	const last = new Int32Array(customerCount).fill(-(2 ** 31));
	const orderSeen = orderCount > 0 ? new Uint8Array(orderCount) : undefined;
	let totalOrders = 0;
	let totalRevenue = 0;
	let refunds = 0;
	const isRefundRow = (a: number) => a < 0 || Object.is(a, -0);
	// An order's day is that of its earliest purchase line in the window, whatever the order of the rows.
	const orderDay = orderSeen ? new Int32Array(orderCount).fill(2 ** 31 - 1) : undefined;
	if (orderDay && rows.order) {
		for (let r = 0; r < rows.customer.length; r++) {
			const d = rows.day[r];
			const o = rows.order[r];
			if (o >= 0 && d >= lo && d < hi && !isRefundRow(rows.amount[r]) && d < orderDay[o]) orderDay[o] = d;
		}
	}
	for (let r = 0; r < rows.customer.length; r++) {
		const d = rows.day[r];
		if (d < lo || d >= hi) continue;
		const c = rows.customer[r];
		const a = rows.amount[r];
		// −0 is a refund of nothing (a refund by status with amount 0): still not a purchase.
		if (isRefundRow(a)) {
			refunds += -a;
			if (net) {
				revenue[c] += a;
				totalRevenue += a;
			}
			continue;
		}
		revenue[c] += a;
		totalRevenue += a;
		const o = rows.order ? rows.order[r] : -1;
		let day = d;
		if (o >= 0 && orderSeen) {
			// Another line of an order already counted: one order, dated by its earliest line, so a
			// one-order customer's lifespan stays 0.
			if (orderSeen[o]) continue;
			orderSeen[o] = 1;
			day = orderDay![o];
		}
		orders[c]++;
		totalOrders++;
		if (day < first[c]) first[c] = day;
		if (day > last[c]) last[c] = day;
	}
	const perCustomer: CustomerPurchases[] = [];
	let customers = 0;
	let repeat = 0;
	let lifespanSum = 0;
	// Refunds of customers who bought nothing in the window: their orders are outside the data. They stay in
	// revenue (money did go back) but not in the per-order and per-customer averages, which count buyers only.
	let orphanRefunds = 0;
	let orphanCustomers = 0;
	for (let c = 0; c < customerCount; c++) {
		if (orders[c] === 0) {
			if (revenue[c] !== 0) {
				orphanRefunds += revenue[c];
				orphanCustomers++;
			}
			continue;
		}
		customers++;
		if (orders[c] >= 2) repeat++;
		const lifespan = last[c] - first[c];
		lifespanSum += lifespan;
		perCustomer.push({ customer: c, orders: orders[c], revenue: revenue[c], firstDay: first[c], lastDay: last[c], lifespanDays: lifespan });
	}
	const notes: string[] = [];
	const language = options.language ?? 'en';
	if (customers === 0) notes.push(noteText('noOrders', language));
	const buyersRevenue = totalRevenue - orphanRefunds;
	if (orphanCustomers > 0 && customers > 0) {
		notes.push(noteText('refundsWithoutPurchase', language, { customers: orphanCustomers, amount: Math.round(orphanRefunds * 100) / 100 }));
	}
	return {
		orders: totalOrders,
		customers,
		repeatCustomers: repeat,
		revenue: totalRevenue,
		refunds,
		averageOrderValue: totalOrders ? buyersRevenue / totalOrders : null,
		purchaseFrequency: customers ? totalOrders / customers : null,
		repeatPurchaseRate: customers ? (repeat / customers) * 100 : null,
		averageLifespanDays: customers ? lifespanSum / customers : null,
		averageHistoricClv: customers ? buyersRevenue / customers : null,
		perCustomer,
		notes,
	};
}
