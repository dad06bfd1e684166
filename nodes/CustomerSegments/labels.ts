/**
 * Everything the Customer Segments node writes in words, in English and Simplified Chinese: segment and
 * stage names, output labels and definitions, warnings and per-customer reasons. One table per kind.
 */
import type { CustomerStage, LifecycleWarning, Stage } from '../engine/segments/lifecycle';
import type { RfmMeasure, RfmWarning } from '../engine/segments/rfm';
import type { NamedSegment, SegmentMapKind } from '../engine/segments/segmentMaps';
import { labelsFor, pick, type Bilingual, type LabelTable, type Language } from '../shared/i18n';

/** The named RFM segments (metrics.md), with what each means for an operations team. */
export const SEGMENT_LABELS: Record<NamedSegment, Bilingual> = {
	champions: { en: 'Champions', zh: '冠军客户' },
	loyal: { en: 'Loyal', zh: '忠诚客户' },
	potentialLoyalist: { en: 'Potential Loyalist', zh: '潜在忠诚客户' },
	newCustomers: { en: 'New Customers', zh: '新客户' },
	promising: { en: 'Promising', zh: '有潜力的新客' },
	needAttention: { en: 'Need Attention', zh: '需要关注' },
	aboutToSleep: { en: 'About To Sleep', zh: '即将沉睡' },
	atRisk: { en: 'At Risk', zh: '有流失风险' },
	cannotLoseThem: { en: 'Cannot Lose Them', zh: '不能失去的客户' },
	hibernating: { en: 'Hibernating', zh: '休眠客户' },
	lost: { en: 'Lost', zh: '已流失' },
};

export const SEGMENT_DESCRIPTIONS: Record<NamedSegment, Bilingual> = {
	champions: { en: 'Bought recently, buy often and spend the most', zh: '最近购买、购买频繁且消费最高' },
	loyal: { en: 'Buy regularly and spend well', zh: '经常购买, 消费可观' },
	potentialLoyalist: { en: 'Recent customers with average frequency: can become loyal', zh: '近期购买、频次中等, 有望成为忠诚客户' },
	newCustomers: { en: 'Bought recently for the first time or almost', zh: '最近首次 (或刚开始) 购买' },
	promising: { en: 'Recent buyers who have not bought often yet', zh: '近期购买但购买次数还不多' },
	needAttention: { en: 'Above-average recency, frequency and spend, but slipping', zh: '近度、频次和消费高于平均, 但有下滑迹象' },
	aboutToSleep: { en: 'Below-average recency and frequency: will be lost without a nudge', zh: '近度和频次低于平均, 不跟进就会流失' },
	atRisk: { en: 'Used to buy often and spend well, but not for a long time', zh: '曾经频繁购买且消费不低, 但已很久没有购买' },
	cannotLoseThem: { en: 'Made big, frequent purchases but long ago', zh: '曾大额频繁购买, 但已很久没有回来' },
	hibernating: { en: 'Last purchase long ago, few orders, low spend', zh: '很久没有购买, 订单少, 消费低' },
	lost: { en: 'Lowest recency, frequency and spend', zh: '近度、频次和消费都最低' },
};

/**
 * The 10-segment map looks at R and F only: its segments are described without spend, which it ignores
 * (a Champion there may have spent the least).
 */
export const TEN_SEGMENT_DESCRIPTIONS: Record<NamedSegment, Bilingual> = {
	champions: { en: 'Bought most recently and buy the most often (spend not considered)', zh: '最近购买且购买最频繁 (不看消费金额)' },
	loyal: { en: 'Buy often and bought fairly recently (spend not considered)', zh: '购买频繁, 近期也买过 (不看消费金额)' },
	potentialLoyalist: { en: 'Bought recently, average frequency: can become loyal (spend not considered)', zh: '近期购买、频次中等, 有望成为忠诚客户 (不看消费金额)' },
	newCustomers: { en: 'Bought most recently, but the fewest times: new or almost (spend not considered)', zh: '最近购买, 但购买次数最少: 新客或刚开始购买 (不看消费金额)' },
	promising: { en: 'Bought recently, but the fewest times so far (spend not considered)', zh: '近期购买, 但购买次数还最少 (不看消费金额)' },
	needAttention: { en: 'Average recency and frequency: slipping (spend not considered)', zh: '近度和频次居中, 有下滑迹象 (不看消费金额)' },
	aboutToSleep: { en: 'Average recency, low frequency: will be lost without a nudge (spend not considered)', zh: '近度居中、频次偏低, 不跟进就会流失 (不看消费金额)' },
	atRisk: { en: 'Used to buy fairly often, but not for a long time (spend not considered)', zh: '曾较频繁购买, 但已很久没有购买 (不看消费金额)' },
	cannotLoseThem: { en: 'Bought the most often, but long ago (spend not considered)', zh: '曾购买最频繁, 但已很久没有回来 (不看消费金额)' },
	hibernating: { en: 'Last purchase long ago, few orders (spend not considered)', zh: '很久没有购买, 订单少 (不看消费金额)' },
	lost: { en: 'Lowest recency and frequency (spend not considered)', zh: '近度和频次都最低 (不看消费金额)' },
};

