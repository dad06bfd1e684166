/**
 * Fit and Predict: fit a purchase model (and Gamma-Gamma for spend) on the customers' history, then predict
 * P(alive), purchases, spend and CLV per customer. Output 1: one item per customer. Output 2: the model item
 * (parameters, fit report, warnings), which "Predict with Model" can apply later.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fitGammaGamma } from '../../engine/clv/gammagamma';
import { fitPurchase } from '../../engine/clv/index';
import { message } from '../../engine/clv/messages';
import { ClvInputError, MIN_REPEAT_BUYERS, type ClvModel, type PurchaseModelKind, type TimeUnit } from '../../engine/clv/model';
import { predictCustomers, type Predictions } from '../../engine/clv/predict';
import { rankByRfm, type RfmRanking } from '../../engine/clv/rfm';
import type { Language } from '../../shared/i18n';
import { booleanParameter, dayParameter, getCalendar, getLanguage, optionParameter } from '../../shared/node';
import {
	calibrationRows,
	customerItems,
	penalizerParameter,
	predictionParameters,
	purchaseModelProperty,
	readSummaries,
	readTransactions,
	pick64,
	sharedProperties,
	type ReadCustomers,
} from './common';
import { modelItem, trustOf, type Trust } from './modelItem';

const OP = 'fitPredict';
const show = { operation: [OP] };

export const description: INodeProperties[] = [
	{
		displayName: 'Spend Model',
		name: 'spendModel',
		type: 'options',
		options: [
			{ name: 'Gamma-Gamma', value: 'gammaGamma', description: 'Expected spend per purchase, fitted on repeat buyers' },
			{ name: 'None (Purchases Only)', value: 'none' },
		],
		default: 'gammaGamma',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'fitOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Penalizer',
				name: 'penalizer',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 4 },
				description: 'L2 penalty on the log-parameters (try 0.001–0.1 when a fit does not converge on small or uniform data)',
			},
			{
				displayName: 'Fall Back to RFM Ranking',
				name: 'rfmFallback',
				type: 'boolean',
				default: true,
				description: `Whether to rank customers by recency, frequency and spend (flagged "rfm-fallback") when there are fewer than ${MIN_REPEAT_BUYERS} repeat buyers or the fit fails, instead of stopping with an error`,
			},
		],
	},
];

interface FitOutcome {
	purchaseModel: ClvModel | null;
	purchaseError: string | null;
	spendModel: ClvModel | null;
	spendError: string | null;
}

/** Fits the models on the customers with a calibration purchase; engine input errors become reasons. */
export function fitModels(
	read: ReadCustomers,
	rows: Int32Array,
	kind: PurchaseModelKind,
	withSpend: boolean,
	timeUnit: TimeUnit,
	penalizer: number,
	language: Language = 'en',
): FitOutcome {
	const s = read.summaries;
	const data = { frequency: pick64(s.frequency, rows), recency: pick64(s.recency, rows), T: pick64(s.T, rows) };
	const out: FitOutcome = { purchaseModel: null, purchaseError: null, spendModel: null, spendError: null };
	try {
		out.purchaseModel = fitPurchase(kind, data, { timeUnit, penalizer, language });
	} catch (error) {
		out.purchaseError = reasonOf(error, language);
	}
	if (withSpend) {
		try {
			out.spendModel = fitGammaGamma(data.frequency, pick64(s.meanRepeatSpend, rows), { timeUnit, penalizer, language });
			if (!out.spendModel.converged) out.spendError = message('spendNotConverged', language, { reason: out.spendModel.convergenceReason });
		} catch (error) {
			out.spendError = reasonOf(error, language);
		}
	} else {
		out.spendError = message('noSpendModelChosen', language);
	}
	return out;
}

