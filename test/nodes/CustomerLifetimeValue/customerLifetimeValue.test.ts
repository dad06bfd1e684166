/**
 * Customer Lifetime Value through n8n's WorkflowExecute: CDNOW reproduced from raw transactions, predictions
 * re-applied from the model item, bad input named by item, field and value, continueOnFail, fallbacks.
 */
import type { IDataObject } from 'n8n-workflow';

import { cdnowTransactions } from './cdnowItems';
import { runNode, runWorkflow } from '../../harness/workflow';
import { readSummaryFile } from '../../engine/clv/cdnow';


const fitParameters = {
	operation: 'fitPredict',
	inputType: 'transactions',
	calibrationEnd: '1997-09-30',
	timeUnit: 'weeks',
	horizon: 39,
	discountRate: 0,
	timeZone: 'UTC',
};

describe('Fit and Predict on the CDNOW transactions', () => {
	let customers: IDataObject[];
	let model: IDataObject;
	beforeAll(async () => {
		const result = await runNode('customerLifetimeValue', fitParameters, cdnowTransactions());
		expect(result.error).toBeUndefined();
		customers = result.json('Node', 0);
		model = result.json('Node', 1)[0];
	});

	it('reproduces the published BG/NBD and Gamma-Gamma parameters in the model item', () => {
		const fit = model.purchaseFit as { params: Record<string, number>; logLikelihood: number; converged: boolean };
		expect(fit.converged).toBe(true);
		expect([fit.params.r, fit.params.alpha, fit.params.a, fit.params.b].map((v) => v.toFixed(3))).toEqual(['0.243', '4.414', '0.793', '2.426']);
		expect(fit.logLikelihood.toFixed(1)).toBe('-9582.4');
		const spend = model.spendFit as { params: Record<string, number> };
		expect([spend.params.p, spend.params.q, spend.params.v].map((v) => v.toFixed(2))).toEqual(['6.25', '3.74', '15.44']);
		expect(model).toMatchObject({ type: 'clvModel', trust: 'ok', timeUnit: 'weeks', calibrationEnd: '1997-09-30', customers: 2357 });
		expect((model.labels as IDataObject).probabilityAlive).toBe('Probability still active');
		expect(model.definitions).toHaveProperty('predictedClv');
	});

	it('one item per customer with P(alive), purchases, spend and CLV; customer 1 expects 1.226 purchases in 39 weeks', () => {
		expect(customers).toHaveLength(2357);
		const first = customers[0];
		expect(first).toMatchObject({ customerId: '0001', frequency: 2, method: 'bgnbd+gammagamma', timeUnit: 'weeks', horizon: 39 });
		expect(Math.abs((first.expectedPurchases as number) - 1.226)).toBeLessThanOrEqual(0.001);
		expect(Math.abs((first.expectedAverageSpend as number) - 24.65)).toBeLessThanOrEqual(0.1);
		expect(first.predictedClv).toBeCloseTo((first.expectedPurchases as number) * (first.expectedAverageSpend as number), 2);
		expect(first.totalClv).toBeCloseTo((first.historicSpend as number) + (first.predictedClv as number), 3);
		for (const c of customers) {
			expect(c.probabilityAlive).toBeGreaterThanOrEqual(0);
			expect(c.probabilityAlive).toBeLessThanOrEqual(1);
		}
	});

	it('Predict with Model: the model item merged into the input gives the same predictions; summaries in days are converted', async () => {
		const file = readSummaryFile();
		const summariesInDays = file.id.slice(0, 20).map((id, i) => ({
			customerId: String(id),
			frequency: file.frequency[i],
			recency: file.recency[i] * 7,
			T: file.T[i] * 7,
		}));
		const result = await runNode(
			'customerLifetimeValue',
			// Time Unit days applies to the horizon too: 273 days = the model's 39 weeks.
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'inputItem', timeUnit: 'days', horizon: 273, discountRate: 0, meanSpendField: '' },
			[model, ...summariesInDays],
		);
		expect(result.error).toBeUndefined();
		const predicted = result.json('Node', 0);
		expect(predicted).toHaveLength(20);
		expect(result.output('Node', 0)[0].pairedItem).toEqual([{ item: 1 }]);
		// recency/T of the file are rounded to 0.01 week: the same customer within 0.001 purchases
		expect(Math.abs((predicted[0].expectedPurchases as number) - (customers[0].expectedPurchases as number))).toBeLessThan(0.002);
		expect(result.json('Node', 1)[0].note).toBe("summaries, horizon and discount rate converted from days to the model's weeks");
		expect(result.json('Node', 1)[0]).toMatchObject({ horizon: 39, timeUnit: 'weeks' });
	});

	it('Predict with Model from pasted JSON; a model that does not validate is refused with path: message', async () => {
		const input = [{ customerId: 'a', frequency: 2, recency: 30.43, T: 38.86 }];
		const ok = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'json', modelJson: JSON.stringify(model), timeUnit: 'weeks', horizon: 39, discountRate: 0, meanSpendField: '' },
			input,
		);
		expect(Math.abs((ok.json('Node', 0)[0].expectedPurchases as number) - 1.226)).toBeLessThanOrEqual(0.001);

		const broken = { ...model, purchaseModel: { ...(model.purchaseModel as IDataObject), params: { r: -1, alpha: 4 } } };
		const bad = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'json', modelJson: JSON.stringify(broken), timeUnit: 'weeks', horizon: 39, discountRate: 0 },
			input,
		);
		expect(bad.error?.message).toMatch(/not a valid CLV model: purchaseModel\.params\.r: Number must be greater than 0/);
		expect(bad.error?.message).toMatch(/purchaseModel\.params\.a: required for a bgnbd model/);

		const notJson = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'json', modelJson: '{"type": "clvModel", ', timeUnit: 'weeks', horizon: 39, discountRate: 0 },
			input,
		);
		expect(notJson.error?.message).toMatch(/not valid JSON/);
	});

	it('Predict with Model on transactions (same calibration end) reproduces the fitted predictions exactly', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'transactions', modelSource: 'inputItem', calibrationEnd: '1997-09-30', timeUnit: 'weeks', horizon: 39, discountRate: 0, timeZone: 'UTC' },
			[...cdnowTransactions(), model],
		);
		expect(result.error).toBeUndefined();
		const predicted = result.json('Node', 0);
		expect(predicted).toHaveLength(2357);
		for (const k of [0, 1, 500, 2356]) {
			expect(predicted[k].customerId).toBe(customers[k].customerId);
			expect(predicted[k].expectedPurchases).toBe(customers[k].expectedPurchases);
			expect(predicted[k].predictedClv).toBe(customers[k].predictedClv);
		}
	});

	it('Predict with Model in days with a weeks model: horizon and a daily discount rate are converted, the predictions are the same', async () => {
		// 273 days = 39 weeks; a rate of 0.1 % per day compounds to 1.001^7 − 1 per week.
		const weekly = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'transactions', modelSource: 'inputItem', calibrationEnd: '1997-09-30', timeUnit: 'weeks', horizon: 39, discountRate: 1.001 ** 7 - 1, timeZone: 'UTC' },
			[...cdnowTransactions(), model],
		);
		const daily = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'transactions', modelSource: 'inputItem', calibrationEnd: '1997-09-30', timeUnit: 'days', horizon: 273, discountRate: 0.001, timeZone: 'UTC' },
			[...cdnowTransactions(), model],
		);
		expect(daily.error).toBeUndefined();
		expect(daily.json('Node', 1)[0].note).toBe("horizon and discount rate converted from days to the model's weeks");
		const [w, d] = [weekly.json('Node', 0), daily.json('Node', 0)];
		for (const k of [0, 1, 500, 2356]) {
			expect(d[k].expectedPurchases).toBeCloseTo(w[k].expectedPurchases as number, 6);
			expect(d[k].predictedClv).toBeCloseTo(w[k].predictedClv as number, 4);
		}
		expect(w[0].expectedPurchases).toBeCloseTo(customers[0].expectedPurchases as number, 6); // 1.226 in 39 weeks
	});

	it('a repeat buyer without a mean spend gets the population mean with a reason, not a spend of 0', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'inputItem', timeUnit: 'weeks', horizon: 39, discountRate: 0, meanSpendField: 'monetary' },
			[model, { customerId: 'known', frequency: 10, recency: 30, T: 38, monetary: 40 }, { customerId: 'unknown', frequency: 10, recency: 30, T: 38 }],
		);
		expect(result.error).toBeUndefined();
		const [known, unknown] = result.json('Node', 0);
		const gg = (model.spendModel as { params: Record<string, number> }).params;
		// Population mean p v / (q − 1) = 35.22 on CDNOW (models.md: 35.219).
		expect(unknown.expectedAverageSpend).toBeCloseTo((gg.p * gg.v) / (gg.q - 1), 3);
		expect(unknown.expectedAverageSpend).toBeCloseTo(35.22, 1);
		expect((unknown.reasons as IDataObject).expectedAverageSpend).toBe('mean spend missing: the population mean of the spend model is used');
		expect(known.expectedAverageSpend).toBeCloseTo(39.8, 1);
		expect(known.reasons).toBeUndefined();
	});

	it('with the model item in the input, errors still name the input item index', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'inputItem', timeUnit: 'weeks', horizon: 39, discountRate: 0, meanSpendField: '' },
			[{ customerId: 'ok', frequency: 1, recency: 2, T: 3 }, model, { customerId: 'bad', frequency: 'two', recency: 0, T: 3 }],
			{ onError: 'continueRegularOutput' },
		);
		const out = result.json('Node', 0);
		expect(out.find((j) => j.error)).toMatchObject({ itemIndex: 2, field: 'frequency', value: 'two' });
		expect(out.filter((j) => !j.error).map((j) => j.customerId)).toEqual(['ok']);
		expect(result.output('Node', 0).find((i) => i.json.customerId === 'ok')!.pairedItem).toEqual([{ item: 0 }]);
	});

	it('Predict with Model: a customer id twice in the summaries is an item error naming the input item (the model item is not a customer)', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'inputItem', timeUnit: 'weeks', horizon: 39, discountRate: 0, meanSpendField: '' },
			[{ customerId: 'a', frequency: 1, recency: 2, T: 3 }, model, { customerId: 'a', frequency: 2, recency: 2, T: 3 }],
			{ onError: 'continueRegularOutput' },
		);
		const out = result.json('Node', 0);
		// The id is not echoed (ids are often phone numbers): no value in the error item.
		expect(out.find((j) => j.error)).toEqual({
			error: 'Item 2: field "customerId" appears twice; customer summaries need one item per customer (value: "•••")',
			itemIndex: 2,
			field: 'customerId',
		});
		expect(out.filter((j) => !j.error).map((j) => [j.customerId, j.frequency])).toEqual([['a', 1]]);
	});

	it('a model that did not converge is refused with its reason', async () => {
		const failed = {
			...model,
			purchaseModel: { ...(model.purchaseModel as IDataObject), converged: false, convergenceReason: 'stopped after 300 iterations' },
		};
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'json', modelJson: failed, timeUnit: 'weeks', horizon: 39, discountRate: 0 },
			[{ customerId: 'a', frequency: 2, recency: 30, T: 38 }],
		);
		expect(result.error?.message).toMatch(/The model cannot be used: the bgnbd fit did not converge \(stopped after 300 iterations\)/);
	});

	it('number parameters given as text by an expression: Predict with Model reads Discount Rate "0.001" as 0.001 (converted from days to weeks)', async () => {
		const params = { operation: 'predictWithModel', inputType: 'summaries', modelSource: 'json', modelJson: JSON.stringify(model), timeUnit: 'days', horizon: 364 };
		const customer = [{ customerId: 'x', frequency: 2, recency: 213, T: 272, monetary: 30 }];
		const asNumber = await runNode('customerLifetimeValue', { ...params, discountRate: 0.001 }, customer);
		const asText = await runNode('customerLifetimeValue', { ...params, horizon: '={{ "364" }}', discountRate: '={{ "0.001" }}' }, customer);
		expect(asText.error).toBeUndefined();
		expect(asText.json('Node', 0)).toEqual(asNumber.json('Node', 0));
		// 0.1 % a day compounds to 1.001^7 − 1 a week, a number in the item.
		expect(asText.json('Node', 0)[0].discountRate).toBeCloseTo(1.001 ** 7 - 1, 12);
		expect(asText.json('Node', 1)[0]).toMatchObject({ horizon: 52, discountRate: asNumber.json('Node', 1)[0].discountRate });
	});

	it('number parameters given as text: anything but a number is refused naming the value, before any computation', async () => {
		const params = { operation: 'predictWithModel', inputType: 'summaries', modelSource: 'json', modelJson: JSON.stringify(model), timeUnit: 'days', horizon: 364, discountRate: 0 };
		const customer = [{ customerId: 'x', frequency: 2, recency: 213, T: 272, monetary: 30 }];
		const cases: Array<[IDataObject, string]> = [
			[{ discountRate: '={{ "1%" }}' }, 'the discount rate per time unit must be between 0 and 10 (got "1%")'],
			[{ discountRate: '={{ "abc" }}' }, 'the discount rate per time unit must be between 0 and 10 (got "abc")'],
			[{ horizon: '={{ "52 weeks" }}' }, 'the horizon must be a positive number of time units (got "52 weeks")'],
			[{ horizon: '={{ "" }}' }, 'the horizon must be a positive number of time units (got "")'],
			[{ horizon: '={{ 1 / 0 }}' }, 'the horizon must be a positive number of time units (got Infinity)'],
		];
		for (const [given, message] of cases) {
			const result = await runNode('customerLifetimeValue', { ...params, ...given }, customer);
			expect(result.error?.message).toBe(message);
		}
		// In range as given, out of range in the model's unit: the message says so and names what was given.
		const converted = await runNode('customerLifetimeValue', { ...params, discountRate: 9 }, customer);
		expect(converted.error?.message).toMatch(
			/^the discount rate per time unit must be between 0 and 10 \(got 9999999\) once converted from days to the model's weeks \(given: Horizon 364, Discount Rate 9\)$/,
		);
	});
});

