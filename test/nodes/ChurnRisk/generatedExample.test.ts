/**
 * The trained-model worked example of README.md (Churn Risk): customers generated from a known model, trained and
 * scored through the node; the coefficients come back on the original scale and the validation AUC is
 * close to the generating model's own AUC on the same customers.
 */
import type { IDataObject } from 'n8n-workflow';

import { rocAuc } from '../../../nodes/engine/churn/metrics';
import { stratifiedSplit } from '../../../nodes/shared/random';
import { runNode } from '../../harness/workflow';
import { TRUE_MODEL, generatedCustomers } from './generatedExample';

const train = {
	operation: 'trainModel',
	algorithm: 'logisticRegression',
	labelField: 'churned',
	numericFields: 'daysSinceLastOrder, logins30d, tickets90d',
	categoricalFields: 'plan',
	trainOptions: { l2: 0.01 },
};

describe('Churn Risk — trained model on generated customers (README.md, Churn Risk)', () => {
	const customers = generatedCustomers(5000, 2025);
	let model: IDataObject & {
		schema: { features: Array<{ field: string; type: string; standardDeviation?: number; categories?: string[] }> };
		logisticRegression: { intercept: number; coefficients: number[] };
		summary: IDataObject;
	};
	beforeAll(async () => {
		const result = await runNode('churnRisk', train, customers as unknown as IDataObject[]);
		expect(result.error).toBeUndefined();
		model = result.json('Node')[0] as typeof model;
	});

	test('recovers the generating coefficients (coefficient ÷ standard deviation on the original scale)', () => {
		const coefficients = model.logisticRegression.coefficients;
		const numeric = model.schema.features.filter((f) => f.type === 'numeric');
		const raw = Object.fromEntries(numeric.map((f, k) => [f.field, coefficients[k] / f.standardDeviation!]));
		// Standard errors with 4,000 training customers: ≈ 0.003, 0.007, 0.05 (from the Fisher information)
		expect(raw.daysSinceLastOrder).toBeCloseTo(TRUE_MODEL.daysSinceLastOrder, 2);
		expect(Math.abs(raw.logins30d - TRUE_MODEL.logins30d)).toBeLessThan(0.02);
		expect(Math.abs(raw.tickets90d - TRUE_MODEL.tickets90d)).toBeLessThan(0.15);
		// one-hot plan columns (Basic, Enterprise, Pro): differences to Pro are identified
		const [basic, enterprise, pro] = coefficients.slice(3);
		expect(Math.abs(basic - pro - 0.6)).toBeLessThan(0.2);
		expect(Math.abs(enterprise - pro + 0.6)).toBeLessThan(0.2);
	});

	test("validation ROC AUC within 0.02 of the generating model's on the same held-out customers", () => {
		const labels = customers.map((c) => (c.churned ? 1 : 0));
		const { test } = stratifiedSplit(labels, 0.2, 42);
		const trueAuc = rocAuc(test.map((i) => customers[i].trueProbability), test.map((i) => labels[i])).value!;
		expect(Math.abs((model.summary.rocAuc as number) - trueAuc)).toBeLessThan(0.02);
	});

	test('the documented customer: reasons and their sum', async () => {
		const result = await runNode('churnRisk', { operation: 'scoreWithModel', maxReasons: 4 }, [model, ...(customers.slice(0, 2) as unknown as IDataObject[])]);
		const risk = result.json('Node')[1].churnRisk as IDataObject & { reasons: Array<{ contribution: number; text: string }> };
		expect(risk.tier).toBe('low');
		expect(risk.reasons[0].text).toMatch(/^field "daysSinceLastOrder" = 64, 1\.74 standard deviations above average raises churn risk \(log-odds \+1\.03\)$/);
		const sum = (risk.base as number) + risk.reasons.reduce((s, r) => s + r.contribution, 0);
		expect(sum).toBeCloseTo(risk.logit as number, 3);
	});
});
