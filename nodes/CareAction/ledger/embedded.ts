/**
 * Embedded ledger (zero setup): n8n's own de-duplication store, reached through
 * `this.helpers.checkProcessedAndRecord` — the store behind the Remove Duplicates node.
 *
 * What that store is (n8n 2.x, `DeduplicationHelper` in the n8n server): one JSON row per workflow
 * (scope `workflow`) holding a list of hashed keys. Every call reads the row, changes the list in
 * memory and writes the whole row back, with no lock and no transaction. So:
 * - it only knows "seen / not seen": counts are built from numbered slot keys in blocks of time (below),
 *   so a rolling window is counted in whole quarter hours and may reach up to 15 minutes further than
 *   configured (never shorter: no message goes early); calendar periods (the customer's day, the WeCom
 *   month) are exact; every send counts toward every later limit, whatever limits it was decided under;
 * - it has no read-only look-up: a look-up records keys and takes the new ones back, so an n8n process
 *   killed in between leaves marks that read as decisions or opt-outs (a store error is retried);
 * - it is per workflow: flows in other workflows do not share its caps or opt-outs;
 * - two executions in different processes (queue-mode workers) can interleave read-modify-write and
 *   lose each other's keys: caps and idempotency are NOT exact across processes;
 * - every call rewrites the whole list: meant for up to some thousands of decisions per workflow.
 * Within one n8n process the calls of one workflow's ledger are serialised below, which makes it exact
 * there (measured in test/nodes/CareAction/embedded.test.ts). Use PostgreSQL or Redis for anything else.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { isOptedOut } from '../../engine/care/limits';
import { MS_PER_DAY, MS_PER_HOUR } from '../../shared/dates';
import type { CountLimit, DecisionRequest, DecisionVerdict, OptOutRecord, OutcomeRecord } from '../../engine/care/types';
import type { CareLedger, OutcomeResult } from './types';

/**
 * No `maxEntries`: with it, n8n drops the oldest keys once the list is full, and the oldest keys include
 * opt-outs — a customer who unsubscribed would be messaged again. Without it nothing is ever dropped; the
 * list only grows (each call rewrites it, which is what limits this ledger to some thousands of decisions).
 */
const OPTIONS = { mode: 'entries' as const };
/** Keys looked up per call of n8n's store (see `existing`). */
const LOOK_UP_PART = 2000;
/** Tries to remove look-up marks again after a store error (no timers in node code: at once). */
const TAKE_BACK_ATTEMPTS = 3;

/**
 * The one piece of module-level state in the package, on purpose: a queue per workflow so that
 * executions running in this process take turns on n8n's unlocked store. It holds no data, only
 * the tail of the queue, and removes itself when the queue is empty.
 */
const queues = new Map<string, Promise<unknown>>();

async function serialised<T>(queueKey: string, work: () => Promise<T>): Promise<T> {
	const previous = queues.get(queueKey) ?? Promise.resolve();
	const run = previous.then(work, work);
	const tail = run.then(
		() => undefined,
		() => undefined,
	);
	queues.set(queueKey, tail);
	try {
		return await run;
	} finally {
		if (queues.get(queueKey) === tail) queues.delete(queueKey);
	}
}

/**
 * Counting on a store that only knows "seen / not seen". Every granted send leaves marks that any later
 * limit can count, whatever its settings: one mark per *class* it belongs to (all capped messages, capped
 * messages of its channel, its action; WeCom sends also their channel; a holdout only its action, which
 * cooldowns alone count) in each *block* of time containing
 * it — blocks of 15 minutes, 1 hour, 6 hours, 1 day, 7 days and 28 days, aligned on the Unix epoch, so each
 * one nests in the next. A mark takes the first free numbered slot of its block, so a block's marks are
 * slots 0, 1, 2….
 *
 * A limit counts its window [since, until) widened to whole quarter hours (never narrowed: it errs on the
 * side of not sending, by less than 15 minutes at either end) and cut into the fewest whole blocks; a block
 * holding k marks shows min(k, max) of them in its slots 0…max−1, and the sum of those reaches max exactly
 * when the window holds max sends. A customer's calendar day or month starts on a quarter hour in every
 * time zone in use since 1972, so those periods are counted exactly.
 */
