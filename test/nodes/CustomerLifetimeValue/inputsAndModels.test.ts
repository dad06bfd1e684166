/**
 * Customer Lifetime Value: incomplete inputs and models say what is missing instead of computing with a
 * guess — a missing "spent so far", a spend model without a finite mean, a model whose units disagree —
 * and the same model gets the same trust in Fit and Predict and in Predict with Model.
 */
import type { IDataObject } from 'n8n-workflow';

import { CustomerLifetimeValue } from '../../../nodes/CustomerLifetimeValue/CustomerLifetimeValue.node';
import { checkPredictionOptions } from '../../../nodes/engine/clv/predict';
import { readSummaryWithSpend } from '../../engine/clv/cdnow';
import { runNode } from '../../harness/workflow';
import { cdnowTransactions } from './cdnowItems';

/** The CDNOW customers as summaries in weeks, with their mean repeat spend (`monetary`). */
function cdnowSummaries(): IDataObject[] {
	const f = readSummaryWithSpend();
	return f.id.map((id, i) => ({ customerId: String(id), frequency: f.frequency[i], recency: f.recency[i], T: f.T[i], monetary: f.meanSpend[i] }));
}

const summaries = { operation: 'fitPredict', inputType: 'summaries', timeUnit: 'weeks', horizon: 39, discountRate: 0 };

/** A model item as Fit and Predict writes it (CDNOW BG/NBD parameters), with the spend model given. */
function modelItem(spendParams: Record<string, number> | null, units: { item?: string; purchase?: string; spend?: string } = {}): IDataObject {
	const fit = (kind: string, params: Record<string, number>, timeUnit: string) => ({
		kind,
		version: 1,
		timeUnit,
		params,
		logLikelihood: null,
		converged: true,
		convergenceReason: 'gradient below tolerance',
		iterations: 20,
		gradientNorm: null,
		customersUsed: 2357,
		repeatBuyers: 946,
		distinctRows: 2000,
		penalizer: 0,
		startsTried: 3,
		warnings: [],
	});
	return {
		type: 'clvModel',
		timeUnit: units.item ?? 'weeks',
		purchaseModel: fit('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, units.purchase ?? 'weeks'),
		spendModel: spendParams ? fit('gammagamma', spendParams, units.spend ?? 'weeks') : null,
	};
}

const predictJson = (model: IDataObject) => ({
	operation: 'predictWithModel',
	inputType: 'summaries',
	modelSource: 'json',
	modelJson: JSON.stringify(model),
	timeUnit: 'weeks',
	horizon: 39,
	discountRate: 0,
});

describe('a customer without a "spent so far" value', () => {
	it('Fit and Predict: historicSpend and totalClv are null with the reason, not 0 + predicted CLV; the others add up', async () => {
		const input = cdnowSummaries().map((c, i) => (i === 0 ? c : { ...c, spent: 100 }));
		const result = await runNode('customerLifetimeValue', { ...summaries, historicSpendField: 'spent' }, input);
		expect(result.error).toBeUndefined();
		const [first, second] = result.json('Node', 0);
		expect(first).toMatchObject({ customerId: '1', historicSpend: null, totalClv: null, predictedClv: expect.any(Number) });
		expect(first.reasons).toEqual({
			historicSpend: 'the Spent So Far Field is empty or missing for this customer',
			totalClv: 'needs the spent so far, which is missing for this customer',
		});
		expect(second.historicSpend).toBe(100);
		expect(second.totalClv).toBeCloseTo(100 + (second.predictedClv as number), 4);
		expect(second.reasons).toBeUndefined();
	}, 60_000);

	it('an empty text value is missing too, and the reasons come in Chinese', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ ...predictJson(modelItem({ p: 6.25, q: 3.74, v: 15.44 })), historicSpendField: 'spent', language: 'zh' },
			[{ customerId: 'a', frequency: 2, recency: 30.43, T: 38.86, monetary: 20, spent: '' }],
		);
		expect(result.error).toBeUndefined();
		const [a] = result.json('Node', 0);
		expect(a).toMatchObject({ historicSpend: null, totalClv: null });
		expect(a.reasons).toEqual({ historicSpend: '该客户的“累计已消费”字段为空或缺失', totalClv: '需要累计已消费金额, 但该客户缺少此数据' });
	});

	it('RFM fallback: no monetary score, RFM score or rank for that customer (with reasons); the others are ranked among themselves', async () => {
		const input = [
			{ customerId: 'a', frequency: 3, recency: 9, T: 10, spent: 300 },
			{ customerId: 'b', frequency: 1, recency: 2, T: 10, spent: 50 },
			{ customerId: 'c', frequency: 2, recency: 8, T: 10 },
		];
		const result = await runNode('customerLifetimeValue', { ...summaries, meanSpendField: '', historicSpendField: 'spent' }, input);
		expect(result.error).toBeUndefined();
		const [a, b, c] = result.json('Node', 0);
		expect(c).toMatchObject({ method: 'rfm-fallback', monetaryScore: null, rfmScore: null, rfmRank: null, historicSpend: null, totalClv: null });
		expect(c.recencyScore).toEqual(expect.any(Number));
		expect((c.reasons as IDataObject).monetaryScore).toBe('the Spent So Far Field is empty or missing for this customer');
		expect((c.reasons as IDataObject).rfmRank).toBe('needs the monetary score, which needs the spent so far (missing for this customer)');
		// Spend quintiles among the two known: b (50) 1, a (300) 3; recency and frequency among all three.
		expect([a.rfmRank, b.rfmRank]).toEqual([1, 2]);
		expect([a.monetaryScore, b.monetaryScore]).toEqual([3, 1]);
	});
});

