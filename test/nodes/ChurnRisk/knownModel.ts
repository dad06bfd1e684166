/** Customers whose churn follows a known model: fewer logins and the Basic plan raise the risk. */
import type { IDataObject } from 'n8n-workflow';

import { normal, seededRandom } from '../../../nodes/shared/random';

export function knownModelCustomers(n: number, seed: number): IDataObject[] {
	const random = seededRandom(seed);
	const plans = ['Basic', 'Pro', 'Enterprise'];
	const effect: Record<string, number> = { Basic: 1, Pro: 0, Enterprise: -1 };
	return Array.from({ length: n }, (_, i) => {
		const logins = Math.max(0, Math.round(20 + 8 * normal(random)));
		const plan = plans[Math.floor(random() * 3)];
		const eta = -1 - 0.12 * (logins - 20) + effect[plan];
		return { id: `c${i}`, logins, plan, churned: random() < 1 / (1 + Math.exp(-eta)) ? 'yes' : 'no' };
	});
}
