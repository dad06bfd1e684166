/**
 * The model item written to the "Model" output: the fitted models at full precision (for "Predict with
 * Model"), a rounded fit report, whether to trust the predictions and why, plus labels and definitions.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { message } from '../../engine/clv/messages';
import { MIN_REPEAT_BUYERS, type ClvModel, type TimeUnit } from '../../engine/clv/model';
import type { Language } from '../../shared/i18n';
import { finiteOnly } from '../../shared/numbers';
import { pairedAll } from '../../shared/node';
import { parameterLabelKeys } from '../labels';
import { MODEL_ITEM_TYPE } from './modelSchema';
import { allItems, dateOrNull, explain, fitReport, type PredictionSettings, type ReadCustomers } from './common';

export type Trust = 'ok' | 'doubtful' | 'refused';

/**
 * Whether to trust predictions made with a model — one rule for Fit and Predict, Predict with Model and
 * Validate, so the same model is judged the same everywhere: doubtful when the purchase model was fitted on
 * fewer than MIN_REPEAT_BUYERS repeat buyers or carries a warning, or the spend model carries a warning (all of
 * them listed in the model item's `warnings`); ok otherwise. ("refused" — no predictions — is decided by Fit and
 * Predict when it falls back to the RFM ranking.)
 */
export function trustOf(purchaseModel: ClvModel, spendModel: ClvModel | null): Trust {
	const tooFew = purchaseModel.repeatBuyers < MIN_REPEAT_BUYERS;
	return tooFew || purchaseModel.warnings.length > 0 || (spendModel?.warnings.length ?? 0) > 0 ? 'doubtful' : 'ok';
}

export interface ModelItemInput {
	purchaseModel: ClvModel | null;
	spendModel: ClvModel | null;
	timeUnit: TimeUnit;
	trust: Trust;
	method: string;
	reason: string | null;
	spendReason: string | null;
	calibrationEnd: number | null;
	settings: PredictionSettings | null;
	read: ReadCustomers;
	/** The input item the model was read from (Predict with Model), paired with the model item too. */
	modelInputItem?: number;
	extra?: Record<string, unknown>;
}

export function modelItem(language: Language, m: ModelItemInput): INodeExecutionData {
	const warnings = [...(m.purchaseModel?.warnings ?? []), ...(m.spendModel?.warnings ?? []).map((warning) => message('spendModelWarning', language, { warning }))];
	if (m.reason) warnings.unshift(m.reason);
	const json = {
		type: MODEL_ITEM_TYPE,
		timeUnit: m.timeUnit,
		method: m.method,
		trust: m.trust,
		reason: m.reason,
		calibrationEnd: dateOrNull(m.calibrationEnd),
		horizon: m.settings?.horizon ?? null,
		discountRate: m.settings?.discountRate ?? null,
		customers: m.read.ids.length,
		purchaseFit: fitReport(m.purchaseModel),
		spendFit: fitReport(m.spendModel),
		spendReason: m.spendModel?.converged ? null : m.spendReason,
		warnings,
		...m.extra,
		// Full precision, for "Predict with Model".
		purchaseModel: m.purchaseModel,
		spendModel: m.spendModel,
		...explain(
			language,
			[
				'customerId',
				'customers',
				'frequency',
				'recency',
				'T',
				'timeUnit',
				'horizon',
				'probabilityAlive',
				'expectedPurchases',
				'expectedAverageSpend',
				'predictedClv',
				'historicSpend',
				'totalClv',
				'discountRate',
				'method',
				'rfmScore',
				'rfmRank',
				'recencyScore',
				'frequencyScore',
				'monetaryScore',
				'purchaseModel',
				'spendModel',
				'converged',
				'logLikelihood',
				'customersUsed',
				'repeatBuyers',
				'iterations',
				...new Set([...parameterLabelKeys(m.purchaseModel?.params), ...parameterLabelKeys(m.spendModel?.params)]),
				'warnings',
				'trust',
			],
			[
				'frequency',
				'recency',
				'T',
				'probabilityAlive',
				'expectedPurchases',
				'expectedAverageSpend',
				'predictedClv',
				'historicSpend',
				'totalClv',
				'rfmFallback',
				'converged',
				'logLikelihood',
				'trust',
			],
		),
	};
	const paired = allItems(m.read);
	if (m.modelInputItem !== undefined && m.modelInputItem >= 0) {
		paired.push(m.modelInputItem);
		paired.sort((a, b) => a - b);
	}
	return { json: finiteOnly(json) as unknown as INodeExecutionData['json'], pairedItem: pairedAll(paired) };
}
