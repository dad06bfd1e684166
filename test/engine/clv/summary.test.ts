/** Summaries from raw transactions against the CDNOW summary file and hand-made cases. */
import { ClvInputError } from '../../../nodes/engine/clv/model';
import { summariseTransactions } from '../../../nodes/engine/clv/summary';
import { cdnowSummaries, readSummaryFile, readSummaryWithSpend } from './cdnow';

describe('CDNOW summaries built from the raw transactions', () => {
	const built = cdnowSummaries();
	const file = readSummaryFile();
	const withSpend = readSummaryWithSpend();

	it('match the summary file: frequency exactly, recency and T within 0.01 weeks (the file is rounded)', () => {
		expect(Array.from(built.frequency)).toEqual(file.frequency);
		let worstRecency = 0;
		let worstT = 0;
		for (let i = 0; i < file.id.length; i++) {
			worstRecency = Math.max(worstRecency, Math.abs(built.recency[i] - file.recency[i]));
			worstT = Math.max(worstT, Math.abs(built.T[i] - file.T[i]));
		}
		expect(worstRecency).toBeLessThanOrEqual(0.005);
		expect(worstT).toBeLessThanOrEqual(0.005);
	});

	it('mean repeat spend matches zbar within rounding (half a cent)', () => {
		for (let i = 0; i < withSpend.id.length; i++) {
			expect(Math.abs(built.meanRepeatSpend[i] - withSpend.meanSpend[i])).toBeLessThanOrEqual(0.005 + 1e-9);
		}
	});

	it('counts 2,457 calibration and 1,882 holdout repeat purchase days, 946 repeat buyers, 39-week holdout', () => {
		const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
		expect(sum(built.frequency)).toBe(2457);
		expect(sum(built.holdoutPurchases)).toBe(1882);
		expect(built.frequency.filter((x) => x > 0).length).toBe(946);
		expect(built.holdoutLength).toBe(39);
	});
});

describe('summariseTransactions by hand', () => {
	// Customer 0: days 0, 0 (same day: one purchase), 7, 21 → x = 2; customer 1: day 14 only; customer 2:
	// only after the calibration end (day 30) → not in calibration, 1 holdout purchase.
	const tx = {
		customer: [0, 0, 0, 0, 1, 2, 0],
		day: [0, 0, 7, 21, 14, 35, 40],
		amount: [10, 5, 20, 30, 8, 9, 50],
	};
	const s = summariseTransactions(tx, { customerCount: 3, calibrationEnd: 28, observationEnd: 42, timeUnit: 'weeks' });

	it('groups same-day orders, measures in weeks and excludes the first purchase from mean spend', () => {
		expect(Array.from(s.frequency)).toEqual([2, 0, 0]);
		expect(s.recency[0]).toBeCloseTo(3, 12);
		expect(s.T[0]).toBeCloseTo(4, 12);
		expect(s.T[1]).toBeCloseTo(2, 12);
		expect(s.meanRepeatSpend[0]).toBe(25);
		expect(s.calibrationSpend[0]).toBe(65);
		expect(Array.from(s.inCalibration)).toEqual([1, 1, 0]);
		expect(Array.from(s.holdoutPurchases)).toEqual([1, 0, 1]);
		expect(s.holdoutLength).toBe(2);
	});

	it('months are 365.25/12 days', () => {
		const m = summariseTransactions({ customer: [0, 0], day: [0, 365.25 / 12] }, { customerCount: 1, calibrationEnd: 365.25 / 6, timeUnit: 'months' });
		expect(m.recency[0]).toBeCloseTo(1, 12);
		expect(m.T[0]).toBeCloseTo(2, 12);
	});

	it('rejects customer indexes out of range and an observation end before the calibration end', () => {
		expect(() => summariseTransactions({ customer: [5], day: [0] }, { customerCount: 2, calibrationEnd: 1, timeUnit: 'days' })).toThrow(ClvInputError);
		expect(() =>
			summariseTransactions({ customer: [0], day: [0] }, { customerCount: 1, calibrationEnd: 10, observationEnd: 5, timeUnit: 'days' }),
		).toThrow(/observation end/);
	});
});