const QUARTER_MS = MS_PER_HOUR / 4;
const BLOCK_LEVELS: ReadonlyArray<{ name: string; ms: number }> = [
	{ name: 'f', ms: 28 * MS_PER_DAY },
	{ name: 'w', ms: 7 * MS_PER_DAY },
	{ name: 'd', ms: MS_PER_DAY },
	{ name: 's', ms: 6 * MS_PER_HOUR },
	{ name: 'h', ms: MS_PER_HOUR },
	{ name: 'q', ms: QUARTER_MS },
];
/**
 * Most messages a cap may allow on this ledger, and the longest window (a little over a year) it counts:
 * every look-up is a key n8n's store records and removes again one by one, so a limit costs up to
 * (blocks ≈ 40 + days / 28) × max keys per customer and decision.
 */
export const EMBEDDED_MAX_PER_WINDOW = 100;
export const EMBEDDED_MAX_WINDOW_DAYS = 400;
/** Slots of a send's own blocks looked up at first; more only when those are all taken. */
const FIRST_SLOTS = 2;

/** The classes a limit's `match` counts (one), or why this ledger cannot count it. */
function limitClass(limit: CountLimit): string {
	const { channel, action, capOnly } = limit.match;
	if (action !== undefined) {
		// Holdouts mark their action's class too, and only cooldowns count them (kindCounts in limits.ts).
		if (channel !== undefined || capOnly || limit.kind !== 'cooldown') throw new Error('The embedded ledger counts a cooldown per action only');
		return `a:${action}`;
	}
	if (capOnly) return channel === undefined ? 'k*' : `k:${channel}`;
	if (channel !== 'wecom') throw new Error('The embedded ledger counts limits of every message of a channel for WeCom only');
	return `c:${channel}`;
}

/** The classes a granted send is counted in; a holdout only in its action's (cooldowns count it, caps do not). */
function sendClasses(r: DecisionRequest): string[] {
	const classes = [`a:${r.action}`];
	if (r.kind === 'holdout') return classes;
	if (r.channel === 'wecom') classes.push(`c:${r.channel}`);
	if (r.countsTowardCap) classes.push('k*', `k:${r.channel}`);
	return classes;
}

/** [since, until) widened to quarter hours, as the fewest whole blocks (`w2901`, `h48120`…). */
export function windowBlocks(since: number, until: number): string[] {
	let t = Math.floor(since / QUARTER_MS) * QUARTER_MS;
	const end = Math.ceil(until / QUARTER_MS) * QUARTER_MS;
	const blocks: string[] = [];
	while (t < end) {
		const level = BLOCK_LEVELS.find((l) => t % l.ms === 0 && t + l.ms <= end)!;
		blocks.push(`${level.name}${t / level.ms}`);
		t += level.ms;
	}
	return blocks;
}

/** The blocks containing an instant, one per level. */
function ownBlocks(at: number): string[] {
	return BLOCK_LEVELS.map((l) => `${l.name}${Math.floor(at / l.ms)}`);
}

const slotKey = (customer: string, cls: string, block: string, slot: number) => `m|${customer}|${cls}|${block}|${slot}`;

/** The first slot from `from` (below `to`) that `isTaken` does not report: slots are taken in order. */
function firstFree(isTaken: (key: string) => boolean, customer: string, cls: string, block: string, from: number, to: number): number {
	let s = from;
	while (s < to && isTaken(slotKey(customer, cls, block, s))) s++;
	return s;
}

/** A block a batch's granted sends mark: how many marks they add (`take`), and where they start (`free`). */
interface MarkedBlock {
	customer: string;
	cls: string;
	block: string;
	take: number;
	free?: number;
}