describe('Fit and Predict: number parameters given as text by an expression', () => {
	const small = [
		{ customerId: 'a', date: '2025-01-01', amount: 10 },
		{ customerId: 'a', date: '2025-02-01', amount: 12 },
		{ customerId: 'b', date: '2025-01-10', amount: 7 },
	];

	it('Horizon "52", Discount Rate "0.002" and Penalizer "0.01" are numbers, in every item as in the model', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ ...fitParameters, calibrationEnd: '', horizon: '={{ "52" }}', discountRate: '={{ "0.002" }}', fitOptions: { penalizer: '={{ "0.01" }}' } },
			small,
		);
		expect(result.error).toBeUndefined();
		expect(result.json('Node', 1)[0]).toMatchObject({ horizon: 52, discountRate: 0.002 });
		const fitted = await runNode('customerLifetimeValue', { ...fitParameters, horizon: '={{ "39" }}', discountRate: '={{ "0.002" }}' }, cdnowTransactions());
		expect(fitted.error).toBeUndefined();
		const [first] = fitted.json('Node', 0);
		expect(first).toMatchObject({ horizon: 39, discountRate: 0.002 });
		expect(typeof first.predictedClv).toBe('number');
	});

	it('refuses text that is not a number, naming it, even when the RFM fallback would not use it', async () => {
		const cases: Array<[IDataObject, string]> = [
			[{ horizon: '={{ "a year" }}' }, 'the horizon must be a positive number of time units (got "a year")'],
			[{ discountRate: '={{ "10%" }}' }, 'the discount rate per time unit must be between 0 and 10 (got "10%")'],
			[{ fitOptions: { penalizer: '={{ "lots" }}' } }, 'Penalizer must be a number, 0 or more (got "lots")'],
			[{ fitOptions: { penalizer: -1 } }, 'Penalizer must be a number, 0 or more (got -1)'],
		];
		for (const [given, message] of cases) {
			const result = await runNode('customerLifetimeValue', { ...fitParameters, calibrationEnd: '', ...given }, small);
			expect(result.error?.message).toBe(message);
		}
	});
});

