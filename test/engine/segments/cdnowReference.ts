/**
 * An independent computation of the documented RFM rules on the CDNOW 1/10 sample (2,357 customers, 6,919
 * transactions, 1997-01 … 1998-06), used by the engine and node tests: its own file parsing, its own date
 * arithmetic (Date.UTC), its own ranking (binary search over sorted values instead of walking tie blocks),
 * and segment tables read from ../shared/docs/metrics.md itself rather than from the engine. Nothing here
 * imports the engine.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';

const projectRoot = resolve(__dirname, '..', '..', '..');
const sharedRoot = resolve(projectRoot, '..', 'shared');

export interface Tx {
	id: string;
	ms: number;
	dollars: number;
}

const text = readFileSync(resolve(sharedRoot, 'data', 'cdnow', 'CDNOW_sample.txt'), 'utf8');
/** The sample's rows: master customer id, date, dollars (the sample id and CD count are not used). */
export const txs: Tx[] = text
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
export function elevenFromDocs(): Map<string, string> {
	const docs = readFileSync(resolve(sharedRoot, 'docs', 'metrics.md'), 'utf8');
	const out = new Map<string, string>();
	for (const match of docs.matchAll(/^\s*- ([A-Za-z ]+): ((?:\d{3}\s*)+)$/gm)) {
		for (const code of match[2].trim().split(/\s+/)) out.set(code, lowerCamel(match[1]));
	}
	return out;
}

/** The `[1-2][1-2]` hibernating; … list of metrics.md → rules on the R+F string. */
export function tenFromDocs(): Array<{ re: RegExp; segment: string }> {
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

export function independentRfm() {
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

export function tally(names: string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const n of names) out[n] = (out[n] ?? 0) + 1;
	return out;
}
