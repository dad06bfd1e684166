/**
 * The notes and warnings of the Retention Metrics outputs, in English and Simplified Chinese: one table for
 * every sentence the node writes (the labels and definitions of its numbers live in RetentionMetrics/labels.ts).
 * `{name}` stands for a parameter.
 */
import { pickFilled, type Bilingual, type Language } from '../../shared/i18n';

export const NOTES = {
	noCustomersAtStart: {
		en: 'No customers at the start of the period: retention and churn rates are undefined.',
		zh: '期初没有客户: 留存率和流失率无定义。',
	},
	noRevenueAtStart: {
		en: 'No recurring revenue at the start of the period: NRR, GRR and MRR churn rates are undefined.',
		zh: '期初没有经常性收入 (MRR): NRR、GRR 和 MRR 流失率无定义。',
	},
	neverActiveRows: {
		en: '{count} subscription row(s) end on the day they start, so they were never active and count nowhere.',
		zh: '{count} 行订阅在开始当天结束, 从未生效, 不计入任何数字。',
	},
	noOrders: { en: 'No orders in the window: every ratio is undefined.', zh: '窗口内没有订单: 所有比率均无定义。' },
	noCompletePeriod: {
		en: 'No period has ended by the as-of date {asOf}, so every rate is null: a period is shown once it is complete. Set the As-Of Date to the last day of a period (or later) to see it.',
		zh: '截至统计日 {asOf} 尚无已结束的周期, 因此所有比率为空: 周期结束后才显示。将统计日设为某周期的最后一天 (或更晚) 即可看到该周期。',
	},
	refundsWithoutPurchase: {
		en: 'Refunds of {customers} customer(s) with no purchase in the window ({amount}) are in revenue, but not in the average order value or historic CLV, which average over the customers who bought (the orders they refund are outside the data).',
		zh: '窗口内无购买的 {customers} 位客户的退款 ({amount}) 计入收入, 但不计入客单价和平均历史客户价值 (二者按有购买的客户平均; 被退款的订单不在数据中)。',
	},
	refundRowsNotActivity: {
		en: '{count} refund row(s) were not counted as activity: a refund neither starts a cohort nor keeps a customer retained.',
		zh: '{count} 行退款未计为活跃: 退款既不开启同期群, 也不算留存。',
	},
	noTransactions: { en: 'No transactions: the table is empty.', zh: '没有交易: 同期群表为空。' },
	noResponses: { en: 'No responses: the score is undefined.', zh: '没有回复: 分数无定义。' },
	holdoutEmpty: { en: 'The holdout group is empty: uplift cannot be measured.', zh: '对照组为空: 无法衡量提升。' },
	treatmentEmpty: { en: 'The treatment group is empty.', zh: '实验组为空。' },
	noHoldoutConverted: {
		en: 'No holdout customer converted: relative lift is undefined.',
		zh: '对照组没有客户达成目标: 相对提升无定义。',
	},
	smallGroup: {
		en: 'The {group} group has only {customers} customers (fewer than {minimum}): the result is very uncertain.',
		zh: '{group}只有 {customers} 位客户 (少于 {minimum} 位): 结果非常不确定。',
	},
	fewOutcomes: {
		en: 'The {group} group has fewer than {minimum} customers with or without the outcome: the p-value is approximate.',
		zh: '{group}中达成目标或未达成目标的客户少于 {minimum} 位: p 值只是近似值。',
	},
	customerInBothGroups: {
		en: '{count} item(s) put a customer in both groups; each customer counts in the group of their first item, with that group\'s outcomes only.',
		zh: '有 {count} 条记录把客户放进了两个组; 每位客户按其第一条记录所在的组计算, 只看该组记录的结果。',
	},
	upliftMethod: {
		en: 'Newcombe hybrid score interval (95 %); two-sided pooled two-proportion z-test',
		zh: 'Newcombe 混合得分区间 (95%); 双侧两比例 z 检验 (合并比例)',
	},
} satisfies Record<string, Bilingual>;

/** Names of the two campaign groups, as they appear inside a sentence. */
export const GROUP_NAMES = {
	treatment: { en: 'treatment', zh: '实验组' },
	holdout: { en: 'holdout', zh: '对照组' },
} satisfies Record<string, Bilingual>;

export type NoteKey = keyof typeof NOTES;

/** A note in the chosen language, with its `{name}` parameters filled in. */
export function noteText(key: NoteKey, language: Language, params: Record<string, string | number> = {}): string {
	return pickFilled(NOTES[key], language, params);
}