describe('the other purchase models through the node', () => {
	it('Pareto/NBD on the CDNOW transactions: r 0.553, α 10.578, s 0.606, β 11.669, LL −9595.0', async () => {
		const result = await runNode('customerLifetimeValue', { ...fitParameters, purchaseModel: 'paretonbd', spendModel: 'none' }, cdnowTransactions());
		const fit = result.json('Node', 1)[0].purchaseFit as { params: Record<string, number>; logLikelihood: number };
		expect([fit.params.r.toFixed(3), fit.params.alpha.toFixed(3), fit.params.s.toFixed(3), fit.params.beta.toFixed(3)]).toEqual(['0.553', '10.578', '0.606', '11.669']);
		expect(fit.logLikelihood.toFixed(1)).toBe('-9595.0');
		expect(result.json('Node', 0)[0].method).toBe('paretonbd');
	});

	it('MBG/NBD: one-time buyers are no longer certainly alive', async () => {
		const result = await runNode('customerLifetimeValue', { ...fitParameters, purchaseModel: 'mbgnbd', spendModel: 'none' }, cdnowTransactions());
		const fit = result.json('Node', 1)[0].purchaseFit as { params: Record<string, number> };
		expect(fit.params.r.toFixed(2)).toBe('0.52');
		const oneTime = result.json('Node', 0).find((c) => c.frequency === 0)!;
		expect(oneTime.probabilityAlive).toBeLessThan(1);
	});
});