export const STAGE_LABELS: Record<Stage, Bilingual> = {
	new: { en: 'New', zh: '新客户' },
	active: { en: 'Active', zh: '活跃' },
	atRisk: { en: 'At Risk', zh: '有流失风险' },
	dormant: { en: 'Dormant', zh: '沉睡' },
	lost: { en: 'Lost', zh: '已流失' },
	reactivated: { en: 'Reactivated', zh: '已召回' },
};

export const LABELS = {
	customers: { en: 'Customers', zh: '客户数' },
	customerShare: { en: 'Share of customers (%)', zh: '客户占比 (%)' },
	revenue: { en: 'Revenue of the segment', zh: '该分群收入' },
	revenueShare: { en: 'Share of revenue (%)', zh: '收入占比 (%)' },
	meanRecencyDays: { en: 'Average days since last purchase', zh: '平均距上次购买天数' },
	meanFrequency: { en: 'Average frequency', zh: '平均购买频次' },
	meanMonetary: { en: 'Average monetary value', zh: '平均消费金额' },
	meanDaysSinceLastPurchase: { en: 'Average days since last purchase', zh: '平均距上次购买天数' },
	meanUsualIntervalDays: { en: 'Average usual days between purchases', zh: '平均购买间隔天数' },
	scoredCustomers: { en: 'Customers scored', zh: '已打分客户数' },
	scale: { en: 'Highest score (scores run from 1 to this)', zh: '最高分 (分数从 1 到该值)' },
	// RFM customer items (frequency and monetary value in the unit the settings chose).
	recencyDays: { en: 'Recency (R): days since the last purchase', zh: '近度 (R): 距上次购买天数' },
	frequencyOrders: { en: 'Frequency (F): orders', zh: '频次 (F): 订单数' },
	frequencyDays: { en: 'Frequency (F): days with a purchase', zh: '频次 (F): 有购买的天数' },
	monetaryTotal: { en: 'Monetary value (M): total spend', zh: '金额 (M): 累计消费' },
	monetaryMean: { en: 'Monetary value (M): average spend per order (per purchase day when frequency counts days)', zh: '金额 (M): 每单平均消费 (频次按天计时为每个购买日的平均消费)' },
	rScore: { en: 'Recency score (higher = bought more recently)', zh: '近度得分 (越高 = 购买越近)' },
	fScore: { en: 'Frequency score (higher = bought more often)', zh: '频次得分 (越高 = 购买越频繁)' },
	mScore: { en: 'Monetary score (higher = spent more)', zh: '金额得分 (越高 = 消费越多)' },
	recencyThresholds: { en: 'Recency thresholds (days; each is the last day of the higher score)', zh: '近度阈值 (天; 每个值是较高分的最后一天)' },
	frequencyThresholds: { en: 'Frequency thresholds (each is the first value of the higher score)', zh: '频次阈值 (每个值是较高分的起点)' },
	monetaryThresholds: { en: 'Monetary thresholds (each is the first value of the higher score)', zh: '金额阈值 (每个值是较高分的起点)' },
	// Lifecycle stage fields (customer items of both operations) and the lifecycle summary.
	daysSinceLastPurchase: { en: 'Days since last purchase', zh: '距上次购买天数' },
	usualIntervalDays: { en: 'Usual days between purchases (median)', zh: '通常购买间隔天数 (中位数)' },
	intervalRatio: { en: 'Days since last purchase / usual interval', zh: '距上次购买天数 / 通常间隔' },
	purchaseDays: { en: 'Days with a purchase', zh: '有购买的天数' },
	comebackGapDays: { en: 'Days without a purchase before the comeback', zh: '回归前未购买的天数' },
	previousIntervalDays: { en: 'Usual days between purchases before the comeback', zh: '回归前的通常购买间隔天数' },
	populationIntervalDays: { en: 'Usual days between purchases of all repeat buyers (used for one-time buyers)', zh: '全体复购客户的通常购买间隔天数 (用于只买过一次的客户)' },
	newCustomerDays: { en: 'New-customer window (days)', zh: '新客窗口 (天)' },
	activeUpTo: { en: 'Active up to (× usual interval)', zh: '活跃上限 (× 通常间隔)' },
	atRiskUpTo: { en: 'At risk up to (× usual interval)', zh: '流失风险上限 (× 通常间隔)' },
	dormantUpTo: { en: 'Dormant up to (× usual interval)', zh: '沉睡上限 (× 通常间隔)' },
	defaultIntervalDays: { en: 'Usual interval when no customer bought on two different days (days)', zh: '没有客户在两个不同日期购买时使用的通常间隔 (天)' },
} satisfies LabelTable;

