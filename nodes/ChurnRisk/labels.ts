/** Labels and definitions of every Churn Risk output, in English and Simplified Chinese. */
import type { LabelTable } from '../shared/i18n';

export const TIER_LABELS = {
	low: { en: 'Low risk', zh: '低风险' },
	medium: { en: 'Medium risk', zh: '中风险' },
	high: { en: 'High risk', zh: '高风险' },
	critical: { en: 'Critical risk', zh: '极高风险' },
} satisfies LabelTable;

export const LABELS = {
	score: { en: 'Churn risk score (0–100)', zh: '流失风险分 (0–100)' },
	probability: { en: 'Churn probability (0–1)', zh: '流失概率 (0–1)' },
	tier: { en: 'Risk tier', zh: '风险等级' },
	reasons: { en: 'Reasons, largest first', zh: '原因 (按影响从大到小)' },
	coverage: { en: 'Share of signal weight with data', zh: '有数据的信号权重占比' },
	missingSignals: { en: 'Signals left out (field missing)', zh: '未计入的信号 (字段缺失)' },
	value: { en: "The customer's value of the field named beside it", zh: '该客户在所列字段中的取值' },
	referenceValue: { en: "The customer's value of the reference field (baseline, usual interval, previous period, renewed)", zh: '该客户在参照字段中的取值 (基线、通常间隔、上一周期、是否已续约)' },
	measure: { en: "A signal's measure (e.g. days since the last purchase ÷ usual interval)", zh: '信号的度量值 (如距上次购买天数 ÷ 通常间隔)' },
	severity: { en: 'Severity (0 below the warning level, ½ at it, 1 at the alert level)', zh: '严重度 (低于预警线为 0, 预警线为 ½, 警报线为 1)' },
	points: { en: 'Points of the score from this signal', zh: '该信号贡献的分数' },
	contribution: { en: 'Contribution to the log-odds of churn (positive raises the risk)', zh: '对流失对数几率的贡献 (正值提高风险)' },
	standardisedValue: { en: 'Standard deviations from the training average', zh: '与训练平均值相差的标准差数' },
	logit: { en: 'Log-odds of churn (base + all contributions)', zh: '流失对数几率 (基准 + 全部贡献)' },
	base: { en: 'Base log-odds, before any field', zh: '基准对数几率 (未计任何字段)' },
	otherContributions: { en: 'Sum of the contributions of the fields not listed as reasons', zh: '未列为原因的字段贡献之和' },
	customers: { en: 'Customers used', zh: '使用的客户数' },
	churned: { en: 'Churned customers', zh: '已流失客户数' },
	trainingCustomers: { en: 'Customers the model learnt from', zh: '用于训练的客户数' },
	validationCustomers: { en: 'Customers held out to check the model', zh: '留出用于检验的客户数' },
	rocAuc: { en: 'ROC AUC (ranking quality, 0.5 = guessing, 1 = perfect)', zh: 'ROC AUC (排序能力, 0.5 = 随机, 1 = 完美)' },
	rocAucInterval: { en: '95 % confidence interval of the ROC AUC (low to high)', zh: 'ROC AUC 的 95% 置信区间 (下限至上限)' },
	low: { en: 'Lower end of the 95 % interval of the ROC AUC', zh: 'ROC AUC 95% 置信区间的下限' },
	high: { en: 'Upper end of the 95 % interval of the ROC AUC', zh: 'ROC AUC 95% 置信区间的上限' },
	prAuc: { en: 'PR AUC (precision on churners; compare with the churn rate)', zh: 'PR AUC (识别流失者的精确度, 与流失率比较)' },
	brierScore: { en: 'Brier score (probability error, 0 = perfect)', zh: 'Brier 分数 (概率误差, 0 = 完美)' },
	logLoss: { en: 'Log loss', zh: '对数损失' },
	churnRate: { en: 'Churn rate among held-out customers', zh: '留出客户中的流失率' },
	calibration: { en: 'Calibration: predicted vs actual churn by band', zh: '校准: 各概率段预测与实际流失率' },
	from: { en: 'Calibration band: lowest predicted probability (included)', zh: '校准分段: 预测概率下限 (含)' },
	to: { en: 'Calibration band: highest predicted probability (excluded, except 1)', zh: '校准分段: 预测概率上限 (不含, 1 除外)' },
	meanPredicted: { en: 'Mean predicted churn probability in the band', zh: '该段的平均预测流失概率' },
	observedChurnRate: { en: "Share of the band's customers who churned", zh: '该段客户中实际流失的比例' },
	importance: { en: 'Most important fields', zh: '最重要的字段' },
	share: { en: "A field's share of the total importance", zh: '该字段占总重要性的比例' },
	constantFields: { en: 'Fields with one value only (no effect)', zh: '只有一个取值的字段 (无影响)' },
} satisfies LabelTable;

