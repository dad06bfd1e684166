/**
 * Validate: split the transactions at a date, fit the purchase model on the calibration period and compare
 * predicted with actual repeat purchases in the holdout — per calibration frequency (the paper's Figure 4),
 * correlation and mean absolute error. Output 1: the report item. Output 2: the model item.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PurchaseModelKind, TimeUnit } from '../../engine/clv/model';
import { message } from '../../engine/clv/messages';
import type { CustomerSummaries } from '../../engine/clv/summary';
import { compareHoldout } from '../../engine/clv/validate';
import { pick } from '../../shared/i18n';
import { dayParameter, getCalendar, getLanguage, numbersFromText, optionParameter, pairedAll, wholeNumberParameter } from '../../shared/node';
import { finiteOnly, round } from '../../shared/numbers';
import { LABELS } from '../labels';
import { allItems, calibrationRows, dateOrNull, explain, penalizerParameter, pick64, purchaseModelProperty, readTransactions, sharedProperties } from './common';
import { fitModels } from './fitPredict.operation';
import { modelItem, trustOf } from './modelItem';

const OP = 'validate';
/** Rows of the holdout table: one per repeat-purchase count up to this, the last for "this many or more". */
const MAX_TOP_FREQUENCY = 100;

export const description: INodeProperties[] = [
	{
		displayName: 'Top Frequency Group',
		name: 'topFrequency',
		type: 'number',
		default: 7,
		typeOptions: { minValue: 1, maxValue: 100 },
		description: 'Customers with this many repeat purchases or more share the last row of the table',
		displayOptions: { show: { operation: [OP] } },
	},
	{
		displayName: 'Penalizer',
		name: 'validatePenalizer',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 4 },
		description: 'L2 penalty on the log-parameters, as in Fit and Predict',
		displayOptions: { show: { operation: [OP] } },
	},
];

/**
 * Customers whose first purchase is in the holdout (after the Calibration End, up to the Holdout End): not
 * compared. Customers first seen after the Holdout End are outside both periods and not counted.
 */
function firstSeenInHoldout(s: CustomerSummaries): number {
	let count = 0;
	for (let c = 0; c < s.inCalibration.length; c++) if (!s.inCalibration[c] && s.holdoutPurchases[c] > 0) count++;
	return count;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const language = getLanguage(this);
	const calendar = getCalendar(this);
	const timeUnit = optionParameter<TimeUnit>(this, sharedProperties, 'timeUnit');
	const kind = optionParameter<PurchaseModelKind>(this, [purchaseModelProperty], 'purchaseModel');
	const { top } = numbersFromText({ top: this.getNodeParameter('topFrequency', 0, 7) as unknown });
	const topFrequency = wholeNumberParameter('Top Frequency Group', top, 1, MAX_TOP_FREQUENCY, (m) => {
		throw new NodeOperationError(this.getNode(), m);
	});
	const penalizer = penalizerParameter(this, this.getNodeParameter('validatePenalizer', 0, 0));
	const calibrationEnd = dayParameter(this, calendar, 'calibrationEnd', 'Calibration End', false);
	if (calibrationEnd === undefined) throw new NodeOperationError(this.getNode(), 'The parameter "Calibration End" is required to split the data');
	const observationEnd = dayParameter(this, calendar, 'observationEnd', 'Holdout End', false);
	const read = readTransactions(this, items, calendar, timeUnit, { calibrationEnd, observationEnd, readAmounts: false });
	if (!(read.summaries.holdoutLength > 0)) {
		throw new NodeOperationError(this.getNode(), 'There is no holdout period: the last purchase (or Holdout End) is not after the Calibration End');
	}
	const rows = calibrationRows(read);
	const fit = fitModels(read, rows, kind, false, timeUnit, penalizer, language);
	const model = fit.purchaseModel;
	if (!model) throw new NodeOperationError(this.getNode(), `No model: ${fit.purchaseError}`);
	if (!model.converged) {
		throw new NodeOperationError(this.getNode(), `The fit did not converge: ${model.convergenceReason}`, {
			description: 'Add a penalizer, choose an earlier calibration end (more holdout) or a later one (more history).',
		});
	}
	const s = read.summaries;
	const report = compareHoldout(
		model,
		{ frequency: pick64(s.frequency, rows), recency: pick64(s.recency, rows), T: pick64(s.T, rows), holdoutPurchases: pick64(s.holdoutPurchases, rows) },
		s.holdoutLength,
		{ topFrequency },
	);
	const explained = explain(
		language,
		['customersFirstSeenInHoldout', 'correlation', 'meanAbsoluteError', 'actualTotal', 'predictedTotal', 'holdoutLength', 'meanProbabilityAlive', 'table', 'actualMean', 'predictedMean', 'customersUsed', 'timeUnit'],
		['correlation', 'meanAbsoluteError', 'table', 'probabilityAlive'],
	);
	// `customers` here counts the customers compared (those with a calibration purchase): its own label.
	explained.labels = { customers: pick(LABELS.customersCompared, language), ...explained.labels };
	const json = {
		type: 'clvValidation',
		purchaseModel: kind,
		timeUnit,
		calibrationEnd: dateOrNull(read.calibrationEnd),
		holdoutEnd: dateOrNull(read.observationEnd),
		holdoutLength: round(report.holdoutLength, 4),
		customers: report.customers,
		customersFirstSeenInHoldout: firstSeenInHoldout(read.summaries),
		actualTotal: report.actualTotal,
		predictedTotal: round(report.predictedTotal, 4),
		correlation: report.correlation === null ? null : round(report.correlation, 4),
		correlationReason: report.correlation === null ? message('correlationUndefined', language) : null,
		meanAbsoluteError: round(report.meanAbsoluteError, 4),
		meanProbabilityAlive: round(report.meanProbabilityAlive, 4),
		table: report.table.map((r) => ({
			frequency: r.orMore ? `${r.frequency}+` : String(r.frequency),
			customers: r.customers,
			actualMean: round(r.actualMean, 4),
			predictedMean: round(r.predictedMean, 4),
		})),
		warnings: model.warnings,
		...explained,
	};
	const reportItem = { json: finiteOnly(json) as unknown as INodeExecutionData['json'], pairedItem: pairedAll(allItems(read)) };
	const modelOut = modelItem(language, {
		purchaseModel: model,
		spendModel: null,
		timeUnit,
		trust: trustOf(model, null),
		method: kind,
		reason: null,
		spendReason: message('validateFitsPurchaseOnly', language),
		calibrationEnd: read.calibrationEnd,
		settings: null,
		read,
	});
	return [[...read.errorItems, reportItem], [modelOut]];
}