export type LabelKey = keyof typeof LABELS;

/** The limits stages are judged by, as the summaries' settings give them. */
export const LIFECYCLE_LIMITS = ['newCustomerDays', 'activeUpTo', 'atRiskUpTo', 'dormantUpTo', 'defaultIntervalDays'] as const satisfies readonly LabelKey[];

/** The numbers of a customer's lifecycle stage (Lifecycle Stage items; RFM items add the first two). */
export const STAGE_NUMBER_LABELS = ['usualIntervalDays', 'intervalRatio', 'daysSinceLastPurchase', 'purchaseDays', 'comebackGapDays', 'previousIntervalDays'] as const satisfies readonly LabelKey[];

/**
 * Labels of the numbers on RFM customer items, in the summary items as every other label: frequency and
 * monetary value are named by what they count. With lifecycle stages added, their two numbers too.
 */
export function rfmCustomerLabels(frequencyBasis: 'orders' | 'purchaseDays', monetaryBasis: 'total' | 'mean', withStages: boolean, language: Language): Record<string, string> {
	return {
		recencyDays: pick(LABELS.recencyDays, language),
		frequency: pick(frequencyBasis === 'orders' ? LABELS.frequencyOrders : LABELS.frequencyDays, language),
		monetary: pick(monetaryBasis === 'total' ? LABELS.monetaryTotal : LABELS.monetaryMean, language),
		...labelsFor(LABELS, ['rScore', 'fScore', 'mScore', ...(withStages ? STAGE_NUMBER_LABELS.slice(0, 2) : [])], language),
	};
}

