/** Dense integer indexes for identifiers, so engines can work on typed arrays. */

/** Maps identifiers to dense indexes 0…n−1 (one per execution, never shared). */
export class IdIndex {
	private readonly index = new Map<string, number>();
	readonly ids: string[] = [];

	of(id: string): number {
		let i = this.index.get(id);
		if (i === undefined) {
			i = this.ids.length;
			this.index.set(id, i);
			this.ids.push(id);
		}
		return i;
	}

	get size(): number {
		return this.ids.length;
	}
}

/**
 * Dense indexes for (customer, key) pairs — e.g. order ids, which belong to one customer — without a global
 * map over every distinct key: rows are bucketed by customer and compared within the bucket.
 */
export function indexWithinCustomer(customer: Int32Array, keys: ReadonlyArray<string | undefined>, customerCount: number): { index: Int32Array; count: number } {
	const n = customer.length;
	const start = new Int32Array(customerCount + 1);
	for (let r = 0; r < n; r++) start[customer[r] + 1]++;
	for (let c = 0; c < customerCount; c++) start[c + 1] += start[c];
	const fill = start.slice(0, customerCount);
	const rowsByCustomer = new Int32Array(n);
	for (let r = 0; r < n; r++) rowsByCustomer[fill[customer[r]]++] = r;
	const index = new Int32Array(n).fill(-1);
	let count = 0;
	for (let c = 0; c < customerCount; c++) {
		const from = start[c];
		const to = start[c + 1];
		if (to - from <= 16) {
			for (let a = from; a < to; a++) {
				const ra = rowsByCustomer[a];
				const key = keys[ra];
				if (key === undefined) continue;
				let found = -1;
				for (let b = from; b < a; b++) {
					if (keys[rowsByCustomer[b]] === key) {
						found = index[rowsByCustomer[b]];
						break;
					}
				}
				index[ra] = found >= 0 ? found : count++;
			}
		} else {
			const seen = new Map<string, number>();
			for (let a = from; a < to; a++) {
				const ra = rowsByCustomer[a];
				const key = keys[ra];
				if (key === undefined) continue;
				let id = seen.get(key);
				if (id === undefined) seen.set(key, (id = count++));
				index[ra] = id;
			}
		}
	}
	return { index, count };
}
