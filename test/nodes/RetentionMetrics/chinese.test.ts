/**
 * Label Language 简体中文: every sentence the node writes (notes, warnings, method) is Chinese, the English stays
 * as it was, and the numbers that had no label now have one in both languages. Also the parameter checks and
 * the NPS rounding found in the same review.
 */
import type { IDataObject } from 'n8n-workflow';

import { NOTES, noteText, type NoteKey } from '../../../nodes/engine/metrics/notes';
import { roundNps } from '../../../nodes/engine/metrics/surveys';
import { LABELS } from '../../../nodes/RetentionMetrics/labels';
import { runMetrics } from './run';
import { expectChineseLabels, unlabelledNumbers } from './unlabelled';

/** Acronyms and names the Chinese labels of this node use as they are. */
const KEPT = /\b(?:NRR|GRR|MRR|NPS|Newcombe)\b/g;

/** English words (two letters or more) left in a sentence once the kept acronyms and names are taken out. */
function englishIn(text: string): string[] {
	return text.replace(KEPT, '').match(/[A-Za-z]{2,}/g) ?? [];
}

/** The sentences of an output item: notes, warnings and the method. */
function sentences(json: IDataObject): string[] {
	const out: string[] = [];
	for (const key of ['notes', 'warnings']) if (Array.isArray(json[key])) out.push(...(json[key] as string[]));
	if (typeof json.method === 'string') out.push(json.method);
	return out;
}

function expectChinese(json: IDataObject): void {
	const texts = sentences(json);
	expect(texts.length).toBeGreaterThan(0);
	for (const text of texts) {
		expect({ text, english: englishIn(text) }).toEqual({ text, english: [] });
		expect(text).toMatch(/[\u4e00-\u9fff]/);
	}
}

