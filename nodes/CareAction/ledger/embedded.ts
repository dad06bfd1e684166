/**
 * Embedded ledger (zero setup): n8n's own de-duplication store, reached through
 * `this.helpers.checkProcessedAndRecord` — the store behind the Remove Duplicates node.
 *
 * What that store is (n8n 2.x, `DeduplicationHelper` in the n8n server): one JSON row per workflow
 * (scope `workflow`) holding a list of hashed keys. Every call reads the row, changes the list in
 * memory and writes the whole row back, with no lock and no transaction. So:
 * - it only knows "seen / not seen": counts are built from slot keys (`cap 2 per 24 h` = two slot keys
 *   per customer in each 2-hour twelfth of a window), so a rolling window is counted in twelfths and
 *   may reach up to one twelfth further back than configured (never shorter: no message goes early);
 *   calendar periods (the customer's day, the WeCom month) are exact;
 * - it is per workflow: flows in other workflows do not share its caps or opt-outs;
 * - two executions in different processes (queue-mode workers) can interleave read-modify-write and
 *   lose each other's keys: caps and idempotency are NOT exact across processes;
 * - every call rewrites the whole list: meant for up to some thousands of decisions per workflow.
 * Within one n8n process the calls of one workflow's ledger are serialised below, which makes it exact
 * there (measured in test/nodes/CareAction/embedded.test.ts). Use PostgreSQL or Redis for anything else.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { isOptedOut } from '../../engine/care/limits';
import type { CountLimit, DecisionRequest, DecisionVerdict, OptOutRecord, OutcomeRecord } from '../../engine/care/types';
import type { CareLedger, OutcomeResult } from './types';

/**
 * No `maxEntries`: with it, n8n drops the oldest keys once the list is full, and the oldest keys include
 * opt-outs — a customer who unsubscribed would be messaged again. Without it nothing is ever dropped; the
 * list only grows (each call rewrites it, which is what limits this ledger to some thousands of decisions).
 */
const OPTIONS = { mode: 'entries' as const };

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
 * Rolling windows are counted in sub-buckets of 1/SUB_BUCKETS of the window: a decision marks one slot of
 * its sub-bucket, and a request counts the marks in every sub-bucket that touches its window (and the
 * window after it, where sends planned for later sit). The window
 * so counted is up to one sub-bucket longer than configured — it errs on the side of not sending (a
 * 30-day cooldown may hold up to 2.5 days longer), never lets a second message through early.
 */
const SUB_BUCKETS = 12;
/** Most messages a cap may allow on this ledger: each is a key checked in every sub-bucket. */
export const EMBEDDED_MAX_PER_WINDOW = 1000;

/** The keys a limit counts (`counted`), and the slots of the request's own bucket it may take (`own`). */
function slotKeys(r: DecisionRequest, limit: CountLimit): { counted: string[]; own: string[] } {
	if (limit.max > EMBEDDED_MAX_PER_WINDOW) {
		throw new Error(
			`The embedded ledger counts at most ${EMBEDDED_MAX_PER_WINDOW.toLocaleString('en-US')} messages per cap window (a cap allows ${limit.max}); use a PostgreSQL or Redis ledger`,
		);
	}
	const match = `${limit.match.channel ?? '*'}/${limit.match.action ?? '*'}/${limit.match.capOnly ? 'c' : 'a'}`;
	const prefix = `l|${r.customer}|${limit.kind}|${match}|${limit.label}`;
	const slots = (bucket: string) => Array.from({ length: limit.max }, (_, s) => `${prefix}|${bucket}|${s}`);
	// Calendar periods (customer's day, WeCom month) are buckets already.
	if (limit.calendar) {
		const own = slots(`m${limit.since}`);
		return { counted: own, own };
	}
	const windowMs = Math.max(1, r.at - limit.since + 1);
	const width = Math.max(1, Math.floor(windowMs / SUB_BUCKETS));
	const own = Math.floor(r.at / width);
	// Forward too: a send already planned later (a deferred item, held for the morning) counts against a
	// message now, as in the PostgreSQL and Redis ledgers.
	const last = Math.floor((r.at + windowMs) / width);
	const counted: string[] = [];
	for (let b = Math.floor(limit.since / width); b <= last; b++) for (const k of slots(`w${width}.${b}`)) counted.push(k);
	return { counted, own: slots(`w${width}.${own}`) };
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

	/** Which of these keys exist, without keeping the new ones (record, then take back). */
	async function existing(keys: string[]): Promise<Set<string>> {
		if (keys.length === 0) return new Set();
		const unique = [...new Set(keys.map(ns))];
		const r = await helpers.checkProcessedAndRecord(unique, 'workflow', OPTIONS);
		if (r.new.length > 0) await helpers.removeProcessed(r.new, 'workflow', OPTIONS);
		return new Set(r.processed.map(String));
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
				const wanted: string[] = [];
				for (const r of requests) {
					wanted.push(`d|${r.key}`);
					if (r.kind === 'send') {
						if (r.checkOptOut) wanted.push(...optOutKeys(r.customer, r.channel, r.topic));
						for (const l of r.limits) for (const k of slotKeys(r, l).counted) wanted.push(k);
					}
				}
				const taken = await existing(wanted);
				const has = (k: string) => taken.has(ns(k));
				const toRecord: string[] = [];
				const verdicts: DecisionVerdict[] = requests.map((r) => {
					if (has(`d|${r.key}`)) return { key: r.key, status: 'duplicate' };
					if (r.kind === 'send') {
						if (r.checkOptOut) {
							const set = new Set(
								optOutKeys(r.customer, r.channel, r.topic)
									.filter(has)
									.map((k) => k.split('|').slice(2).join('|')),
							);
							if (isOptedOut(set, r.channel, r.topic)) return { key: r.key, status: 'optedOut' };
						}
						const chosen: string[] = [];
						for (const limit of r.limits) {
							const { counted, own } = slotKeys(r, limit);
							const count = counted.filter(has).length;
							if (count >= limit.max) return { key: r.key, status: 'limited', limit, count };
							// Fewer than max marks in the window, so fewer in its own bucket: a slot is free.
							chosen.push(own.find((k) => !has(k))!);
						}
						for (const k of chosen) taken.add(ns(k));
						toRecord.push(...chosen);
					}
					taken.add(ns(`d|${r.key}`));
					toRecord.push(`d|${r.key}`);
					return { key: r.key, status: 'granted' };
				});
				await record(toRecord);
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
