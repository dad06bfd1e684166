/**
 * Segment counts on the CDNOW 1/10 sample agree with an independent computation of the documented rules
 * (./cdnowReference.ts: its own parsing, dates, ranking, and the segment tables read from metrics.md).
 */
import { rfmFromTransactions } from '../../../nodes/engine/segments/rfm';
import { elevenSegmentMap, tenSegmentMap } from '../../../nodes/engine/segments/segmentMaps';
import { daysFromCivil } from '../../../nodes/shared/dates';
import { elevenFromDocs, independentRfm, tally, tenFromDocs, txs } from './cdnowReference';

function engineRfm(map = elevenSegmentMap()) {
	const index = new Map<string, number>();
	const customer = new Int32Array(txs.length);
	const day = new Int32Array(txs.length);
	const amount = new Float64Array(txs.length);
	txs.forEach((t, i) => {
		if (!index.has(t.id)) index.set(t.id, index.size);
		customer[i] = index.get(t.id)!;
		const d = new Date(t.ms);
		day[i] = daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
		amount[i] = t.dollars;
	});
	const result = rfmFromTransactions(
		{ customerCount: index.size, customer, day, amount },
		{ frequency: 'orders', monetary: 'total', refunds: 'net' },
		5,
		{ method: 'quantiles' },
		map,
	);
	return result;
}

describe('CDNOW sample: RFM segment counts against an independent computation', () => {
	const expected = independentRfm();

	it('reads the whole sample', () => {
		expect(txs).toHaveLength(6919);
		expect(expected.ids).toHaveLength(2357);
	});

	it('the 11-segment map: same code for every customer, same counts per segment', () => {
		const result = engineRfm();
		expect(result.customers.map((c) => c.code)).toEqual(expected.codes);
		const docs = elevenFromDocs();
		expect(docs.size).toBe(125);
		const want = tally(expected.codes.map((code) => docs.get(code)!));
		const got = Object.fromEntries(result.summary.filter((s) => s.customers > 0).map((s) => [s.segment, s.customers]));
		expect(got).toEqual(want);
		// Not a degenerate split: most segments are populated and no segment holds half the customers.
		expect(Object.keys(got).length).toBeGreaterThanOrEqual(9);
		expect(Math.max(...Object.values(got))).toBeLessThan(2357 / 2);
	});

	it('the 10-segment R+F map', () => {
		const result = engineRfm(tenSegmentMap());
		const rules = tenFromDocs();
		expect(rules).toHaveLength(10);
		const want = tally(expected.codes.map((code) => rules.find((rule) => rule.re.test(code.slice(0, 2)))!.segment));
		const got = Object.fromEntries(result.summary.filter((s) => s.customers > 0).map((s) => [s.segment, s.customers]));
		expect(got).toEqual(want);
	});

	it('CDNOW has zero-dollar purchases: a warning, no crash', () => {
		const result = engineRfm();
		expect(result.warnings.some((w) => w.code === 'nonPositiveMonetary')).toBe(true);
		expect(result.warnings.some((w) => w.code === 'frequencyTiesSplit')).toBe(true);
	});
});
