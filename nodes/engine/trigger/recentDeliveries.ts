/**
 * A bounded record of accepted delivery keys kept inside a plain JSON object (the node stores it in
 * the workflow's static data when no shared ledger is configured).
 *
 * Keys are stored as SHA-256 digests (shortened), so the record holds no sender data, and entries
 * older than the retention window or beyond the size cap are dropped (oldest first): a redelivery
 * after that window is no longer recognised. Senders retry within minutes or hours, so a window of
 * days is ample; the cap keeps the workflow record small.
 */
import { createHash } from 'crypto';

export interface RecentDeliveries {
	/** digest → accepted at (epoch ms) */
	accepted: Record<string, number>;
}

export interface RetentionRule {
	retentionMs: number;
	maxEntries: number;
}

export const DEFAULT_RETENTION: RetentionRule = { retentionMs: 30 * 86_400_000, maxEntries: 10_000 };

export function deliveryDigest(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
}

/** Reads (or starts) the record inside a container object, repairing anything malformed. */
export function recentDeliveriesIn(container: Record<string, unknown>, property = 'retentionTriggerDeliveries'): RecentDeliveries {
	const existing = container[property] as RecentDeliveries | undefined;
	if (existing && typeof existing === 'object' && existing.accepted && typeof existing.accepted === 'object') return existing;
	const fresh: RecentDeliveries = { accepted: {} };
	container[property] = fresh;
	return fresh;
}

/** Records `key` and answers true when it was not there yet; prunes old and surplus entries. */
export function claimDelivery(record: RecentDeliveries, key: string, nowMs: number, rule: RetentionRule = DEFAULT_RETENTION): boolean {
	const digest = deliveryDigest(key);
	const seenAt = record.accepted[digest];
	if (typeof seenAt === 'number' && nowMs - seenAt <= rule.retentionMs) return false;
	record.accepted[digest] = nowMs;
	const entries = Object.entries(record.accepted).filter(([, at]) => typeof at === 'number' && nowMs - at <= rule.retentionMs);
	if (entries.length > rule.maxEntries) entries.sort((a, b) => b[1] - a[1]).length = rule.maxEntries;
	if (entries.length !== Object.keys(record.accepted).length) record.accepted = Object.fromEntries(entries);
	return true;
}
