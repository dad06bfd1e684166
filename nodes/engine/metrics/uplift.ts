/**
 * Campaign uplift: did the care action change the rate of an outcome (conversion, renewal, return)
 * compared with the holdout (control group) that received nothing?
 *
 * - Rates p₁ = x₁/n₁ (treatment) and p₀ = x₀/n₀ (holdout).
 * - Absolute lift d = p₁ − p₀ (percentage points); relative lift d / p₀ (null when p₀ = 0).
 * - 95 % confidence interval of d: Newcombe's hybrid score interval (Newcombe 1998, Statistics in
 *   Medicine 17:873–890, method 10), built from the two Wilson score intervals. Unlike the Wald
 *   interval it stays inside [−1, 1] and keeps its coverage for small samples and rates near 0 or 1,
 *   which is where care campaigns usually are (a few % convert).
 * - p-value: two-sided z-test of equal proportions with the pooled rate (the textbook "two-proportion
 *   z-test", equivalent to Pearson's χ² test without continuity correction).
 * - A warning when the normal approximation is not trustworthy: a group under 100 customers, or fewer
 *   than 5 outcomes / non-outcomes in a group.
 */

import { pick, type Language } from '../../shared/i18n';

import { GROUP_NAMES, noteText } from './notes';

export interface GroupCounts {
	/** Customers assigned to the group. */
	customers: number;
	/** Of those, customers with the outcome (converted, renewed…). */
	converted: number;
}

export interface UpliftResult {
	treatment: { customers: number; converted: number; rate: number | null };
	holdout: { customers: number; converted: number; rate: number | null };
	/** p₁ − p₀, as a proportion (0.02 = 2 percentage points). */
	absoluteLift: number | null;
	/** (p₁ − p₀) / p₀; null when the holdout rate is 0. */
	relativeLift: number | null;
	/** Newcombe hybrid score interval of the absolute lift. */
	confidenceInterval: { level: number; lower: number; upper: number } | null;
	pValue: number | null;
	/** Whether the 95 % interval excludes 0. */
	significant: boolean | null;
	warnings: string[];
	method: string;
}

const Z95 = 1.959963984540054;
const MIN_GROUP = 100;
const MIN_CELL = 5;

/**
 * Standard normal CDF Φ(x), double precision (Hart 1968 rational approximation in W. J. Cody's /
 * G. West's form, "Better approximations to cumulative normal functions", 2005; |error| < 1e-14).
 */
export function normalCdf(x: number): number {
	const a = Math.abs(x);
	let tail: number;
	if (a > 37) tail = 0;
	else {
		const e = Math.exp((-a * a) / 2);
		if (a < 7.07106781186547) {
			let num = 3.52624965998911e-2 * a + 0.700383064443688;
			num = num * a + 6.37396220353165;
			num = num * a + 33.912866078383;
			num = num * a + 112.079291497871;
			num = num * a + 221.213596169931;
			num = num * a + 220.206867912376;
			let den = 8.83883476483184e-2 * a + 1.75566716318264;
			den = den * a + 16.064177579207;
			den = den * a + 86.7807322029461;
			den = den * a + 296.564248779674;
			den = den * a + 637.333633378831;
			den = den * a + 793.826512519948;
			den = den * a + 440.413735824752;
			tail = (e * num) / den;
		} else {
			let b = a + 0.65;
			b = a + 4 / b;
			b = a + 3 / b;
			b = a + 2 / b;
			b = a + 1 / b;
			tail = e / b / 2.506628274631;
		}
	}
	return x > 0 ? 1 - tail : tail;
}

/** Wilson score interval of a proportion x/n. */
export function wilsonInterval(x: number, n: number, z = Z95): { lower: number; upper: number } {
	const p = x / n;
	const z2 = z * z;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

function checkCounts(g: GroupCounts, name: string): void {
	if (!Number.isInteger(g.customers) || g.customers < 0) throw new RangeError(`${name}: customers must be a whole number ≥ 0`);
	if (!Number.isInteger(g.converted) || g.converted < 0 || g.converted > g.customers) {
		throw new RangeError(`${name}: converted must be a whole number between 0 and customers`);
	}
}

export function campaignUplift(treatment: GroupCounts, holdout: GroupCounts, language: Language = 'en'): UpliftResult {
	checkCounts(treatment, 'treatment');
	checkCounts(holdout, 'holdout');
	const n1 = treatment.customers;
	const x1 = treatment.converted;
	const n0 = holdout.customers;
	const x0 = holdout.converted;
	const p1 = n1 > 0 ? x1 / n1 : null;
	const p0 = n0 > 0 ? x0 / n0 : null;
	const warnings: string[] = [];
	const result: UpliftResult = {
		treatment: { customers: n1, converted: x1, rate: p1 },
		holdout: { customers: n0, converted: x0, rate: p0 },
		absoluteLift: null,
		relativeLift: null,
		confidenceInterval: null,
		pValue: null,
		significant: null,
		warnings,
		method: noteText('upliftMethod', language),
	};
	if (p1 === null || p0 === null) {
		warnings.push(noteText(n0 === 0 ? 'holdoutEmpty' : 'treatmentEmpty', language));
		return result;
	}
	const d = p1 - p0;
	result.absoluteLift = d;
	result.relativeLift = p0 > 0 ? d / p0 : null;
	if (p0 === 0) warnings.push(noteText('noHoldoutConverted', language));

	const w1 = wilsonInterval(x1, n1);
	const w0 = wilsonInterval(x0, n0);
	const lower = d - Math.sqrt((p1 - w1.lower) ** 2 + (w0.upper - p0) ** 2);
	const upper = d + Math.sqrt((w1.upper - p1) ** 2 + (p0 - w0.lower) ** 2);
	result.confidenceInterval = { level: 0.95, lower, upper };
	result.significant = lower > 0 || upper < 0;

	const pooled = (x1 + x0) / (n1 + n0);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
	// Identical all-or-nothing groups (everyone or no one converted) carry no evidence of a difference.
	result.pValue = se > 0 ? 2 * normalCdf(-Math.abs(d / se)) : 1;

	for (const [name, n, x] of [
		['treatment', n1, x1],
		['holdout', n0, x0],
	] as const) {
		const group = pick(GROUP_NAMES[name], language);
		if (n < MIN_GROUP) warnings.push(noteText('smallGroup', language, { group, customers: n, minimum: MIN_GROUP }));
		if (x < MIN_CELL || n - x < MIN_CELL) warnings.push(noteText('fewOutcomes', language, { group, minimum: MIN_CELL }));
	}
	return result;
}
