/** Customer Segments › RFM through n8n's real WorkflowExecute (test/harness). */
import { elevenFromDocs, independentRfm, tally, txs } from '../../engine/segments/cdnowReference';
import { runNode } from '../../harness/workflow';

const day = (n: number) => {
	const d = new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);
	return d.toISOString().slice(0, 10);
};

// The engine's hand case (test/engine/segments/rfm.test.ts) as items; day 0 = 2025-01-01.
// A: three orders on two days and a refund of 10 · B: one order, fully refunded · C: only a refund · D: two orders.
const input = [
	{ customerId: 'A', date: day(0), amount: 50, orderId: 'o1' },
	{ customerId: 'A', date: day(0), amount: 30, orderId: 'o2' },
	{ customerId: 'B', date: day(5), amount: 100, orderId: 'o4' },
	{ customerId: 'B', date: day(6), amount: -100, orderId: 'o4' },
	{ customerId: 'C', date: day(7), amount: -5, orderId: 'o9' },
	{ customerId: 'A', date: day(10), amount: 20, orderId: 'o3' },
	{ customerId: 'A', date: day(10), amount: 5, orderId: 'o3' },
	{ customerId: 'A', date: day(11), amount: -10, orderId: 'o3' },
	{ customerId: 'D', date: day(20), amount: 40, orderId: 'o5' },
	{ customerId: 'D', date: day(30), amount: 1000, orderId: 'o6' },
];
const base = { operation: 'rfm', orderIdField: 'orderId', timeZone: 'UTC' };

