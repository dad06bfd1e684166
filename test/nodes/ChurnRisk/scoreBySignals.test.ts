/** Score by Signals through n8n's WorkflowExecute: hand-computed scores, missing fields, bad input. */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';

const signals = {
	signal: [
		{ kind: 'daysSincePurchase', field: 'lastPurchase', referenceField: 'usualInterval', weight: 2 },
		{ kind: 'failedPayments', field: 'failedPayments', weight: 1 },
		{ kind: 'npsDetractor', field: 'nps', weight: 1 },
	],
};
const parameters = { operation: 'scoreBySignals', signals, asOfDate: '2025-03-01', timeZone: 'Asia/Shanghai' };

function risk(item: IDataObject) {
	return item.churnRisk as IDataObject & { reasons: IDataObject[]; missingSignals: IDataObject[] };
}

describe('Churn Risk — Score by Signals', () => {
	test('hand-computed score, tier and reasons', async () => {
		// 2025-01-30 → 2025-03-01 is 30 days; usual interval 12 → 2.5 intervals;
		//   severity = ½ + ½ × (2.5 − 1.5) / (3 − 1.5) = 5/6; weight 2 → 5/3
		// 2 failed payments: ½ + ½ × (2 − 1) / (3 − 1) = 3/4; weight 1 → 3/4
		// NPS 9: not a detractor → 0
		// score = 100 × (5/3 + 3/4 + 0) / (2 + 1 + 1) = 60.4166… → 60.4, tier high (50–75)
		const result = await runNode('churnRisk', parameters, [
			{ id: 'c1', lastPurchase: '2025-01-30', usualInterval: 12, failedPayments: 2, nps: 9 },
		]);
		expect(result.error).toBeUndefined();
		const [item] = result.json('Node');
		expect(item.id).toBe('c1');
		const r = risk(item);
		expect(r).toMatchObject({ score: 60.4, tier: 'high', tierLabel: 'High risk', coverage: 1, missingSignals: [] });
		expect(r.reasons.map((x) => [x.signal, x.field, x.value, x.points])).toEqual([
			['daysSincePurchase', 'lastPurchase', '2025-01-30', 41.67],
			['failedPayments', 'failedPayments', 2, 18.75],
		]);
		expect(r.reasons[0]).toMatchObject({ measure: 2.5, referenceField: 'usualInterval', referenceValue: 12 });
		expect(r.reasons[0].text).toBe(
			'No purchase or activity for 30 days, 2.5× the usual interval of 12 days (field "lastPurchase" = "2025-01-30", field "usualInterval" = 12; +41.67 points)',
		);
		expect(r.reasonText).toBe(`${r.reasons[0].text}; ${r.reasons[1].text}`);
		expect(result.output('Node')[0].pairedItem).toEqual({ item: 0 });
	});

	test('Chinese reasons', async () => {
		const result = await runNode('churnRisk', { ...parameters, language: 'zh' }, [
			{ lastPurchase: '2025年1月30日', usualInterval: 12, failedPayments: 1, nps: 3 },
		]);
		const r = risk(result.json('Node')[0]);
		expect(r.tierLabel).toMatch(/风险/);
		expect(r.reasons.map((x) => x.text)).toEqual([
			'距上次购买或活跃已 30 天，是平时间隔（12 天）的 2.5 倍（字段“lastPurchase” = "2025年1月30日"，字段“usualInterval” = 12；+41.67 分）',
			// NPS 3: ½ + ½ × (6 − 3) / (6 − 2) = 7/8 → 100 × 7/8 / 4 = 21.875
			'最近一次 NPS 评分为 3（0–6 分为贬损者）（字段“nps” = 3；+21.88 分）',
			// 1 failed payment: ½ → 12.5
			'扣款失败 1 次（字段“failedPayments” = 1；+12.5 分）',
		]);
	});

	test('missing signal fields are left out and reported, not counted as zero', async () => {
		// Only failed payments has data: 3 → severity 1; score = 100 × 1 / 1 = 100, coverage 1/4.
		const result = await runNode('churnRisk', parameters, [{ id: 'c2', failedPayments: 3, nps: '' }]);
		const r = risk(result.json('Node')[0]);
		expect(r).toMatchObject({ score: 100, tier: 'critical', coverage: 0.25 });
		expect(r.missingSignals).toEqual([
			{ signal: 'daysSincePurchase', field: 'lastPurchase', reason: 'missing', text: 'Signal "days since last purchase" left out: field "lastPurchase" is missing (not counted as zero)' },
			{ signal: 'npsDetractor', field: 'nps', reason: 'missing', text: 'Signal "NPS detractor" left out: field "nps" is missing (not counted as zero)' },
		]);
		// no signal at all: null score with a reason, never NaN
		const none = await runNode('churnRisk', parameters, [{ id: 'c3' }]);
		expect(risk(none.json('Node')[0])).toMatchObject({ score: null, tier: null, scoreReason: 'none of the signal fields has a value for this customer' });
	});

	test('usage drop, renewal due and a custom field (hand-computed)', async () => {
		const result = await runNode(
			'churnRisk',
			{
				...parameters,
				signals: {
					signal: [
						{ kind: 'usageDrop', field: 'logins30d', referenceField: 'loginsBaseline', weight: 1 },
						{ kind: 'renewalDue', field: 'renewalDate', referenceField: 'renewed', weight: 1 },
						{ kind: 'custom', field: 'openInvoices', weight: 2, warnAt: 2, alertAt: 4, higherIsRiskier: true, label: 'Open invoices' },
					],
				},
			},
			[
				// logins 10 vs 40: 75 % lost ≥ 0.7 → 1; renewal 2025-03-11 is 10 days away ≤ 14 → 1; 3 invoices → ¾
				// score = 100 × (1 + 1 + 2 × ¾) / 4 = 87.5
				{ logins30d: 10, loginsBaseline: 40, renewalDate: '2025-03-11', renewed: false, openInvoices: 3 },
				// renewed already: renewal signal 0; zero baseline: usage drop left out; score = 100 × 1.5 / 3 = 50
				{ logins30d: 0, loginsBaseline: 0, renewalDate: '2025-03-11', renewed: 'yes', openInvoices: 3 },
			],
		);
		const [a, b] = result.json('Node').map(risk);
		expect(a.score).toBe(87.5);
		expect(a.reasons.map((x) => x.signal)).toEqual(['custom', 'usageDrop', 'renewalDue']);
		expect(a.reasons[0].text).toBe(
			'Open invoices is 3, higher is riskier, past the warning level (warning 2, alert 4) (field "openInvoices" = 3; +37.5 points)',
		);
		expect(a.reasons[2].text).toMatch(/^Renewal due in 10 days and not renewed yet/);
		expect(b.score).toBe(50);
		expect(b.missingSignals).toEqual([expect.objectContaining({ signal: 'usageDrop', field: 'loginsBaseline', reason: 'referenceNotPositive' })]);
	});

	test('a non-numeric value fails the node naming item, field and value', async () => {
		const result = await runNode('churnRisk', parameters, [
			{ failedPayments: 1 },
			{ failedPayments: 'twice' },
		]);
		expect(result.error?.message).toBe('Item 1: field "failedPayments" is not a number (value: "twice")');
	});

	test('with Continue On Fail the bad item becomes an error item and the rest is scored', async () => {
		const result = await runNode(
			'churnRisk',
			parameters,
			[{ failedPayments: 1 }, { failedPayments: 'twice' }, { lastPurchase: 'last week' }, { failedPayments: 3 }],
			{ onError: 'continueRegularOutput' },
		);
		const items = result.output('Node');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[1].json).toMatchObject({ field: 'failedPayments', value: 'twice', itemIndex: 1 });
		expect(items[2].json).toMatchObject({ field: 'lastPurchase', value: 'last week' });
		expect(risk(items[3].json).score).toBe(100);
	});

	test('bad parameters: thresholds in the wrong order, tiers out of order', async () => {
		const wrong = await runNode(
			'churnRisk',
			{ ...parameters, signals: { signal: [{ kind: 'custom', field: 'x', weight: 1, warnAt: 5, alertAt: 1, higherIsRiskier: true }] } },
			[{ x: 1 }],
		);
		expect(wrong.error?.message).toMatch(/alert level must be at or above the warning level/);
		// Higher Is Riskier given as text by an expression: "false" is false; anything else is refused
		const lower = { kind: 'custom', field: 'x', weight: 1, warnAt: 5, alertAt: 1 };
		const asText = await runNode('churnRisk', { ...parameters, signals: { signal: [{ ...lower, higherIsRiskier: '={{ "false" }}' }] } }, [{ x: 1 }]);
		expect(asText.error).toBeUndefined();
		expect(risk(asText.json('Node')[0]).score).toBe(100);
		const unclear = await runNode('churnRisk', { ...parameters, signals: { signal: [{ ...lower, higherIsRiskier: '={{ "lower" }}' }] } }, [{ x: 1 }]);
		expect(unclear.error?.message).toBe('Signal 1: Higher Is Riskier must be true or false (got "lower")');
		const tiers = await runNode('churnRisk', { ...parameters, tiers: { medium: 60, high: 50 } }, [{ x: 1 }]);
		expect(tiers.error?.message).toMatch(/Tier thresholds must rise/);
	});
});