/** The blocks a limit counts for a request, with the class they are counted in. */
function limitBlocks(r: DecisionRequest, limit: CountLimit): { cls: string; blocks: string[] } {
	if (limit.max > EMBEDDED_MAX_PER_WINDOW) {
		throw new Error(
			`The embedded ledger counts at most ${EMBEDDED_MAX_PER_WINDOW.toLocaleString('en-US')} messages per cap window (a cap allows ${limit.max}); use a PostgreSQL or Redis ledger`,
		);
	}
	// Decide gives every limit its end; one without would count every later send (engine/care/limits.ts).
	if (limit.until === undefined) throw new Error('The embedded ledger needs the end of every count window');
	if (!limit.calendar && limit.until - limit.since > 2 * EMBEDDED_MAX_WINDOW_DAYS * MS_PER_DAY) {
		throw new Error(
			`The embedded ledger counts cap and cooldown windows of at most ${EMBEDDED_MAX_WINDOW_DAYS} days (${limit.label} is longer); use a PostgreSQL or Redis ledger`,
		);
	}
	return { cls: limitClass(limit), blocks: windowBlocks(limit.since, limit.until) };
}

function optOutKeys(customer: string, channel: string, topic: string): string[] {
	return [`o|${customer}|*|*`, `o|${customer}|${channel}|*`, `o|${customer}|*|${topic}`, `o|${customer}|${channel}|${topic}`];
}