describe('RFM from transactions', () => {
	it('scores, codes, segments, reasons and pairedItem per customer (hand-computed)', async () => {
		const result = await runNode('customerSegments', base, input);
		expect(result.error).toBeUndefined();
		const customers = result.output('Node', 0);
		expect(customers.map((c) => c.json.customerId)).toEqual(['A', 'B', 'C', 'D']);
		expect(customers[0].json).toMatchObject({
			recencyDays: 21,
			frequency: 3,
			monetary: 95,
			rScore: 3,
			fScore: 5,
			mScore: 3,
			rfmCode: '353',
			segment: 'potentialLoyalist',
			segmentLabel: 'Potential Loyalist',
			firstPurchaseDate: '2025-01-01',
			lastPurchaseDate: '2025-01-11',
			reason: 'R 3: last purchase 21 days ago; F 5: 3 orders; M 3: spent 95 → 353 = Potential Loyalist',
		});
		expect(customers[1].json).toMatchObject({ rfmCode: '111', segment: 'lost', monetary: 0 });
		expect(customers[2].json).toMatchObject({ rfmCode: null, segment: null, rScore: null });
		expect(customers[3].json).toMatchObject({ rfmCode: '535', segment: 'needAttention', recencyDays: 1 });
		// Each customer item pairs to all of that customer's transaction items.
		expect(customers[0].pairedItem).toEqual([0, 1, 5, 6, 7].map((item) => ({ item })));
		expect(customers[3].pairedItem).toEqual([{ item: 8 }, { item: 9 }]);
	});

	it('one summary item per segment, with shares, means, labels, definitions and warnings', async () => {
		const result = await runNode('customerSegments', base, input);
		const summary = result.json('Node', 1);
		expect(summary.map((s) => s.segment)).toEqual([
			'champions',
			'loyal',
			'potentialLoyalist',
			'newCustomers',
			'promising',
			'needAttention',
			'aboutToSleep',
			'atRisk',
			'cannotLoseThem',
			'hibernating',
			'lost',
		]);
		const pl = summary[2];
		expect(pl).toMatchObject({ customers: 1, customerShare: 33.3333, revenue: 95, revenueShare: 8.3700, meanRecencyDays: 21, asOfDate: '2025-02-01' });
		expect(summary[0]).toMatchObject({ customers: 0, meanMonetary: null, codes: ['555', '554', '545', '544', '455', '454', '445'] });
		expect(pl.warnings).toEqual([
			'1 customer has no purchase up to the as-of date (only refunds, or only transactions after it): not scored, segment empty.',
			'Only 3 customers were scored, fewer than the 5 scores: quantile scores rank customers against each other, so some scores cannot occur. Use fixed thresholds, or score more customers.',
			'1 customer has a zero or negative monetary value (full refunds, free orders): ranked lowest on monetary value.',
		]);
		expect(Object.keys(pl.definitions as object)).toEqual(
			expect.arrayContaining(['recency', 'frequencyOrders', 'monetaryTotal', 'net', 'quantiles', 'segmentMapEleven']),
		);
		expect(result.output('Node', 1)[2].pairedItem).toEqual([0, 1, 5, 6, 7].map((item) => ({ item })));
	});

	it('a single customer: the middle score, with a warning that it says nothing (en, zh)', async () => {
		const solo = [{ customerId: 'solo', orderId: 'o1', date: '2025-01-10', amount: 40 }];
		const en = await runNode('customerSegments', base, solo);
		expect(en.json('Node', 0)[0].rfmCode).toBe('333');
		expect(en.json('Node', 1)[0].warnings).toContain(
			'Only 1 customer was scored, fewer than the 5 scores: quantile scores rank customers against each other, so a single customer gets the middle score, which says nothing about them. Use fixed thresholds, or score more customers.',
		);
		const zh = await runNode('customerSegments', { ...base, language: 'zh' }, solo);
		expect(zh.json('Node', 1)[0].warnings).toContain(
			'只有 1 位客户参与打分, 少于 5 档分数: 分位数打分是客户之间的相互比较, 唯一的客户得中间分, 说明不了什么。请用固定阈值打分, 或放入更多客户。',
		);
	});

	it('labels and reasons in Chinese', async () => {
		const result = await runNode('customerSegments', { ...base, language: 'zh' }, input);
		const [a] = result.json('Node', 0);
		expect(a.segmentLabel).toBe('潜在忠诚客户');
		expect(a.reason).toBe('R 3: 21 天前最后购买; F 5: 3 个订单; M 3: 累计消费 95 → 353 = 潜在忠诚客户');
		const summary = result.json('Node', 1);
		expect(summary.map((s) => s.segmentLabel)).toEqual([
			'冠军客户',
			'忠诚客户',
			'潜在忠诚客户',
			'新客户',
			'有潜力的新客',
			'需要关注',
			'即将沉睡',
			'有流失风险',
			'不能失去的客户',
			'休眠客户',
			'已流失',
		]);
		expect((summary[0].labels as Record<string, string>).customerShare).toBe('客户占比 (%)');
	});

	it('the 10-segment map, a 1–3 scale with fixed thresholds and a user map', async () => {
		const ten = await runNode('customerSegments', { ...base, segmentMap: 'tenSegments' }, input);
		expect(ten.json('Node', 0).map((c) => c.segment)).toEqual(['loyal', 'hibernating', null, 'potentialLoyalist']);
		expect(ten.json('Node', 1)).toHaveLength(10);

		const customMap: Record<string, string> = {};
		for (let r = 1; r <= 3; r++) for (let f = 1; f <= 3; f++) for (let m = 1; m <= 3; m++) customMap[`${r}${f}${m}`] = r === 3 ? '近期客户' : '其他';
		const custom = await runNode(
			'customerSegments',
			{
				...base,
				scale: 3,
				scoring: 'thresholds',
				recencyThresholds: '7, 21',
				frequencyThresholds: '2，3',
				monetaryThresholds: '50 500',
				segmentMap: 'custom',
				customMap: JSON.stringify(customMap),
			},
			input,
		);
		expect(custom.error).toBeUndefined();
		expect(custom.json('Node', 0).map((c) => [c.rfmCode, c.segment])).toEqual([
			['232', '其他'],
			['111', '其他'],
			[null, null],
			['323', '近期客户'],
		]);
		expect(custom.json('Node', 1).map((s) => [s.segment, s.customers])).toEqual([
			['其他', 2],
			['近期客户', 1],
		]);
	});

	it('refuses an incomplete user map, a named map on a 1–3 scale and bad thresholds', async () => {
		const incomplete = await runNode('customerSegments', { ...base, segmentMap: 'custom', customMap: '{"VIP": ["555"]}' }, input);
		expect(incomplete.error?.message).toMatch(/^Custom Map: codes with no segment: 111, 112, .* \(124 in all\)$/);
		const scale3 = await runNode('customerSegments', { ...base, scale: 3 }, input);
		expect(scale3.error?.message).toBe('The 11-segment map is defined on 1–5 scores, not on a 1–3 scale');
		const thresholds = await runNode('customerSegments', { ...base, scoring: 'thresholds', recencyThresholds: '30, 20, 90, 180' }, input);
		expect(thresholds.error?.message).toBe('Fixed thresholds: recency thresholds thresholds must increase: 30 is followed by 20');
		const notJson = await runNode('customerSegments', { ...base, segmentMap: 'custom', customMap: '{555: x' }, input);
		expect(notJson.error?.message).toMatch(/^Custom Map: \(root\): not valid JSON/);
	});

	it('number parameters given as text by an expression: numeric text is read, anything else refused naming the value', async () => {
		const asText = await runNode('customerSegments', { ...base, segmentMap: 'none', scale: '={{ "4" }}' }, input);
		expect(asText.error).toBeUndefined();
		expect(asText.json('Node', 1)[0]).toMatchObject({ scale: 4 });
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ scale: '={{ "four" }}' }, 'Score Scale must be 3, 4 or 5 (got "four")'],
			[{ scale: '={{ "" }}' }, 'Score Scale must be 3, 4 or 5 (got "")'],
			[{ scale: '={{ 0 / 0 }}' }, 'Score Scale must be 3, 4 or 5 (got NaN)'],
			[{ scoring: 'thresholds', monetaryThresholds: '0x10, 250, 500, 1000' }, 'The parameter "Monetary Thresholds" holds values that are not numbers: 0x10'],
		];
		for (const [given, message] of cases) {
			const result = await runNode('customerSegments', { ...base, segmentMap: 'none', ...given }, input);
			expect(result.error?.message).toBe(message);
		}
	});

	it('distinct purchase days, mean, gross; refunds marked by a status field', async () => {
		const rows = [
			{ customerId: 'x', date: '2025-03-01', amount: 40, status: 'paid' },
			{ customerId: 'x', date: '2025-03-01', amount: 20, status: 'paid' },
			{ customerId: 'x', date: '2025-03-05', amount: 30, status: '退款' },
			{ customerId: 'y', date: '2025-03-09', amount: 10, status: 'paid' },
		];
		const params = { operation: 'rfm', timeZone: 'UTC', frequencyBasis: 'purchaseDays', monetaryBasis: 'mean', refunds: 'statusField' };
		const net = await runNode('customerSegments', params, rows);
		expect(net.json('Node', 0).map((c) => [c.frequency, c.monetary])).toEqual([
			[1, 30],
			[1, 10],
		]);
		const gross = await runNode('customerSegments', { ...params, revenueBasis: 'gross' }, rows);
		expect(gross.json('Node', 0).map((c) => c.monetary)).toEqual([60, 10]);
	});
});