describe('a spend model without a finite population mean (Gamma-Gamma q ≤ 1)', () => {
	const heavyTail = { p: 10.25, q: 0.65, v: 3.43 };

	it('each null expected spend gets the reason that applies to it; a known mean spend still gives p(v + x m̄)/(px + q − 1)', async () => {
		const result = await runNode('customerLifetimeValue', predictJson(modelItem(heavyTail)), [
			{ customerId: 'missing', frequency: 2, recency: 30, T: 38 },
			{ customerId: 'oneTime', frequency: 0, recency: 0, T: 38, monetary: 0 },
			{ customerId: 'known', frequency: 2, recency: 30, T: 38, monetary: 20 },
		]);
		expect(result.error).toBeUndefined();
		const [missing, oneTime, known] = result.json('Node', 0);
		expect(missing.expectedAverageSpend).toBeNull();
		expect((missing.reasons as IDataObject).expectedAverageSpend).toBe(
			'mean spend missing, and the spend model has q ≤ 1 (its population mean spend is infinite): the expected spend is undefined',
		);
		expect(oneTime.expectedAverageSpend).toBeNull();
		expect((oneTime.reasons as IDataObject).expectedAverageSpend).toBe(
			'the spend model has q ≤ 1, so its population mean spend is infinite: the expected spend of a customer without repeat purchases is undefined',
		);
		expect(known.expectedAverageSpend).toBeCloseTo((10.25 * (3.43 + 2 * 20)) / (10.25 * 2 + 0.65 - 1), 4);
		expect(known.reasons).toBeUndefined();
	});

	it('p·x + q ≤ 1: undefined for a customer with so few repeat purchases, said so', async () => {
		const result = await runNode('customerLifetimeValue', predictJson(modelItem({ p: 0.2, q: 0.5, v: 3 })), [
			{ customerId: 'one', frequency: 1, recency: 5, T: 38, monetary: 10 },
			{ customerId: 'five', frequency: 5, recency: 30, T: 38, monetary: 10 },
		]);
		const [one, five] = result.json('Node', 0);
		expect(one.expectedAverageSpend).toBeNull();
		expect((one.reasons as IDataObject).expectedAverageSpend).toBe(
			'the spend model has p × frequency + q ≤ 1: the expected spend is undefined for a customer with so few repeat purchases',
		);
		// 0.2 × 5 + 0.5 − 1 = 0.5 > 0: p(v + x m̄)/(px + q − 1) = 0.2 × 53 / 0.5
		expect(five.expectedAverageSpend).toBeCloseTo(21.2, 4);
	});
});

describe('trust of the same model', () => {
	it('Fit and Predict and Predict with Model both call a model with spend-model warnings doubtful', async () => {
		const input = cdnowSummaries().map((c, i) => (i === 5 ? { ...c, monetary: '' } : c));
		const fit = await runNode('customerLifetimeValue', summaries, input);
		const model = fit.json('Node', 1)[0];
		expect(model.warnings).toEqual([
			'spend model: 1 repeat buyers without a mean spend were left out of the spend fit (their expected spend is the population mean)',
		]);
		expect(model.trust).toBe('doubtful');
		const applied = await runNode('customerLifetimeValue', { ...summaries, operation: 'predictWithModel', modelSource: 'inputItem' }, [model, ...input.slice(0, 3)]);
		expect(applied.error).toBeUndefined();
		expect(applied.json('Node', 1)[0]).toMatchObject({ trust: 'doubtful', warnings: model.warnings });
		// applied without amounts, the spend model is not used: its warning does not make the predictions doubtful,
		// and each null spend figure says why
		const purchasesOnly = await runNode('customerLifetimeValue', { ...summaries, operation: 'predictWithModel', modelSource: 'inputItem', meanSpendField: '' }, [model, ...input.slice(0, 3)]);
		expect(purchasesOnly.error).toBeUndefined();
		expect(purchasesOnly.json('Node', 1)[0]).toMatchObject({ trust: 'ok', method: 'bgnbd' });
		const first = purchasesOnly.json('Node', 0)[0];
		expect(first).toMatchObject({ expectedAverageSpend: null, predictedClv: null });
		expect(Object.keys(first.reasons as IDataObject).sort()).toEqual(['expectedAverageSpend', 'predictedClv']);
	}, 60_000);
});

