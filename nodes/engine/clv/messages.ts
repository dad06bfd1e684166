/**
 * Every sentence the Customer Lifetime Value node writes into its outputs (reasons, warnings, notes), in
 * English and Simplified Chinese: one table, here, used by the engine (fit warnings, convergence reasons,
 * refusals) and by the node (per-customer reasons). The labels and definitions of its numbers live in
 * CustomerLifetimeValue/labels.ts. `{name}` stands for a parameter.
 */
import { pickFilled, type Bilingual, type Language } from '../../shared/i18n';

export const MESSAGES = {
	// Why the optimiser stopped (convergenceReason).
	notFiniteAtStart: { en: 'the likelihood is not finite at the starting point', zh: '起点处的似然值不是有限数' },
	gradientBelowTolerance: { en: 'gradient below tolerance', zh: '梯度低于容差' },
	precisionLimit: {
		en: 'no further decrease possible at machine precision; gradient small',
		zh: '已达机器精度, 无法再下降; 梯度很小',
	},
	lineSearchFailed: {
		en: 'the line search could not decrease the objective (gradient {gradient})',
		zh: '线搜索无法再降低目标函数 (梯度 {gradient})',
	},
	objectiveStable: { en: 'objective no longer changes; gradient small', zh: '目标函数不再变化; 梯度很小' },
	noProgress: { en: 'no progress for {count} iterations (gradient {gradient})', zh: '连续 {count} 次迭代没有进展 (梯度 {gradient})' },
	stoppedAfter: { en: 'stopped after {count} iterations', zh: '迭代 {count} 次后停止' },
	logLikelihoodNotFinite: { en: 'the log-likelihood is not finite', zh: '对数似然不是有限数' },
	noInteriorMaximum: { en: 'no interior maximum: {runaway}', zh: '参数空间内没有最大值: {runaway}' },
	runawayParameter: { en: 'parameter {name} ran off to {value}', zh: '参数 {name} 发散到 {value}' },

	// Fit warnings (model.warnings).
	fewRepeatBuyers: {
		en: 'only {count} repeat buyers (fewer than {minimum}): the parameters are very uncertain; rank customers by RFM instead or collect more history',
		zh: '只有 {count} 位复购客户 (少于 {minimum} 位): 参数非常不确定; 请改用 RFM 对客户排序, 或积累更多历史数据',
	},
	extremeParameter: {
		en: 'parameter {name} = {value} is at an extreme: the data barely identify it',
		zh: '参数 {name} = {value} 处于极端值: 数据几乎无法确定它',
	},
	noMaximumInside: {
		en: 'the likelihood has no maximum inside the parameter space ({runaway}): the customers differ too little for the model to tell them apart. Add a penalizer (for example 0.01), use more data, or rank by RFM.',
		zh: '似然函数在参数空间内没有最大值 ({runaway}): 客户之间差异太小, 模型无法区分。请添加惩罚项 (例如 0.01)、使用更多数据, 或改用 RFM 排序。',
	},
	startsNotConverged: {
		en: 'the most promising starting point did not converge; {runs} of {starts} were run',
		zh: '最有希望的起点未收敛; 共运行了 {starts} 个起点中的 {runs} 个',
	},
	missingSpend: {
		en: '{count} repeat buyers without a mean spend were left out of the spend fit (their expected spend is the population mean)',
		zh: '{count} 位没有平均消费数据的复购客户未参与消费金额模型的拟合 (其预期消费按总体平均计)',
	},
	spendMissingPopulationMean: {
		en: 'mean spend missing: the population mean of the spend model is used',
		zh: '缺少平均消费: 使用消费金额模型的总体平均值',
	},
	nonPositiveSpend: {
		en: '{count} repeat buyers with a mean spend ≤ 0 were left out of the spend fit',
		zh: '{count} 位平均消费 ≤ 0 的复购客户未参与消费金额模型的拟合',
	},
	infiniteMeanSpend: {
		en: "q = {q} ≤ 1: the population mean spend is infinite; expected spend leans on each customer's own mean",
		zh: 'q = {q} ≤ 1: 总体平均消费为无穷大; 预期消费金额以每位客户自身的均值为准',
	},
	spendModelWarning: { en: 'spend model: {warning}', zh: '消费金额模型: {warning}' },

	// Why a model could not be fitted (reason, spendReason).
	noCustomers: { en: 'there are no customers to fit the model on', zh: '没有可用于拟合模型的客户' },
	noRepeatPurchases: {
		en: 'no customer bought more than once in the calibration period: purchase models learn from repeat purchases',
		zh: '校准期内没有客户购买超过一次: 购买模型需要从复购中学习',
	},
	calibrationEmpty: { en: 'every customer has T = 0: the calibration period is empty', zh: '所有客户的 T 都为 0: 校准期为空' },
	negativePenalizer: { en: 'the penalizer must be ≥ 0 (got {value})', zh: '惩罚项必须 ≥ 0 (实际为 {value})' },
	tooFewSpendBuyers: {
		en: 'the spend model needs repeat buyers with a positive mean spend; found {count}',
		zh: '消费金额模型需要平均消费为正的复购客户; 只找到 {count} 位',
	},
	fitFailed: { en: 'the fit failed: {message}', zh: '拟合失败: {message}' },
	fitNotConverged: { en: 'the fit did not converge: {reason}', zh: '拟合未收敛: {reason}' },
	rankedByRfm: {
		en: 'fewer than {minimum} repeat buyers: ranked by RFM instead of predicting',
		zh: '复购客户少于 {minimum} 位: 改为按 RFM 排序, 不做预测',
	},
	spendNotConverged: { en: 'the spend model did not converge ({reason})', zh: '消费金额模型未收敛 ({reason})' },
	noSpendModelChosen: { en: 'no spend model was chosen (or there are no amounts)', zh: '未选择消费金额模型 (或没有金额数据)' },
	validateFitsPurchaseOnly: { en: 'Validate fits the purchase model only', zh: '验证操作只拟合购买模型' },
	noMeanSpendInInput: {
		en: 'no mean spend in the input (or the spend model did not converge)',
		zh: '输入中没有平均消费 (或消费金额模型未收敛)',
	},
	modelWithoutSpend: { en: 'the model has no spend model', zh: '该模型不含消费金额模型' },
	summariesConverted: {
		en: "summaries, horizon and discount rate converted from {from} to the model's {to}",
		zh: '客户摘要、预测期和折现率已从“{from}”换算为模型的时间单位“{to}”',
	},
	horizonConverted: {
		en: "horizon and discount rate converted from {from} to the model's {to}",
		zh: '预测期和折现率已从“{from}”换算为模型的时间单位“{to}”',
	},
	correlationUndefined: {
		en: 'every customer has the same predicted or actual value',
		zh: '所有客户的预测值或实际值都相同',
	},

	// Why a customer's value is null (reasons).
	firstPurchaseAfterCalibration: {
		en: 'the first purchase is after the calibration end: nothing to learn from yet',
		zh: '首次购买在校准期末之后: 尚无可学习的历史',
	},
	notComputed: { en: 'could not be computed', zh: '无法计算' },
	seriesDiverged: {
		en: 'the series did not converge: the horizon is extremely long for this model; use a shorter horizon',
		zh: '级数未收敛: 对该模型而言预测期过长; 请缩短预测时长',
	},
	// Gamma-Gamma's p(v + x m̄)/(px + q − 1) is undefined when px + q ≤ 1; which case applies is said.
	spendUndefined: {
		en: 'the spend model has q ≤ 1, so its population mean spend is infinite: the expected spend of a customer without repeat purchases is undefined',
		zh: '消费金额模型的 q ≤ 1, 总体平均消费为无穷大: 没有复购的客户的预期消费金额无定义',
	},
	spendUndefinedMeanMissing: {
		en: 'mean spend missing, and the spend model has q ≤ 1 (its population mean spend is infinite): the expected spend is undefined',
		zh: '缺少平均消费, 且消费金额模型的 q ≤ 1 (总体平均消费为无穷大): 预期消费金额无定义',
	},
	spendUndefinedFewPurchases: {
		en: 'the spend model has p × frequency + q ≤ 1: the expected spend is undefined for a customer with so few repeat purchases',
		zh: '消费金额模型的 p × 复购次数 + q ≤ 1: 复购次数这么少的客户的预期消费金额无定义',
	},
	needsPurchasesAndSpend: { en: 'needs expected purchases and spend', zh: '需要预期购买次数和预期消费金额' },
	noSpendModel: { en: 'no spend model', zh: '没有消费金额模型' },
	noPredictedClv: { en: 'no predicted CLV', zh: '没有预测客户生命周期价值' },
	historicSpendMissing: {
		en: 'the Spent So Far Field is empty or missing for this customer',
		zh: '该客户的“累计已消费”字段为空或缺失',
	},
	needsHistoricSpend: {
		en: 'needs the spent so far, which is missing for this customer',
		zh: '需要累计已消费金额, 但该客户缺少此数据',
	},
	needsMonetaryScore: {
		en: 'needs the monetary score, which needs the spent so far (missing for this customer)',
		zh: '需要金额得分, 而金额得分需要累计已消费金额 (该客户缺少此数据)',
	},
} satisfies Record<string, Bilingual>;

export type MessageKey = keyof typeof MESSAGES;

/** Time units as they appear inside a sentence. */
export const TIME_UNIT_NAMES = {
	days: { en: 'days', zh: '天' },
	weeks: { en: 'weeks', zh: '周' },
	months: { en: 'months', zh: '月' },
} satisfies Record<string, Bilingual>;

/** A message in the chosen language, with its `{name}` parameters filled in. */
export function message(key: MessageKey, language: Language = 'en', params: Record<string, string | number> = {}): string {
	return pickFilled(MESSAGES[key], language, params);
}
