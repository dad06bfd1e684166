/**
 * Customers generated from a known churn model, for the trained-model worked example (README.md, Churn Risk):
 *   logit = −2 + 0.03 × daysSinceLastOrder − 0.08 × logins30d + 0.5 × tickets90d + plan effect,
 *   plan effect: Basic +0.6, Pro 0, Enterprise −0.6.
 */
import { normal, seededRandom } from '../../../nodes/shared/random';

export const TRUE_MODEL = {
	intercept: -2,
	daysSinceLastOrder: 0.03,
	logins30d: -0.08,
	tickets90d: 0.5,
	plan: { Basic: 0.6, Pro: 0, Enterprise: -0.6 } as Record<string, number>,
};

export function generatedCustomers(n: number, seed: number) {
	const random = seededRandom(seed);
	const plans = ['Basic', 'Pro', 'Enterprise'];
	return Array.from({ length: n }, (_, i) => {
		const daysSinceLastOrder = Math.round(Math.max(0, 30 + 20 * normal(random)));
		const logins30d = Math.round(Math.max(0, 15 + 8 * normal(random)));
		const tickets90d = Math.floor(-Math.log(1 - random()) * 1.2);
		const plan = plans[Math.floor(random() * 3)];
		const logit =
			TRUE_MODEL.intercept +
			TRUE_MODEL.daysSinceLastOrder * daysSinceLastOrder +
			TRUE_MODEL.logins30d * logins30d +
			TRUE_MODEL.tickets90d * tickets90d +
			TRUE_MODEL.plan[plan];
		return {
			customerId: `C${String(i).padStart(5, '0')}`,
			daysSinceLastOrder,
			logins30d,
			tickets90d,
			plan,
			churned: random() < 1 / (1 + Math.exp(-logit)),
			trueProbability: 1 / (1 + Math.exp(-logit)),
		};
	});
}