/** The engine's input errors are reasons to report; anything else is a failure of the fit, said as such. */
function reasonOf(error: unknown, language: Language): string {
	if (error instanceof ClvInputError) return error.message;
	return message('fitFailed', language, { message: error instanceof Error ? error.message : String(error) });
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const language = getLanguage(this);
	const timeUnit = optionParameter<TimeUnit>(this, sharedProperties, 'timeUnit');
	const inputType = optionParameter<'transactions' | 'summaries'>(this, sharedProperties, 'inputType');
	const kind = optionParameter<PurchaseModelKind>(this, [purchaseModelProperty], 'purchaseModel');
	const spendChoice = optionParameter<'gammaGamma' | 'none'>(this, description, 'spendModel');
	const { horizon, discountRate } = predictionParameters(this);
	const options = this.getNodeParameter('fitOptions', 0, {}) as { penalizer?: unknown; rfmFallback?: unknown };
	const penalizer = penalizerParameter(this, options.penalizer);
	const rfmFallback = booleanParameter('Fall Back to RFM Ranking', options.rfmFallback, true, (m) => {
		throw new NodeOperationError(this.getNode(), m);
	});

	let read: ReadCustomers;
	if (inputType === 'transactions') {
		const calendar = getCalendar(this);
		const calibrationEnd = dayParameter(this, calendar, 'calibrationEnd', 'Calibration End', false);
		read = readTransactions(this, items, calendar, timeUnit, {
			calibrationEnd,
			readAmounts: spendChoice === 'gammaGamma',
		});
	} else {
		read = readSummaries(this, items, timeUnit);
	}
	const rows = calibrationRows(read);
	const withSpend = spendChoice === 'gammaGamma' && read.hasAmounts;
	const fit = fitModels(read, rows, kind, withSpend, timeUnit, penalizer, language);

	const purchase = fit.purchaseModel;
	const tooFew = !purchase || purchase.repeatBuyers < MIN_REPEAT_BUYERS;
	const failed = !purchase || !purchase.converged;
	const refusal = !purchase ? fit.purchaseError! : !purchase.converged ? message('fitNotConverged', language, { reason: purchase.convergenceReason }) : null;
	if (failed && !rfmFallback) {
		throw new NodeOperationError(this.getNode(), `No predictions: ${refusal}`, {
			description: 'Switch on "Fall Back to RFM Ranking", add a penalizer, or give the node more customers with repeat purchases.',
		});
	}
	const useRfm = rfmFallback && (failed || tooFew);
	let predictions: Predictions | null = null;
	let rfm: RfmRanking | null = null;
	let trust: Trust;
	if (useRfm) {
		const s = read.summaries;
		rfm = rankByRfm({
			frequency: pick64(s.frequency, rows),
			recency: pick64(s.recency, rows),
			T: pick64(s.T, rows),
			spend: pick64(s.calibrationSpend, rows),
		});
		trust = 'refused';
	} else {
		const s = read.summaries;
		const spendUsable = fit.spendModel?.converged ? fit.spendModel : null;
		predictions = predictCustomers(
			purchase!,
			spendUsable,
			{ frequency: pick64(s.frequency, rows), recency: pick64(s.recency, rows), T: pick64(s.T, rows), meanSpend: pick64(s.meanRepeatSpend, rows) },
			{ horizon, discountRate },
		);
		trust = trustOf(purchase!, fit.spendModel);
	}
	const method = useRfm ? 'rfm-fallback' : withSpend && fit.spendModel?.converged ? `${kind}+gammagamma` : kind;
	const settings = { horizon, discountRate, timeUnit };
	const customers = customerItems(read, settings, method, predictions, rfm, rows, fit.spendError, language);
	const model = modelItem(language, {
		purchaseModel: purchase,
		spendModel: fit.spendModel,
		timeUnit,
		trust,
		method,
		reason: useRfm ? (refusal ?? message('rankedByRfm', language, { minimum: MIN_REPEAT_BUYERS })) : null,
		spendReason: fit.spendError,
		calibrationEnd: read.calibrationEnd,
		settings,
		read,
	});
	return [[...read.errorItems, ...customers], [model]];
}
