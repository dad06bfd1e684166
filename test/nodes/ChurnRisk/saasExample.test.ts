/**
 * The signal worked example of README.md (Churn Risk) on the synthetic RavenStack SaaS data (../shared/data/saas):
 * every account scored, reasons that add up, and the documented account checked by hand.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { AS_OF, SAAS_SIGNALS, saasCustomers } from './saas';

type Risk = {
	score: number | null;
	tier: string | null;
	coverage: number;
	reasonText: string;
	reasons: Array<{ field: string; value: unknown; points: number; text: string }>;
	missingSignals: Array<{ field: string }>;
};

describe('Churn Risk — signals on the RavenStack SaaS data (README.md, Churn Risk)', () => {
	const input = saasCustomers();
	let out: IDataObject[];
	beforeAll(async () => {
		const result = await runNode('churnRisk', { operation: 'scoreBySignals', signals: SAAS_SIGNALS, asOfDate: AS_OF, timeZone: 'UTC' }, input as IDataObject[]);
		expect(result.error).toBeUndefined();
		out = result.json('Node');
	});

	test('every one of the 500 accounts gets a score whose reasons add up to it', () => {
		expect(input).toHaveLength(500);
		expect(out).toHaveLength(500);
		for (const item of out) {
			const r = item.churnRisk as Risk;
			expect(r.score).not.toBeNull();
			expect(r.score!).toBeGreaterThanOrEqual(0);
			expect(r.score!).toBeLessThanOrEqual(100);
			// points are rounded to 0.01 and the score to 0.1
			expect(Math.abs(r.reasons.reduce((s, x) => s + x.points, 0) - r.score!)).toBeLessThan(0.06 + 0.005 * r.reasons.length);
			for (const reason of r.reasons) {
				expect(reason.text).toContain(`field "${reason.field}" = ${typeof reason.value === 'string' ? JSON.stringify(reason.value) : reason.value}`);
			}
			// satisfaction is missing for accounts without rated tickets: left out, not zero
			if (item.satisfaction180d === null) {
				expect(r.missingSignals.map((m) => m.field)).toEqual(['satisfaction180d']);
				expect(r.coverage).toBeCloseTo(5 / 6, 4);
			}
		}
		expect(JSON.stringify(out)).not.toMatch(/NaN|Infinity/);
	});

	test('the documented account, by hand', () => {
		// A-700ade: last activity 2024-10-12 → 81 days to 2025-01-01; 81 / 22.6 = 3.58 ≥ 3 → severity 1 (weight 2)
		// usage 16 against a baseline of 41: 61 % lost → ½ + ½ × (0.6098 − 0.3) / 0.4 = 0.887 (weight 2)
		// tickets 1 against 0 → +1 → severity ½ (weight 1); satisfaction missing → left out
		// score = 100 × (2 + 2 × 0.8872 + 0.5) / 5 = 85.49
		const item = out.find((i) => i.accountId === 'A-700ade')!;
		const r = item.churnRisk as Risk;
		expect(r).toMatchObject({ score: 85.5, tier: 'critical' });
		expect(r.reasons.map((x) => x.text)).toEqual([
			'No purchase or activity for 81 days, 3.58× the usual interval of 22.6 days (field "lastActivityDate" = "2024-10-12", field "usualGapDays" = 22.6; +40 points)',
			'Usage down 60.98% from the baseline: 16 recently against 41 (field "usageLast90d" = 16, field "usageBaseline90d" = 41; +35.49 points)',
			'1 complaint or ticket recently, 1 more than in the previous period (field "ticketsLast90d" = 1, field "ticketsPrevious90d" = 0; +10 points)',
		]);
	});
});