describe('notes and warnings in Simplified Chinese', () => {
	test('Customer Retention: no customers at the start', async () => {
		const params = { operation: 'customerRetention', periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' };
		const input = [{ customerId: 'a', startDate: '2025-01-10' }];
		const [zh] = (await runMetrics({ ...params, language: 'zh' }, input)).json('Node');
		expect(zh.notes).toEqual(['期初没有客户: 留存率和流失率无定义。']);
		expectChinese(zh);
		const [en] = (await runMetrics(params, input)).json('Node');
		expect(en.notes).toEqual(['No customers at the start of the period: retention and churn rates are undefined.']);
	});

	test('Revenue Retention: no revenue at the start', async () => {
		const input = [{ customerId: 'a', startMrr: 0, endMrr: 10 }];
		const [zh] = (await runMetrics({ operation: 'revenueRetention', language: 'zh' }, input)).json('Node');
		expect(zh.notes).toEqual(['期初没有经常性收入 (MRR): NRR、GRR 和 MRR 流失率无定义。']);
		expectChinese(zh);
		const [en] = (await runMetrics({ operation: 'revenueRetention' }, input)).json('Node');
		expect(en.notes).toEqual(['No recurring revenue at the start of the period: NRR, GRR and MRR churn rates are undefined.']);
	});

	test('Purchase Behaviour: no orders in the window', async () => {
		const input = [{ customerId: 'a', date: '2024-06-01', amount: 10 }];
		const params = { operation: 'purchaseBehaviour', windowStart: '2025-01-01', timeZone: 'UTC' };
		const [zh] = (await runMetrics({ ...params, language: 'zh' }, input)).json('Node');
		expect(zh.notes).toEqual(['窗口内没有订单: 所有比率均无定义。']);
		expectChinese(zh);
		const [en] = (await runMetrics(params, input)).json('Node');
		expect(en.notes).toEqual(['No orders in the window: every ratio is undefined.']);
	});

	test('Survey Scores: no responses in a group', async () => {
		// A group with no valid answer: the only item is an error item (Continue On Fail), the total has none.
		const result = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score', language: 'zh' }, [{ score: 'n/a' }], {
			onError: 'continueRegularOutput',
		});
		const total = result.json('Node').find((j) => j.metric === 'surveyScores')!;
		expect(total.notes).toEqual(['没有回复: 分数无定义。']);
		expectChinese(total);
	});

	test('Campaign Uplift: small groups, no holdout conversion, a customer in both groups, the method', async () => {
		const input = [
			{ id: 'a', assignment: 'treatment', converted: true },
			{ id: 'a', assignment: 'holdout', converted: false },
			{ id: 'b', assignment: 'treatment', converted: false },
			{ id: 'c', assignment: 'holdout', converted: false },
		];
		const params = { operation: 'campaignUplift', customerIdField: 'id' };
		const [zh] = (await runMetrics({ ...params, language: 'zh' }, input)).json('Node');
		expect(zh.warnings).toEqual([
			'对照组没有客户达成目标: 相对提升无定义。',
			'实验组只有 2 位客户 (少于 100 位): 结果非常不确定。',
			'实验组中达成目标或未达成目标的客户少于 5 位: p 值只是近似值。',
			'对照组只有 1 位客户 (少于 100 位): 结果非常不确定。',
			'对照组中达成目标或未达成目标的客户少于 5 位: p 值只是近似值。',
			'有 1 条记录把客户放进了两个组; 每位客户按其第一条记录所在的组计算, 只看该组记录的结果。',
		]);
		expect(zh.method).toBe('Newcombe 混合得分区间 (95%); 双侧两比例 z 检验 (合并比例)');
		expectChinese(zh);
		const [en] = (await runMetrics(params, input)).json('Node');
		expect(en.warnings).toEqual([
			'No holdout customer converted: relative lift is undefined.',
			'The treatment group has only 2 customers (fewer than 100): the result is very uncertain.',
			'The treatment group has fewer than 5 customers with or without the outcome: the p-value is approximate.',
			'The holdout group has only 1 customers (fewer than 100): the result is very uncertain.',
			'The holdout group has fewer than 5 customers with or without the outcome: the p-value is approximate.',
			'1 item(s) put a customer in both groups; each customer counts in the group of their first item, with that group\'s outcomes only.',
		]);
		expect(en.method).toBe('Newcombe hybrid score interval (95 %); two-sided pooled two-proportion z-test');
	});

	test('Campaign Uplift: an empty holdout group', async () => {
		const [zh] = (await runMetrics({ operation: 'campaignUplift', language: 'zh' }, [{ assignment: 'treatment', converted: true }])).json('Node');
		expect(zh.warnings).toEqual(['对照组为空: 无法衡量提升。']);
		expectChinese(zh);
	});

	test('every sentence of the table, including the cohort note no input reaches (an empty input is refused first)', () => {
		expect(noteText('noTransactions', 'zh')).toBe('没有交易: 同期群表为空。');
		expect(noteText('noTransactions', 'en')).toBe('No transactions: the table is empty.');
		for (const key of Object.keys(NOTES) as NoteKey[]) {
			const zh = noteText(key, 'zh', { group: '实验组', customers: 1, minimum: 5, count: 2, amount: -12.5, asOf: '2025-01-05' });
			expect({ key, english: englishIn(zh), chinese: /[\u4e00-\u9fff]/.test(zh) }).toEqual({ key, english: [], chinese: true });
		}
	});
});

