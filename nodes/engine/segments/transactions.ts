/**
 * Transactions as columns, and each customer's purchase history (distinct purchase days) built from them
 * in two passes without per-row objects.
 *
 * Refunds: a row is a refund when its refund flag is set or its amount is negative; a refund counts as
 * −|amount| in net spend, never as a purchase (it does not make a customer recent or frequent).
 */

export interface TransactionColumns {
	/** Customers are numbered 0 … customerCount − 1 (by the adapter, in order of first appearance). */
	customerCount: number;
	customer: Int32Array;
	/** Local day numbers (days since 1970-01-01 in the user's time zone, nodes/shared/dates.ts). */
	day: Int32Array;
	amount: Float64Array;
	/**
	 * Optional order number of each row: rows with the same number are one order; −1 means the row is an
	 * order of its own. The adapter numbers (customer, order id) pairs, so the same order id under two
	 * customers is two orders.
	 */
	order?: Int32Array;
	orderCount?: number;
	/** Optional: 1 where the row is a refund. */
	refund?: Uint8Array;
}

export function isRefund(tx: TransactionColumns, row: number): boolean {
	return tx.amount[row] < 0 || (tx.refund !== undefined && tx.refund[row] === 1);
}

/** The as-of day by default: the day after the last transaction (metrics.md, RFM). */
export function defaultAsOfDay(tx: TransactionColumns): number | null {
	if (tx.day.length === 0) return null;
	let last = tx.day[0];
	for (let i = 1; i < tx.day.length; i++) if (tx.day[i] > last) last = tx.day[i];
	return last + 1;
}

/**
 * Distinct purchase days per customer, ascending: customer c's days are days[start[c]] … days[start[c+1] − 1].
 * Refund rows and rows after the as-of day are left out.
 */
export interface PurchaseHistory {
	start: Int32Array;
	days: Int32Array;
	/** Rows dated after the as-of day (left out everywhere). */
	rowsAfterAsOf: number;
}

/**
 * Sorts a[from … to−1] ascending in place. A customer's rows are few: insertion sort there, as a typed-array
 * view per customer (for the native sort) would cost more than the sorting.
 */
export function sortRange(a: Int32Array | Float64Array, from: number, to: number): void {
	if (to - from > 64) {
		a.subarray(from, to).sort();
		return;
	}
	for (let i = from + 1; i < to; i++) {
		const v = a[i];
		let j = i - 1;
		while (j >= from && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

export function purchaseHistory(tx: TransactionColumns, asOfDay: number): PurchaseHistory {
	const n = tx.customer.length;
	const counts = new Int32Array(tx.customerCount + 1);
	let rowsAfterAsOf = 0;
	for (let i = 0; i < n; i++) {
		if (tx.day[i] > asOfDay) rowsAfterAsOf++;
		else if (!isRefund(tx, i)) counts[tx.customer[i] + 1]++;
	}
	for (let c = 0; c < tx.customerCount; c++) counts[c + 1] += counts[c];
	const grouped = new Int32Array(counts[tx.customerCount]);
	const fill = counts.slice(0, tx.customerCount);
	for (let i = 0; i < n; i++) {
		if (tx.day[i] <= asOfDay && !isRefund(tx, i)) grouped[fill[tx.customer[i]]++] = tx.day[i];
	}
	// Sort each customer's days and squeeze out repeats, compacting in place.
	const start = new Int32Array(tx.customerCount + 1);
	let write = 0;
	for (let c = 0; c < tx.customerCount; c++) {
		const from = counts[c];
		const to = counts[c + 1];
		start[c] = write;
		sortRange(grouped, from, to);
		for (let p = from; p < to; p++) {
			if (p === from || grouped[p] !== grouped[p - 1]) grouped[write++] = grouped[p];
		}
	}
	start[tx.customerCount] = write;
	return { start, days: grouped.subarray(0, write), rowsAfterAsOf };
}
