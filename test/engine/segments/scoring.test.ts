import fc from 'fast-check';

import { quantileScores, thresholdProblems, thresholdScores, type Scale } from '../../../nodes/engine/segments/scoring';

const scores = (r: { scores: Uint8Array }) => Array.from(r.scores);

describe('quantile scores (Hazen rank groups, README.md, Customer Segments tie rule)', () => {
	it('gives 1…5 to five distinct values, reversed for recency', () => {
		expect(scores(quantileScores([10, 20, 30, 40, 50], 5, 'higherIsBetter', 'keepTogether'))).toEqual([1, 2, 3, 4, 5]);
		expect(scores(quantileScores([10, 20, 30, 40, 50], 5, 'lowerIsBetter', 'keepTogether'))).toEqual([5, 4, 3, 2, 1]);
	});

	it('cuts ten distinct values into five pairs', () => {
		const values = [3, 1, 4, 10, 5, 9, 2, 6, 8, 7];
		// ranks = values; score = 1 + floor(5 (2r − 1) / 20)
		expect(scores(quantileScores(values, 5, 'higherIsBetter', 'byFirstAppearance'))).toEqual([2, 1, 2, 5, 3, 5, 1, 3, 4, 4]);
	});

	it('seven values on 1–5: group sizes 1,2,1,2,1 (by hand: 1 + floor(5(2r−1)/14))', () => {
		// r = 1..7 → 5/14=0.36, 15/14=1.07, 25/14=1.79, 35/14=2.5, 45/14=3.2, 55/14=3.9, 65/14=4.6
		expect(scores(quantileScores([1, 2, 3, 4, 5, 6, 7], 5, 'higherIsBetter', 'keepTogether'))).toEqual([1, 2, 2, 3, 4, 4, 5]);
	});

	it('keeps ties together at their average rank', () => {
		// value 1 holds ranks 1–3: 1 + floor(5 (1 + 3 − 1) / 10) = 2; value 2 rank 4 → 4; value 3 rank 5 → 5.
		expect(scores(quantileScores([1, 1, 1, 2, 3], 5, 'higherIsBetter', 'keepTogether'))).toEqual([2, 2, 2, 4, 5]);
	});

	it('breaks frequency ties by first appearance: the earlier customer ranks lower', () => {
		expect(scores(quantileScores([1, 1, 1, 2, 3], 5, 'higherIsBetter', 'byFirstAppearance'))).toEqual([1, 2, 3, 4, 5]);
		// order by (value, index): #1, #2, #4 (value 1), #0 (2), #3 (3)
		const r = quantileScores([2, 1, 1, 3, 1], 5, 'higherIsBetter', 'byFirstAppearance');
		expect(scores(r)).toEqual([4, 1, 2, 5, 3]);
		expect(r.largestSplitTie).toEqual({ value: 1, customers: 3, lowestScore: 1, highestScore: 3 });
	});

	it('collapses identical values to the middle score, and says so through levelsUsed', () => {
		for (const [scale, middle] of [
			[5, 3],
			[4, 3],
			[3, 2],
		] as Array<[Scale, number]>) {
			const r = quantileScores([7, 7, 7, 7, 7, 7, 7], scale, 'lowerIsBetter', 'keepTogether');
			expect(scores(r)).toEqual(new Array(7).fill(middle));
			expect(r.levelsUsed).toBe(1);
			expect(r.distinctValues).toBe(1);
		}
	});

	it('scores a single customer in the middle and an empty list without error', () => {
		expect(scores(quantileScores([42], 5, 'higherIsBetter', 'keepTogether'))).toEqual([3]);
		expect(scores(quantileScores([], 5, 'higherIsBetter', 'keepTogether'))).toEqual([]);
	});

	it('1–3 and 1–4 scales', () => {
		expect(scores(quantileScores([1, 2, 3, 4, 5, 6], 3, 'higherIsBetter', 'keepTogether'))).toEqual([1, 1, 2, 2, 3, 3]);
		expect(scores(quantileScores([1, 2, 3, 4, 5, 6, 7, 8], 4, 'lowerIsBetter', 'keepTogether'))).toEqual([4, 4, 3, 3, 2, 2, 1, 1]);
	});

	const scaleArb = fc.constantFrom<Scale>(3, 4, 5);
	const valuesArb = fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 200 });

	it('property: scores lie in 1…k, never decrease with a better value, and ties share a score', () => {
		fc.assert(
			fc.property(valuesArb, scaleArb, fc.boolean(), (values, scale, lower) => {
				const direction = lower ? 'lowerIsBetter' : 'higherIsBetter';
				const s = quantileScores(values, scale, direction, 'keepTogether').scores;
				for (let i = 0; i < values.length; i++) {
					expect(s[i]).toBeGreaterThanOrEqual(1);
					expect(s[i]).toBeLessThanOrEqual(scale);
					for (let j = 0; j < values.length; j++) {
						const better = lower ? values[i] < values[j] : values[i] > values[j];
						if (better) expect(s[i]).toBeGreaterThanOrEqual(s[j]);
						if (values[i] === values[j]) expect(s[i]).toBe(s[j]);
					}
				}
			}),
		);
	});

	it('property: ranked first, every score holds floor(n/k) or ceil(n/k) customers', () => {
		fc.assert(
			fc.property(valuesArb, scaleArb, (values, scale) => {
				const s = quantileScores(values, scale, 'higherIsBetter', 'byFirstAppearance').scores;
				const counts = new Array(scale + 1).fill(0);
				for (const v of s) counts[v]++;
				for (let k = 1; k <= scale; k++) {
					expect(counts[k]).toBeGreaterThanOrEqual(Math.floor(values.length / scale));
					expect(counts[k]).toBeLessThanOrEqual(Math.ceil(values.length / scale));
				}
			}),
		);
	});

	it('property: equals the rank definition computed by brute force (O(n²) oracle)', () => {
		fc.assert(
			fc.property(valuesArb, scaleArb, fc.boolean(), (values, scale, lower) => {
				const n = values.length;
				const worse = (x: number, y: number) => (lower ? x > y : x < y); // is x worse than y?
				const together = quantileScores(values, scale, lower ? 'lowerIsBetter' : 'higherIsBetter', 'keepTogether').scores;
				const first = quantileScores(values, scale, lower ? 'lowerIsBetter' : 'higherIsBetter', 'byFirstAppearance').scores;
				values.forEach((v, i) => {
					const below = values.filter((w) => worse(w, v)).length;
					const equal = values.filter((w) => w === v).length;
					const earlierEqual = values.slice(0, i).filter((w) => w === v).length;
					const avgRank = below + (equal + 1) / 2; // ranks below+1 … below+equal
					expect(together[i]).toBe(Math.floor((scale * (avgRank - 0.5)) / n) + 1);
					const rank = below + earlierEqual + 1;
					expect(first[i]).toBe(Math.floor((scale * (rank - 0.5)) / n) + 1);
				});
			}),
		);
	});

	it('property: reversing the direction equals negating the values', () => {
		fc.assert(
			fc.property(valuesArb, scaleArb, (values, scale) => {
				const a = quantileScores(values, scale, 'lowerIsBetter', 'keepTogether').scores;
				const b = quantileScores(
					values.map((v) => -v),
					scale,
					'higherIsBetter',
					'keepTogether',
				).scores;
				expect(Array.from(a)).toEqual(Array.from(b));
			}),
		);
	});
});

describe('fixed thresholds', () => {
	it('frequency / monetary: a threshold is the first value of the better score', () => {
		expect(scores(thresholdScores([0, 1, 2, 3, 4, 5, 10], [2, 4], 'higherIsBetter'))).toEqual([1, 1, 2, 2, 3, 3, 3]);
	});

	it('recency: a threshold is the last day of the better score', () => {
		// ≤ 30 → 5, ≤ 60 → 4, ≤ 90 → 3, ≤ 180 → 2, else 1
		expect(scores(thresholdScores([0, 30, 31, 60, 90, 91, 180, 181, 999], [30, 60, 90, 180], 'lowerIsBetter'))).toEqual([
			5, 5, 4, 4, 3, 2, 2, 1, 1,
		]);
	});

	it('checks the number and order of thresholds', () => {
		expect(thresholdProblems([30, 60, 90, 180], 5)).toEqual([]);
		expect(thresholdProblems([30, 60], 5)).toEqual(['needs 4 thresholds for a 1–5 scale, got 2']);
		expect(thresholdProblems([2, 2], 3)).toEqual(['thresholds must increase: 2 is followed by 2']);
		expect(thresholdProblems([1, NaN], 3)).toEqual(['threshold 2 is not a number']);
	});
});
