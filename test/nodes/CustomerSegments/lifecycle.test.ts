/** Customer Segments › Lifecycle Stage through n8n's real WorkflowExecute. */
import { runNode } from '../../harness/workflow';

const AS_OF = Date.UTC(2025, 0, 1) + 400 * 86_400_000; // day 400 after 2025-01-01 = 2026-02-05
const date = (daysBeforeAsOf: number) => new Date(AS_OF - daysBeforeAsOf * 86_400_000).toISOString().slice(0, 10);
const buyer = (customerId: string, daysAgo: number[]) => daysAgo.map((d) => ({ customerId, date: date(d), amount: 10 }));

// The engine's hand case (test/engine/segments/lifecycle.test.ts), in days before the as-of date.
const input = [
	...buyer('new', [20]),
	...buyer('active', [100, 70, 40, 10]),
	...buyer('atRisk', [200, 160, 120, 80]),
	...buyer('dormant', [100, 90, 80, 70, 60]),
	...buyer('lost', [100, 90, 80, 70]),
	...buyer('reactivated', [300, 290, 280, 10]),
	...buyer('twoVisits', [350, 5]),
	...buyer('oneTime', [60]),
	{ customerId: 'refundOnly', date: date(10), amount: -10 },
];
const params = { operation: 'lifecycleStage', timeZone: 'UTC', asOfDate: date(0) };

describe('Lifecycle Stage', () => {
	it('gives every stage with its reason (hand-computed)', async () => {
		const result = await runNode('customerSegments', params, input);
		expect(result.error).toBeUndefined();
		const customers = result.json('Node', 0);
		const byId = Object.fromEntries(customers.map((c) => [c.customerId, c]));
		expect(Object.fromEntries(customers.map((c) => [c.customerId, c.stage]))).toEqual({
			new: 'new',
			active: 'active',
			atRisk: 'atRisk',
			dormant: 'dormant',
			lost: 'lost',
			reactivated: 'reactivated',
			twoVisits: 'reactivated',
			oneTime: 'atRisk',
			refundOnly: null,
		});
		expect(byId.atRisk.stageReason).toBe('last purchase 80 days ago, 2× their usual 40-day interval');
		expect(byId.oneTime.stageReason).toBe(
			'last purchase 60 days ago, 3× the usual 20-day interval of all repeat buyers (one purchase day only)',
		);
		expect(byId.reactivated.stageReason).toBe(
			'last purchase 10 days ago, 1× their usual 10-day interval; came back after a 270-day gap, 27× their earlier 10-day rhythm',
		);
		expect(byId.new.stageReason).toBe('first purchase 20 days ago, within the 30-day new-customer window');
		expect(byId.refundOnly.stageReason).toBe('no purchase up to the as-of date (only refunds, or only transactions after it)');
		expect(byId.lost).toMatchObject({ stageLabel: 'Lost', usualIntervalDays: 10, intervalRatio: 7, lastPurchaseDate: date(70) });
	});

	it('one summary item per stage', async () => {
		const result = await runNode('customerSegments', params, input);
		const summary = result.json('Node', 1);
		expect(summary.map((s) => [s.stage, s.customers])).toEqual([
			['new', 1],
			['active', 1],
			['atRisk', 2],
			['dormant', 1],
			['lost', 1],
			['reactivated', 2],
		]);
		expect(summary[2]).toMatchObject({ customerShare: 25, meanDaysSinceLastPurchase: 70, populationIntervalDays: 20 });
		expect(summary[0].warnings).toEqual([
			'2 customers bought on a single day only: judged on the usual interval of all repeat buyers, 20 days.',
			'1 customer has no purchase up to the as-of date (only refunds, or only transactions after it): no stage.',
		]);
		expect(result.output('Node', 1)[3].pairedItem).toEqual([9, 10, 11, 12, 13].map((item) => ({ item })));
	});

	it('in Chinese, with configurable thresholds', async () => {
		const result = await runNode(
			'customerSegments',
			{ ...params, language: 'zh', lifecycleOptions: { activeUpTo: 2, atRiskUpTo: 5, dormantUpTo: 10 } },
			buyer('c', [100, 90, 80, 70]),
		);
		const [c] = result.json('Node', 0);
		expect(c).toMatchObject({ stage: 'dormant', stageLabel: '沉睡' });
		expect(c.stageReason).toBe('70 天前最后购买, 是其通常间隔 10 天的 7 倍');
	});

	it('refuses thresholds that do not increase', async () => {
		const result = await runNode('customerSegments', { ...params, lifecycleOptions: { activeUpTo: 4, atRiskUpTo: 3 } }, input);
		expect(result.error?.message).toBe('Lifecycle Options: atRiskUpTo: the limits must increase: active < at risk < dormant (got 3)');
	});

	it('reads numbers an expression gives as text, and names a value that is not one', async () => {
		const ok = await runNode('customerSegments', { ...params, lifecycleOptions: { activeUpTo: '={{ "1.2" }}' } }, input);
		expect(ok.error).toBeUndefined();
		const bad = await runNode('customerSegments', { ...params, lifecycleOptions: { activeUpTo: '={{ "soon" }}' } }, input);
		expect(bad.error?.message).toBe('Lifecycle Options: activeUpTo: Expected number, received string (got "soon")');
		// NaN and Infinity are named as such (JSON would print them as null).
		const notANumber = await runNode('customerSegments', { ...params, lifecycleOptions: { dormantUpTo: '={{ 0 / 0 }}' } }, input);
		expect(notANumber.error?.message).toMatch(/^Lifecycle Options: dormantUpTo: .* \(got NaN\)$/);
		const infinite = await runNode('customerSegments', { ...params, lifecycleOptions: { newCustomerDays: '={{ 1 / 0 }}' } }, input);
		expect(infinite.error?.message).toMatch(/^Lifecycle Options: newCustomerDays: .* \(got Infinity\)$/);
	});

	it('RFM with the lifecycle stage added', async () => {
		const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC', asOfDate: date(0), addLifecycleStage: true }, input);
		const byId = Object.fromEntries(result.json('Node', 0).map((c) => [c.customerId, c]));
		expect(byId.lost).toMatchObject({ stage: 'lost', rfmCode: expect.stringMatching(/^\d{3}$/) });
		expect(byId.refundOnly).toMatchObject({ stage: null, rfmCode: null });
	});
});
