/**
 * Synthetic customers from known BG/NBD and Gamma-Gamma parameters (seeded), for parameter-recovery tests
 * and the 100,000-customer benchmark. Simulates the model's story directly: λ ~ Gamma(r, rate α),
 * p ~ Beta(a, b), exponential gaps between purchases, a coin with P(drop out) = p after each repeat purchase.
 * Times are whole days (a shop's day numbers), summarised in weeks.
 */
import { mulberry32 } from '../../../nodes/shared/random';

/** Box–Muller on 1 − u (kept: nodes/shared/random.ts's normal() draws a different stream). */
function normal(random: () => number): number {
	const u = 1 - random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function gamma(random: () => number, shape: number): number {
	if (shape < 1) return gamma(random, shape + 1) * Math.pow(1 - random(), 1 / shape);
	const d = shape - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		let x: number;
		let v: number;
		do {
			x = normal(random);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		const u = 1 - random();
		if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
	}
}

export interface SyntheticCustomers {
	frequency: Float64Array;
	recency: Float64Array;
	T: Float64Array;
	meanSpend: Float64Array;
}

/**
 * `n` customers with BG/NBD (r, α, a, b) in weeks and Gamma-Gamma (p, q, v) spend; acquisition spread evenly
 * over the first `spreadWeeks` weeks of a `calibrationWeeks` calibration period; purchase days rounded to days.
 */
export function simulateCustomers(
	n: number,
	purchase: { r: number; alpha: number; a: number; b: number },
	spend: { p: number; q: number; v: number },
	seed = 1,
	calibrationWeeks = 52,
	spreadWeeks = 26,
): SyntheticCustomers {
	// mulberry32 from the raw seed: the stream these tests' expectations were written against.
	const random = mulberry32(seed);
	const out: SyntheticCustomers = {
		frequency: new Float64Array(n),
		recency: new Float64Array(n),
		T: new Float64Array(n),
		meanSpend: new Float64Array(n),
	};
	const calibrationDays = calibrationWeeks * 7;
	for (let i = 0; i < n; i++) {
		const firstDay = Math.floor(random() * spreadWeeks * 7);
		const lambda = gamma(random, purchase.r) / purchase.alpha; // purchases per week
		const ga = gamma(random, purchase.a);
		const p = ga / (ga + gamma(random, purchase.b));
		const nu = gamma(random, spend.q) / spend.v; // spend rate of this customer
		let t = firstDay / 7;
		let lastDay = firstDay;
		let x = 0;
		let spent = 0;
		for (;;) {
			t += -Math.log(1 - random()) / lambda;
			const day = Math.floor(t * 7);
			if (day > calibrationDays) break;
			if (day !== lastDay) {
				x++;
				lastDay = day;
				spent += gamma(random, spend.p) / nu;
			}
			if (random() < p) break;
		}
		out.frequency[i] = x;
		out.recency[i] = (lastDay - firstDay) / 7;
		out.T[i] = (calibrationDays - firstDay) / 7;
		out.meanSpend[i] = x > 0 ? spent / x : 0;
	}
	return out;
}
