/**
 * Bad input, Continue On Fail, group-by and output hygiene of the Retention Metrics node, through n8n's
 * WorkflowExecute.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { NO_END, customerRetention } from '../../../nodes/engine/metrics/customerRetention';
import { mrrFromSubscriptions, revenueRetention } from '../../../nodes/engine/metrics/revenueRetention';
import { daysFromCivil } from '../../../nodes/shared/dates';
import { runMetrics } from './run';

const cohortParams = { operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month', maxPeriods: 3 };

function hasNonFinite(value: unknown): boolean {
	if (typeof value === 'number') return !Number.isFinite(value);
	if (Array.isArray(value)) return value.some(hasNonFinite);
	if (value && typeof value === 'object') return Object.values(value).some(hasNonFinite);
	return false;
}

describe('bad input', () => {
	test.each([
		[{ customerId: 'a', date: 'yesterday', amount: 5 }, /Item 1: field "date" is not a date.*"yesterday"/],
		[{ customerId: 'a', date: '2025-01-02', amount: 'five' }, /Item 1: field "amount" is not a number \(value: "five"\)/],
		[{ date: '2025-01-02', amount: 5 }, /Item 1: field "customerId" is missing or empty/],
		[{ customerId: { id: 1 }, date: '2025-01-02', amount: 5 }, /Item 1: field "customerId" is not an identifier/],
		[{ customerId: 'a', date: '2025-02-30', amount: 5 }, /Item 1: field "date" is not a date/],
	])('%j fails the node naming item, field and value', async (bad, message) => {
		const input = [{ customerId: 'a', date: '2025-01-01', amount: 10 }, bad];
		const result = await runMetrics({ operation: 'purchaseBehaviour', timeZone: 'UTC' }, input);
		expect(result.error?.message).toMatch(message);
		expect((result.error as unknown as { context?: IDataObject })?.context?.itemIndex).toBe(1);
	});

	test('negative amounts are refused when the data has no refunds', async () => {
		const input = [{ customerId: 'a', date: '2025-01-01', amount: -10 }];
		const result = await runMetrics({ operation: 'purchaseBehaviour', refunds: 'none', timeZone: 'UTC' }, input);
		expect(result.error?.message).toMatch(/Item 0: field "amount" must not be negative \(value: -10\)/);
	});

	test('a status-marked refund may carry a negative amount; a negative paid row is still refused', async () => {
		const params = { operation: 'purchaseBehaviour', refunds: 'statusField', statusField: 'status', timeZone: 'UTC' };
		const rows = (refund: number) => [
			{ customerId: 'a', date: '2025-01-01', amount: 100, status: 'paid' },
			{ customerId: 'a', date: '2025-01-09', amount: refund, status: 'refunded' },
		];
		const negative = await runMetrics(params, rows(-40));
		expect(negative.error).toBeUndefined();
		expect(negative.json('Node')[0]).toMatchObject({ orders: 1, revenue: 60 });
		expect(negative.json('Node')).toEqual((await runMetrics(params, rows(40))).json('Node'));
		const paid = await runMetrics(params, [{ customerId: 'a', date: '2025-01-01', amount: -10, status: 'paid' }]);
		expect(paid.error?.message).toMatch(/Item 0: field "amount" must not be negative \(value: -10\)/);
	});

	test('Continue On Fail: bad items become error items and the rest is computed', async () => {
		const input = [
			{ customerId: 'a', date: '2025-01-01', amount: 10 },
			{ customerId: 'b', date: 'not a date', amount: 10 },
			{ customerId: 'a', date: '2025-01-05', amount: 30 },
		];
		const result = await runMetrics({ operation: 'purchaseBehaviour', timeZone: 'UTC' }, input, { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const [errorItem, summary] = result.output('Node');
		expect(errorItem.json).toMatchObject({ itemIndex: 1, field: 'date', value: 'not a date' });
		expect(errorItem.pairedItem).toEqual({ item: 1 });
		expect(summary.json).toMatchObject({ orders: 2, customers: 1, revenue: 40 });
		expect(summary.pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
	});

	test('a bad parameter fails clearly, or gives one error item with Continue On Fail', async () => {
		const params = { operation: 'customerRetention', periodStart: '2025-02-01', periodEnd: '2025-01-01', timeZone: 'UTC' };
		const input = [{ customerId: 'a', startDate: '2024-01-01' }];
		expect((await runMetrics(params, input)).error?.message).toMatch(/Period End \(2025-01-01\) is before Period Start/);
		const tolerant = await runMetrics(params, input, { onError: 'continueRegularOutput' });
		expect(tolerant.json('Node')).toEqual([{ error: expect.stringMatching(/Period End/) }]);
		const badZone = await runMetrics({ ...params, periodEnd: '2025-03-01', timeZone: 'Mars/Base' }, input);
		expect(badZone.error?.message).toMatch(/Time Zone "Mars\/Base" is not an IANA time zone/);
	});

	test('period dates may be n8n date expressions ({{ $today }}, DateTime), read as the day they show', async () => {
		const input = [
			{ customerId: 'a', startDate: '2024-06-01' },
			{ customerId: 'b', startDate: '2024-06-01', endDate: '2025-01-20' },
			{ customerId: 'c', startDate: '2025-01-10' },
		];
		const plain = await runMetrics({ operation: 'customerRetention', periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' }, input);
		const expression = await runMetrics(
			{
				operation: 'customerRetention',
				// midnight in New York and in Shanghai: both name their own calendar day, whatever the node's zone
				periodStart: "={{ DateTime.fromISO('2025-01-01', { zone: 'America/New_York' }) }}",
				periodEnd: "={{ DateTime.fromISO('2025-02-01', { zone: 'Asia/Shanghai' }).minus({ days: 1 }) }}",
				timeZone: 'UTC',
			},
			input,
		);
		expect(expression.error).toBeUndefined();
		expect(plain.json('Node')[0]).toMatchObject({ periodStart: '2025-01-01', periodEnd: '2025-01-31', customersAtStart: 2, retentionRate: 50 });
		expect(expression.json('Node')).toEqual(plain.json('Node'));
		// $today works too (the period is relative, so only that it is read)
		const today = await runMetrics({ operation: 'customerRetention', periodStart: "={{ $today.minus({ months: 1 }).startOf('month') }}", periodEnd: "={{ $today.startOf('month').minus({ days: 1 }) }}", timeZone: 'UTC' }, input);
		expect(today.error).toBeUndefined();
		expect(today.json('Node')[0].periodStart).toMatch(/^\d{4}-\d{2}-01$/);
	});

	test('an end date before its start date is an item error', async () => {
		const input = [{ customerId: 'a', startDate: '2025-01-10', endDate: '2025-01-01' }];
		const result = await runMetrics({ operation: 'customerRetention', periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' }, input);
		expect(result.error?.message).toMatch(/Item 0: field "endDate" is before the start date 2025-01-10/);
	});

	test('a subscription that ends on its start day is counted nowhere, and a note says so (en/zh)', async () => {
		const input = [
			{ customerId: 'a', startDate: '2024-06-01', mrr: 10 },
			{ customerId: 'b', startDate: '2025-01-10', endDate: '2025-01-10', mrr: 20 },
			{ customerId: 'c', startDate: '2024-12-01', endDate: '2024-12-01', mrr: 30 },
		];
		const period = { periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' };
		const [customers] = (await runMetrics({ operation: 'customerRetention', ...period }, input)).json('Node');
		expect(customers).toMatchObject({ customersAtStart: 1, newCustomers: 0, customersAtEnd: 1 });
		expect(customers.notes).toEqual(['2 subscription row(s) end on the day they start, so they were never active and count nowhere.']);
		const [revenue] = (await runMetrics({ operation: 'revenueRetention', input: 'subscriptions', mrrField: 'mrr', ...period, language: 'zh' }, input)).json('Node');
		expect(revenue).toMatchObject({ startMrr: 10, endMrr: 10, newCustomers: 0 });
		expect(revenue.notes).toEqual(['2 行订阅在开始当天结束, 从未生效, 不计入任何数字。']);
	});

	test('survey answers outside the scale are refused', async () => {
		const result = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score' }, [{ score: 11 }]);
		expect(result.error?.message).toMatch(/Item 0: field "score" must be at most 10 \(value: 11\)/);
	});

	test('no NaN or Infinity reaches an output, whatever the items hold', async () => {
		const junk = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.double(), fc.integer(), fc.constantFrom('2025-01-01', '20250301', '2025年3月1日', 1735689600000));
		await fc.assert(
			fc.asyncProperty(fc.array(fc.record({ customerId: fc.oneof(fc.constantFrom('a', 'b', 'c'), junk), date: junk, amount: junk }), { minLength: 1, maxLength: 12 }), async (input) => {
				for (const operation of ['purchaseBehaviour', 'cohortRetention']) {
					const result = await runMetrics({ ...cohortParams, operation }, input as IDataObject[], { onError: 'continueRegularOutput' });
					expect(result.error).toBeUndefined();
					const out = result.output('Node');
					expect(out.every((item) => item.pairedItem !== undefined)).toBe(true);
					expect(hasNonFinite(out.map((i) => i.json))).toBe(false);
					// every input item is accounted for: its own error item, or part of the summary (a summary of
					// no usable item is paired with the whole input)
					const refused = out.filter((i) => 'error' in i.json && 'itemIndex' in i.json).map((i) => i.json.itemIndex as number);
					const summary = out.find((i) => i.json.metric === operation);
					const covered = summary ? (summary.pairedItem as Array<{ item: number }>).map((p) => p.item) : [];
					expect(new Set([...refused, ...covered]).size).toBe(input.length);
					expect(summary !== undefined || refused.length === input.length).toBe(true);
				}
			}),
			{ numRuns: 40 },
		);
	});
});

describe('group by, empty input, pictures', () => {
	const tx = [
		{ customerId: 'a', date: '2025-01-05', amount: 10, channel: 'web' },
		{ customerId: 'a', date: '2025-02-05', amount: 10, channel: 'web' },
		{ customerId: 'b', date: '2025-01-07', amount: 10, channel: 'shop' },
		{ customerId: 'c', date: '2025-02-07', amount: 10 },
	];

	test('one item per group plus the total, total first', async () => {
		const result = await runMetrics({ operation: 'purchaseBehaviour', groupBy: 'channel', timeZone: 'UTC' }, tx);
		const out = result.json('Node');
		expect(out.map((o) => [o.scope, o.group, o.orders])).toEqual([
			['total', null, 4],
			['group', 'web', 2],
			['group', 'shop', 1],
			['group', '(empty)', 1],
		]);
	});

	test('group values are trimmed and in one Unicode form: "pro", " pro " and two encodings of "é" are one group each', async () => {
		const rows = [
			{ customerId: 'a', date: '2025-01-05', amount: 10, plan: 'pro' },
			{ customerId: 'b', date: '2025-01-06', amount: 10, plan: ' pro ' },
			{ customerId: 'c', date: '2025-01-07', amount: 10, plan: 'caf\u00e9' },
			{ customerId: 'd', date: '2025-01-08', amount: 10, plan: 'cafe\u0301' },
		];
		const out = (await runMetrics({ operation: 'purchaseBehaviour', groupBy: 'plan', timeZone: 'UTC' }, rows)).json('Node');
		expect(out.map((o) => [o.group, o.customers])).toEqual([
			[null, 4],
			['pro', 2],
			['caf\u00e9', 2],
		]);
	});

	test('only bad items: error items and a total with null ratios and a reason', async () => {
		const result = await runMetrics({ operation: 'purchaseBehaviour', timeZone: 'UTC' }, [{ customerId: 'a' }], { onError: 'continueRegularOutput' });
		const [error, total] = result.json('Node');
		expect(error).toMatchObject({ field: 'date', itemIndex: 0 });
		expect(total).toMatchObject({ orders: 0, averageOrderValue: null, repeatPurchaseRate: null });
		expect(total.notes).toEqual(['No orders in the window: every ratio is undefined.']);
	});

	test('each group of Customer and Revenue Retention equals the engine run on that group alone (customers numbered per group)', async () => {
		const day = fc.constantFrom('2024-11-15', '2024-12-31', '2025-01-01', '2025-01-10', '2025-01-31', '2025-02-01', '2025-03-01');
		const row = fc.record({ customerId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), startDate: day, endDate: fc.option(day, { nil: undefined }), mrr: fc.integer({ min: 0, max: 50 }), plan: fc.constantFrom('basic', 'pro', 'team') });
		const toDay = (s: string) => daysFromCivil(+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10));
		const [S, E] = [toDay('2025-01-01'), toDay('2025-02-01')];
		const period = { periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' };
		type Row = { customerId: string; startDate: string; endDate?: string; mrr: number; plan: string };
		// the reference: the engine on the group's rows, customers numbered by their letter (a = 0 … f = 5)
		const columns = (rows: Row[]) => ({
			customer: Int32Array.from(rows, (r) => r.customerId.charCodeAt(0) - 97),
			start: Int32Array.from(rows, (r) => toDay(r.startDate)),
			end: Int32Array.from(rows, (r) => (r.endDate ? toDay(r.endDate) : NO_END)),
			mrr: Float64Array.from(rows, (r) => r.mrr),
		});
		await fc.assert(
			fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 14 }), async (given) => {
				const rows = given.filter((r) => r.endDate === undefined || r.endDate >= r.startDate);
				if (rows.length === 0) return;
				const customers = await runMetrics({ operation: 'customerRetention', ...period, groupBy: 'plan' }, rows);
				const revenue = await runMetrics({ operation: 'revenueRetention', input: 'subscriptions', mrrField: 'mrr', ...period, groupBy: 'plan' }, rows);
				for (const plan of new Set(rows.map((r) => r.plan))) {
					const mine = rows.filter((r) => r.plan === plan);
					const c = customerRetention(columns(mine), 6, { periodStart: S, periodEnd: E });
					expect(customers.json('Node').find((j) => j.group === plan)).toMatchObject({
						customersAtStart: c.customersAtStart,
						newCustomers: c.newCustomers,
						reactivatedCustomers: c.reactivatedCustomers,
						churnedCustomers: c.churnedCustomers,
						customersAtEnd: c.customersAtEnd,
						retainedCustomers: c.retainedCustomers,
					});
					const r = revenueRetention(mrrFromSubscriptions(columns(mine), 6, S, E));
					expect(revenue.json('Node').find((j) => j.group === plan)).toMatchObject({
						customersAtStart: r.customersAtStart,
						startMrr: r.startMrr,
						endMrr: r.endMrr,
						churnedMrr: r.churnedMrr,
						expansionMrr: r.expansionMrr,
						contractionMrr: r.contractionMrr,
						newMrr: r.newMrr,
						reactivationMrr: r.reactivationMrr,
					});
				}
			}),
			{ numRuns: 25 },
		);
	});

	test('cohort summary carries the heatmap as SVG and PNG binaries, rows as items', async () => {
		const result = await runMetrics({ ...cohortParams, asOf: '2025-03-31' }, tx);
		const out = result.output('Node');
		expect(out.filter((i) => i.json.metric === 'cohortRow').map((i) => [i.json.cohort, i.json.classicCounts])).toEqual([
			['2025-01', [2, 1, 0, null]],
			['2025-02', [1, 0, null, null]],
		]);
		const summary = out.find((i) => i.json.metric === 'cohortRetention')!;
		expect(summary.binary?.heatmapSvg.mimeType).toBe('image/svg+xml');
		expect(summary.binary?.heatmapPng.mimeType).toBe('image/png');
		expect(summary.binary?.heatmapPng.fileName).toBe('cohort-heatmap.png');
		const png = Buffer.from(summary.binary!.heatmapPng.data, 'base64');
		expect(png.subarray(1, 4).toString()).toBe('PNG');
		expect(summary.json.labels).toHaveProperty('classicRates');
	});

	test('cohort refunds: a refund row neither starts a cohort nor keeps a customer retained (when asked to look)', async () => {
		// a: buys in January, only refunds in February → retained in month 1 only if refunds counted.
		// b: a refund in January (of an order before the data), first purchase in February → February cohort.
		// c: buys in January and March.
		const rows = [
			{ customerId: 'a', date: '2025-01-05', amount: 30, status: 'paid' },
			{ customerId: 'a', date: '2025-02-10', amount: -30, status: 'refunded' },
			{ customerId: 'b', date: '2025-01-20', amount: -10, status: 'refunded' },
			{ customerId: 'b', date: '2025-02-03', amount: 25, status: 'paid' },
			{ customerId: 'c', date: '2025-01-09', amount: 40, status: 'paid' },
			{ customerId: 'c', date: '2025-03-02', amount: 15, status: 'paid' },
		];
		const counts = async (params: IDataObject, language = 'en') => {
			const out = (await runMetrics({ ...cohortParams, asOf: '2025-03-31', heatmapMode: 'none', language, ...params }, rows)).json('Node');
			const summary = out.find((i) => i.metric === 'cohortRetention')!;
			return { cohorts: out.filter((i) => i.metric === 'cohortRow').map((i) => [i.cohort, i.size, i.classicCounts]), notes: summary.notes, customers: summary.customers };
		};
		// Default: every row is activity (as before): b's refund puts b in January, a's keeps a retained.
		expect((await counts({})).cohorts).toEqual([['2025-01', 3, [3, 2, 1, null]]]);
		const expected = [
			['2025-01', 2, [2, 0, 1, null]],
			['2025-02', 1, [1, 0, null, null]],
		];
		const byAmount = await counts({ refunds: 'negativeAmounts' });
		expect(byAmount.cohorts).toEqual(expected);
		expect(byAmount.customers).toBe(3);
		expect(byAmount.notes).toEqual(['2 refund row(s) were not counted as activity: a refund neither starts a cohort nor keeps a customer retained.']);
		const byStatus = await counts({ refunds: 'statusField', statusField: 'status', refundStatuses: 'refunded' }, 'zh');
		expect(byStatus.cohorts).toEqual(expected);
		expect(byStatus.notes).toEqual(['2 行退款未计为活跃: 退款既不开启同期群, 也不算留存。']);
		// An amount that is not a number is an item error naming the field, as everywhere.
		const bad = await runMetrics({ ...cohortParams, refunds: 'negativeAmounts' }, [{ customerId: 'a', date: '2025-01-05', amount: 'ten' }]);
		expect(bad.error?.message).toMatch(/amount/);
	});

	test('labels and definitions in Simplified Chinese', async () => {
		const result = await runMetrics({ operation: 'purchaseBehaviour', language: 'zh', timeZone: 'UTC' }, tx);
		const [total] = result.json('Node');
		expect((total.labels as IDataObject).repeatPurchaseRate).toBe('复购率 (%)');
		expect((total.definitions as IDataObject).averageOrderValue).toBe('客单价 = 有订单客户的收入 / 订单数 (窗口内无购买客户的退款不计入)。收入即金额字段的原值: 金额含税费和运费时才包含它们。');
	});

	test('NPS passes each response through with its class for routing', async () => {
		const input = [{ score: 10, email: 'x' }, { score: 7 }, { score: 2 }];
		const result = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score', passThrough: true }, input);
		const out = result.json('Node');
		expect(out[0]).toMatchObject({ nps: 0, responses: 3 });
		expect(out.slice(1).map((o) => o.surveyClass)).toEqual(['promoter', 'passive', 'detractor']);
		expect(out[1].email).toBe('x');
	});

	test('responses passed through keep their attachments (binary data)', async () => {
		const screenshot = { data: Buffer.from('png bytes').toString('base64'), mimeType: 'image/png', fileName: 'shot.png' };
		const input = [{ json: { score: 3 }, binary: { screenshot } }, { json: { score: 10 } }];
		const out = (await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score', passThrough: true }, input)).output('Node');
		expect(out[1].json).toMatchObject({ score: 3, surveyClass: 'detractor' });
		expect(out[1].binary?.screenshot).toMatchObject({ mimeType: 'image/png', fileName: 'shot.png' });
		expect(out[2].binary).toBeUndefined();
	});

	test('CSAT top-2-box and reversed CES', async () => {
		const csat = await runMetrics({ operation: 'surveyScores', surveyType: 'csat', scoreField: 's' }, [{ s: 5 }, { s: 4 }, { s: 3 }, { s: 1 }]);
		expect(csat.json('Node')[0].csat).toBe(50);
		const ces = await runMetrics(
			{ operation: 'surveyScores', surveyType: 'ces', scoreField: 's', scale: { scaleMin: 1, scaleMax: 5, positiveThreshold: 2, negativeThreshold: 4, higherIsBetter: false } },
			[{ s: 1 }, { s: 2 }, { s: 3 }, { s: 5 }],
		);
		expect(ces.json('Node')[0]).toMatchObject({ ces: 50, counts: { easy: 2, neutral: 1, difficult: 1 } });
	});

	test('thresholds left out follow the scale and the direction: CES top / bottom third, CSAT top two boxes', async () => {
		const survey = async (surveyType: string, scale: IDataObject, scores: number[]) => {
			const result = await runMetrics({ operation: 'surveyScores', surveyType, scoreField: 's', scale }, scores.map((s) => ({ s })));
			expect(result.error).toBeUndefined();
			return result.json('Node')[0];
		};
		// CES 1–7 where 1 = least effort: easy ≤ 3, difficult ≥ 5 (the README's one switch is enough)
		expect(await survey('ces', { higherIsBetter: false }, [1, 3, 4, 5, 7])).toMatchObject({
			ces: 40,
			counts: { easy: 2, neutral: 1, difficult: 2 },
			scale: { min: 1, max: 7, positiveThreshold: 3, negativeThreshold: 5, higherIsBetter: false },
		});
		// old CES 1–5, 1 = least effort: easy ≤ 2, difficult ≥ 4; higher is better on 1–5: easy ≥ 4, difficult ≤ 2
		expect(await survey('ces', { scaleMax: 5, higherIsBetter: false }, [1, 2, 3, 4, 5])).toMatchObject({ counts: { easy: 2, neutral: 1, difficult: 2 }, scale: { positiveThreshold: 2, negativeThreshold: 4 } });
		expect(await survey('ces', { scaleMax: 5 }, [1, 2, 3, 4, 5])).toMatchObject({ counts: { easy: 2, neutral: 1, difficult: 2 }, scale: { positiveThreshold: 4, negativeThreshold: 2 } });
		// the defaults are unchanged: CES 1–7 easy ≥ 5, difficult ≤ 3; CSAT 1–5 satisfied ≥ 4
		expect(await survey('ces', {}, [3, 4, 5])).toMatchObject({ counts: { easy: 1, neutral: 1, difficult: 1 }, scale: { positiveThreshold: 5, negativeThreshold: 3 } });
		expect(await survey('csat', {}, [3, 4])).toMatchObject({ csat: 50, scale: { positiveThreshold: 4 } });
		// CSAT on 1–10: the top two boxes are 9 and 10, not everything from 4
		expect(await survey('csat', { scaleMax: 10 }, [4, 8, 9, 10])).toMatchObject({ csat: 50, scale: { positiveThreshold: 9 } });
		// a two-point scale (thumbs up/down): satisfied is the top answer, not every answer
		expect(await survey('csat', { scaleMin: 0, scaleMax: 1 }, [0, 0, 1])).toMatchObject({ counts: { satisfied: 1, notSatisfied: 2 }, scale: { positiveThreshold: 1 } });
		expect(await survey('csat', { scaleMin: 1, scaleMax: 2 }, [1, 2])).toMatchObject({ csat: 50, scale: { positiveThreshold: 2 } });
		// a threshold given is kept
		expect(await survey('csat', { scaleMax: 10, positiveThreshold: 7 }, [4, 8, 9, 10])).toMatchObject({ csat: 75 });
	});

	test('NPS answers must be whole points: 6.5 is neither a detractor nor a passive', async () => {
		const result = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score' }, [{ score: 9 }, { score: '6.5' }]);
		expect(result.error?.message).toMatch(/Item 1: field "score" must be a whole number \(value: "6\.5"\)/);
	});

	test('true/false options given as text by an expression are read as written, anything else is refused', async () => {
		const input = [{ score: 10 }, { score: 2 }];
		const off = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score', passThrough: '={{ "false" }}' }, input);
		expect(off.json('Node')).toHaveLength(1);
		const on = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score', passThrough: '={{ "TRUE" }}' }, input);
		expect(on.json('Node')).toHaveLength(3);
		const bad = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score', passThrough: '={{ "no thanks" }}' }, input);
		expect(bad.error?.message).toBe('Pass Responses Through must be true or false (got "no thanks")');
		const ces = await runMetrics({ operation: 'surveyScores', surveyType: 'ces', scoreField: 'score', scale: { higherIsBetter: '={{ "false" }}' } }, [{ score: 1 }]);
		expect(ces.json('Node')[0]).toMatchObject({ counts: { easy: 1 }, scale: { higherIsBetter: false } });
		const period = { operation: 'customerRetention', periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' };
		const subscriptions = [{ customerId: 'a', startDate: '2024-01-01' }, { customerId: 'b', startDate: '2025-01-10', endDate: '2025-01-20' }];
		const excluded = await runMetrics({ ...period, includeSamePeriodChurn: '={{ "false" }}' }, subscriptions);
		expect(excluded.json('Node')[0]).toMatchObject({ churnedCustomers: 0, churnRate: 0 });
		const included = await runMetrics({ ...period, includeSamePeriodChurn: '={{ "true" }}' }, subscriptions);
		expect(included.json('Node')[0]).toMatchObject({ churnedCustomers: 1, churnRate: 50 });
	});
});

describe('campaign uplift', () => {
	test('hand-computed: 30/200 vs 10/200 → +10 points, relative +200 %', async () => {
		const input = [
			...Array.from({ length: 200 }, (_, i) => ({ assignment: 'treatment', converted: i < 30 })),
			...Array.from({ length: 200 }, (_, i) => ({ assignment: 'holdout', converted: i < 10 })),
		];
		const result = await runMetrics({ operation: 'campaignUplift' }, input);
		const [total] = result.json('Node');
		expect(total).toMatchObject({ treatmentRate: 15, holdoutRate: 5, absoluteLift: 10, relativeLift: 200, significant: true });
		// pooled z = 0.10 / sqrt(0.1 × 0.9 × (2/200)) = 3.3333 → two-sided p = 0.000858
		expect(total.pValue as number).toBeCloseTo(0.000858, 5);
		expect(total.confidenceIntervalLower as number).toBeGreaterThan(0);
	});

	test('customers are counted once; unknown assignments are item errors', async () => {
		const input = [
			{ id: 'a', assignment: 'treatment', converted: false },
			{ id: 'a', assignment: 'treatment', converted: true },
			{ id: 'b', assignment: 'holdout', converted: 'no' },
			{ id: 'c', assignment: 'maybe', converted: true },
		];
		const result = await runMetrics({ operation: 'campaignUplift', customerIdField: 'id' }, input, { onError: 'continueRegularOutput' });
		const [error, total] = result.json('Node');
		expect(error).toMatchObject({ itemIndex: 3, field: 'assignment' });
		expect(total).toMatchObject({ treatmentCustomers: 1, treatmentConverted: 1, holdoutCustomers: 1, holdoutConverted: 0 });
		expect((total.warnings as string[]).length).toBeGreaterThan(0);
	});

	test('with a Customer ID Field, an item without an id is an item error, and a holdout row never converts a treated customer', async () => {
		const input = [
			{ id: 'a', assignment: 'treatment', converted: false },
			{ id: 'a', assignment: 'holdout', converted: true }, // conflict: a counts as treated, not converted
			{ assignment: 'treatment', converted: true }, // no id
			{ id: 'b', assignment: 'holdout', converted: false },
		];
		const result = await runMetrics({ operation: 'campaignUplift', customerIdField: 'id' }, input, { onError: 'continueRegularOutput' });
		const [error, total] = result.json('Node');
		expect(error).toMatchObject({ itemIndex: 2, field: 'id' });
		expect(error.error).toMatch(/Item 2: field "id" is missing or empty/);
		expect(total).toMatchObject({ treatmentCustomers: 1, treatmentConverted: 0, holdoutCustomers: 1, holdoutConverted: 0 });
		expect(total.warnings).toContain("1 item(s) put a customer in both groups; each customer counts in the group of their first item, with that group's outcomes only.");
	});
});