describe('Validate on CDNOW (39-week calibration, 39-week holdout)', () => {
	it('reproduces the paper’s holdout table, correlation and mean P(alive)', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'validate', calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', timeUnit: 'weeks', purchaseModel: 'bgnbd', timeZone: 'UTC' },
			cdnowTransactions('19980630'),
		);
		expect(result.error).toBeUndefined();
		const [report] = result.json('Node', 0);
		expect(report).toMatchObject({ type: 'clvValidation', customers: 2357, actualTotal: 1882, holdoutLength: 39, calibrationEnd: '1997-09-30' });
		const table = report.table as Array<{ frequency: string; actualMean: number; predictedMean: number }>;
		const actual = [0.24, 0.7, 1.39, 1.56, 2.53, 2.95];
		const predicted = [0.23, 0.52, 1.04, 1.52, 2.16, 2.65];
		for (let x = 0; x <= 5; x++) {
			expect(table[x].frequency).toBe(String(x));
			expect(Math.abs(table[x].actualMean - actual[x])).toBeLessThanOrEqual(0.005);
			expect(Math.abs(table[x].predictedMean - predicted[x])).toBeLessThanOrEqual(0.01);
		}
		expect(table[table.length - 1].frequency).toBe('7+');
		expect((report.correlation as number).toFixed(2)).toBe('0.63');
		expect((report.meanProbabilityAlive as number).toFixed(3)).toBe('0.813');
		expect(result.json('Node', 1)[0].type).toBe('clvModel');
	});
});