describe('bad input, as in the Retention Metrics node', () => {
	const bad = [
		{ customerId: 'a', date: '2025-01-01', amount: 10 },
		{ customerId: 'b', date: 'yesterday', amount: 10 },
		{ customerId: '', date: '2025-01-02', amount: 10 },
		{ customerId: 'c', date: '2025-01-03', amount: 'ten' },
		{ customerId: 'd', date: '2025-01-04', amount: 10 },
	];

	it('fails on the first bad item, naming index, field and value', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, bad);
		expect(result.error?.message).toMatch(/^Item 1: field "date" is not a date.*\(value: "yesterday"\)$/);
	});

	it('with Continue On Fail: error items for bad items, the rest computed', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, bad, { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const out = result.json('Node', 0);
		expect(out.slice(0, 3)).toEqual([
			expect.objectContaining({ itemIndex: 1, field: 'date', value: 'yesterday' }),
			expect.objectContaining({ itemIndex: 2, field: 'customerId', value: '' }),
			expect.objectContaining({ itemIndex: 3, field: 'amount', value: 'ten' }),
		]);
		expect(out.slice(3).map((c) => c.customerId)).toEqual(['a', 'd']);
		expect(result.output('Node', 0)[0].pairedItem).toEqual({ item: 1 });
	});

	it('a missing date on the very first item is an error too', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, [
			{ customerId: 'a', amount: 10 },
			{ customerId: 'a', date: '2025-01-01', amount: 10 },
		]);
		expect(result.error?.message).toBe('Item 0: field "date" is missing; a date is required');
	});

	it('negative amounts are an error when the data has no refunds', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC', refunds: 'none' }, [
			{ customerId: 'a', date: '2025-01-01', amount: -3 },
		]);
		expect(result.error?.message).toBe('Item 0: field "amount" must not be negative (value: -3)');
	});

	it('a status-marked refund may be written with a negative amount: the same refund as its positive form', async () => {
		const rows = (refundAmount: number) => [
			{ customerId: 'a', date: '2025-01-01', amount: 50, status: 'paid' },
			{ customerId: 'a', date: '2025-01-05', amount: refundAmount, status: 'Refunded' },
			{ customerId: 'b', date: '2025-01-03', amount: 20, status: 'paid' },
		];
		const params = { operation: 'rfm', timeZone: 'UTC', refunds: 'statusField', statusField: 'status' };
		const negative = await runNode('customerSegments', params, rows(-30));
		const positive = await runNode('customerSegments', params, rows(30));
		expect(negative.error).toBeUndefined();
		expect(negative.json('Node', 0).map((c) => [c.customerId, c.monetary, c.frequency])).toEqual([
			['a', 20, 1],
			['b', 20, 1],
		]);
		expect(negative.json('Node', 0)).toEqual(positive.json('Node', 0));
		// a negative amount on a row that is not a refund is still refused
		const paid = await runNode('customerSegments', params, [{ customerId: 'a', date: '2025-01-01', amount: -5, status: 'paid' }]);
		expect(paid.error?.message).toBe('Item 0: field "amount" must not be negative (value: -5)');
	});

	it('identical customers: defined scores and the collapse warnings, not a crash', async () => {
		const same = ['a', 'b', 'c', 'd', 'e'].map((customerId) => ({ customerId, date: '2025-01-10', amount: 20 }));
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, same);
		expect(result.json('Node', 0).map((c) => c.rfmCode)).toEqual(['313', '323', '333', '343', '353']);
		expect(result.json('Node', 1)[0].warnings).toEqual([
			'All 5 customers have the same recency (1), so quintiles collapse: everyone got score 3.',
			'All 5 customers have the same frequency (1), so quintiles collapse: frequency scores only reflect the order customers first appear in.',
			'All 5 customers have the same monetary value (20), so quintiles collapse: everyone got score 3.',
		]);
	});

	it('transactions after a given as-of date are left out, with a warning', async () => {
		const rows = [
			{ customerId: 'a', date: '2025-01-01', amount: 10 },
			{ customerId: 'a', date: '2025-02-01', amount: 10 },
		];
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC', asOfDate: '2025-01-11' }, rows);
		expect(result.json('Node', 0)[0]).toMatchObject({ recencyDays: 10, frequency: 1 });
		expect(result.json('Node', 1)[0].warnings).toContain('1 transaction dated after the as-of date was left out.');
	});
});