export const DEFINITIONS = {
	recency: {
		en: 'Recency = days from the last purchase to the as-of date (default: the day after the last transaction).',
		zh: '近度 (R) = 最后一次购买到统计日的天数 (默认统计日为最后一笔交易的次日)。',
	},
	frequencyOrders: { en: 'Frequency = number of distinct orders.', zh: '频次 (F) = 不同订单的数量。' },
	frequencyDays: { en: 'Frequency = number of distinct days with a purchase.', zh: '频次 (F) = 有购买的不同天数。' },
	monetaryTotal: { en: 'Monetary = total spend.', zh: '金额 (M) = 累计消费。' },
	monetaryMean: { en: 'Monetary = average spend per order (per purchase day when frequency counts days).', zh: '金额 (M) = 每单平均消费 (频次按天计时为每个购买日的平均消费)。' },
	frequencyGiven: {
		en: 'Frequency = the number of orders the frequency field gives (pre-aggregated input).',
		zh: '频次 (F) = 频次字段给出的订单数 (预汇总输入)。',
	},
	net: { en: 'Spend is net of refunds.', zh: '消费额已扣除退款。' },
	gross: { en: 'Spend is gross: refunds are left out.', zh: '消费额为总额, 不扣除退款。' },
	spendGiven: {
		en: 'Spend is what the monetary field gives (pre-aggregated input; when it holds the average per order, spend = average × frequency); whether refunds are deducted depends on the source.',
		zh: '消费额取自金额字段 (预汇总输入; 金额为每单平均时, 消费额 = 平均值 × 频次); 是否已扣除退款取决于数据来源。',
	},
	quantiles: {
		en: 'Scores 1–k by equal-sized rank groups: rank r of n (worst = 1) gets 1 + floor(k × (r − ½) / n). Recency is reversed (fewer days = higher score). Customers with equal recency or monetary value share their average rank; frequency ties are ranked by order of first appearance before cutting.',
		zh: '按排名等分打分 1–k: n 人中排名 r (最差为 1) 得 1 + floor(k × (r − ½) / n)。近度反向 (天数越少分越高)。近度或金额相同的客户取平均排名、同分; 频次相同的客户先按首次出现顺序排名再切分。',
	},
	thresholds: {
		en: 'Scores by fixed thresholds: for frequency and monetary value a threshold is the first value of the higher score; for recency it is the last day of the higher score.',
		zh: '按固定阈值打分: 频次和金额的阈值是较高分的起点; 近度的阈值是较高分的最后一天。',
	},
	customerShare: { en: 'Customers in the segment / scored customers × 100.', zh: '分群客户数 / 已打分客户数 × 100。' },
	revenueShare: {
		en: 'Total spend of the segment / total spend of scored customers × 100; empty when that total is not positive.',
		zh: '分群累计消费 / 全部已打分客户累计消费 × 100; 总额不为正时为空。',
	},
	segmentMapEleven: { en: 'Segments: the 11 named segments by exact R-F-M code.', zh: '分群: 按 R-F-M 组合精确对应的 11 个分群。' },
	segmentMapTen: { en: 'Segments: the 10-segment map on R and F (monetary value ignored).', zh: '分群: 仅依据 R 和 F 的 10 分群规则 (不看金额)。' },
	segmentMapCustom: { en: 'Segments: your own map of codes to segments.', zh: '分群: 您自定义的代码与分群对应表。' },
	stage: {
		en: 'Stage against the customer’s own rhythm: usual interval = median days between purchase days (one-time buyers: the median of all repeat buyers); ratio = days since last purchase / usual interval. New: first purchase within the new-customer window. Active: ratio ≤ active limit. Reactivated: active after a gap longer than the at-risk limit × the earlier rhythm. At risk, dormant: up to their limits. Lost: beyond the dormant limit.',
		zh: '按客户自身的购买节奏判断阶段: 通常间隔 = 购买日之间间隔天数的中位数 (只买过一次的客户取全体复购客户的中位数); 比值 = 距上次购买天数 / 通常间隔。新客户: 首次购买在新客窗口内。活跃: 比值不超过活跃上限。已召回: 在间隔超过"风险上限 × 以往节奏"的空档后重新活跃。有流失风险、沉睡: 不超过各自上限。已流失: 超过沉睡上限。',
	},
	stageShare: { en: 'Customers in the stage / customers with a stage × 100.', zh: '该阶段客户数 / 有阶段的客户数 × 100。' },
} satisfies LabelTable;

export type DefinitionKey = keyof typeof DEFINITIONS;

const MEASURE: Record<RfmMeasure, Bilingual> = {
	recency: { en: 'recency', zh: '近度' },
	frequency: { en: 'frequency', zh: '频次' },
	monetary: { en: 'monetary value', zh: '金额' },
};

const fmt = (value: number) => String(Math.round(value * 100) / 100);
/** "1 customer", "3 customers". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const daysAgo = (days: number) => (days === 0 ? 'on the as-of date' : days === 1 ? '1 day ago' : `${days} days ago`);

/** The named segment (Champions, …) a name stands for; own keys only, so "constructor" is a custom name. */
export function namedSegment(segment: string): NamedSegment | undefined {
	return Object.prototype.hasOwnProperty.call(SEGMENT_LABELS, segment) ? (segment as NamedSegment) : undefined;
}

/**
 * What a segment means under the map that made it: the 11-segment map's descriptions, the R-and-F ones of
 * the 10-segment map; none for a custom map (its segments mean what the user made them, whatever their names).
 */
export function segmentDescription(segment: string, kind: SegmentMapKind): Bilingual | undefined {
	const named = namedSegment(segment);
	if (!named || kind === 'custom') return undefined;
	return (kind === 'tenSegments' ? TEN_SEGMENT_DESCRIPTIONS : SEGMENT_DESCRIPTIONS)[named];
}

