/**
 * Churn Risk: options set by an expression, through n8n's WorkflowExecute — node parameters, options inside
 * Options / Tree Options (collections) and each signal's Type (a fixedCollection). n8n does not check an
 * expression's value against the options; before, each value below was taken for another option or failed
 * deep inside (noted per row). Now each is refused naming the parameter, the values allowed and the value.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { knownModelCustomers } from './knownModel';

const customers = knownModelCustomers(300, 3);
const train = { operation: 'trainModel', labelField: 'churned', numericFields: 'logins', categoricalFields: 'plan' };
const trees = { ...train, algorithm: 'gradientBoosting' };
const score = { operation: 'scoreWithModel' };
const signals = (kind: unknown) => ({ operation: 'scoreBySignals', asOfDate: '2025-01-31', timeZone: 'UTC', signals: { signal: [{ kind, field: 'days' }] } });
const e = (value: string) => `={{ ${JSON.stringify(value)} }}`;

let logistic: IDataObject;
let boosted: IDataObject;
beforeAll(async () => {
	logistic = (await runNode('churnRisk', train, customers)).json('Node')[0];
	boosted = (await runNode('churnRisk', trees, customers)).json('Node')[0];
});
/** A customer with a plan the models never saw. */
const scored = () => [logistic, { id: 'x', logins: 3, plan: 'Gold' }];

describe('an options parameter set by an expression to none of its options is refused', () => {
	const KINDS = '"ticketsRising", "custom", "daysSincePurchase", "failedPayments", "npsDetractor", "renewalDue", "usageDrop"';
	test.each<[string, IDataObject, () => object[], string]>([
		// before: trained gradient-boosted trees, the model item saying algorithm "logistic"
		['Algorithm', { ...train, algorithm: e('logistic') }, () => customers, 'Algorithm must be one of "logisticRegression", "gradientBoosting" (got "logistic")'],
		// before: balanced weights (anything but "none" was), the model's settings saying "Balanced"
		['Class Weighting', { ...train, trainOptions: { classWeighting: e('Balanced') } }, () => customers, 'Class Weighting must be one of "none", "balanced" (got "Balanced")'],
		// before: never refitted (anything but "auto" or "always" was "never")
		['Refit on All Training Customers', { ...trees, treeOptions: { refit: e('yes') } }, () => customers, 'Refit on All Training Customers must be one of "auto", "always", "never" (got "yes")'],
		// before: scored anyway, the unseen plan noted (anything but "error" was "ignore")
		['Unseen Categories', { ...score, unseenCategories: e('refuse') }, scored, 'Unseen Categories must be one of "ignore", "error" (got "refuse")'],
		// before: path contributions, the other method (anything but "treeShap" was)
		['Tree Reasons', { ...score, treeReasons: e('shap') }, () => [boosted, { id: 'x', logins: 3, plan: 'Pro' }], 'Tree Reasons must be one of "treeShap", "pathContributions" (got "shap")'],
		// before: "Cannot read properties of undefined (reading 'higherIsRiskier')"
		['Signal Type', signals(e('recency')), () => [{ id: 'a', days: 90 }], `Signal 1: Type must be one of ${KINDS} (got "recency")`],
		// before: "Signal 1 (constructor, field "days"): the warning level must be a number (got undefined)"
		['Signal Type', signals('constructor'), () => [{ id: 'a', days: 90 }], `Signal 1: Type must be one of ${KINDS} (got "constructor")`],
		// before: English reasons, silently
		['Label Language', { ...score, language: e('zh-CN') }, scored, 'Label Language must be one of "en", "zh" (got "zh-CN")'],
		// before: "Cannot read properties of undefined (reading 'call')"
		['Operation', { ...score, operation: 'constructor' }, scored, 'Operation must be one of "scoreBySignals", "trainModel", "scoreWithModel" (got "constructor")'],
	])('%s: %j', async (_parameter, parameters, input, message) => {
		const result = await runNode('churnRisk', parameters, input());
		expect(result.error?.message).toBe(message);
	});
});

describe('a valid value from an expression is read as chosen', () => {
	test('Algorithm, Class Weighting, Refit', async () => {
		const result = await runNode(
			'churnRisk',
			{ ...train, algorithm: e('gradientBoosting'), trainOptions: { classWeighting: e('balanced') }, treeOptions: { refit: e('never') } },
			customers,
		);
		expect(result.error).toBeUndefined();
		const model = result.json('Node')[0] as IDataObject & { settings: IDataObject & { gradientBoosting: IDataObject } };
		expect(model.algorithm).toBe('gradientBoosting');
		expect(model.settings.classWeighting).toBe('balanced');
		expect(model.settings.gradientBoosting.refit).toBe(false);
	});

	test('Unseen Categories, Tree Reasons, Label Language', async () => {
		const refused = await runNode('churnRisk', { ...score, unseenCategories: e('error') }, scored(), { onError: 'continueRegularOutput' });
		expect(refused.json('Node')[0]).toMatchObject({ itemIndex: 1, field: 'plan', value: 'Gold' });
		const paths = await runNode('churnRisk', { ...score, treeReasons: e('pathContributions'), language: e('zh') }, [boosted, { id: 'x', logins: 3, plan: 'Pro' }]);
		expect(paths.error).toBeUndefined();
		expect(paths.json('Node')[0].churnRisk).toMatchObject({ method: 'gradientBoosting', reasonMethod: 'pathContributions', tierLabel: expect.stringMatching(/风险/) });
	});

	test('Signal Type', async () => {
		const result = await runNode('churnRisk', signals(e('daysSincePurchase')), [{ id: 'a', days: 90 }]);
		expect(result.error).toBeUndefined();
		// 90 days against the usual 30: 3 × the usual interval, the alert level
		expect(result.json('Node')[0].churnRisk).toMatchObject({ score: 100 });
	});
});
