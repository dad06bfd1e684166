/**
 * The ledger's decision rule, written once as a pure function so that every backend (in-memory,
 * n8n's de-duplication store, PostgreSQL) applies exactly the same rule; the Redis backend mirrors it
 * in Lua and is tested against the same cases (test/nodes/CareAction/conformance.ts).
 *
 * Requests are taken in the order given — the caller sorts by priority first, so that when several
 * actions compete for one customer under a cap, the most important one claims the slot.
 */
import type { CountLimit, DecisionRequest, DecisionVerdict, HistoryEntry } from './types';

export interface CustomerState {
	/** Earlier decisions of this customer (any order); granted requests are appended. */
	history: HistoryEntry[];
	/** Opt-outs as `channel|topic` with `*` wildcards. */
	optOuts: ReadonlySet<string>;
}

export function isOptedOut(optOuts: ReadonlySet<string>, channel: string, topic: string): boolean {
	return (
		optOuts.has('*|*') || optOuts.has(`${channel}|*`) || optOuts.has(`*|${topic}`) || optOuts.has(`${channel}|${topic}`)
	);
}

/**
 * Whether an earlier decision of this kind counts toward a limit: a send toward every limit; a holdout (the
 * customer was decided for that action but sent nothing) toward cooldowns only, never toward a frequency cap
 * or a channel limit.
 */
export function kindCounts(kind: HistoryEntry['kind'], limit: CountLimit): boolean {
	return kind === 'send' || (kind === 'holdout' && limit.kind === 'cooldown');
}

export function countMatching(history: readonly HistoryEntry[], limit: CountLimit): number {
	let n = 0;
	for (const h of history) {
		if (!kindCounts(h.kind, limit) || h.at < limit.since || (limit.until !== undefined && h.at >= limit.until)) continue;
		if (limit.match.channel !== undefined && h.channel !== limit.match.channel) continue;
		if (limit.match.action !== undefined && h.action !== limit.match.action) continue;
		if (limit.match.capOnly && !h.countsTowardCap) continue;
		n++;
	}
	return n;
}

/**
 * Decides one request against the customer's state and, when granted, records it in that state.
 * `existingKeys` maps idempotency keys already in the ledger to their planned instant. A holdout goes
 * through the same checks as a send: a customer is held out only when they would otherwise have been sent.
 */
export function applyRequest(
	request: DecisionRequest,
	state: CustomerState,
	existingKeys: Map<string, number>,
): DecisionVerdict {
	const previousAt = existingKeys.get(request.key);
	if (previousAt !== undefined) return { key: request.key, status: 'duplicate', previousAt };
	if (request.checkOptOut && isOptedOut(state.optOuts, request.channel, request.topic)) {
		return { key: request.key, status: 'optedOut' };
	}
	for (const limit of request.limits) {
		const count = countMatching(state.history, limit);
		// A cap of 2 allows this decision while fewer than 2 matching ones exist in the window.
		if (count >= limit.max) return { key: request.key, status: 'limited', limit, count };
	}
	existingKeys.set(request.key, request.at);
	state.history.push({
		key: request.key,
		channel: request.channel,
		action: request.action,
		at: request.at,
		countsTowardCap: request.countsTowardCap,
		kind: request.kind,
	});
	return { key: request.key, status: 'granted' };
}

/** Applies a batch in order against per-customer states (built by the backend from its store). */
export function applyBatch(
	requests: readonly DecisionRequest[],
	states: Map<string, CustomerState>,
	existingKeys: Map<string, number>,
): DecisionVerdict[] {
	return requests.map((r) => {
		let state = states.get(r.customer);
		if (!state) {
			state = { history: [], optOuts: new Set() };
			states.set(r.customer, state);
		}
		return applyRequest(r, state, existingKeys);
	});
}

/** The earliest `since` of a batch: how far back a backend must read history. */
export function earliestSince(requests: readonly DecisionRequest[]): number {
	let min = Number.POSITIVE_INFINITY;
	for (const r of requests) for (const l of r.limits) if (l.since < min) min = l.since;
	return Number.isFinite(min) ? min : 0;
}