describe('bad input', () => {
	const good = [
		{ customerId: 'a', date: '2025-01-01', amount: 10 },
		{ customerId: 'a', date: '2025-02-01', amount: 12 },
	];
	const params = { ...fitParameters, calibrationEnd: '', timeUnit: 'days', horizon: 30 };

	it.each([
		[{ date: '2025-01-03', amount: 5 }, /Item 2: field "customerId" is missing/],
		[{ customerId: 'b', date: '2025-13-45', amount: 5 }, /Item 2: field "date" is not a date.*\(value: "2025-13-45"\)/],
		[{ customerId: 'b', date: '2025-01-03', amount: -5 }, /Item 2: field "amount" must not be negative \(value: -5\)/],
		[{ customerId: 'b', date: '2025-01-03', amount: 'ten' }, /Item 2: field "amount" is not a number \(value: "ten"\)/],
	])('%j fails the node naming item, field and value', async (bad, message) => {
		const result = await runNode('customerLifetimeValue', params, [...good, bad]);
		expect(result.error?.message).toMatch(message);
	});

	it('with Continue On Fail the bad items become error items and the rest is computed (RFM fallback: too few repeat buyers)', async () => {
		const result = await runNode('customerLifetimeValue', params, [...good, { customerId: 'b', date: 'yesterday', amount: 1 }, { customerId: 'c', date: '2025-01-20', amount: 7 }], {
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		const out = result.json('Node', 0);
		const errors = out.filter((j) => j.error);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ itemIndex: 2, field: 'date', value: 'yesterday' });
		const rows = out.filter((j) => !j.error);
		expect(rows.map((r) => r.customerId)).toEqual(['a', 'c']);
		expect(rows[0]).toMatchObject({ method: 'rfm-fallback', rfmRank: 1 });
		const model = result.json('Node', 1)[0];
		expect(model.trust).toBe('refused');
		expect(String(model.reason)).toMatch(/fewer than 30 repeat buyers|no interior maximum|did not converge/);
	});

	it('without the RFM fallback a failed fit stops with the reason', async () => {
		const result = await runNode('customerLifetimeValue', { ...params, fitOptions: { rfmFallback: false } }, [
			{ customerId: 'a', date: '2025-01-01', amount: 1 },
			{ customerId: 'b', date: '2025-01-02', amount: 1 },
		]);
		expect(result.error?.message).toMatch(/No predictions: no customer bought more than once/);
	});

	it('summaries: frequency must be whole, recency within T, and 0 when frequency is 0', async () => {
		const base = { ...fitParameters, inputType: 'summaries', meanSpendField: '' };
		const cases: Array<[IDataObject, RegExp]> = [
			[{ customerId: 'x', frequency: 1.5, recency: 1, T: 2 }, /Item 0: field "frequency" must be a whole number \(value: 1.5\)/],
			[{ customerId: 'x', frequency: 1, recency: 3, T: 2 }, /Item 0: field "recency" must be at most 2 \(value: 3\)/],
			[{ customerId: 'x', frequency: 0, recency: 1, T: 2 }, /Item 0: field "recency" must be 0 when frequency is 0/],
			[{ customerId: 'x', frequency: 1, recency: 1 }, /Item 0: field "T" is missing/],
		];
		for (const [item, message] of cases) {
			const result = await runNode('customerLifetimeValue', base, [item]);
			expect(result.error?.message).toMatch(message);
		}
	});

	it('summaries: a customer id twice is an item error, masked, honouring Continue On Fail', async () => {
		const base = { ...fitParameters, inputType: 'summaries', meanSpendField: '' };
		const input = [
			{ customerId: 'a', frequency: 2, recency: 3, T: 4 },
			{ customerId: 'a', frequency: 1, recency: 1, T: 4 },
			{ customerId: 'b', frequency: 0, recency: 0, T: 4 },
		];
		const failed = await runNode('customerLifetimeValue', base, input);
		expect(failed.error?.message).toBe('Item 1: field "customerId" appears twice; customer summaries need one item per customer (value: "•••")');
		const continued = await runNode('customerLifetimeValue', base, input, { onError: 'continueRegularOutput' });
		expect(continued.error).toBeUndefined();
		const out = continued.json('Node', 0);
		expect(out.filter((j) => j.error)).toEqual([
			{ error: 'Item 1: field "customerId" appears twice; customer summaries need one item per customer (value: "•••")', itemIndex: 1, field: 'customerId' },
		]);
		// Ids are often phone numbers: shown only as their shape, as readId shows a refused id.
		const phone = input.slice(0, 2).map((row) => ({ ...row, customerId: '13812345678' }));
		const masked = await runNode('customerLifetimeValue', base, phone);
		expect(masked.error?.message).toBe('Item 1: field "customerId" appears twice; customer summaries need one item per customer (value: "13•••••••78")');
		expect(out.filter((j) => !j.error).map((j) => [j.customerId, j.frequency])).toEqual([
			['a', 2],
			['b', 0],
		]);
		// A first item refused for another reason does not make the next one a duplicate.
		const firstBad = await runNode('customerLifetimeValue', base, [{ ...input[0], frequency: 'two' }, input[1]], { onError: 'continueRegularOutput' });
		expect(firstBad.json('Node', 0).map((j) => j.field ?? j.customerId)).toEqual(['frequency', 'a']);
	});
});

