/**
 * The source articles' worked examples (metrics.md), run through n8n's WorkflowExecute with the real node.
 */
import { runMetrics } from './run';

function subscriptions(spec: { atStartStaying: number; atStartLeaving: number; newStaying: number; newLeaving?: number }) {
	const rows: Array<Record<string, unknown>> = [];
	let id = 0;
	for (let i = 0; i < spec.atStartStaying; i++) rows.push({ customerId: `c${id++}`, startDate: '2024-06-01' });
	for (let i = 0; i < spec.atStartLeaving; i++) rows.push({ customerId: `c${id++}`, startDate: '2024-06-01', endDate: '2025-01-15' });
	for (let i = 0; i < spec.newStaying; i++) rows.push({ customerId: `c${id++}`, startDate: '2025-01-10' });
	for (let i = 0; i < (spec.newLeaving ?? 0); i++) rows.push({ customerId: `c${id++}`, startDate: '2025-01-10', endDate: '2025-01-20' });
	return rows;
}

const period = { periodStart: '2025-01-01', periodEnd: '2025-01-31', timeZone: 'UTC' };

describe('Retention Metrics — the articles’ worked examples', () => {
	test('start 1000, end 1100, new 200 → CRR 90 %', async () => {
		const input = subscriptions({ atStartStaying: 900, atStartLeaving: 100, newStaying: 200 });
		const result = await runMetrics({ operation: 'customerRetention', ...period }, input);
		expect(result.error).toBeUndefined();
		const [total] = result.json('Node');
		expect(total).toMatchObject({ customersAtStart: 1000, customersAtEnd: 1100, newCustomers: 200, retentionRate: 90, churnRate: 10 });
	});

	test('gym: 200 members at start, 20 left → churn 10 %', async () => {
		const input = subscriptions({ atStartStaying: 180, atStartLeaving: 20, newStaying: 0 });
		const result = await runMetrics({ operation: 'customerRetention', ...period }, input);
		const [total] = result.json('Node');
		expect(total.customersAtStart).toBe(200);
		expect(total.churnedCustomers).toBe(20);
		expect(total.churnRate).toBe(10);
	});

	test('50 % promoters, 30 % passives, 20 % detractors → NPS 30', async () => {
		const scores = [...Array(50).fill(9), ...Array(30).fill(7), ...Array(20).fill(3)].map((score) => ({ score }));
		const result = await runMetrics({ operation: 'surveyScores', surveyType: 'nps', scoreField: 'score' }, scores);
		const [total] = result.json('Node');
		expect(total.nps).toBe(30);
		expect(total.counts).toEqual({ promoter: 50, passive: 30, detractor: 20 });
		expect(total.definitions).toHaveProperty('nps');
	});

	test('revenue: $100 start, −$10 churn, −$10 contraction, +$10 expansion → gross MRR churn 20 %, net 10 %', async () => {
		const input = [
			{ customerId: 'a', startMrr: 10, endMrr: 0 },
			{ customerId: 'b', startMrr: 30, endMrr: 20 },
			{ customerId: 'c', startMrr: 30, endMrr: 40 },
			{ customerId: 'd', startMrr: 30, endMrr: 30 },
		];
		const result = await runMetrics({ operation: 'revenueRetention', input: 'customerMrr' }, input);
		const [total] = result.json('Node');
		expect(total).toMatchObject({ startMrr: 100, churnedMrr: 10, contractionMrr: 10, expansionMrr: 10 });
		expect(total.grossMrrChurnRate).toBe(20);
		expect(total.netMrrChurnRate).toBe(10);
		expect(total.netRevenueRetention).toBe(90);
		expect(total.grossRevenueRetention).toBe(80);
	});
});
