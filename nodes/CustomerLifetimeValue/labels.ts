/** Labels and definitions of every Customer Lifetime Value output field, in English and Simplified Chinese. */
import type { LabelTable } from '../shared/i18n';

export const LABELS = {
	customerId: { en: 'Customer ID', zh: '客户 ID' },
	customers: { en: 'Customers in the input', zh: '输入中的客户数' },
	customersCompared: { en: 'Customers compared (with a purchase in the calibration period)', zh: '参与对比的客户数 (校准期内有购买)' },
	customersFirstSeenInHoldout: { en: 'Customers first seen in the holdout (not compared)', zh: '验证期才首次出现的客户数 (不参与对比)' },
	frequency: { en: 'Repeat purchases (frequency)', zh: '复购次数 (频次)' },
	recency: { en: 'Time from first to last purchase (recency)', zh: '首购到末次购买的时长 (近度)' },
	T: { en: 'Time since first purchase (customer age, T)', zh: '首购至今的时长 (客户年龄 T)' },
	timeUnit: { en: 'Time unit', zh: '时间单位' },
	horizon: { en: 'Prediction horizon', zh: '预测时长' },
	probabilityAlive: { en: 'Probability still active', zh: '仍活跃的概率' },
	expectedPurchases: { en: 'Expected purchases in the horizon', zh: '预测期内的预期购买次数' },
	expectedAverageSpend: { en: 'Expected spend per purchase', zh: '预期每次消费金额' },
	predictedClv: { en: 'Predicted customer lifetime value (discounted)', zh: '预测客户生命周期价值 (折现)' },
	historicSpend: { en: 'Spent so far', zh: '累计已消费' },
	totalClv: { en: 'Total lifetime value (spent so far + predicted)', zh: '总生命周期价值 (已消费 + 预测)' },
	discountRate: { en: 'Discount rate per time unit', zh: '每单位时间的折现率' },
	method: { en: 'Method', zh: '方法' },
	rfmScore: { en: 'RFM score (3–15)', zh: 'RFM 分数 (3–15)' },
	rfmRank: { en: 'RFM rank (1 = best)', zh: 'RFM 排名 (1 = 最好)' },
	recencyScore: { en: 'Recency score (1–5 by quintile, 5 = bought most recently)', zh: '近度得分 (按五分位 1–5, 5 = 最近购买)' },
	frequencyScore: { en: 'Frequency score (1–5 by quintile, 5 = most repeat purchases)', zh: '频次得分 (按五分位 1–5, 5 = 复购最多)' },
	monetaryScore: { en: 'Monetary score (1–5 by quintile, 5 = spent the most)', zh: '金额得分 (按五分位 1–5, 5 = 消费最多)' },
	purchaseModel: { en: 'Purchase model', zh: '购买模型' },
	spendModel: { en: 'Spend model', zh: '消费金额模型' },
	converged: { en: 'Fit converged', zh: '拟合已收敛' },
	logLikelihood: { en: 'Log-likelihood', zh: '对数似然' },
	customersUsed: { en: 'Customers used in the fit', zh: '参与拟合的客户数' },
	iterations: { en: 'Optimiser iterations', zh: '优化器迭代次数' },
	// Fitted parameters (purchaseFit.params, spendFit.params), by their names in the papers.
	r: { en: 'r: shape of how purchase rates differ between customers', zh: 'r: 客户间购买率差异的形状参数' },
	alpha: { en: 'α: scale of the purchase rates (in the time unit)', zh: 'α: 购买率的尺度参数 (按时间单位)' },
	a: { en: 'a: first shape parameter of the chance of leaving after a purchase', zh: 'a: 每次购买后流失概率的第一个形状参数' },
	b: { en: 'b: second shape parameter of the chance of leaving after a purchase', zh: 'b: 每次购买后流失概率的第二个形状参数' },
	s: { en: 's: shape of how dropout rates differ between customers', zh: 's: 客户间流失率差异的形状参数' },
	beta: { en: 'β: scale of the dropout rates (in the time unit)', zh: 'β: 流失率的尺度参数 (按时间单位)' },
	p: { en: 'p: shape of the spend of one purchase around the customer’s own average', zh: 'p: 单次消费金额围绕客户自身均值的形状参数' },
	q: { en: 'q: shape of how average spend differs between customers', zh: 'q: 客户间平均消费差异的形状参数' },
	v: { en: 'v: scale of how average spend differs between customers', zh: 'v: 客户间平均消费差异的尺度参数' },
	repeatBuyers: { en: 'Repeat buyers', zh: '复购客户数' },
	warnings: { en: 'Warnings', zh: '警告' },
	trust: { en: 'Can the predictions be trusted?', zh: '预测是否可信?' },
	correlation: { en: 'Correlation of predicted and actual purchases', zh: '预测与实际购买次数的相关系数' },
	meanAbsoluteError: { en: 'Mean absolute error (purchases per customer)', zh: '平均绝对误差 (每位客户的购买次数)' },
	actualTotal: { en: 'Actual repeat purchases in the holdout', zh: '验证期实际复购次数' },
	predictedTotal: { en: 'Predicted repeat purchases in the holdout', zh: '验证期预测复购次数' },
	holdoutLength: { en: 'Holdout period length', zh: '验证期时长' },
	meanProbabilityAlive: { en: 'Mean probability still active', zh: '平均仍活跃概率' },
	table: { en: 'Actual vs predicted by repeat purchases in calibration', zh: '按校准期复购次数分组的实际与预测对比' },
	actualMean: { en: 'Mean actual repeat purchases in the holdout (customers of the row)', zh: '验证期实际复购次数的均值 (该行客户)' },
	predictedMean: { en: 'Mean predicted repeat purchases in the holdout (customers of the row)', zh: '验证期预测复购次数的均值 (该行客户)' },
} satisfies LabelTable;

