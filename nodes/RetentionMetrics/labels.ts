/** Labels and definitions of every Retention Metrics output, in English and Simplified Chinese. */
import type { Bilingual, LabelTable } from '../shared/i18n';

/** The group of items whose Group By field is missing or empty. */
export const EMPTY_GROUP: Bilingual = { en: '(empty)', zh: '（空）' };

export const LABELS = {
	customersAtStart: { en: 'Customers at start of period', zh: '期初客户数' },
	newCustomers: { en: 'New customers in period', zh: '本期新增客户数' },
	reactivatedCustomers: { en: 'Reactivated customers (came back)', zh: '回流客户数' },
	churnedCustomers: { en: 'Churned customers', zh: '流失客户数' },
	joinedAndChurned: { en: 'Joined and churned in the same period', zh: '本期新增且本期流失的客户数' },
	customersAtEnd: { en: 'Customers at end of period', zh: '期末客户数' },
	retainedCustomers: { en: 'Customers retained from the start', zh: '期初客户中留存的客户数' },
	retentionRate: { en: 'Customer retention rate (%)', zh: '客户留存率 (%)' },
	churnRate: { en: 'Customer churn rate (%)', zh: '客户流失率 (%)' },
	startMrr: { en: 'MRR at start', zh: '期初月经常性收入 (MRR)' },
	endMrr: { en: 'MRR at end', zh: '期末月经常性收入 (MRR)' },
	expansionMrr: { en: 'Expansion MRR', zh: '扩展收入 (增购/升级)' },
	contractionMrr: { en: 'Contraction MRR', zh: '收缩收入 (降级)' },
	churnedMrr: { en: 'Churned MRR', zh: '流失收入' },
	reactivationMrr: { en: 'Reactivation MRR', zh: '回流收入' },
	newMrr: { en: 'New-customer MRR', zh: '新客户收入' },
	expandedCustomers: { en: 'Customers who expanded', zh: '扩展的客户数' },
	contractedCustomers: { en: 'Customers who contracted', zh: '收缩的客户数' },
	netRevenueRetention: { en: 'Net revenue retention, NRR (%)', zh: '净收入留存率 NRR (%)' },
	grossRevenueRetention: { en: 'Gross revenue retention, GRR (%)', zh: '总收入留存率 GRR (%)' },
	grossMrrChurnRate: { en: 'Gross MRR churn rate (%)', zh: '总 MRR 流失率 (%)' },
	netMrrChurnRate: { en: 'Net MRR churn rate (%)', zh: '净 MRR 流失率 (%)' },
	orders: { en: 'Orders', zh: '订单数' },
	customers: { en: 'Customers with at least one order', zh: '至少下过一单的客户数' },
	repeatCustomers: { en: 'Customers with two or more orders', zh: '下单两次及以上的客户数' },
	revenue: { en: 'Revenue', zh: '收入' },
	refunds: { en: 'Refunds', zh: '退款金额' },
	averageOrderValue: { en: 'Average order value (AOV)', zh: '客单价 (AOV)' },
	purchaseFrequency: { en: 'Purchase frequency (orders per customer)', zh: '购买频次 (人均订单数)' },
	repeatPurchaseRate: { en: 'Repeat purchase rate (%)', zh: '复购率 (%)' },
	averageLifespanDays: { en: 'Average customer lifespan (days)', zh: '平均客户生命周期 (天)' },
	averageHistoricClv: { en: 'Average historic customer value', zh: '平均历史客户价值' },
	historicClv: { en: 'Historic customer value (spent so far)', zh: '历史客户价值 (累计消费)' },
	lifespanDays: { en: 'Days between first and last order', zh: '首单到末单的天数' },
	cohorts: { en: 'Cohorts', zh: '同期群数' },
	cohortCustomers: { en: 'Customers with at least one transaction (all cohorts)', zh: '至少有一笔交易的客户数 (全部同期群)' },
	periods: { en: 'Periods after acquisition shown (0 = the acquisition period)', zh: '显示的获客后周期 (0 = 获客当期)' },
	size: { en: 'Customers in cohort', zh: '同期群客户数' },
	classicCounts: { en: 'Customers active in period k', zh: '第 k 期活跃的客户数' },
	unboundedCounts: { en: 'Customers active in period k or later', zh: '第 k 期及以后仍活跃的客户数' },
	classicRates: { en: 'Active in period k (% of cohort)', zh: '第 k 期活跃 (占同期群 %)' },
	unboundedRates: { en: 'Active in period k or later (% of cohort)', zh: '第 k 期及以后仍活跃 (占同期群 %)' },
	averageClassicRates: { en: 'Average: active in period k (%)', zh: '平均: 第 k 期活跃 (%)' },
	averageUnboundedRates: { en: 'Average: active in period k or later (%)', zh: '平均: 第 k 期及以后仍活跃 (%)' },
	responses: { en: 'Responses', zh: '回复数' },
	nps: { en: 'Net Promoter Score (−100 to 100)', zh: '净推荐值 NPS (−100 至 100)' },
	npsExact: { en: 'Net Promoter Score before rounding', zh: '净推荐值 NPS (取整前)' },
	csat: { en: 'Customer satisfaction, CSAT (%)', zh: '客户满意度 CSAT (%)' },
	ces: { en: 'Customer effort: share who found it easy (%)', zh: '客户费力度: 认为容易的比例 (%)' },
	meanScore: { en: 'Mean score', zh: '平均分' },
	min: { en: 'Lowest possible answer', zh: '最低可选分' },
	max: { en: 'Highest possible answer', zh: '最高可选分' },
	positiveThreshold: {
		en: 'Positive threshold: the score where the promoter (NPS), satisfied (CSAT) or "easy" (CES) side starts',
		zh: '正向阈值: 推荐者 (NPS)、满意 (CSAT) 或"容易" (CES) 一侧的起点分数',
	},
	negativeThreshold: {
		en: 'Negative threshold: the score where the detractor (NPS) or "difficult" (CES) side starts; not used for CSAT',
		zh: '负向阈值: 贬损者 (NPS) 或"困难" (CES) 一侧的起点分数; CSAT 不使用',
	},
	promoter: { en: 'Promoters', zh: '推荐者' },
	passive: { en: 'Passives', zh: '被动者' },
	detractor: { en: 'Detractors', zh: '贬损者' },
	satisfied: { en: 'Satisfied', zh: '满意' },
	notSatisfied: { en: 'Not satisfied', zh: '不满意' },
	easy: { en: 'Found it easy', zh: '认为容易' },
	neutral: { en: 'Neutral', zh: '中立' },
	difficult: { en: 'Found it difficult', zh: '认为困难' },
	treatmentCustomers: { en: 'Customers who got the action', zh: '实验组客户数' },
	treatmentConverted: { en: 'Of those, with the outcome', zh: '实验组达成目标的客户数' },
	treatmentRate: { en: 'Outcome rate with the action (%)', zh: '实验组转化率 (%)' },
	holdoutCustomers: { en: 'Customers held out (control group)', zh: '对照组客户数' },
	holdoutConverted: { en: 'Of those, with the outcome', zh: '对照组达成目标的客户数' },
	holdoutRate: { en: 'Outcome rate without the action (%)', zh: '对照组转化率 (%)' },
	absoluteLift: { en: 'Absolute lift (percentage points)', zh: '绝对提升 (百分点)' },
	relativeLift: { en: 'Relative lift (%)', zh: '相对提升 (%)' },
	confidenceIntervalLower: { en: '95 % confidence interval of the lift: lower end (points)', zh: '提升的 95% 置信区间下限 (百分点)' },
	confidenceIntervalUpper: { en: '95 % confidence interval of the lift: upper end (points)', zh: '提升的 95% 置信区间上限 (百分点)' },
	pValue: { en: 'p-value (chance of a difference this large with no real effect)', zh: 'p 值 (无真实效果时出现此差异的概率)' },
	significant: { en: 'Lift is statistically significant (95 %)', zh: '提升在 95% 水平上显著' },
} satisfies LabelTable;

