/**
 * Customer Lifetime Value: every number of every output item has a label (README: "every number carries a
 * plain label and the definition used"), in English and Simplified Chinese. The model item's labels label
 * the customer items; the fitted parameters and the fit report are labelled by their names in the papers.
 */
import type { IDataObject } from 'n8n-workflow';

import { cdnowTransactions } from './cdnowItems';
import { runNode } from '../../harness/workflow';
import { expectChineseLabels, unlabelledNumbers } from '../RetentionMetrics/unlabelled';

const fit = { operation: 'fitPredict', calibrationEnd: '1997-09-30', timeUnit: 'weeks', horizon: 39, discountRate: 0.001, timeZone: 'UTC' };
const few = [
	{ customerId: 'a', date: '2025-01-01', amount: 3 },
	{ customerId: 'a', date: '2025-03-01', amount: 4 },
	{ customerId: 'b', date: '2025-02-01', amount: 4 },
];

const runs: Array<[string, IDataObject, () => IDataObject[]]> = [
	['BG/NBD + Gamma-Gamma', fit, () => cdnowTransactions()],
	['Pareto/NBD, purchases only', { ...fit, purchaseModel: 'paretonbd', spendModel: 'none' }, () => cdnowTransactions()],
	['RFM fallback', { ...fit, calibrationEnd: '' }, () => few],
	['Validate', { operation: 'validate', calibrationEnd: '1997-09-30', timeUnit: 'weeks', timeZone: 'UTC' }, () => cdnowTransactions('19980630')],
];

describe('labels of every number', () => {
	test.each(runs)(
		'%s: customer (or report) items and the model item, in both languages',
		async (_name, params, input) => {
			const labelled = async (language: string) => {
				const result = await runNode('customerLifetimeValue', { ...params, language }, input());
				expect(result.error).toBeUndefined();
				const [first, [model]] = [result.json('Node', 0), result.json('Node', 1)];
				expect(unlabelledNumbers([model], model.labels)).toEqual([]);
				// Customer items carry no labels: the model item's are theirs. A Validate report carries its own.
				if (params.operation === 'validate') expect(unlabelledNumbers(first, first[0].labels)).toEqual([]);
				else expect(unlabelledNumbers(first, model.labels)).toEqual([]);
				return model.labels;
			};
			expectChineseLabels(await labelled('en'), await labelled('zh'));
		},
		60_000,
	);

	test('the RFM fallback scores and the fitted parameters have plain labels', async () => {
		const fallback = await runNode('customerLifetimeValue', { ...fit, calibrationEnd: '', language: 'zh' }, few);
		const [customer] = fallback.json('Node', 0);
		expect(customer).toMatchObject({ method: 'rfm-fallback', recencyScore: expect.any(Number) });
		expect(fallback.json('Node', 1)[0].labels).toMatchObject({
			recencyScore: '近度得分 (按五分位 1–5, 5 = 最近购买)',
			frequencyScore: '频次得分 (按五分位 1–5, 5 = 复购最多)',
			monetaryScore: '金额得分 (按五分位 1–5, 5 = 消费最多)',
		});
		const fitted = await runNode('customerLifetimeValue', fit, cdnowTransactions());
		const model = fitted.json('Node', 1)[0];
		expect(Object.keys((model.purchaseFit as IDataObject).params as IDataObject)).toEqual(['r', 'alpha', 'a', 'b']);
		expect(model.labels).toMatchObject({
			r: 'r: shape of how purchase rates differ between customers',
			alpha: 'α: scale of the purchase rates (in the time unit)',
			p: 'p: shape of the spend of one purchase around the customer’s own average',
			iterations: 'Optimiser iterations',
		});
		// Only the parameters of the models fitted: no Pareto/NBD s or β here.
		expect(model.labels).not.toHaveProperty('beta');
	}, 60_000);
});
