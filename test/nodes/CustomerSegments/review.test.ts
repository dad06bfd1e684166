/**
 * Customer Segments: regression tests from an adversarial review through n8n's real WorkflowExecute — inputs
 * and parameters as operations staff give them (Chinese-keyboard lists, options set by an expression, long
 * numeric ids from JSON exports, pre-aggregated exports), each a case that the node got wrong before.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { unlabelledNumbers } from '../RetentionMetrics/unlabelled';

const tx = [
	{ customerId: 'a', date: '2025-01-01', amount: 100, status: '已付款' },
	{ customerId: 'a', date: '2025-01-05', amount: 100, status: '已退款' },
	{ customerId: 'b', date: '2025-01-03', amount: 40, status: '已付款' },
];
const rfm = { operation: 'rfm', timeZone: 'UTC' };

describe('Refund Status Values', () => {
	it('may be separated by Chinese commas (，、) or semicolons: every value marks a refund', async () => {
		for (const refundStatuses of ['已退款，退款', '退款、已退款', '退款; 已退款', '退款；已退款']) {
			const result = await runNode('customerSegments', { ...rfm, refunds: 'statusField', refundStatuses }, tx);
			expect(result.error).toBeUndefined();
			// a: one purchase of 100, refunded 100 → 1 order, spend 0 (the refund is not an order).
			expect(result.json('Node', 0).map((c) => [c.customerId, c.frequency, c.monetary])).toEqual([
				['a', 1, 0],
				['b', 1, 40],
			]);
		}
	});

	it('an empty list is refused: with it no row could ever be a refund', async () => {
		const result = await runNode('customerSegments', { ...rfm, refunds: 'statusField', refundStatuses: ' , ' }, tx);
		expect(result.error?.message).toBe('Refund Status Values is empty: list the status values that mark a refund (e.g. refunded, 退款)');
	});
});

describe('options given by an expression', () => {
	it('a value that is not one of the options is refused naming the parameter, the value and the choices', async () => {
		const cases: Array<[IDataObject, string]> = [
			[{ frequencyBasis: '={{ "days" }}' }, 'Frequency Counts must be one of "orders", "purchaseDays" (got "days")'],
			[{ monetaryBasis: '={{ "avg" }}' }, 'Monetary Value must be one of "total", "mean" (got "avg")'],
			[{ revenueBasis: '={{ "Gross" }}' }, 'Revenue Basis must be one of "net", "gross" (got "Gross")'],
			[{ scoring: '={{ "threshold" }}' }, 'Scoring must be one of "quantiles", "thresholds" (got "threshold")'],
			[{ segmentMap: '={{ "ten" }}' }, 'Segment Map must be one of "elevenSegments", "tenSegments", "custom", "none" (got "ten")'],
			[{ inputMode: '={{ "customer" }}' }, 'Input must be one of "transactions", "customers" (got "customer")'],
			[{ inputMode: 'customers', recencyFrom: '={{ "days" }}' }, 'Recency From must be one of "lastPurchaseDate", "recencyDays" (got "days")'],
			[{ refunds: '={{ "status" }}' }, 'Refunds must be one of "negativeAmounts", "statusField", "none" (got "status")'],
		];
		for (const [given, message] of cases) {
			const result = await runNode('customerSegments', { ...rfm, ...given }, tx);
			expect([given, result.error?.message]).toEqual([given, message]);
		}
		const lifecycle = await runNode('customerSegments', { operation: 'lifecycleStage', timeZone: 'UTC', refunds: '={{ "negative" }}' }, tx);
		expect(lifecycle.error?.message).toBe('Refunds must be one of "negativeAmounts", "statusField", "none" (got "negative")');
	});

	it('a valid value from an expression is read as chosen', async () => {
		const result = await runNode('customerSegments', { ...rfm, frequencyBasis: '={{ "purchaseDays" }}', revenueBasis: '={{ "gross" }}' }, tx);
		expect(result.error).toBeUndefined();
		expect(result.json('Node', 1)[0]).toMatchObject({ frequency: 'purchaseDays', revenueBasis: 'gross' });
	});
});

describe('Lifecycle Options', () => {
	it('Infinity from an expression is refused naming it, not turned into null settings and "Infinity days"', async () => {
		for (const option of ['activeUpTo', 'atRiskUpTo', 'dormantUpTo', 'defaultIntervalDays']) {
			const lifecycleOptions = { [option]: '={{ 1 / 0 }}' };
			const stages = await runNode('customerSegments', { operation: 'lifecycleStage', timeZone: 'UTC', lifecycleOptions }, tx);
			expect(stages.error?.message).toMatch(new RegExp(`^Lifecycle Options: ${option}: .* \\(got Infinity\\)`));
			const added = await runNode('customerSegments', { ...rfm, addLifecycleStage: true, lifecycleOptions }, tx);
			expect(added.error?.message).toMatch(new RegExp(`^Lifecycle Options: ${option}: .* \\(got Infinity\\)`));
		}
	});
});

describe('customer ids', () => {
	it('a numeric id beyond 2^53 is refused (neighbouring ids have already been rounded to one), masked; as text it is read', async () => {
		// 18-digit order-system ids: as JSON numbers both become 123456789012345680.
		const rows = [
			{ customerId: 123456789012345678, date: '2025-01-01', amount: 10 },
			{ customerId: 123456789012345679, date: '2025-01-02', amount: 10 },
		];
		const result = await runNode('customerSegments', rfm, rows, { onError: 'continueRegularOutput' });
		const [first] = result.json('Node', 0);
		expect(first).toEqual({
			error: 'Item 0: field "customerId" is a number beyond 9007199254740991, which cannot hold every id exactly (neighbouring ids round to the same number); send the id as text (value: "12••••••••80")',
			itemIndex: 0,
			field: 'customerId',
		});
		const asText = await runNode('customerSegments', rfm, [
			{ customerId: '123456789012345678', date: '2025-01-01', amount: 10 },
			{ customerId: '123456789012345679', date: '2025-01-02', amount: 10 },
			{ customerId: 9007199254740991, date: '2025-01-02', amount: 10 },
		]);
		expect(asText.json('Node', 0).map((c) => c.customerId)).toEqual(['123456789012345678', '123456789012345679', '9007199254740991']);
	});

	it('pre-aggregated: a customer given twice is refused without echoing the id (often a phone number)', async () => {
		const rows = [
			{ customerId: '13812345678', lastPurchaseDate: '2025-01-01', frequency: 1, monetary: 10 },
			{ customerId: '13812345678', lastPurchaseDate: '2025-01-02', frequency: 2, monetary: 20 },
		];
		const failed = await runNode('customerSegments', { ...rfm, inputMode: 'customers' }, rows);
		expect(failed.error?.message).toBe(
			'Item 1: field "customerId" appears twice; pre-aggregated input needs one item per customer (value: "13•••••••78")',
		);
		const continued = await runNode('customerSegments', { ...rfm, inputMode: 'customers' }, rows, { onError: 'continueRegularOutput' });
		expect(continued.json('Node', 0)[0]).toEqual({
			error: 'Item 1: field "customerId" appears twice; pre-aggregated input needs one item per customer (value: "13•••••••78")',
			itemIndex: 1,
			field: 'customerId',
		});
	});
});

describe('definitions say what was computed', () => {
	it('pre-aggregated input: frequency and spend are as given, not "distinct orders" and "net of refunds"', async () => {
		const result = await runNode('customerSegments', { ...rfm, inputMode: 'customers', monetaryBasis: 'mean', language: 'zh' }, [
			{ customerId: 'p', lastPurchaseDate: '2025-06-01', frequency: 5, monetary: 100 },
			{ customerId: 'q', lastPurchaseDate: '2025-05-01', frequency: 1, monetary: 20 },
		]);
		const [summary] = result.json('Node', 1);
		expect(summary).toMatchObject({ frequency: 'given', revenueBasis: 'given' });
		const definitions = summary.definitions as Record<string, string>;
		expect(Object.keys(definitions)).toEqual(expect.arrayContaining(['frequencyGiven', 'spendGiven', 'monetaryMean']));
		expect(Object.keys(definitions)).not.toEqual(expect.arrayContaining(['net']));
		expect(Object.keys(definitions)).not.toContain('frequencyOrders');
		expect(definitions.spendGiven).toBe('消费额取自金额字段 (预汇总输入; 金额为每单平均时, 消费额 = 平均值 × 频次); 是否已扣除退款取决于数据来源。');
	});

	it('the 10-segment map describes its segments by R and F only (it ignores M); a custom map has no borrowed descriptions', async () => {
		const ten = await runNode('customerSegments', { ...rfm, segmentMap: 'tenSegments' }, tx);
		const descriptions = Object.fromEntries(ten.json('Node', 1).map((s) => [s.segment, s.segmentDescription as string]));
		expect(descriptions.champions).toBe('Bought most recently and buy the most often (spend not considered)');
		for (const text of Object.values(descriptions)) expect(text).not.toMatch(/spend(?! not considered)|spent/);
		const tenZh = await runNode('customerSegments', { ...rfm, segmentMap: 'tenSegments', language: 'zh' }, tx);
		for (const s of tenZh.json('Node', 1)) expect(s.segmentDescription).toMatch(/不看消费金额/);

		const customMap = JSON.stringify({ champions: codesOf((r) => r === 5), lost: codesOf((r) => r < 5) });
		const custom = await runNode('customerSegments', { ...rfm, segmentMap: 'custom', customMap }, tx);
		expect(custom.error).toBeUndefined();
		expect(custom.json('Node', 1).map((s) => [s.segment, s.segmentLabel, s.segmentDescription])).toEqual([
			['champions', 'Champions', null],
			['lost', 'Lost', null],
		]);
	});

	it('RFM with lifecycle stages: the stage definition and the limits used are in the summary, labelled in en and zh', async () => {
		for (const language of ['en', 'zh']) {
			const result = await runNode('customerSegments', { ...rfm, language, addLifecycleStage: true, lifecycleOptions: { activeUpTo: 2 } }, tx);
			const [summary] = result.json('Node', 1);
			expect(summary.lifecycle).toEqual({ newCustomerDays: 30, activeUpTo: 2, atRiskUpTo: 3, dormantUpTo: 6, defaultIntervalDays: 30 });
			expect((summary.definitions as Record<string, string>).stage).toMatch(language === 'en' ? /^Stage against the customer’s own rhythm/ : /^按客户自身的购买节奏判断阶段/);
			expect(unlabelledNumbers([summary, ...result.json('Node', 0)], summary.labels)).toEqual([]);
		}
		const without = await runNode('customerSegments', rfm, tx);
		expect(without.json('Node', 1)[0]).not.toHaveProperty('lifecycle');
		expect(without.json('Node', 1)[0].definitions).not.toHaveProperty('stage');
	});
});

/** The codes of the 1–5 scale whose R digit passes `keep`. */
function codesOf(keep: (r: number) => boolean): string[] {
	const out: string[] = [];
	for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) if (keep(r)) out.push(`${r}${f}${m}`);
	return out;
}