describe('edges', () => {
	const small = [
		{ customerId: 'a', date: '2025-01-01', amount: 10 },
		{ customerId: 'a', date: '2025-01-15', amount: 12 },
		{ customerId: 'late', date: '2025-03-01', amount: 30 },
	];
	const params = { ...fitParameters, calibrationEnd: '2025-02-01', timeUnit: 'days', horizon: 30, language: 'zh' };

	it('a customer first seen after the calibration end gets nulls with the reason; labels come in Chinese', async () => {
		const result = await runNode('customerLifetimeValue', params, small);
		expect(result.error).toBeUndefined();
		const late = result.json('Node', 0).find((c) => c.customerId === 'late')!;
		expect(late.probabilityAlive).toBeNull();
		expect((late.reasons as IDataObject).probabilityAlive).toBe('首次购买在校准期末之后: 尚无可学习的历史');
		expect(result.output('Node', 0).find((i) => i.json.customerId === 'late')!.pairedItem).toEqual([{ item: 2 }]);
		const model = result.json('Node', 1)[0];
		expect((model.labels as IDataObject).probabilityAlive).toBe('仍活跃的概率');
		expect(model.trust).toBe('refused');
	});

	it('a horizon of 0 is refused with a clear message', async () => {
		const result = await runNode('customerLifetimeValue', { ...fitParameters, horizon: 0 }, cdnowTransactions());
		expect(result.error?.message).toMatch(/the horizon must be a positive number of time units \(got 0\)/);
	});
});