describe('RFM from pre-aggregated customers', () => {
	const customers = [
		{ customerId: 'p', lastPurchaseDate: '2025-06-01', frequency: 5, monetary: 500 },
		{ customerId: 'q', lastPurchaseDate: '2025-05-01', frequency: 1, monetary: 20 },
		{ customerId: 'r', lastPurchaseDate: '2025-06-20', frequency: 2, monetary: 80 },
	];

	it('recency from the last purchase date; pairedItem = the customer’s own item', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', inputMode: 'customers', timeZone: 'UTC' }, customers);
		expect(result.error).toBeUndefined();
		const out = result.output('Node', 0);
		// as-of 2025-06-21: recency 20, 51, 1 → R 3, 1, 5 · F 5, 1, 3 · M 5, 1, 3
		expect(out.map((c) => [c.json.recencyDays, c.json.rfmCode])).toEqual([
			[20, '355'],
			[51, '111'],
			[1, '533'],
		]);
		expect(out[1].pairedItem).toEqual([{ item: 1 }]);
		expect(result.json('Node', 1)[0]).toMatchObject({ input: 'customers', frequency: 'given', asOfDate: '2025-06-21' });
	});

	it('recency in days; a customer twice or a frequency of 0 is an input error', async () => {
		const days = await runNode(
			'customerSegments',
			{ operation: 'rfm', inputMode: 'customers', recencyFrom: 'recencyDays', timeZone: 'UTC' },
			[{ customerId: 'p', recencyDays: 3, frequency: 2, monetary: 10 }],
		);
		expect(days.json('Node', 0)[0]).toMatchObject({ recencyDays: 3, rfmCode: '333' });
		const twice = await runNode('customerSegments', { operation: 'rfm', inputMode: 'customers', timeZone: 'UTC' }, [
			...customers,
			customers[0],
		]);
		expect(twice.error?.message).toMatch(/^Item 3: field "customerId" appears twice/);
		const zero = await runNode('customerSegments', { operation: 'rfm', inputMode: 'customers', timeZone: 'UTC' }, [{ ...customers[0], frequency: 0 }]);
		expect(zero.error?.message).toBe('Item 0: field "frequency" must be at least 1 (value: 0)');
	});

	it('a spend summed upstream (1.1 + 2.2) ties with 3.3 on M, as the same spend from transactions does', async () => {
		const params = { operation: 'rfm', inputMode: 'customers', recencyFrom: 'recencyDays', segmentMap: 'none', timeZone: 'UTC' };
		const result = await runNode('customerSegments', params, [
			{ customerId: 'a', recencyDays: 3, frequency: 2, monetary: 1.1 + 2.2 },
			{ customerId: 'b', recencyDays: 3, frequency: 2, monetary: 3.3 },
			{ customerId: 'c', recencyDays: 30, frequency: 1, monetary: 5 },
		]);
		expect(result.error).toBeUndefined();
		const [a, b, c] = result.json('Node', 0);
		expect([a.monetary, b.monetary]).toEqual([3.3, 3.3]);
		// a and b share the average rank 1.5 of 3 on M: 1 + floor(5 × (1.5 − ½) / 3) = 2; c is rank 3 → 5.
		expect([a.mScore, b.mScore, c.mScore]).toEqual([2, 2, 5]);
		const transactions = await runNode('customerSegments', { operation: 'rfm', segmentMap: 'none', timeZone: 'UTC' }, [
			{ customerId: 'a', date: '2025-01-01', amount: 1.1 },
			{ customerId: 'a', date: '2025-01-01', amount: 2.2 },
			{ customerId: 'b', date: '2025-01-01', amount: 3.3 },
			{ customerId: 'c', date: '2024-12-01', amount: 5 },
		]);
		expect(transactions.json('Node', 0).map((j) => j.mScore)).toEqual([2, 2, 5]);
	});
});

