/** Test helper: transactions written as readable rows, turned into the engine's columns. */
import type { TransactionColumns } from '../../../nodes/engine/segments/transactions';

export interface Row {
	customer: string;
	day: number;
	amount: number;
	order?: string;
	refund?: boolean;
}

export function columns(rows: Row[]): TransactionColumns & { ids: string[] } {
	const ids: string[] = [];
	const customerIndex = new Map<string, number>();
	const orderIndex = new Map<string, number>();
	const withOrders = rows.some((r) => r.order !== undefined);
	const tx = {
		customerCount: 0,
		customer: new Int32Array(rows.length),
		day: new Int32Array(rows.length),
		amount: new Float64Array(rows.length),
		order: withOrders ? new Int32Array(rows.length) : undefined,
		refund: rows.some((r) => r.refund) ? new Uint8Array(rows.length) : undefined,
		orderCount: 0,
		ids,
	};
	rows.forEach((row, i) => {
		let c = customerIndex.get(row.customer);
		if (c === undefined) {
			c = ids.length;
			ids.push(row.customer);
			customerIndex.set(row.customer, c);
		}
		tx.customer[i] = c;
		tx.day[i] = row.day;
		tx.amount[i] = row.amount;
		if (tx.order) {
			const key = `${row.customer}|${row.order ?? `row${i}`}`;
			let o = orderIndex.get(key);
			if (o === undefined) {
				o = orderIndex.size;
				orderIndex.set(key, o);
			}
			tx.order[i] = o;
		}
		if (tx.refund && row.refund) tx.refund[i] = 1;
	});
	tx.customerCount = ids.length;
	tx.orderCount = orderIndex.size;
	return tx;
}
