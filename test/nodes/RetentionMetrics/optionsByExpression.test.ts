/**
 * Retention Metrics: options set by an expression, through n8n's WorkflowExecute. n8n does not check an
 * expression's value against the options; before, each value below was taken for another option or failed
 * deep inside (noted per row). Now each is refused naming the parameter, the values allowed and the value.
 */
import type { IDataObject } from 'n8n-workflow';

import { runMetrics } from './run';

const tx = [
	{ customerId: 'a', date: '2025-01-01', amount: 100 },
	{ customerId: 'a', date: '2025-02-05', amount: 50 },
	{ customerId: 'a', date: '2025-02-06', amount: -20 },
	{ customerId: 'b', date: '2025-01-03', amount: 40 },
	{ customerId: 'b', date: '2025-03-03', amount: 40 },
];
const mrr = [{ customerId: 'a', startMrr: 10, endMrr: 20, mrr: 10, startDate: '2024-01-01' }];
const answers = [{ score: 9 }, { score: 3 }];
const purchases = { operation: 'purchaseBehaviour', timeZone: 'UTC' };
const cohorts = { operation: 'cohortRetention', timeZone: 'UTC' };
const revenue = { operation: 'revenueRetention', periodStart: '2025-01-01', periodEnd: '2025-03-31', timeZone: 'UTC' };
const survey = { operation: 'surveyScores' };
const e = (value: string) => `={{ ${JSON.stringify(value)} }}`;

describe('an options parameter set by an expression to none of its options is refused', () => {
	test.each<[string, IDataObject, object[], string]>([
		// before: reported as revenueBasis "Gross" and computed as gross
		['Revenue Basis', { ...purchases, revenueBasis: e('Gross') }, tx, 'Revenue Basis must be one of "net", "gross" (got "Gross")'],
		// before: the summary only, silently
		['Output (Purchase Behaviour)', { ...purchases, output: e('customers') }, tx, 'Output must be one of "summary", "summaryAndCustomers" (got "customers")'],
		// before: computed by month, reported as granularity "Week"
		['Cohort Period', { ...cohorts, granularity: e('Week') }, tx, 'Cohort Period must be one of "month", "week" (got "Week")'],
		// before: the summary only, silently
		['Output (Cohort Retention)', { ...cohorts, output: e('Rows') }, tx, 'Output must be one of "rows", "summary" (got "Rows")'],
		// before: "Classic" drew the unbounded rates under the title "Cohort retention (Classic …)"
		['Heatmap Shows', { ...cohorts, heatmapMode: e('Classic') }, tx, 'Heatmap Shows must be one of "classic", "unbounded", "none" (got "Classic")'],
		// before: read as subscription rows
		['Input (Revenue Retention)', { ...revenue, input: e('customers') }, mrr, 'Input must be one of "customerMrr", "subscriptions" (got "customers")'],
		// before: "Scale and Thresholds: the scale minimum (undefined) must be below the maximum (undefined)"
		['Survey Type', { ...survey, surveyType: e('NPS') }, answers, 'Survey Type must be one of "nps", "csat", "ces" (got "NPS")'],
		// before: English labels, silently
		['Label Language', { ...purchases, language: e('ZH') }, tx, 'Label Language must be one of "en", "zh" (got "ZH")'],
		['Label Language', { ...survey, language: e('fr') }, answers, 'Label Language must be one of "en", "zh" (got "fr")'],
		// before: the shared Refunds check (dfe2e9a) already refused it
		['Refunds', { ...cohorts, refunds: e('negative') }, tx, 'Refunds must be one of "negativeAmounts", "statusField", "none" (got "negative")'],
		// before: "Cannot read properties of undefined (reading 'call')" (an operation name stored in a workflow's JSON)
		[
			'Operation',
			{ ...purchases, resource: 'transaction', operation: 'constructor' },
			tx,
			'Operation must be one of "customerRetention", "revenueRetention", "purchaseBehaviour", "cohortRetention", "surveyScores", "campaignUplift" (got "constructor")',
		],
	])('%s: %j', async (_parameter, parameters, input, message) => {
		const result = await runMetrics(parameters, input);
		expect(result.error?.message).toBe(message);
	});

	test('with Continue On Fail the refusal is one error item paired with every input item', async () => {
		const result = await runMetrics({ ...purchases, revenueBasis: e('Gross') }, tx, { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		expect(result.output('Node')).toEqual([
			{ json: { error: 'Revenue Basis must be one of "net", "gross" (got "Gross")' }, pairedItem: tx.map((_, item) => ({ item })) },
		]);
	});
});

describe('a valid value from an expression is read as chosen', () => {
	test('Revenue Basis and Output (Purchase Behaviour)', async () => {
		const result = await runMetrics({ ...purchases, revenueBasis: e('gross'), output: e('summaryAndCustomers') }, tx);
		expect(result.error).toBeUndefined();
		const [summary, ...customers] = result.json('Node');
		// gross: the refund of 20 is left out of revenue (net would be 210)
		expect(summary).toMatchObject({ revenueBasis: 'gross', revenue: 230, refunds: 20 });
		expect(customers.map((c) => c.customerId)).toEqual(['a', 'b']);
	});

	test('Cohort Period, Output and Heatmap Shows (Cohort Retention)', async () => {
		const result = await runMetrics({ ...cohorts, granularity: e('week'), output: e('summary'), heatmapMode: e('unbounded') }, tx);
		expect(result.error).toBeUndefined();
		const items = result.output('Node');
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ metric: 'cohortRetention', granularity: 'week' });
		expect(Buffer.from(items[0].binary!.heatmapSvg.data, 'base64').toString('utf8')).toContain('Cohort retention (unbounded, by week)');
	});

	test('Input (Revenue Retention), Survey Type and Label Language', async () => {
		const given = await runMetrics({ ...revenue, input: e('customerMrr') }, mrr);
		expect(given.json('Node')[0]).toMatchObject({ startMrr: 10, endMrr: 20, expansionMrr: 10 });
		const csat = await runMetrics({ ...survey, surveyType: e('csat'), language: e('zh') }, [{ score: 5 }, { score: 2 }]);
		expect(csat.error).toBeUndefined();
		expect(csat.json('Node')[0]).toMatchObject({ surveyType: 'csat', csat: 50 });
		expect((csat.json('Node')[0].labels as IDataObject).csat).toMatch(/满意/);
	});
});