export type LabelKey = keyof typeof LABELS;

/** The label keys of a fitted model's parameters (those the table knows). */
export function parameterLabelKeys(params: Record<string, unknown> | undefined): LabelKey[] {
	return Object.keys(params ?? {}).filter((name): name is LabelKey => Object.prototype.hasOwnProperty.call(LABELS, name));
}

export const DEFINITIONS = {
	frequency: {
		en: 'Number of distinct days with a purchase, minus the first one, up to the calibration end.',
		zh: '截至校准期末有购买的不同天数减去首购那一天。',
	},
	recency: {
		en: 'Time between the first and the last purchase day, in the time unit.',
		zh: '首购日到最后一次购买日之间的时长 (按所选时间单位)。',
	},
	T: {
		en: 'Time between the first purchase day and the calibration end, in the time unit.',
		zh: '首购日到校准期末之间的时长 (按所选时间单位)。',
	},
	probabilityAlive: {
		en: 'Chance (0–1) that the customer has not quietly left, given how often and how recently they bought.',
		zh: '根据购买频次和最近购买时间, 客户尚未悄然流失的概率 (0–1)。',
	},
	expectedPurchases: {
		en: 'Purchases (distinct purchase days) the model expects from this customer in the next horizon.',
		zh: '模型预计该客户在接下来的预测期内的购买次数 (按不同购买日计)。',
	},
	expectedAverageSpend: {
		en: 'Gamma-Gamma estimate of the amount of a future purchase: a blend of the customer’s own average and the shop average, leaning on the customer’s own the more often they bought.',
		zh: 'Gamma-Gamma 模型估计的未来每次消费金额: 客户自身均值与全店均值的加权, 购买越多越偏向客户自身均值。',
	},
	predictedClv: {
		en: 'Expected purchases in each time unit of the horizon × expected spend per purchase, discounted to today at the discount rate per unit.',
		zh: '预测期内每个时间单位的预期购买次数 × 预期每次消费金额, 按每单位折现率折现到今天。',
	},
	historicSpend: { en: 'Total amount spent up to the calibration end.', zh: '截至校准期末的累计消费金额。' },
	totalClv: { en: 'Spent so far plus the predicted lifetime value.', zh: '累计已消费加上预测生命周期价值。' },
	rfmFallback: {
		en: 'Too few repeat buyers for a model: customers are ranked by recency, frequency and spend (each scored 1–5 by quintile). This is a ranking, not a prediction.',
		zh: '复购客户太少, 无法拟合模型: 按近度、频次和消费金额 (各按五分位打 1–5 分) 对客户排序。这是排序, 不是预测。',
	},
	converged: {
		en: 'Whether the optimiser found the maximum of the likelihood. Predictions are refused when it did not.',
		zh: '优化器是否找到了似然函数的最大值。未收敛时拒绝预测。',
	},
	logLikelihood: {
		en: 'How well the fitted model explains the purchases (higher is better); comparable between models on the same data.',
		zh: '拟合模型对购买数据的解释程度 (越高越好); 同一数据上可在模型间比较。',
	},
	correlation: {
		en: 'Pearson correlation between each customer’s predicted and actual holdout purchases (1 = perfect ranking).',
		zh: '每位客户在验证期的预测购买次数与实际购买次数之间的皮尔逊相关系数 (1 = 完美)。',
	},
	meanAbsoluteError: {
		en: 'Average over customers of |predicted − actual| holdout purchases.',
		zh: '各客户验证期 |预测 − 实际| 购买次数的平均值。',
	},
	table: {
		en: 'Customers grouped by their repeat purchases in the calibration period; in each group the mean actual and mean predicted holdout purchases. The last group holds that many or more.',
		zh: '按校准期复购次数对客户分组; 每组给出验证期实际与预测购买次数的均值。最后一组为该次数及以上。',
	},
	trust: {
		en: '"ok": converged with enough repeat buyers; "doubtful": converged but with warnings; "refused": no predictions (see reason).',
		zh: '"ok": 已收敛且复购客户足够; "doubtful": 已收敛但有警告; "refused": 不给出预测 (见原因)。',
	},
} satisfies LabelTable;

export type DefinitionKey = keyof typeof DEFINITIONS;