export type LabelKey = keyof typeof LABELS;

export const DEFINITIONS = {
	retentionRate: {
		en: 'CRR = (customers at end − new customers still active at end − reactivated customers still active at end) / customers at start × 100; equals (E − N) / S when every new customer is still active at the end.',
		zh: '客户留存率 = (期末客户数 − 期末仍活跃的新客户 − 期末仍活跃的回流客户) / 期初客户数 × 100; 新客户均未流失时等于 (E − N) / S。',
	},
	churnRate: {
		en: 'Churn rate = customers lost during the period / customers at start × 100. Customers who joined and churned in the same period are excluded (ChartMogul); when the option counts them, the new customers join the base too: lost / (at start + new) × 100 (Stripe).',
		zh: '流失率 = 本期流失的客户数 / 期初客户数 × 100。本期新增且本期流失的客户默认不计入 (ChartMogul 口径); 设置计入时, 新客户也计入分母: 流失数 / (期初客户数 + 新客户数) × 100 (Stripe 口径)。',
	},
	activity: {
		en: 'A subscription is active from its start date until the day before its end date; a customer is active while any subscription is.',
		zh: '订阅从开始日起生效, 至结束日前一天为止; 客户只要有任一订阅生效即为活跃客户。',
	},
	netRevenueRetention: {
		en: 'NRR = (MRR at start + expansion − contraction − churned MRR) / MRR at start × 100, over customers present at the start; new-customer revenue excluded.',
		zh: 'NRR = (期初 MRR + 扩展 − 收缩 − 流失) / 期初 MRR × 100, 仅含期初客户, 不含新客户收入。',
	},
	grossRevenueRetention: {
		en: 'GRR = (MRR at start − contraction − churned MRR) / MRR at start × 100, capped at 100 %.',
		zh: 'GRR = (期初 MRR − 收缩 − 流失) / 期初 MRR × 100, 上限 100%。',
	},
	grossMrrChurnRate: {
		en: 'Gross MRR churn = (churned MRR + contraction) / MRR at start × 100.',
		zh: '总 MRR 流失率 = (流失收入 + 收缩收入) / 期初 MRR × 100。',
	},
	netMrrChurnRate: {
		en: 'Net MRR churn = (churned + contraction − expansion − reactivation) / MRR at start × 100; negative when growth from existing customers outweighs losses.',
		zh: '净 MRR 流失率 = (流失 + 收缩 − 扩展 − 回流) / 期初 MRR × 100; 老客户增长超过损失时为负。',
	},
	averageOrderValue: {
		en: 'AOV = revenue of the customers with an order / orders (refunds of customers who bought nothing in the window are left out). Revenue is the Amount Field as given: tax and shipping are in it exactly when the amounts include them.',
		zh: '客单价 = 有订单客户的收入 / 订单数 (窗口内无购买客户的退款不计入)。收入即金额字段的原值: 金额含税费和运费时才包含它们。',
	},
	purchaseFrequency: { en: 'Purchase frequency = orders / customers with at least one order.', zh: '购买频次 = 订单数 / 至少下过一单的客户数。' },
	repeatPurchaseRate: {
		en: 'Repeat purchase rate = customers with ≥ 2 orders in the window / customers with ≥ 1 order in the window × 100 (not the "returning customer rate").',
		zh: '复购率 = 窗口内下单 ≥ 2 次的客户数 / 窗口内下单 ≥ 1 次的客户数 × 100 (不同于"回头客比例")。',
	},
	averageLifespanDays: {
		en: 'Mean number of days between a customer’s first and last order in the window (0 for one-time buyers).',
		zh: '窗口内客户首单与末单间隔天数的平均值 (只买过一次的客户为 0)。',
	},
	averageHistoricClv: {
		en: 'Historic CLV = what customers have spent so far; average = revenue of the customers with an order / those customers.',
		zh: '历史客户价值 = 客户至今的累计消费; 平均值 = 有订单客户的收入 / 这些客户数。',
	},
	revenueNet: { en: 'Revenue is net of refunds (sales − refunds).', zh: '收入为扣除退款后的净额 (销售额 − 退款)。' },
	revenueGross: { en: 'Revenue is gross: refunds are left out.', zh: '收入为总额: 不扣除退款。' },
	classicRates: {
		en: 'Classic ("return on"): share of the cohort with a transaction in period k after acquisition.',
		zh: '经典口径 ("当期回访"): 获客后第 k 期有交易的客户占同期群的比例。',
	},
	unboundedRates: {
		en: 'Unbounded ("return on or after"): share of the cohort with a transaction in period k or later; never increases.',
		zh: '无界口径 ("当期或之后回访"): 第 k 期或之后有交易的客户占比; 不会上升。',
	},
	cohortCells: {
		en: 'Cohort = period of the first transaction. Cells of periods not fully elapsed on the as-of date are empty (null) and left out of averages.',
		zh: '同期群 = 首次交易所在周期。截至统计日尚未结束的周期为空 (null), 不计入平均值。',
	},
	nps: {
		en: 'NPS = % promoters − % detractors; passives count in the denominator; reported as an integer from −100 to 100, halves rounded away from zero (12.5 → 13, −12.5 → −13); npsExact is the value before rounding.',
		zh: 'NPS = 推荐者占比 − 贬损者占比; 被动者计入分母; 以 −100 至 100 的整数表示, 0.5 向远离零的方向取整 (12.5 → 13, −12.5 → −13); npsExact 为取整前的值。',
	},
	csat: { en: 'CSAT = responses at or above the satisfied threshold / all responses × 100 (top-2-box on 1–5).', zh: 'CSAT = 达到满意阈值的回复数 / 全部回复数 × 100 (1–5 分制取 4–5 分)。' },
	ces: {
		en: 'CES = share of responses on the "easy" side of the threshold × 100, with the mean score; the scale direction is stated.',
		zh: 'CES = 处于"容易"一侧的回复占比 × 100, 并给出平均分; 量表方向已注明。',
	},
	absoluteLift: { en: 'Absolute lift = treatment rate − holdout rate, in percentage points.', zh: '绝对提升 = 实验组转化率 − 对照组转化率 (百分点)。' },
	relativeLift: { en: 'Relative lift = absolute lift / holdout rate × 100; undefined when the holdout rate is 0.', zh: '相对提升 = 绝对提升 / 对照组转化率 × 100; 对照组转化率为 0 时无定义。' },
	confidenceInterval: {
		en: '95 % interval of the absolute lift by Newcombe’s hybrid score method (1998), reliable for small groups and rates near 0.',
		zh: '绝对提升的 95% 置信区间, 采用 Newcombe (1998) 混合得分法, 适用于小样本及接近 0 的转化率。',
	},
	pValue: { en: 'Two-sided two-proportion z-test with the pooled rate.', zh: '双侧两比例 z 检验 (合并比例)。' },
} satisfies LabelTable;

export type DefinitionKey = keyof typeof DEFINITIONS;
