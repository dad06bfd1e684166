import fc from 'fast-check';

import { campaignUplift, normalCdf, wilsonInterval } from '../../../nodes/engine/metrics/uplift';

describe('normalCdf', () => {
	it('matches published values of Φ', () => {
		// Abramowitz & Stegun table 26.1 / R pnorm().
		expect(normalCdf(-1.96)).toBeCloseTo(0.0249978951482204, 14);
		expect(normalCdf(-1)).toBeCloseTo(0.158655253931457, 14);
		expect(normalCdf(-3)).toBeCloseTo(0.00134989803163009, 15);
		expect(normalCdf(2.5758293035489)).toBeCloseTo(0.995, 12);
		expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 6);
		expect(normalCdf(0)).toBe(0.5);
	});
	it('is symmetric and monotone', () => {
		fc.assert(
			fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (x, h) => {
				expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 12);
				expect(normalCdf(x + h)).toBeGreaterThanOrEqual(normalCdf(x));
			}),
		);
	});
});

describe('campaignUplift', () => {
	it("reproduces Newcombe's (1998) worked example 56/70 vs 48/80", () => {
		const r = campaignUplift({ customers: 70, converted: 56 }, { customers: 80, converted: 48 });
		expect(r.absoluteLift).toBeCloseTo(0.2, 12);
		expect(r.relativeLift).toBeCloseTo(0.2 / 0.6, 12);
		// Newcombe 1998 Table II, method 10: 0.0524 to 0.3339.
		expect(r.confidenceInterval!.lower).toBeCloseTo(0.0524, 4);
		expect(r.confidenceInterval!.upper).toBeCloseTo(0.3339, 4);
		// Pooled z = 0.2 / sqrt(0.69333·0.30667·(1/70 + 1/80)) = 2.65016 → p = 0.008045 (hand-computed).
		expect(r.pValue).toBeCloseTo(0.008045, 5);
		expect(r.significant).toBe(true);
		expect(r.warnings.length).toBe(2); // both groups under 100
	});

	it('Wilson interval of 81/263 (Newcombe 1998 single-proportion example: 0.2553–0.3662)', () => {
		const w = wilsonInterval(81, 263);
		expect(w.lower).toBeCloseTo(0.2553, 4);
		expect(w.upper).toBeCloseTo(0.3662, 4);
	});

	it('a large campaign with a clear lift: hand-computed rates and z-test', () => {
		// 5.0 % vs 4.0 % of 10,000 each: pooled 0.045, se = sqrt(0.045·0.955·2/10000) = 0.0029318
		// z = 0.01/0.0029318 = 3.41087 → p = 2Φ(−3.41087) = 0.000648.
		const r = campaignUplift({ customers: 10000, converted: 500 }, { customers: 10000, converted: 400 });
		expect(r.absoluteLift).toBeCloseTo(0.01, 12);
		expect(r.relativeLift).toBeCloseTo(0.25, 12);
		expect(r.pValue).toBeCloseTo(0.000648, 5);
		expect(r.warnings).toEqual([]);
		expect(r.confidenceInterval!.lower).toBeGreaterThan(0);
	});

	it('the worked example of README.md (Care Action) (450/9,000 vs 38/1,000)', () => {
		const r = campaignUplift({ customers: 9000, converted: 450 }, { customers: 1000, converted: 38 });
		expect(r.absoluteLift).toBeCloseTo(0.012, 12);
		expect(r.relativeLift).toBeCloseTo(0.012 / 0.038, 12);
		expect(r.confidenceInterval!.lower).toBeCloseTo(-0.0024, 4);
		expect(r.confidenceInterval!.upper).toBeCloseTo(0.0232, 4);
		// Pooled 488/10,000: se = sqrt(0.0488·0.9512·(1/9000 + 1/1000)) = 0.0071816, z = 1.67093 → p = 0.0947.
		expect(r.pValue).toBeCloseTo(0.0947, 4);
		expect(r.significant).toBe(false);
	});

	it('warns, and never yields NaN, for empty or degenerate groups', () => {
		const empty = campaignUplift({ customers: 10, converted: 1 }, { customers: 0, converted: 0 });
		expect(empty.absoluteLift).toBeNull();
		expect(empty.warnings[0]).toMatch(/holdout group is empty/);
		const zero = campaignUplift({ customers: 50, converted: 3 }, { customers: 50, converted: 0 });
		expect(zero.relativeLift).toBeNull();
		expect(zero.warnings.join(' ')).toMatch(/relative lift is undefined/);
		const same = campaignUplift({ customers: 20, converted: 0 }, { customers: 20, converted: 0 });
		expect(same.pValue).toBe(1);
		expect(JSON.stringify(same)).not.toMatch(/NaN|Infinity/);
	});

	it('rejects impossible counts', () => {
		expect(() => campaignUplift({ customers: 5, converted: 6 }, { customers: 5, converted: 1 })).toThrow(/converted/);
		expect(() => campaignUplift({ customers: 5.5, converted: 1 }, { customers: 5, converted: 1 })).toThrow(/customers/);
	});

	it('interval contains the lift, lies in [−1, 1], and the p-value is in [0, 1]', () => {
		const group = fc
			.integer({ min: 1, max: 5000 })
			.chain((n) => fc.record({ customers: fc.constant(n), converted: fc.integer({ min: 0, max: n }) }));
		fc.assert(
			fc.property(group, group, (t, h) => {
				const r = campaignUplift(t, h);
				const ci = r.confidenceInterval!;
				expect(ci.lower).toBeLessThanOrEqual(r.absoluteLift! + 1e-12);
				expect(ci.upper).toBeGreaterThanOrEqual(r.absoluteLift! - 1e-12);
				expect(ci.lower).toBeGreaterThanOrEqual(-1 - 1e-12);
				expect(ci.upper).toBeLessThanOrEqual(1 + 1e-12);
				expect(r.pValue!).toBeGreaterThanOrEqual(0);
				expect(r.pValue!).toBeLessThanOrEqual(1);
			}),
		);
	});
});
