/**
 * Segment counts on the CDNOW 1/10 sample (2,357 customers, 6,919 transactions, 1997-01 … 1998-06) agree with
 * an independent computation of the documented rules written here: its own file parsing, its own date
 * arithmetic (Date.UTC), its own ranking (binary search over sorted values instead of walking tie blocks),
 * and segment tables read from ../shared/docs/metrics.md itself rather than from the engine.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';

import { rfmFromTransactions } from '../../../nodes/engine/segments/rfm';
import { elevenSegmentMap, tenSegmentMap } from '../../../nodes/engine/segments/segmentMaps';
import { daysFromCivil } from '../../../nodes/shared/dates';

const projectRoot = resolve(__dirname, '..', '..', '..');
const sharedRoot = resolve(projectRoot, '..', 'shared');

interface Tx {
	id: string;
	ms: number;
	dollars: number;
}

const text = readFileSync(resolve(sharedRoot, 'data', 'cdnow', 'CDNOW_sample.txt'), 'utf8');
const txs: Tx[] = text
	.split('\n')
	.filter((line) => line.trim() !== '')
	.map((line) => {
		const [id, , date, , dollars] = line.trim().split(/\s+/);
		return { id, ms: Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8)), dollars: Number(dollars) };
	});

// ---- the documented rules, computed independently ------------------------------------------------------

const lowerCamel = (name: string) =>
	name
		.split(/\s+/)
		.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()))
		.join('');

/** "- Champions: 555 554 …" lines of metrics.md → code → segment key. */
function elevenFromDocs(): Map<string, string> {
	const docs = readFileSync(resolve(sharedRoot, 'docs', 'metrics.md'), 'utf8');
	const out = new Map<string, string>();
	for (const match of docs.matchAll(/^\s*- ([A-Za-z ]+): ((?:\d{3}\s*)+)$/gm)) {
		for (const code of match[2].trim().split(/\s+/)) out.set(code, lowerCamel(match[1]));
	}
	return out;
}

/** The `[1-2][1-2]` hibernating; … list of metrics.md → rules on the R+F string. */
function tenFromDocs(): Array<{ re: RegExp; segment: string }> {
	const docs = readFileSync(resolve(sharedRoot, 'docs', 'metrics.md'), 'utf8').replace(/\s+/g, ' ');
	const line = docs.slice(docs.indexOf('10-segment map'), docs.indexOf('Segment names must'));
	const key: Record<string, string> = {
		hibernating: 'hibernating',
		'at risk': 'atRisk',
		"can't lose": 'cannotLoseThem',
		'about to sleep': 'aboutToSleep',
		'need attention': 'needAttention',
		loyal: 'loyal',
		promising: 'promising',
		new: 'newCustomers',
		'potential loyalist': 'potentialLoyalist',
		champions: 'champions',
	};
	return [...line.matchAll(/`([^`]+)` ([a-z' ]+?)[;.]/g)].map((m) => ({ re: new RegExp(`^${m[1]}$`), segment: key[m[2].trim()] }));
}

/** Number of values in a sorted array strictly below x / at most x. */
function countBelow(sorted: number[], x: number, inclusive: boolean): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid] < x || (inclusive && sorted[mid] === x)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Ties kept together: the block's average rank (a + b) / 2, score = 1 + ⌊5 (rank − ½) / n⌋. "Worse" = lower `goodness`. */
function scoresKeepingTies(goodness: number[]): number[] {
	const sorted = [...goodness].sort((a, b) => a - b);
	const n = goodness.length;
	return goodness.map((g) => {
		const a = countBelow(sorted, g, false) + 1;
		const b = countBelow(sorted, g, true);
		return 1 + Math.floor((5 * ((a + b) / 2 - 0.5)) / n);
	});
}

/** Ranked first: ties broken by first appearance (a stable sort keeps input order). */
function scoresRankedFirst(values: number[]): number[] {
	const n = values.length;
	const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
	const out = new Array<number>(n);
	order.forEach((entry, p) => (out[entry.i] = 1 + Math.floor((5 * (p + 1 - 0.5)) / n)));
	return out;
}

function independentRfm() {
	const ids: string[] = [];
	const last = new Map<string, number>();
	const orders = new Map<string, number>();
	const spend = new Map<string, number>();
	let maxMs = -Infinity;
	for (const t of txs) {
		if (!last.has(t.id)) ids.push(t.id);
		last.set(t.id, Math.max(last.get(t.id) ?? -Infinity, t.ms));
		orders.set(t.id, (orders.get(t.id) ?? 0) + 1); // no order ids in CDNOW: each row is an order
		spend.set(t.id, (spend.get(t.id) ?? 0) + t.dollars);
		maxMs = Math.max(maxMs, t.ms);
	}
	const asOf = maxMs + 86_400_000; // the day after the last transaction
	const recency = ids.map((id) => Math.round((asOf - last.get(id)!) / 86_400_000));
	const r = scoresKeepingTies(recency.map((d) => -d)); // fewer days = better
	const f = scoresRankedFirst(ids.map((id) => orders.get(id)!));
	const m = scoresKeepingTies(ids.map((id) => spend.get(id)!));
	return { ids, recency, codes: ids.map((_, i) => `${r[i]}${f[i]}${m[i]}`) };
}

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

function tally(names: string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const n of names) out[n] = (out[n] ?? 0) + 1;
	return out;
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
