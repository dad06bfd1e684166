/**
 * Retention Metrics, Customer Segments and Customer Lifetime Value against nasty input found by an
 * adversarial review: hand-computed expectations for edge cases that used to give a wrong number, a
 * JavaScript error, a lost error item or an empty pairedItem.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { runMetrics } from './run';

describe('Retention Metrics edge cases', () => {
	test('one customer with 200,000 subscription rows is counted, not a stack overflow', async () => {
		const input = Array.from({ length: 200_000 }, () => ({ customerId: 'x', startDate: '2024-01-01', endDate: '2024-06-01' }));
		input.push({ customerId: 'y', startDate: '2024-12-01', endDate: '2025-03-01' });
		const result = await runMetrics({ operation: 'customerRetention', periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' }, input);
		expect(result.error).toBeUndefined();
		// y is active at the start and the end; x ended long before.
		expect(result.json('Node')[0]).toMatchObject({ customersAtStart: 1, customersAtEnd: 1, retentionRate: 100 });
	});

	test('a renewal that starts the day the previous subscription ends is one continuous customer', async () => {
		const period = { periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' };
		// Monthly billing rows around the January period, and a yearly renewal on the day the period ends.
		const result = await runMetrics({ operation: 'customerRetention', ...period }, [
			{ customerId: 'm', startDate: '2024-12-01', endDate: '2025-01-01' },
			{ customerId: 'm', startDate: '2025-01-01', endDate: '2025-02-01' },
			{ customerId: 'm', startDate: '2025-02-01', endDate: '2025-03-01' },
			{ customerId: 'r', startDate: '2024-06-01', endDate: '2025-02-01' },
			{ customerId: 'r', startDate: '2025-02-01' },
			// A real churn at the boundary: nothing starts the day this ends.
			{ customerId: 'c', startDate: '2024-06-01', endDate: '2025-02-01' },
		]);
		expect(result.json('Node')[0]).toMatchObject({ customersAtStart: 3, customersAtEnd: 2, churnedCustomers: 1, reactivatedCustomers: 0, newCustomers: 0 });
		// Revenue: r renews at 60 instead of 50 (expansion 10); s stays at 50; c churns 50.
		const revenue = await runMetrics({ operation: 'revenueRetention', input: 'subscriptions', ...period }, [
			{ customerId: 'r', startDate: '2024-06-01', endDate: '2025-02-01', mrr: 50 },
			{ customerId: 'r', startDate: '2025-02-01', mrr: 60 },
			{ customerId: 's', startDate: '2024-06-01', mrr: 50 },
			{ customerId: 'c', startDate: '2024-06-01', endDate: '2025-02-01', mrr: 50 },
		]);
		// NRR = (150 + 10 − 50) / 150 = 73.33 %; GRR = (150 − 50) / 150 = 66.67 %.
		expect(revenue.json('Node')[0]).toMatchObject({ startMrr: 150, endMrr: 110, expansionMrr: 10, churnedMrr: 50 });
		expect(revenue.json('Node')[0].netRevenueRetention).toBeCloseTo(73.33, 2);
		expect(revenue.json('Node')[0].grossRevenueRetention).toBeCloseTo(66.67, 2);
	});

	test('survey thresholds given as text by an expression are compared as numbers', async () => {
		const result = await runMetrics(
			{ operation: 'surveyScores', surveyType: 'nps', scoreField: 's', scale: { scaleMin: '={{ "0" }}', scaleMax: '={{ "10" }}', positiveThreshold: '={{ "9" }}', negativeThreshold: '={{ "6" }}' } },
			[{ s: 10 }, { s: 3 }, { s: 8 }],
		);
		expect(result.error).toBeUndefined();
		expect(result.json('Node').find((j) => j.nps !== undefined)).toMatchObject({ nps: 0 });
	});

	test('survey scale options that are not numbers are refused naming the value given', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ scaleMax: '={{ "ten" }}' }, 'Scale and Thresholds: Scale Maximum must be a number (got "ten")'],
			[{ positiveThreshold: '={{ 0 / 0 }}' }, 'Scale and Thresholds: Positive Threshold must be a number (got NaN)'],
			[{ negativeThreshold: '={{ "" }}' }, 'Scale and Thresholds: Negative Threshold must be a number (got "")'],
		];
		for (const [scale, message] of cases) {
			const result = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 's', scale }, [{ s: 10 }]);
			expect(result.error?.message).toBe(message);
		}
	});

	test('a refund of 0 by status is not an order; repeated lines of one order keep its lifespan 0', async () => {
		const refunds = await runMetrics({ operation: 'purchaseBehaviour', timeZone: 'UTC', refunds: 'statusField', statusField: 'status' }, [
			{ customerId: 'a', date: '2025-01-01', amount: 10 },
			{ customerId: 'a', date: '2025-01-05', amount: 0, status: 'refunded' },
		]);
		expect(refunds.json('Node')[0]).toMatchObject({ orders: 1, repeatPurchaseRate: 0, averageOrderValue: 10, averageLifespanDays: 0 });
		const lines = await runMetrics({ operation: 'purchaseBehaviour', timeZone: 'UTC', orderIdField: 'order' }, [
			{ customerId: 'a', date: '2025-01-01', amount: 10, order: 'o1' },
			{ customerId: 'a', date: '2025-01-03', amount: 10, order: 'o1' },
		]);
		expect(lines.json('Node')[0]).toMatchObject({ orders: 1, revenue: 20, averageLifespanDays: 0 });
		// An order is dated by its earliest line, whatever the order of the rows: first purchase 01-01, last
		// order Y on 01-05 → lifespan 4, both ways round.
		for (const x of [
			[{ d: '2025-01-10' }, { d: '2025-01-01' }],
			[{ d: '2025-01-01' }, { d: '2025-01-10' }],
		]) {
			const r = await runMetrics({ operation: 'purchaseBehaviour', timeZone: 'UTC', orderIdField: 'order' }, [
				{ customerId: 'c', date: x[0].d, amount: 5, order: 'X' },
				{ customerId: 'c', date: '2025-01-05', amount: 5, order: 'Y' },
				{ customerId: 'c', date: x[1].d, amount: 5, order: 'X' },
			]);
			expect(r.json('Node')[0]).toMatchObject({ orders: 2, averageLifespanDays: 4 });
		}
	});

	test('Periods to Show: numeric text is read, anything else outside 1…120 is refused naming the value', async () => {
		const rows = [{ customerId: 'a', date: '2024-01-05' }];
		const text = await runMetrics({ operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month', maxPeriods: '={{ "2" }}', asOf: '2024-03-31' }, rows);
		// periods 0, 1 and 2 (January to March): the text "2" was read as 2
		expect(text.json('Node')[0]).toMatchObject({ cohort: '2024-01', classicRates: [100, 0, 0] });
		for (const [given, shown] of [
			[0, '0'],
			[2.5, '2.5'],
			['={{ 0/0 }}', 'NaN'],
		] as const) {
			const r = await runMetrics({ operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month', maxPeriods: given, asOf: '2024-03-31' }, rows);
			expect(r.error?.message).toBe(`Periods to Show must be a whole number from 1 to 120 (got ${shown})`);
		}
	});

	test('cohorts ignore transactions after the As-Of Date', async () => {
		const result = await runMetrics(
			{ operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month', maxPeriods: 3, asOf: '2024-03-31' },
			[
				{ customerId: 'a', date: '2024-01-05' },
				{ customerId: 'a', date: '2024-06-05' },
				{ customerId: 'b', date: '2024-01-20' },
				{ customerId: 'c', date: '2024-05-01' },
			],
		);
		const [january] = result.json('Node').filter((j) => j.cohort === '2024-01');
		// a's June purchase is not observed on 2024-03-31: nobody of January came back in February or March.
		expect(january).toMatchObject({ size: 2, classicRates: [100, 0, 0, null], unboundedRates: [100, 0, 0, null] });
		expect(result.json('Node').some((j) => j.cohort === '2024-05')).toBe(false);
	});

	test('every item refused with Continue On Fail: their error items, then one saying so (no made-up as-of date)', async () => {
		const result = await runMetrics({ operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month', maxPeriods: 3 }, [{ customerId: 'a', date: 'x' }], {
			onError: 'continueRegularOutput',
		});
		const out = result.output('Node');
		expect(out.map((o) => o.json.error)).toEqual([
			expect.stringMatching(/^Item 0: field "date"/),
			'No valid transactions to work on: all 1 items were refused (see their error items)',
		]);
		expect(out.every((o) => (Array.isArray(o.pairedItem) ? o.pairedItem.length > 0 : o.pairedItem !== undefined))).toBe(true);
	});

	test('an end date before the start names the value when the field is a dotted path', async () => {
		const result = await runMetrics({ operation: 'customerRetention', periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC', endDateField: 'sub.end' }, [
			{ customerId: 'a', startDate: '2025-01-05', sub: { end: '2024-01-01' } },
		]);
		expect(result.error?.message).toBe('Item 0: field "sub.end" is before the start date 2025-01-05 (value: "2024-01-01")');
	});
});

describe('Customer Segments edge cases', () => {
	const input = [
		{ customerId: 'a', date: '2025-01-01', amount: 10 },
		{ customerId: 'b', date: '2025-01-20', amount: 50 },
	];

	test('summary items of empty segments are paired with the input, never with an empty list', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, input);
		const summary = result.output('Node', 1);
		expect(summary.filter((s) => s.json.customers === 0).length).toBeGreaterThan(0);
		for (const s of summary) expect((s.pairedItem as unknown[]).length).toBeGreaterThan(0);
		const empty = summary.find((s) => s.json.customers === 0)!;
		expect(empty.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('customers shown with the same monetary value get the same M score (1.1 + 2.2 = 3.3)', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC', segmentMap: 'none' }, [
			{ customerId: 'X', date: '2025-01-01', amount: 1.1 },
			{ customerId: 'X', date: '2025-01-01', amount: 2.2 },
			{ customerId: 'Y', date: '2025-01-01', amount: 3.3 },
		]);
		const [x, y] = result.json('Node', 0);
		expect([x.monetary, y.monetary]).toEqual([3.3, 3.3]);
		// Two customers tied on M share the average rank 1.5 of 2: 1 + floor(5 × (1.5 − ½) / 2) = 3.
		expect([x.mScore, y.mScore]).toEqual([3, 3]);
		// Scores only: the summary still carries labels.
		expect(result.json('Node', 1)[0]).toMatchObject({ scoredCustomers: 2, labels: { scoredCustomers: 'Customers scored' } });
	});

	test('a fractional order count in pre-aggregated input is refused', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC', inputMode: 'customers' }, [
			{ customerId: 'e', lastPurchaseDate: '2025-01-03', frequency: 1.5, monetary: 3 },
		]);
		expect(result.error?.message).toBe('Item 0: field "frequency" must be a whole number (value: 1.5)');
	});

	test('a custom segment called "constructor" keeps its name as label', async () => {
		const codes: string[] = [];
		for (let r = 1; r <= 3; r++) for (let f = 1; f <= 3; f++) for (let m = 1; m <= 3; m++) codes.push(`${r}${f}${m}`);
		const result = await runNode(
			'customerSegments',
			{ operation: 'rfm', timeZone: 'UTC', scale: 3, segmentMap: 'custom', customMap: JSON.stringify({ constructor: codes }) },
			input,
		);
		expect(result.error).toBeUndefined();
		for (const c of result.json('Node', 0)) {
			expect(c.segmentLabel).toBe('constructor');
			expect(c.reason).toMatch(/ = constructor$/);
		}
		expect(result.json('Node', 1)[0]).toMatchObject({ segment: 'constructor', segmentLabel: 'constructor', segmentDescription: null });
	});
});

describe('Customer Lifetime Value edge cases', () => {
	const fit = { operation: 'fitPredict', inputType: 'transactions', timeUnit: 'weeks', horizon: 39, discountRate: 0, timeZone: 'UTC' };

	test('every transaction refused with Continue On Fail: each keeps its error item', async () => {
		const result = await runNode('customerLifetimeValue', fit, [{ customerId: 'a', date: 'x', amount: 10 }], { onError: 'continueRegularOutput' });
		expect(result.json('Node', 0).map((j) => j.error)).toEqual([
			expect.stringMatching(/^Item 0: field "date" is not a date.*\(value: "x"\)$/),
			'No valid transactions to work on: all 1 items were refused (see their error items)',
		]);
	});

	test.each([2.5, -1, 1e9])('Validate refuses Top Frequency Group %p, naming it', async (topFrequency) => {
		const input = [
			{ customerId: 'a', date: '2025-01-01', amount: 1 },
			{ customerId: 'a', date: '2025-03-01', amount: 1 },
		];
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'validate', calibrationEnd: '2025-02-01', timeUnit: 'weeks', purchaseModel: 'bgnbd', timeZone: 'UTC', topFrequency },
			input as IDataObject[],
		);
		expect(result.error?.message).toBe(`Top Frequency Group must be a whole number from 1 to 100 (got ${topFrequency})`);
	});
});

describe('Cohort Retention: a table with no complete period says why every rate is null', () => {
	test('one customer, as-of the day of the data (the month has not ended)', async () => {
		const result = await runMetrics({ operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month' }, [{ customerId: 'a', date: '2025-01-05' }]);
		const summaryOf = (items: IDataObject[]) => items.find((i) => i.metric === 'cohortRetention')!;
		const summary = summaryOf(result.json('Node'));
		expect((summary.averageClassicRates as unknown[]).every((v) => v === null)).toBe(true);
		expect(summary.notes).toEqual([
			'No period has ended by the as-of date 2025-01-05, so every rate is null: a period is shown once it is complete. Set the As-Of Date to the last day of a period (or later) to see it.',
		]);
		// At the month's end the period is complete: a rate and no note.
		const ended = await runMetrics({ operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month', asOf: '2025-01-31' }, [{ customerId: 'a', date: '2025-01-05' }]);
		expect((summaryOf(ended.json('Node')).averageClassicRates as unknown[])[0]).toBe(100);
		expect(summaryOf(ended.json('Node')).notes).toEqual([]);
	});
});