describe('Validate: customers first seen in the holdout', () => {
	it('counts the customers whose first purchase is in the holdout, not those first seen after the Holdout End', async () => {
		const input = [
			...cdnowTransactions('19980630'),
			{ customerId: 'holdout', date: '1998-01-15', amount: 5 },
			{ customerId: 'afterHoldout', date: '1998-12-01', amount: 5 },
		];
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'validate', calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', timeUnit: 'weeks', timeZone: 'UTC' },
			input,
		);
		expect(result.error).toBeUndefined();
		expect(result.json('Node', 0)[0]).toMatchObject({ customers: 2357, customersFirstSeenInHoldout: 1 });
	}, 60_000);
});

describe('a model whose time units disagree', () => {
	const customer = [{ customerId: 'a', frequency: 2, recency: 213, T: 272, monetary: 20 }];

	it('an item timeUnit other than the purchase model’s is refused, naming both units', async () => {
		const result = await runNode('customerLifetimeValue', { ...predictJson(modelItem(null, { item: 'days' })), timeUnit: 'days', horizon: 273 }, customer);
		expect(result.error?.message).toBe(
			'The parameter "Model (JSON)" is not a valid CLV model: timeUnit: is "days" but purchaseModel.timeUnit is "weeks": the parameters are per weeks; set timeUnit to "weeks"',
		);
	});

	it('a spend model in another unit than the purchase model is refused, naming both units', async () => {
		const result = await runNode('customerLifetimeValue', predictJson(modelItem({ p: 6.25, q: 3.74, v: 15.44 }, { spend: 'days' })), customer);
		expect(result.error?.message).toMatch(/spendModel\.timeUnit: is "days" but purchaseModel\.timeUnit is "weeks"/);
	});
});

describe('the longest horizon with a spend model', () => {
	it('100,000 weeks: CLV in seconds (it took minutes); undiscounted it is expected purchases × expected spend', async () => {
		const customers = [
			{ customerId: 'a', frequency: 2, recency: 30.43, T: 38.86, monetary: 20 },
			{ customerId: 'b', frequency: 0, recency: 0, T: 38.86, monetary: 0 },
			{ customerId: 'c', frequency: 7, recency: 35, T: 38, monetary: 40 },
		];
		const model = modelItem({ p: 6.25, q: 3.74, v: 15.44 });
		const started = Date.now();
		const flat = await runNode('customerLifetimeValue', { ...predictJson(model), horizon: 100_000 }, customers);
		const discounted = await runNode('customerLifetimeValue', { ...predictJson(model), horizon: 100_000, discountRate: 0.0018 }, customers);
		expect(Date.now() - started).toBeLessThan(30_000);
		expect(flat.error).toBeUndefined();
		expect(discounted.error).toBeUndefined();
		flat.json('Node', 0).forEach((c, i) => {
			const product = (c.expectedPurchases as number) * (c.expectedAverageSpend as number);
			expect(Math.abs((c.predictedClv as number) - product) / product).toBeLessThan(1e-5);
			const lower = discounted.json('Node', 0)[i].predictedClv as number;
			expect(lower).toBeGreaterThan(0);
			expect(lower).toBeLessThan(c.predictedClv as number);
		});
	}, 60_000);
});

describe('Horizon parameter and the Model output of Predict with Model', () => {
	it('the Horizon field offers only values the node accepts', () => {
		const horizon = new CustomerLifetimeValue().description.properties.find((p) => p.name === 'horizon')!;
		const { minValue, maxValue } = horizon.typeOptions as { minValue: number; maxValue: number };
		expect(() => checkPredictionOptions({ horizon: minValue, discountRate: 0 })).not.toThrow();
		expect(() => checkPredictionOptions({ horizon: maxValue, discountRate: 0 })).not.toThrow();
		expect(() => checkPredictionOptions({ horizon: maxValue + 1, discountRate: 0 })).toThrow(/horizon/);
	});

	it('the model item of Predict with Model is paired with the input model item too', async () => {
		const result = await runNode('customerLifetimeValue', { ...summaries, operation: 'predictWithModel', modelSource: 'inputItem', meanSpendField: '' }, [
			{ customerId: 'a', frequency: 1, recency: 2, T: 3 },
			modelItem(null),
			{ customerId: 'b', frequency: 0, recency: 0, T: 3 },
		]);
		expect(result.error).toBeUndefined();
		expect(result.output('Node', 1)[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});
