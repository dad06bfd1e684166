/**
 * Customer Segments: every number of every output item has a label in the summary items (README: "every
 * number carries a plain label and the definition used"), in English and Simplified Chinese.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { expectChineseLabels, unlabelledNumbers } from '../RetentionMetrics/unlabelled';

const tx = [
	{ customerId: 'a', date: '2025-01-01', amount: 3 },
	{ customerId: 'a', date: '2025-03-01', amount: 4 },
	{ customerId: 'b', date: '2025-02-01', amount: 4 },
	// Reactivated: a long gap, then back (comebackGapDays, previousIntervalDays are numbers).
	{ customerId: 'c', date: '2024-01-01', amount: 5 },
	{ customerId: 'c', date: '2024-01-11', amount: 5 },
	{ customerId: 'c', date: '2025-03-05', amount: 5 },
];

const runs: Array<[string, IDataObject, IDataObject[]]> = [
	['RFM, 11 segments, stages added', { operation: 'rfm', timeZone: 'UTC', addLifecycleStage: true }, tx],
	['RFM, scores only', { operation: 'rfm', timeZone: 'UTC', segmentMap: 'none' }, tx],
	['RFM, fixed thresholds, purchase days, mean', { operation: 'rfm', timeZone: 'UTC', segmentMap: 'none', scoring: 'thresholds', frequencyBasis: 'purchaseDays', monetaryBasis: 'mean' }, tx],
	[
		'RFM, pre-aggregated',
		{ operation: 'rfm', timeZone: 'UTC', inputMode: 'customers', recencyFrom: 'recencyDays' },
		[
			{ customerId: 'p', recencyDays: 3, frequency: 2, monetary: 10 },
			{ customerId: 'q', recencyDays: 30, frequency: 1, monetary: 5 },
		],
	],
	['Lifecycle Stage', { operation: 'lifecycleStage', timeZone: 'UTC' }, tx],
];

describe('labels of every number', () => {
	test.each(runs)('%s: customer and summary items, in both languages', async (_name, params, input) => {
		const labelled = async (language: string) => {
			const result = await runNode('customerSegments', { ...params, language }, input);
			expect(result.error).toBeUndefined();
			const [customers, summaries] = [result.json('Node', 0), result.json('Node', 1)];
			for (const summary of summaries) expect(unlabelledNumbers([summary, ...customers], summary.labels)).toEqual([]);
			return summaries[0].labels;
		};
		expectChineseLabels(await labelled('en'), await labelled('zh'));
	});

	test('frequency and monetary value are labelled by what they count', async () => {
		const labelsOf = async (params: IDataObject) => (await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC', ...params }, tx)).json('Node', 1)[0].labels as IDataObject;
		expect(await labelsOf({})).toMatchObject({
			recencyDays: 'Recency (R): days since the last purchase',
			frequency: 'Frequency (F): orders',
			monetary: 'Monetary value (M): total spend',
			rScore: 'Recency score (higher = bought more recently)',
		});
		expect(await labelsOf({ frequencyBasis: 'purchaseDays', monetaryBasis: 'mean', language: 'zh' })).toMatchObject({
			frequency: '频次 (F): 有购买的天数',
			monetary: '金额 (M): 每单平均消费 (频次按天计时为每个购买日的平均消费)',
			mScore: '金额得分 (越高 = 消费越多)',
		});
	});

	test('lifecycle customer numbers have labels in the stage summaries', async () => {
		const result = await runNode('customerSegments', { operation: 'lifecycleStage', timeZone: 'UTC', language: 'zh' }, tx);
		const c = result.json('Node', 0).find((j) => j.customerId === 'c')!;
		expect(c).toMatchObject({ stage: 'reactivated', comebackGapDays: expect.any(Number), purchaseDays: 3 });
		expect(result.json('Node', 1)[0].labels).toMatchObject({
			daysSinceLastPurchase: '距上次购买天数',
			usualIntervalDays: '通常购买间隔天数 (中位数)',
			intervalRatio: '距上次购买天数 / 通常间隔',
			purchaseDays: '有购买的天数',
		});
	});
});