describe('CDNOW sample through the node', () => {
	it('segment counts equal the independent computation of the documented rules', async () => {
		const items = txs.map((t) => ({ customerId: t.id, date: new Date(t.ms).toISOString().slice(0, 10), amount: t.dollars }));
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, items);
		expect(result.error).toBeUndefined();
		const docs = elevenFromDocs();
		const expected = tally(independentRfm().codes.map((code) => docs.get(code)!));
		const got = Object.fromEntries(
			result
				.json('Node', 1)
				.filter((s) => (s.customers as number) > 0)
				.map((s) => [s.segment, s.customers]),
		);
		expect(got).toEqual(expected);
		expect(result.json('Node', 0)).toHaveLength(2357);
	});
});

describe('edge cases through the node', () => {
	it('every item bad, with Continue On Fail: error items, empty segments, a warning, no as-of date', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, [{ customerId: 'a', date: 'x', amount: 1 }], {
			onError: 'continueRegularOutput',
		});
		expect(result.json('Node', 0)).toEqual([expect.objectContaining({ itemIndex: 0, field: 'date' })]);
		const summary = result.json('Node', 1);
		expect(summary).toHaveLength(11);
		expect(summary[0]).toMatchObject({ customers: 0, customerShare: null, revenueShare: null, asOfDate: null, scoredCustomers: 0 });
		expect(summary[0].warnings).toEqual(['No customer could be scored (no purchases).']);
	});

	it('days are counted in the chosen time zone', async () => {
		// 20:00 UTC on 1 January is already 2 January in Shanghai.
		const rows = [
			{ customerId: 'a', date: '2025-01-01T20:00:00Z', amount: 10 },
			{ customerId: 'b', date: '2025-01-10T12:00:00Z', amount: 10 },
		];
		const utc = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC' }, rows);
		const shanghai = await runNode('customerSegments', { operation: 'rfm', timeZone: 'Asia/Shanghai' }, rows);
		expect(utc.json('Node', 0).map((c) => [c.lastPurchaseDate, c.recencyDays])).toEqual([
			['2025-01-01', 10],
			['2025-01-10', 1],
		]);
		expect(shanghai.json('Node', 0).map((c) => [c.lastPurchaseDate, c.recencyDays])).toEqual([
			['2025-01-02', 9],
			['2025-01-10', 1],
		]);
	});

	it('fixed thresholds do not warn about unused scores', async () => {
		const result = await runNode('customerSegments', { ...base, scoring: 'thresholds' }, input);
		const warnings = result.json('Node', 1)[0].warnings as string[];
		expect(warnings.some((w) => /only \d of the \d scores/.test(w))).toBe(false);
		expect(result.json('Node', 0)[3]).toMatchObject({ recencyDays: 1, frequency: 2, monetary: 1040, rfmCode: '525' });
	});
});