export function segmentLabel(segment: string, language: Language): string {
	const named = namedSegment(segment);
	return named ? pick(SEGMENT_LABELS[named], language) : segment;
}

export function rfmWarningText(w: RfmWarning, language: Language): string {
	const zh = language === 'zh';
	switch (w.code) {
		case 'noScorableCustomers':
			return zh ? '没有可打分的客户 (没有购买记录)。' : 'No customer could be scored (no purchases).';
		case 'rowsAfterAsOf':
			return zh
				? `${w.rows} 笔交易晚于统计日, 已排除。`
				: `${count(w.rows, 'transaction')} dated after the as-of date ${w.rows === 1 ? 'was' : 'were'} left out.`;
		case 'customersWithoutPurchases':
			return zh
				? `${w.customers} 位客户在统计日前没有购买 (只有退款, 或交易都在统计日之后), 未打分 (分群为空)。`
				: `${count(w.customers, 'customer')} ${w.customers === 1 ? 'has' : 'have'} no purchase up to the as-of date (only refunds, or only transactions after it): not scored, segment empty.`;
		case 'fewCustomers':
			return zh
				? `只有 ${w.customers} 位客户参与打分, 少于 ${w.scale} 档分数: 分位数打分是客户之间的相互比较, ${
						w.customers === 1 ? '唯一的客户得中间分, 说明不了什么' : '有的分数用不上'
					}。请用固定阈值打分, 或放入更多客户。`
				: `Only ${count(w.customers, 'customer')} ${w.customers === 1 ? 'was' : 'were'} scored, fewer than the ${w.scale} scores: quantile scores rank customers against each other, so ${
						w.customers === 1 ? 'a single customer gets the middle score, which says nothing about them' : 'some scores cannot occur'
					}. Use fixed thresholds, or score more customers.`;
		case 'nonPositiveMonetary':
			return zh
				? `${w.customers} 位客户的金额为零或负数 (如全额退款), 按最低金额排名。`
				: `${count(w.customers, 'customer')} ${w.customers === 1 ? 'has' : 'have'} a zero or negative monetary value (full refunds, free orders): ranked lowest on monetary value.`;
		case 'singleValue':
			return zh
				? `全部 ${w.customers} 位客户的${pick(MEASURE[w.measure], language)}相同 (${fmt(w.value)}), 分位数失效: ${
						w.measure === 'frequency' ? '频次分只反映首次出现顺序' : `均得 ${w.score} 分`
					}。`
				: `All ${w.customers} customers have the same ${pick(MEASURE[w.measure], language)} (${fmt(w.value)}), so quintiles collapse: ${
						w.measure === 'frequency' ? 'frequency scores only reflect the order customers first appear in' : `everyone got score ${w.score}`
					}.`;
		case 'fewLevels':
			return zh
				? `${pick(MEASURE[w.measure], language)}的取值大量重复, 只用到了 ${w.scale} 个分数中的 ${w.levelsUsed} 个。`
				: `Many customers share the same ${pick(MEASURE[w.measure], language)}: only ${w.levelsUsed} of the ${w.scale} scores are used.`;
		case 'frequencyTiesSplit':
			return zh
				? `频次为 ${fmt(w.value)} 的 ${w.customers} 位客户按首次出现顺序分到了 ${w.lowestScore}–${w.highestScore} 分 (先排名再切分的规则)。`
				: `${count(w.customers, 'customer')} with frequency ${fmt(w.value)} were spread over scores ${w.lowestScore}–${w.highestScore} by order of first appearance (ranked before cutting).`;
	}
}

export function lifecycleWarningText(w: LifecycleWarning, language: Language): string {
	const zh = language === 'zh';
	switch (w.code) {
		case 'populationInterval':
			return zh
				? `${w.customers} 位客户只有一个购买日, 按全体复购客户的通常间隔 ${fmt(w.intervalDays)} 天判断。`
				: `${count(w.customers, 'customer')} bought on a single day only: judged on the usual interval of all repeat buyers, ${fmt(w.intervalDays)} days.`;
		case 'defaultInterval':
			return zh
				? `没有客户在两个不同日期购买过, ${w.customers} 位客户按默认间隔 ${fmt(w.intervalDays)} 天判断。`
				: `No customer bought on two different days: ${count(w.customers, 'customer')} judged on the default interval of ${fmt(w.intervalDays)} days.`;
		case 'customersWithoutPurchases':
			return zh
				? `${w.customers} 位客户在统计日前没有购买 (只有退款, 或交易都在统计日之后), 没有阶段。`
				: `${count(w.customers, 'customer')} ${w.customers === 1 ? 'has' : 'have'} no purchase up to the as-of date (only refunds, or only transactions after it): no stage.`;
		case 'rowsAfterAsOf':
			return zh ? `${w.rows} 笔交易晚于统计日, 已排除。` : `${count(w.rows, 'transaction')} dated after the as-of date ${w.rows === 1 ? 'was' : 'were'} left out.`;
	}
}

