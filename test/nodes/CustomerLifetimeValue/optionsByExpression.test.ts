/**
 * Customer Lifetime Value: options set by an expression, through n8n's WorkflowExecute. n8n does not check
 * an expression's value against the options; before, each value below was taken for another option or
 * failed deep inside (noted per row). Now each is refused naming the parameter, the values allowed and the
 * value given, before any input is read or any model fitted.
 */
import type { IDataObject } from 'n8n-workflow';

import { readSummaryWithSpend } from '../../engine/clv/cdnow';
import { runNode } from '../../harness/workflow';
import { cdnowTransactions } from './cdnowItems';

/** The CDNOW customers as summaries in weeks, with their mean repeat spend (`monetary`). */
const summaries: IDataObject[] = (() => {
	const f = readSummaryWithSpend();
	return f.id.map((id, i) => ({ customerId: String(id), frequency: f.frequency[i], recency: f.recency[i], T: f.T[i], monetary: f.meanSpend[i] }));
})();
const fit = { operation: 'fitPredict', inputType: 'summaries', timeUnit: 'weeks', horizon: 10, discountRate: 0 };
const predict = { ...fit, operation: 'predictWithModel', modelSource: 'inputItem' };
/** CDNOW purchases to mid-1998: a calibration period and a 39-week holdout. */
const history = cdnowTransactions('19980630');
const validate = { operation: 'validate', calibrationEnd: '1997-09-30', timeUnit: 'weeks', timeZone: 'UTC' };
const e = (value: string) => `={{ ${JSON.stringify(value)} }}`;

let model: IDataObject;
beforeAll(async () => {
	const fitted = await runNode('customerLifetimeValue', fit, summaries);
	expect(fitted.error).toBeUndefined();
	model = fitted.json('Node', 1)[0];
	expect(model).toMatchObject({ type: 'clvModel', method: 'bgnbd+gammagamma' });
});

describe('an options parameter set by an expression to none of its options is refused', () => {
	test.each<[string, IDataObject, 'summaries' | 'withModel' | 'transactions', string]>([
		// before: "row 0: T must be ≥ 0 (got NaN)", ranked by RFM instead, every item saying timeUnit "Weeks"
		['Time Unit', { ...fit, timeUnit: e('Weeks') }, 'summaries', 'Time Unit must be one of "days", "weeks", "months" (got "Weeks")'],
		// before: "the horizon must be a positive number of time units (got NaN) once converted from Days …"
		['Time Unit', { ...predict, timeUnit: e('Days') }, 'withModel', 'Time Unit must be one of "days", "weeks", "months" (got "Days")'],
		// before: "There is no holdout period: the last purchase (or Holdout End) is not after the Calibration End",
		// whatever the data (the holdout measured in an unknown unit is NaN long)
		['Time Unit', { ...validate, timeUnit: e('week') }, 'transactions', 'Time Unit must be one of "days", "weeks", "months" (got "week")'],
		// before: read as summaries (anything but "transactions" was)
		['Input', { ...fit, inputType: e('summary') }, 'summaries', 'Input must be one of "transactions", "summaries" (got "summary")'],
		['Input', { ...predict, inputType: e('transaction') }, 'withModel', 'Input must be one of "transactions", "summaries" (got "transaction")'],
		// before: the fit "failed: exports.PURCHASE_MODELS[kind] is not a function", ranked by RFM instead
		['Purchase Model', { ...fit, purchaseModel: e('BG/NBD') }, 'summaries', 'Purchase Model must be one of "bgnbd", "paretonbd", "mbgnbd" (got "BG/NBD")'],
		// before: "No model: the fit failed: exports.PURCHASE_MODELS[kind] is not a function"
		['Purchase Model', { ...validate, purchaseModel: e('Pareto/NBD') }, 'transactions', 'Purchase Model must be one of "bgnbd", "paretonbd", "mbgnbd" (got "Pareto/NBD")'],
		// before: no spend model, silently (purchases only)
		['Spend Model', { ...fit, spendModel: e('gamma') }, 'summaries', 'Spend Model must be one of "gammaGamma", "none" (got "gamma")'],
		// before: read as "An Input Item" (anything but "json" was)
		['Model Source', { ...predict, modelSource: e('JSON') }, 'withModel', 'Model Source must be one of "inputItem", "json" (got "JSON")'],
		// before: English, silently
		['Label Language', { ...fit, language: e('ZH') }, 'summaries', 'Label Language must be one of "en", "zh" (got "ZH")'],
		// before: "Cannot read properties of undefined (reading 'call')"
		['Operation', { ...fit, operation: 'constructor' }, 'summaries', 'Operation must be one of "fitPredict", "predictWithModel", "validate" (got "constructor")'],
	])('%s: %j', async (_parameter, parameters, input, message) => {
		const items = input === 'summaries' ? summaries : input === 'withModel' ? [model, ...summaries.slice(0, 3)] : history;
		const result = await runNode('customerLifetimeValue', parameters, items);
		expect(result.error?.message).toBe(message);
	});
});

describe('a valid value from an expression is read as chosen', () => {
	test('Fit and Predict: Time Unit, Input, Purchase Model, Spend Model, Label Language', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ ...fit, timeUnit: e('weeks'), inputType: e('summaries'), purchaseModel: e('paretonbd'), spendModel: e('none'), language: e('zh') },
			summaries,
		);
		expect(result.error).toBeUndefined();
		expect(result.json('Node', 0)[0]).toMatchObject({ method: 'paretonbd', timeUnit: 'weeks', expectedAverageSpend: null });
		expect(result.json('Node', 1)[0]).toMatchObject({ method: 'paretonbd', timeUnit: 'weeks' });
		expect(JSON.stringify(result.json('Node', 1)[0].labels)).toMatch(/[\u4e00-\u9fff]/);
	});

	test('Predict with Model: Model Source and Time Unit', async () => {
		const result = await runNode('customerLifetimeValue', { ...predict, modelSource: e('json'), modelJson: JSON.stringify(model), timeUnit: e('days') }, summaries.slice(0, 2));
		expect(result.error).toBeUndefined();
		// 10 days are 10/7 of the model's weeks
		expect(result.json('Node', 0)[0]).toMatchObject({ customerId: '1', timeUnit: 'weeks', horizon: 10 / 7 });
	});

	test('Validate: Purchase Model and Time Unit', async () => {
		const result = await runNode('customerLifetimeValue', { ...validate, purchaseModel: e('paretonbd'), timeUnit: e('weeks') }, history);
		expect(result.error).toBeUndefined();
		expect(result.json('Node', 0)[0]).toMatchObject({ type: 'clvValidation', purchaseModel: 'paretonbd', timeUnit: 'weeks', holdoutLength: 39 });
	});
});
