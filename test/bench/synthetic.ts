/**
 * Deterministic synthetic retail transactions for benchmarks: customers arrive over two years and buy at
 * their own rhythm until they lapse. Same seed → same data on every machine.
 */
import { formatDay } from '../../nodes/shared/dates';
import { seededRandom } from '../../nodes/shared/random';


export interface SyntheticTransaction {
	customerId: string;
	orderId: string;
	date: string;
	amount: number;
}

const FIRST_DAY = 19723; // 2024-01-01

export function syntheticTransactions(transactions: number, customers: number, seed = 42): SyntheticTransaction[] {
	const random = seededRandom(seed);
	const out: SyntheticTransaction[] = new Array(transactions);
	const perCustomer = transactions / customers;
	let t = 0;
	for (let c = 0; c < customers && t < transactions; c++) {
		const first = FIRST_DAY + Math.floor(random() * 700);
		const gap = 5 + Math.floor(random() * 60);
		// Every customer buys at least once, so the data holds exactly `customers` customers; the last takes the rest.
		const atMost = transactions - t - (customers - 1 - c);
		const count = c === customers - 1 ? transactions - t : Math.min(atMost, Math.max(1, Math.round(perCustomer * (0.2 + random() * 1.6))));
		let day = first;
		for (let k = 0; k < count && t < transactions; k++) {
			out[t] = {
				customerId: `C${String(c).padStart(6, '0')}`,
				orderId: `O${t}`,
				date: formatDay(Math.min(day, FIRST_DAY + 729)),
				amount: Math.round((10 + random() * 190) * 100) / 100,
			};
			t++;
			day += 1 + Math.floor(random() * gap * 2);
		}
	}
	for (; t < transactions; t++) out[t] = { customerId: 'C000000', orderId: `O${t}`, date: formatDay(FIRST_DAY), amount: 10 };
	return out;
}