/** "R 5: last purchase 3 days ago; F 4: 6 orders; M 5: spent 1234.5 → 545 = Champions". */
export function rfmReason(
	c: { recencyDays: number; frequency: number; monetary: number; r: number; f: number; m: number; code: string },
	segment: string | null,
	frequencyUnit: 'orders' | 'purchaseDays',
	monetary: 'total' | 'mean',
	language: Language,
): string {
	const zh = language === 'zh';
	const tail = segment === null ? '' : zh ? ` → ${c.code} = ${segment}` : ` → ${c.code} = ${segment}`;
	if (zh) {
		return `R ${c.r}: ${c.recencyDays} 天前最后购买; F ${c.f}: ${fmt(c.frequency)} ${frequencyUnit === 'orders' ? '个订单' : '个购买日'}; M ${c.m}: ${
			monetary === 'total' ? '累计消费' : '平均每单消费'
		} ${fmt(c.monetary)}${tail}`;
	}
	const unit = frequencyUnit === 'orders' ? 'order' : 'purchase day';
	return `R ${c.r}: last purchase ${daysAgo(c.recencyDays)}; F ${c.f}: ${fmt(c.frequency)} ${c.frequency === 1 ? unit : `${unit}s`}; M ${c.m}: ${
		monetary === 'total' ? 'spent' : 'spent on average'
	} ${fmt(c.monetary)}${tail}`;
}

/** Why a customer got its stage, naming the numbers. */
export function stageReason(c: CustomerStage, settings: { newCustomerDays: number }, language: Language): string {
	const zh = language === 'zh';
	if (c.stage === null) return zh ? '统计日前没有购买 (只有退款, 或交易都在统计日之后)' : 'no purchase up to the as-of date (only refunds, or only transactions after it)';
	const usual = fmt(c.usualIntervalDays!);
	const ratio = fmt(c.ratio!);
	const whose =
		c.intervalSource === 'own'
			? zh
				? `其通常间隔 ${usual} 天`
				: `their usual ${usual}-day interval`
			: c.intervalSource === 'population'
				? zh
					? `全体复购客户的通常间隔 ${usual} 天 (只有一个购买日)`
					: `the usual ${usual}-day interval of all repeat buyers (one purchase day only)`
				: zh
					? `默认间隔 ${usual} 天 (没有复购客户)`
					: `the default ${usual}-day interval (no repeat buyers)`;
	const since = zh
		? `${c.daysSinceLastPurchase} 天前最后购买, 是${whose}的 ${ratio} 倍`
		: `last purchase ${daysAgo(c.daysSinceLastPurchase!)}, ${ratio}× ${whose}`;
	switch (c.stage) {
		case 'new': {
			const age = c.daysSinceLastPurchase! + (c.lastPurchaseDay! - c.firstPurchaseDay!);
			return zh
				? `首次购买在 ${age} 天前, 在 ${settings.newCustomerDays} 天新客窗口内`
				: `first purchase ${daysAgo(age)}, within the ${settings.newCustomerDays}-day new-customer window`;
		}
		case 'reactivated':
			return zh
				? `${since}; 此前空档 ${c.comebackGapDays} 天, 是以往节奏 ${fmt(c.previousIntervalDays!)} 天的 ${fmt(c.comebackGapDays! / c.previousIntervalDays!)} 倍后回来`
				: `${since}; came back after a ${c.comebackGapDays}-day gap, ${fmt(c.comebackGapDays! / c.previousIntervalDays!)}× their earlier ${fmt(c.previousIntervalDays!)}-day rhythm`;
		default:
			return since;
	}
}

export function stageLabel(stage: Stage, language: Language): string {
	return pick(STAGE_LABELS[stage], language);
}