describe('the group of items without a Group By value', () => {
	const runs: Array<[string, IDataObject, IDataObject[]]> = [
		[
			'Customer Retention',
			{ operation: 'customerRetention', periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC', groupBy: 'plan' },
			[{ customerId: 'a', startDate: '2024-12-01' }, { customerId: 'b', startDate: '2024-12-01', plan: 'x' }],
		],
		['Revenue Retention', { operation: 'revenueRetention', groupBy: 'plan' }, [{ customerId: 'a', startMrr: 5, endMrr: 5 }]],
		['Purchase Behaviour', { operation: 'purchaseBehaviour', timeZone: 'UTC', groupBy: 'plan' }, [{ customerId: 'a', date: '2025-01-01', amount: 3, plan: '' }]],
		['Cohort Retention', { operation: 'cohortRetention', timeZone: 'UTC', heatmapMode: 'none', output: 'summary', groupBy: 'plan' }, [{ customerId: 'a', date: '2025-01-01' }]],
		['Survey Scores', { operation: 'surveyScores', surveyType: 'nps', scoreField: 'score', groupBy: 'plan' }, [{ score: 9, plan: null }]],
		[
			'Campaign Uplift',
			{ operation: 'campaignUplift', groupBy: 'plan' },
			[{ customerId: 'a', assignment: 'treatment', converted: true }, { customerId: 'b', assignment: 'holdout', converted: false }],
		],
	];

	test.each(runs)('%s: "（空）" in Chinese, "(empty)" in English', async (_name, params, input) => {
		const groups = async (language: string) => {
			const result = await runMetrics({ ...params, language }, input);
			expect(result.error).toBeUndefined();
			return result.json('Node').filter((j) => j.scope === 'group').map((j) => j.group);
		};
		expect(await groups('zh')).toContain('（空）');
		expect(await groups('zh')).not.toContain('(empty)');
		expect(await groups('en')).toContain('(empty)');
	});
});

describe('labels of numbers that had none', () => {
	test('cohort summary: customers and periods, in both languages', async () => {
		const input = [
			{ customerId: 'a', date: '2025-01-05' },
			{ customerId: 'a', date: '2025-02-05' },
		];
		const params = { operation: 'cohortRetention', granularity: 'month', maxPeriods: 2, timeZone: 'UTC', output: 'summary', heatmapMode: 'none' };
		const [en] = (await runMetrics(params, input)).json('Node');
		const [zh] = (await runMetrics({ ...params, language: 'zh' }, input)).json('Node');
		expect(en).toMatchObject({ customers: 1, periods: [0, 1, 2] });
		expect(en.labels).toMatchObject({ customers: LABELS.cohortCustomers.en, periods: LABELS.periods.en });
		expect(zh.labels).toMatchObject({ customers: '至少有一笔交易的客户数 (全部同期群)', periods: '显示的获客后周期 (0 = 获客当期)' });
	});

	test('NPS: npsExact has a label, and the definition states the rounding', async () => {
		const input = [{ score: 10 }, { score: 8 }, { score: 8 }, { score: 8 }, { score: 8 }, { score: 8 }, { score: 8 }, { score: 8 }];
		const params = { operation: 'surveyScores', surveyType: 'nps', scoreField: 'score' };
		const [en] = (await runMetrics(params, input)).json('Node');
		const [zh] = (await runMetrics({ ...params, language: 'zh' }, input)).json('Node');
		expect(en).toMatchObject({ nps: 13, npsExact: 12.5 });
		expect((en.labels as IDataObject).npsExact).toBe('Net Promoter Score before rounding');
		expect((zh.labels as IDataObject).npsExact).toBe('净推荐值 NPS (取整前)');
		expect((en.definitions as IDataObject).nps).toMatch(/halves rounded away from zero \(12\.5 → 13, −12\.5 → −13\)/);
		expect((zh.definitions as IDataObject).nps).toMatch(/0\.5 向远离零的方向取整/);
	});

	const tx = [
		{ customerId: 'a', date: '2025-01-01', amount: 3 },
		{ customerId: 'a', date: '2025-03-01', amount: 4 },
		{ customerId: 'b', date: '2025-02-01', amount: 4 },
	];
	const subscriptions = [
		{ customerId: 'a', startDate: '2024-06-01', endDate: '2025-01-15', mrr: 5, startMrr: 5, endMrr: 0 },
		{ customerId: 'b', startDate: '2024-06-01', mrr: 5, startMrr: 5, endMrr: 6 },
	];
	// [operation, parameters, input]
	const runs: Array<[string, IDataObject, IDataObject[]]> = [
		['customerRetention', { periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' }, subscriptions],
		['revenueRetention', {}, subscriptions],
		['purchaseBehaviour', { timeZone: 'UTC', output: 'summaryAndCustomers' }, tx],
		['cohortRetention', { timeZone: 'UTC', heatmapMode: 'none', output: 'rows' }, tx],
		['cohortRetention', { timeZone: 'UTC', heatmapMode: 'none', output: 'summary' }, tx],
		['surveyScores', { surveyType: 'nps', scoreField: 'score' }, [{ score: 9 }, { score: 3 }]],
		['surveyScores', { surveyType: 'csat', scoreField: 'score' }, [{ score: 5 }]],
		['surveyScores', { surveyType: 'ces', scoreField: 'score' }, [{ score: 6 }]],
		['campaignUplift', {}, [{ customerId: 'a', assignment: 'treatment', converted: true }, { customerId: 'b', assignment: 'holdout', converted: false }]],
	];

	test.each(runs)('%s %j: every number of every item has a label, in both languages', async (operation, params, input) => {
		const labelled = async (language: string) => {
			const items = (await runMetrics({ operation, ...params, language }, input)).json('Node');
			// Per-customer items and cohort rows carry no labels of their own: the summary items' labels are theirs.
			const summaries = items.filter((j) => j.labels);
			const labels = Object.assign({}, ...summaries.map((j) => j.labels as IDataObject));
			expect(unlabelledNumbers(items, labels)).toEqual([]);
			return labels;
		};
		expectChineseLabels(await labelled('en'), await labelled('zh'));
	});

	test('cohort rows: size, counts and rates are labelled by their own names', async () => {
		const items = (await runMetrics({ operation: 'cohortRetention', timeZone: 'UTC', heatmapMode: 'none' }, tx)).json('Node');
		expect(items[0]).toMatchObject({ metric: 'cohortRow', size: 1 });
		expect(items[items.length - 1].labels).toMatchObject({
			size: 'Customers in cohort',
			classicCounts: 'Customers active in period k',
			unboundedCounts: 'Customers active in period k or later',
		});
	});

	test('every label and note of the table exists in both languages', () => {
		for (const [key, text] of Object.entries(LABELS)) {
			expect([key, text.en.length > 0, /[\u4e00-\u9fff]/.test(text.zh)]).toEqual([key, true, true]);
		}
	});
});

describe('NPS rounds halves away from zero', () => {
	// (promoters − detractors, responses) → NPS; exact values in the comments.
	test.each([
		[1, 8, 13], // 12.5
		[-1, 8, -13], // −12.5
		[1, 200, 1], // 0.5
		[-1, 200, -1], // −0.5
		[-1, 250, 0], // −0.4
		[1, 3, 33], // 33.33
		[-2, 3, -67], // −66.67
		[23, 40, 58], // 57.5, which floating point computes as 57.49999999999999
		[-23, 40, -58],
	])('%p of %p → %p', (difference, responses, expected) => {
		expect(roundNps(difference, responses)).toBe(expected);
		expect(Object.is(roundNps(difference, responses), -0)).toBe(false);
	});

	test('property: agrees with exact rational rounding for every count up to 400 responses', () => {
		for (let n = 1; n <= 400; n++) {
			for (let d = -n; d <= n; d++) {
				// 100·d/n = q + r/n exactly; away from zero at r/n ≥ ½.
				const q = Math.trunc((100 * Math.abs(d)) / n);
				const r = 100 * Math.abs(d) - q * n;
				const expected = (d < 0 ? -1 : 1) * (2 * r >= n ? q + 1 : q) + 0;
				if (roundNps(d, n) !== expected) throw new Error(`${d}/${n}: ${roundNps(d, n)} ≠ ${expected}`);
			}
		}
	});

	test('through the node: one detractor in eight passives → −12.5 → −13', async () => {
		const input = [{ score: 0 }, ...Array.from({ length: 7 }, () => ({ score: 8 }))];
		const [total] = (await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score' }, input)).json('Node');
		expect(total).toMatchObject({ nps: -13, npsExact: -12.5 });
	});
});

describe('parameter checks', () => {
	test('Purchase Behaviour: Window End before Window Start is refused, naming both dates', async () => {
		const result = await runMetrics(
			{ operation: 'purchaseBehaviour', windowStart: '2025-03-01', windowEnd: '2025-02-01', timeZone: 'UTC' },
			[{ customerId: 'a', date: '2025-02-15', amount: 10 }],
		);
		expect(result.error?.message).toBe('Window End (2025-02-01) is before Window Start (2025-03-01)');
		const sameDay = await runMetrics(
			{ operation: 'purchaseBehaviour', windowStart: '2025-02-15', windowEnd: '2025-02-15', timeZone: 'UTC' },
			[{ customerId: 'a', date: '2025-02-15', amount: 10 }],
		);
		expect(sameDay.error).toBeUndefined();
		expect(sameDay.json('Node')[0]).toMatchObject({ orders: 1 });
	});

	test('Campaign Uplift: Treatment Value equal to Holdout Value is refused', async () => {
		const input = [{ assignment: 'x', converted: true }];
		const result = await runMetrics({ operation: 'campaignUplift', treatmentValue: 'x', holdoutValue: ' x ' }, input);
		expect(result.error?.message).toBe('Treatment Value and Holdout Value are both "x": they must differ');
	});
});
