import fc from 'fast-check';

import { seededRandom, shuffled, stratifiedSplit } from '../../../nodes/shared/random';

describe('seeded randomness', () => {
	it('same seed, same sequence; different seed, different sequence', () => {
		const a = seededRandom(7);
		const b = seededRandom(7);
		const c = seededRandom(8);
		const sa = Array.from({ length: 5 }, a);
		expect(Array.from({ length: 5 }, b)).toEqual(sa);
		expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
		for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
	});

	it('shuffle is a permutation', () => {
		fc.assert(
			fc.property(fc.array(fc.integer()), fc.integer(), (values, seed) => {
				expect(shuffled(values, seededRandom(seed)).sort()).toEqual(values.slice().sort());
			}),
		);
	});
});

describe('stratified split', () => {
	it('keeps the churn rate in both parts and uses every row once (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), fc.integer(), (flags, seed) => {
				const labels = flags.map((f) => (f ? 1 : 0));
				const { train, test } = stratifiedSplit(labels, 0.2, seed);
				expect([...train, ...test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
				const positives = labels.filter(Boolean).length;
				const testPositives = test.filter((i) => labels[i]).length;
				// round(20 % of each class), but at least one and never all of a class of two or more.
				const held = (size: number) => (size < 2 ? Math.round(0.2 * size) : Math.min(size - 1, Math.max(1, Math.round(0.2 * size))));
				expect(testPositives).toBe(held(positives));
				expect(test.length - testPositives).toBe(held(labels.length - positives));
			}),
		);
	});

	it('is reproducible for a seed', () => {
		const labels = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0));
		expect(stratifiedSplit(labels, 0.2, 42)).toEqual(stratifiedSplit(labels, 0.2, 42));
		expect(stratifiedSplit(labels, 0.2, 42).test).not.toEqual(stratifiedSplit(labels, 0.2, 43).test);
	});
});