export type LabelKey = keyof typeof LABELS;

export const DEFINITIONS = {
	signalScore: {
		en: 'Score = 100 × Σ weight × severity / Σ weight, over the signals with data. Severity is 0 below the warning level, ½ at it, rising to 1 at the alert level. A signal whose field is missing is left out and listed, not counted as zero. The points of the reasons add up to the score.',
		zh: '风险分 = 100 × Σ 权重 × 严重度 / Σ 权重 (仅计有数据的信号)。低于预警线严重度为 0, 达到预警线为 ½, 到警报线升至 1。字段缺失的信号不计入并单独列出, 不按 0 计。各原因的分数相加等于风险分。',
	},
	modelScore: {
		en: 'Probability = 1 / (1 + e^−logit); logit = base + Σ contributions. Logistic regression: contribution = coefficient × standardised value (one-hot for categories). Gradient boosting: the TreeSHAP value of each field (its exact Shapley value; base = the log-odds of the average customer), or path contributions per tree (Saabas) when Tree Reasons says so. Positive contributions raise the risk.',
		zh: '概率 = 1 / (1 + e^−logit); logit = 基准 + Σ 各字段贡献。逻辑回归: 贡献 = 系数 × 标准化值 (类别字段为独热编码)。梯度提升树: 各字段的 TreeSHAP 值 (精确 Shapley 值; 基准 = 平均客户的对数几率), 或在“树模型原因”选择时为各树路径贡献 (Saabas)。正贡献提高风险。',
	},
	rocAuc: {
		en: 'Probability that a randomly chosen churned customer gets a higher score than a randomly chosen retained one (ties count ½), on the held-out customers.',
		zh: '在留出客户中, 随机一位已流失客户的分数高于随机一位未流失客户的概率 (相同分数计 ½)。',
	},
	rocAucInterval: {
		en: "95 % confidence interval of the ROC AUC: with another sample of customers like these, the AUC would usually fall in this range; a wide range means too few held-out customers to judge the model. From DeLong's variance of the AUC (DeLong, DeLong & Clarke-Pearson 1988), on the logit scale so that it stays between 0 and 1. Null, with the reason beside it, when fewer than 2 churned or 2 retained customers are held out, or when every churned customer ranks alike against every retained one (perfectly separated or all tied).",
		zh: 'ROC AUC 的 95% 置信区间: 换一批类似的客户, AUC 通常落在此范围内; 范围很宽说明留出的客户太少, 不足以评判模型。按 DeLong 的 AUC 方差 (DeLong, DeLong & Clarke-Pearson 1988) 在 logit 尺度上计算, 因此始终在 0 与 1 之间。留出客户中已流失或未流失者少于 2 位, 或每位已流失客户相对每位未流失客户的排序都相同 (完全分开或分数全部相同) 时为 null, 并在旁边说明原因。',
	},
	prAuc: {
		en: 'Average precision: mean share of true churners among the customers ranked above each churner. A model that guesses scores the churn rate.',
		zh: '平均精确率: 按分数排序时, 每位流失客户之前 (含) 真实流失者所占比例的平均。随机猜测的得分等于流失率。',
	},
	brierScore: { en: 'Mean of (predicted probability − actual outcome)² on the held-out customers.', zh: '留出客户上 (预测概率 − 实际结果)² 的平均值。' },
	calibration: {
		en: 'Held-out customers grouped by predicted probability (bands of 0.1); in a trustworthy model the actual churn rate of each band is close to its mean prediction.',
		zh: '按预测概率 (每 0.1 一段) 分组的留出客户; 可信的模型中各段实际流失率接近其平均预测值。',
	},
	importance: {
		en: 'Mean absolute contribution of a field to the log-odds over the held-out customers (an evenly spaced 5,000 of them when there are more; gradient-boosted trees: its TreeSHAP value), and its share of the total.',
		zh: '字段对对数几率贡献绝对值在留出客户上的平均 (超过 5,000 人时取均匀间隔的 5,000 人; 梯度提升树: 其 TreeSHAP 值), 及其占总和的比例。',
	},
	validation: {
		en: 'A stratified share of the customers (same churn rate) is held out, chosen by the seed; the model never sees them while learning, and every measure above is computed on them.',
		zh: '按种子分层留出一部分客户 (流失率相同); 模型训练时不接触这些客户, 以上指标均在其上计算。',
	},
} satisfies LabelTable;

export type DefinitionKey = keyof typeof DEFINITIONS;
