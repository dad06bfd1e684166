/**
 * Seeded randomness for reproducible training: the same seed gives the same split and the same model on
 * every machine. No module state: each call to {@link seededRandom} returns its own generator.
 *
 * Generator: mulberry32 (Tommy Ettinger, public domain) — 32-bit state, passes the usual small-sample
 * tests, and is fully specified by its integer arithmetic, so results do not depend on the JS engine.
 */
export type Random = () => number;

/** A generator of uniform numbers in [0, 1) from an integer seed. */
export function seededRandom(seed: number): Random {
	return mulberry32(Math.trunc(seed) ^ 0x9e3779b9);
}

/** The mulberry32 generator started from a raw 32-bit state (seededRandom mixes the seed in first). */
export function mulberry32(initialState: number): Random {
	let state = initialState >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates shuffle of a copy of `values`. */
export function shuffled<T>(values: readonly T[], random: Random): T[] {
	const out = values.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		const tmp = out[i];
		out[i] = out[j];
		out[j] = tmp;
	}
	return out;
}

/** A standard normal draw (Box–Muller), for generated test and benchmark data. */
export function normal(random: Random): number {
	let u = random();
	while (u === 0) u = random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface Split {
	/** Row indexes of the training part, ascending. */
	train: number[];
	/** Row indexes of the held-out part, ascending. */
	test: number[];
}

/**
 * Stratified split: each class is shuffled on its own and `round(fraction × class size)` of it is held
 * out (at least one and not all of a class of two or more), so both parts keep the churn rate of the
 * whole (scikit-learn's StratifiedShuffleSplit does the same per-class allocation, up to rounding).
 */
export function stratifiedSplit(labels: ArrayLike<number>, testFraction: number, seed: number): Split {
	const random = seededRandom(seed);
	const byClass: number[][] = [[], []];
	for (let i = 0; i < labels.length; i++) byClass[labels[i] ? 1 : 0].push(i);
	const train: number[] = [];
	const test: number[] = [];
	for (const members of byClass) {
		const order = shuffled(members, random);
		// Both parts get some of every class that has two or more members (a held-out part without
		// churners has no ROC AUC), whatever the rounding of a small class gives.
		let nTest = Math.round(testFraction * order.length);
		if (order.length >= 2 && testFraction > 0 && testFraction < 1) nTest = Math.min(order.length - 1, Math.max(1, nTest));
		for (let k = 0; k < order.length; k++) (k < nTest ? test : train).push(order[k]);
	}
	// Ascending order (typed-array sort: numeric, no comparator calls).
	return { train: Array.from(Int32Array.from(train).sort()), test: Array.from(Int32Array.from(test).sort()) };
}
