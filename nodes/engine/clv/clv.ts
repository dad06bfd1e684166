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
 * Σ_k [E(t_k) − E(t_{k−1})] / (1 + d)^{t_k} from the cumulative expectations E(t_0 = 0) … E(t_K): the
 * discounted number of purchases, to be multiplied by the expected spend per purchase.
 */
export function discountedValue(cumulative: ArrayLike<number>, steps: number, horizon: number, discountRate: number): number {
	let total = 0;
	let previous = 0;
	const logFactor = Math.log1p(discountRate);
	for (let k = 1; k <= steps; k++) {
		const current = cumulative[k];
		const t = Math.min(k, horizon);
		total += (current - previous) * Math.exp(-t * logFactor);
		previous = current;
	}
	return total;
}