describe('wiring', () => {
	it('Fit → its customer items → Predict with Model, the model read from the Fit node’s Model output by expression', async () => {
		const result = await runWorkflow({
			nodes: [
				{ name: 'Fit', type: 'customerLifetimeValue', parameters: { ...fitParameters, spendModel: 'none' } },
				{
					name: 'Apply',
					type: 'customerLifetimeValue',
					parameters: {
						operation: 'predictWithModel',
						inputType: 'summaries',
						modelSource: 'json',
						modelJson: "={{ JSON.stringify($('Fit').all(1)[0].json) }}",
						customerIdField: 'customerId',
						frequencyField: 'frequency',
						recencyField: 'recency',
						ageField: 'T',
						meanSpendField: '',
						timeUnit: 'weeks',
						horizon: 39,
						discountRate: 0,
					},
				},
			],
			input: cdnowTransactions(),
		});
		expect(result.error).toBeUndefined();
		const fitted = result.json('Fit', 0);
		const applied = result.json('Apply', 0);
		expect(applied).toHaveLength(2357);
		// The Fit output rounds recency and T to 4 decimals: the re-applied predictions agree to ~1e-5.
		for (const k of [0, 1, 100, 2356]) {
			expect(applied[k].customerId).toBe(fitted[k].customerId);
			expect(Math.abs((applied[k].expectedPurchases as number) - (fitted[k].expectedPurchases as number))).toBeLessThan(1e-4);
		}
		expect(applied[0].method).toBe('bgnbd');
	});
});
