/**
 * Embedded ledger (zero setup): n8n's own de-duplication store, reached through
 * `this.helpers.checkProcessedAndRecord` — the store behind the Remove Duplicates node.
 *
 * What that store is (n8n 2.x, `DeduplicationHelper` in the n8n server): one JSON row per workflow
 * (scope `workflow`) holding a list of hashed keys. Every call reads the row, changes the list in
 * memory and writes the whole row back, with no lock and no transaction. So:
 * - it only knows "seen / not seen": counts are built from slot keys (`cap 2 per 24 h` = two slot keys
 *   per customer and 24-hour bucket), so windows here are fixed buckets aligned to multiples of the
 *   window length since 1970 UTC (calendar months in the customer's zone for WeCom), not rolling
 *   windows: across a bucket boundary a customer can receive up to twice the cap;
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
 * The one piece of module-level state in the package, on purpose: a queue per (workflow, ledger) so
 * that executions running in this process take turns on n8n's unlocked store. It holds no data, only
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

function slotKeys(r: DecisionRequest, limit: CountLimit): string[] {
	const windowMs = Math.max(1, r.at - limit.since + 1);
	// Calendar periods (customer's day, WeCom month) are buckets already; rolling windows are not.
	const bucket = limit.calendar ? `m${limit.since}` : `b${Math.floor(r.at / windowMs)}`;
	const match = `${limit.match.channel ?? '*'}/${limit.match.action ?? '*'}/${limit.match.capOnly ? 'c' : 'a'}`;
	const keys: string[] = [];
	for (let s = 0; s < limit.max; s++) keys.push(`l|${r.customer}|${limit.kind}|${match}|${limit.label}|${bucket}|${s}`);
	return keys;
}

function optOutKeys(customer: string, channel: string, topic: string): string[] {
	return [`o|${customer}|*|*`, `o|${customer}|${channel}|*`, `o|${customer}|*|${topic}`, `o|${customer}|${channel}|${topic}`];
}

export function openEmbeddedLedger(ctx: IExecuteFunctions, name: string): CareLedger {
	const helpers = ctx.helpers;
	const queueKey = `${ctx.getWorkflow().id ?? ''}|${name}`;
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
						for (const l of r.limits) wanted.push(...slotKeys(r, l));
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
							const slots = slotKeys(r, limit);
							const free = slots.find((k) => !has(k));
							if (free === undefined) return { key: r.key, status: 'limited', limit, count: slots.length };
							chosen.push(free);
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