export function openEmbeddedLedger(ctx: IExecuteFunctions, name: string): CareLedger {
	const helpers = ctx.helpers;
	// One queue per workflow, whatever the ledger name: n8n keeps one row per workflow for every name, so
	// calls for two names at once would still overwrite each other's keys (opt-outs included).
	const queueKey = ctx.getWorkflow().id ?? '';
	const ns = (k: string) => `${name}|${k}`;

	/**
	 * Which of these keys exist, without keeping the new ones (record, then take back: the store has no
	 * read-only look-up). Marks left behind would read as decisions and opt-outs, so a failed take-back is
	 * tried again (a passing database error) and, if it still fails, the execution fails saying so.
	 */
	async function existing(keys: string[]): Promise<Set<string>> {
		const unique = [...new Set(keys.map(ns))];
		const found = new Set<string>();
		// In parts: n8n takes keys back one by one (find, then splice the list), so a part costs about
		// (list length + part) × part; many small parts cost far less than one large one.
		for (let from = 0; from < unique.length; from += LOOK_UP_PART) {
			const r = await helpers.checkProcessedAndRecord(unique.slice(from, from + LOOK_UP_PART), 'workflow', OPTIONS);
			if (r.new.length > 0) await takeBack(r.new);
			for (const k of r.processed) found.add(String(k));
		}
		return found;
	}

	async function takeBack(keys: Array<string | number>): Promise<void> {
		let why = '';
		for (let attempt = 1; attempt <= TAKE_BACK_ATTEMPTS; attempt++) {
			try {
				await helpers.removeProcessed(keys, 'workflow', OPTIONS);
				return;
			} catch (error) {
				why = error instanceof Error ? error.message : String(error);
			}
		}
		throw new Error(
			`The embedded ledger could not take back ${keys.length} look-up mark(s) from n8n's de-duplication store after ${TAKE_BACK_ATTEMPTS} attempts (${why}): customers of this batch may now read as already decided or opted out. Use a PostgreSQL or Redis ledger where this matters.`,
		);
	}

	/**
	 * The slot keys the granted sends take: in each of their blocks, the slots after the marks already
	 * there. Looked up only for sends granted (most batches of a day are mostly limited), first slots first
	 * (most blocks hold few marks), then 8 times as far each round for blocks whose slots were all taken.
	 */
	async function markKeys(blocks: ReadonlyMap<string, MarkedBlock>): Promise<string[]> {
		let open = [...blocks.values()];
		for (let from = 0, to = FIRST_SLOTS; open.length > 0; from = to, to *= 8) {
			const probe: string[] = [];
			for (const b of open) for (let s = from; s < to; s++) probe.push(slotKey(b.customer, b.cls, b.block, s));
			const found = await existing(probe);
			for (const b of open) {
				const s = firstFree((k) => found.has(ns(k)), b.customer, b.cls, b.block, from, to);
				if (s < to) b.free = s;
			}
			open = open.filter((b) => b.free === undefined);
		}
		const keys: string[] = [];
		for (const b of blocks.values()) for (let s = b.free!; s < b.free! + b.take; s++) keys.push(slotKey(b.customer, b.cls, b.block, s));
		return keys;
	}

	async function record(keys: string[]): Promise<Set<string>> {
		if (keys.length === 0) return new Set();
		const r = await helpers.checkProcessedAndRecord(keys.map(ns), 'workflow', OPTIONS);
		return new Set(r.new.map(String));
	}

	return {
		backend: 'embedded',

		async claimOnce(namespace, keys) {
			return await serialised(queueKey, async () => {
				const fresh = await record(keys.map((k) => `c|${namespace}|${k}`));
				const seen = new Set<string>();
				return keys.filter((k) => {
					const ok = fresh.has(ns(`c|${namespace}|${k}`)) && !seen.has(k);
					seen.add(k);
					return ok;
				});
			});
		},

		async decide(requests) {
			return await serialised(queueKey, async () => {
				// Sends and holdouts pass the same checks: a customer is held out only when they would have been sent.
				const counted = new Map(requests.map((r) => [r, r.limits.map((l) => limitBlocks(r, l))]));
				const wanted: string[] = requests.map((r) => `d|${r.key}`);
				for (const r of requests) {
					if (r.checkOptOut) wanted.push(...optOutKeys(r.customer, r.channel, r.topic));
					r.limits.forEach((limit, i) => {
						const { cls, blocks } = counted.get(r)![i];
						for (const block of blocks) for (let s = 0; s < limit.max; s++) wanted.push(slotKey(r.customer, cls, block, s));
					});
				}
				const taken = await existing(wanted);
				const has = (k: string) => taken.has(ns(k));
				// Marks of sends granted earlier in this batch, per customer, class and block.
				const pending = new Map<string, MarkedBlock>();
				const verdicts: DecisionVerdict[] = requests.map((r) => {
					if (has(`d|${r.key}`)) return { key: r.key, status: 'duplicate' };
					if (r.checkOptOut) {
						const set = new Set(
							optOutKeys(r.customer, r.channel, r.topic)
								.filter(has)
								.map((k) => k.split('|').slice(2).join('|')),
						);
						if (isOptedOut(set, r.channel, r.topic)) return { key: r.key, status: 'optedOut' };
					}
					for (let i = 0; i < r.limits.length; i++) {
						const limit = r.limits[i];
						const { cls, blocks } = counted.get(r)![i];
						let count = 0;
						for (const block of blocks) {
							const marks = firstFree(has, r.customer, cls, block, 0, limit.max);
							count += Math.min(limit.max, marks + (pending.get(`${r.customer}|${cls}|${block}`)?.take ?? 0));
						}
						if (count >= limit.max) return { key: r.key, status: 'limited', limit, count };
					}
					for (const cls of sendClasses(r)) {
						for (const block of ownBlocks(r.at)) {
							const id = `${r.customer}|${cls}|${block}`;
							const b = pending.get(id) ?? { customer: r.customer, cls, block, take: 0 };
							b.take++;
							pending.set(id, b);
						}
					}
					taken.add(ns(`d|${r.key}`));
					return { key: r.key, status: 'granted' };
				});
				const marks = await markKeys(pending);
				const keys = requests.filter((_, i) => verdicts[i].status === 'granted').map((r) => `d|${r.key}`);
				await record([...keys, ...marks]);
				return verdicts;
			});
		},

		async recordOutcomes(outcomes: readonly OutcomeRecord[]): Promise<OutcomeResult[]> {
			return await serialised(queueKey, async () => {
				const known = await existing(outcomes.map((o) => `d|${o.key}`));
				const knownOnes = outcomes.filter((o) => known.has(ns(`d|${o.key}`)));
				const fresh = await record(knownOnes.map((o) => `x|${o.key}|${o.event}`));
				const seen = new Set<string>();
				return outcomes.map((o) => {
					const id = ns(`x|${o.key}|${o.event}`);
					const isNew = fresh.has(id) && !seen.has(id);
					seen.add(id);
					return { key: o.key, known: known.has(ns(`d|${o.key}`)), isNew };
				});
			});
		},

		async optOut(entries: readonly OptOutRecord[]) {
			await serialised(queueKey, async () => {
				await record(entries.map((e) => `o|${e.customer}|${e.channel}|${e.topic}`));
			});
		},

		async prune() {
			throw new Error(
				"The embedded ledger cannot be pruned by age: n8n's de-duplication store keeps no dates. Use a PostgreSQL or Redis ledger.",
			);
		},

		async close() {
			// Nothing to close: the store belongs to n8n.
		},
	};
}
