import { purchaseBehaviour } from '../../../nodes/engine/metrics/purchaseBehaviour';

// customer, day, amount, order
const rows: Array<[number, number, number, number]> = [
	[0, 10, 100, 0],
	[0, 10, 50, 0], // second line of order 0
	[0, 40, 30, 1],
	[1, 20, 80, 2],
	[1, 25, -80, -1], // refund
	[2, 30, 20, 3],
	[2, 31, 20, 4],
	[2, 90, 20, 5],
];
const columns = {
	customer: Int32Array.from(rows.map((r) => r[0])),
	day: Int32Array.from(rows.map((r) => r[1])),
	amount: Float64Array.from(rows.map((r) => r[2])),
	order: Int32Array.from(rows.map((r) => r[3])),
};

describe('purchase behaviour (hand-computed)', () => {
	test('net of refunds, line items grouped into orders', () => {
		const r = purchaseBehaviour(columns, 3, 6, { revenueBasis: 'net' });
		expect(r.orders).toBe(6);
		expect(r.customers).toBe(3);
		expect(r.repeatCustomers).toBe(2);
		// sales 100 + 50 + 30 + 80 + 20 + 20 + 20 = 320, minus the 80 refund
		expect(r.revenue).toBe(240);
		expect(r.refunds).toBe(80);
		expect(r.averageOrderValue).toBeCloseTo(240 / 6, 10);
		expect(r.purchaseFrequency).toBe(2);
		expect(r.repeatPurchaseRate).toBeCloseTo((2 / 3) * 100, 10);
		expect(r.averageLifespanDays).toBeCloseTo((30 + 0 + 60) / 3, 10);
		expect(r.averageHistoricClv).toBeCloseTo(240 / 3, 10);
		expect(r.perCustomer.find((c) => c.customer === 1)!.revenue).toBe(0);
	});

	test('a refund of a customer who bought nothing in the window stays in revenue, not in AOV or historic CLV', () => {
		// Customer 3 only refunds 40 (an order from before the data): revenue 240 − 40 = 200, but the buyers'
		// averages stay those of the three buyers, and agree with the per-customer items.
		const withOrphan = {
			customer: Int32Array.from([...columns.customer, 3]),
			day: Int32Array.from([...columns.day, 50]),
			amount: Float64Array.from([...columns.amount, -40]),
			order: Int32Array.from([...columns.order, -1]),
		};
		const r = purchaseBehaviour(withOrphan, 4, 6, { revenueBasis: 'net' });
		expect(r.revenue).toBe(200);
		expect(r.customers).toBe(3);
		expect(r.averageOrderValue).toBeCloseTo(240 / 6, 10);
		expect(r.averageHistoricClv).toBeCloseTo(240 / 3, 10);
		const perCustomerMean = r.perCustomer.reduce((s, c) => s + c.revenue, 0) / r.perCustomer.length;
		expect(r.averageHistoricClv).toBeCloseTo(perCustomerMean, 10);
		expect(r.notes).toEqual([
			'Refunds of 1 customer(s) with no purchase in the window (-40) are in revenue, but not in the average order value or historic CLV, which average over the customers who bought (the orders they refund are outside the data).',
		]);
		// Gross revenue leaves refunds out altogether: nothing to note.
		expect(purchaseBehaviour(withOrphan, 4, 6, { revenueBasis: 'gross' }).notes).toEqual([]);
	});

	test('gross leaves refunds out', () => {
		const r = purchaseBehaviour(columns, 3, 6, { revenueBasis: 'gross' });
		expect(r.revenue).toBe(320);
		expect(r.averageOrderValue).toBeCloseTo(320 / 6, 10);
	});

	test('without order ids every sale row is an order', () => {
		const r = purchaseBehaviour({ ...columns, order: undefined }, 3, 0, { revenueBasis: 'gross' });
		expect(r.orders).toBe(7);
	});

	test('window limits the rows counted', () => {
		const r = purchaseBehaviour(columns, 3, 6, { revenueBasis: 'net', windowStart: 20, windowEnd: 41 });
		// orders 1 (c0 day 40), 2 (c1), 3, 4 (c2); refund on day 25 counts in net revenue
		expect(r.orders).toBe(4);
		expect(r.customers).toBe(3);
		expect(r.revenue).toBe(30 + 80 - 80 + 20 + 20);
	});

	test('empty input → null ratios with a reason', () => {
		const empty = { customer: new Int32Array(0), day: new Int32Array(0), amount: new Float64Array(0) };
		const r = purchaseBehaviour(empty, 0, 0, { revenueBasis: 'net' });
		expect(r.averageOrderValue).toBeNull();
		expect(r.repeatPurchaseRate).toBeNull();
		expect(r.notes).toHaveLength(1);
	});
});
