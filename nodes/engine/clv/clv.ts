/**
 * Discounted customer lifetime value over a finite horizon.
 *
 *   predicted CLV = expected average spend × Σ_{k=1}^{K} [E(t_k) − E(t_{k−1})] / (1 + d)^{t_k},
 *   t_k = min(k, H), K = ⌈H⌉,
 *
 * where E(t) is the expected number of purchases in the next t time units (conditional on the customer's
 * history), H the horizon and d the discount rate per time unit. Purchases expected during unit k are
 * discounted to today from the end of that unit (lifetimes' `customer_lifetime_value` does the same, but
 * in months whatever the data's unit — the 3.5–4.6× error named in models.md; here horizon, discount rate and
 * data share one explicit unit). Expected spend is Gamma-Gamma's and assumed independent of the number of
 * purchases (the Gamma-Gamma model's own assumption).
 *
 * total CLV = historic spend (what the customer has already spent) + predicted CLV.
 */

/**
 * The sum above, by parts, as weights on the cumulative expectations — so that a horizon of 100,000 units needs a
 * few hundred evaluations of E, not one per unit (each is a hypergeometric series, slow for long t):
 *
 *   Σ_{k=1}^{K} [E(t_k) − E(t_{k−1})] v^{t_k} = E(t_K) v^{t_K} + Σ_{k=1}^{K−1} E(k) (v^k − v^{t_{k+1}}),  v = 1/(1 + d).
 *
 * Every weight is ≥ 0 (no cancellation), and without discounting all but the last are 0: the sum is E(t_K).
 * The first EXACT_UNITS units are summed one by one. Beyond them E(k) is interpolated on blocks [L, R] with
 * R ≤ 4L at Chebyshev points: E is analytic in t except on a cut t ≤ −(α + T) < 0 (Pareto/NBD: −(β + T)), so the error
 * of the interpolant falls like ρ^−n with ρ fixed by R/L alone (Trefethen, Approximation Theory and
 * Approximation Practice, ch. 8); enough points are taken for 1e−16. Σ_k ω_k p(k) = Σ_j E(τ_j) W_j with
 * W_j = Σ_k ω_k ℓ_j(k), the same for every customer. Units whose whole remaining weight cannot reach 1e−16 of
 * the sum are left out: E is concave with E(0) = 0 (purchase rates only fall as customers may leave), so
 * E(t_K) ≤ t_K E(1), while the sum is at least E(1) ω_1.
 */
export interface DiscountPlan {
	/** t_K = min(⌈H⌉, H): where the expected purchases of the horizon are read. */
	horizonPoint: number;
	/** v^{t_K}, the weight of E(t_K). */
	horizonWeight: number;
	/** Points t at which E is evaluated, and the weight of each. */
	points: Float64Array;
	weights: Float64Array;
}

/** Units summed one by one before the interpolated blocks. */
const EXACT_UNITS = 64;
/** Longest block: R ≤ BLOCK_RATIO · L. */
const BLOCK_RATIO = 4;
/** Relative accuracy aimed at, for the interpolation and for the units left out. */
const TOLERANCE = 1e-16;

/** The evaluation points and weights of the discounted sum for a horizon and a discount rate per unit. */
export function discountPlan(horizon: number, discountRate: number): DiscountPlan {
	const steps = Math.ceil(horizon - 1e-9);
	const horizonPoint = Math.min(steps, horizon);
	const logFactor = Math.log1p(discountRate);
	const discount = (t: number) => Math.exp(-t * logFactor);
	const horizonWeight = discount(horizonPoint);
	const points: number[] = [];
	const weights: number[] = [];
	if (discountRate > 0 && steps > 1) {
		// ω_k = v^k − v^{t_{k+1}} = v^k (1 − v^{t_{k+1} − k}), without cancellation.
		const weight = (k: number) => discount(k) * -Math.expm1(-(Math.min(k + 1, horizon) - k) * logFactor);
		let last = steps - 1;
		const cutoff = Math.ceil(Math.log(horizonPoint / (weight(1) * TOLERANCE)) / logFactor);
		if (cutoff < last) last = Math.max(cutoff, 1);
		for (let k = 1; k <= Math.min(last, EXACT_UNITS); k++) {
			points.push(k);
			weights.push(weight(k));
		}
		for (let from = EXACT_UNITS + 1; from <= last; ) {
			const to = Math.min(last, BLOCK_RATIO * from);
			addBlock(from, to, weight, points, weights);
			from = to + 1;
		}
	}
	return { horizonPoint, horizonWeight, points: Float64Array.from(points), weights: Float64Array.from(weights) };
}

/** Chebyshev points (second kind) on [from, to] and the weights W_j = Σ_{k=from}^{to} ω_k ℓ_j(k). */
function addBlock(from: number, to: number, weight: (k: number) => number, points: number[], weights: number[]): void {
	// Centre over half-width: how far (in half-widths) the nearest possible singularity, t ≤ 0, lies.
	const delta = (to + from) / (to - from);
	const rho = delta + Math.sqrt(delta * delta - 1);
	const n = Math.ceil(Math.log(1 / TOLERANCE) / Math.log(rho)) + 2;
	if (to - from + 1 <= n) {
		for (let k = from; k <= to; k++) {
			points.push(k);
			weights.push(weight(k));
		}
		return;
	}
	const centre = (to + from) / 2;
	const half = (to - from) / 2;
	const nodes = new Float64Array(n);
	const lambda = new Float64Array(n);
	for (let j = 0; j < n; j++) {
		nodes[j] = j === 0 ? to : j === n - 1 ? from : centre + half * Math.cos((j * Math.PI) / (n - 1));
		lambda[j] = (j % 2 === 0 ? 1 : -1) * (j === 0 || j === n - 1 ? 0.5 : 1);
	}
	const w = new Float64Array(n);
	const terms = new Float64Array(n);
	for (let k = from; k <= to; k++) {
		const omega = weight(k);
		let hit = -1;
		let sum = 0;
		for (let j = 0; j < n; j++) {
			const difference = k - nodes[j];
			if (difference === 0) {
				hit = j;
				break;
			}
			terms[j] = lambda[j] / difference;
			sum += terms[j];
		}
		if (hit >= 0) {
			w[hit] += omega;
			continue;
		}
		// Barycentric formula of the second kind: ℓ_j(k) = (λ_j / (k − τ_j)) / Σ_i λ_i / (k − τ_i).
		const scale = omega / sum;
		for (let j = 0; j < n; j++) w[j] += terms[j] * scale;
	}
	for (let j = 0; j < n; j++) {
		points.push(nodes[j]);
		weights.push(w[j]);
	}
}

/**
 * Σ_k [E(t_k) − E(t_{k−1})] v^{t_k} for one cumulative-expectation curve E, and E(t_K) itself (the purchases
 * expected over the horizon, undiscounted).
 */
export function discountedPurchases(plan: DiscountPlan, cumulative: (t: number) => number): { discounted: number; purchases: number } {
	const purchases = cumulative(plan.horizonPoint);
	let discounted = 0;
	for (let i = 0; i < plan.points.length; i++) discounted += cumulative(plan.points[i]) * plan.weights[i];
	discounted += purchases * plan.horizonWeight;
	return { discounted, purchases };
}
