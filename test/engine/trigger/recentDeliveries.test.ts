/** The bounded record of accepted deliveries used when no shared ledger is configured. */
import { createHash } from 'crypto';

import { claimDelivery, deliveryDigest, recentDeliveriesIn } from '../../../nodes/engine/trigger/recentDeliveries';

const DAY = 86_400_000;

describe('recent deliveries', () => {
	it('claims a key once, stores only its digest', () => {
		const container: Record<string, unknown> = {};
		const record = recentDeliveriesIn(container);
		expect(claimDelivery(record, 'generic:evt-1', 1000)).toBe(true);
		expect(claimDelivery(record, 'generic:evt-1', 2000)).toBe(false);
		expect(claimDelivery(record, 'generic:evt-2', 3000)).toBe(true);
		const digest = createHash('sha256').update('generic:evt-1').digest('hex').slice(0, 32);
		expect(deliveryDigest('generic:evt-1')).toBe(digest);
		expect(container).toEqual({ retentionTriggerDeliveries: { accepted: { [digest]: 1000, [deliveryDigest('generic:evt-2')]: 3000 } } });
		expect(JSON.stringify(container)).not.toContain('evt-1');
	});

	it('forgets keys older than the retention window', () => {
		const record = recentDeliveriesIn({});
		const rule = { retentionMs: 7 * DAY, maxEntries: 100 };
		claimDelivery(record, 'a', 0, rule);
		expect(claimDelivery(record, 'a', 7 * DAY, rule)).toBe(false);
		expect(claimDelivery(record, 'a', 7 * DAY + 1, rule)).toBe(true);
	});

	it('keeps at most maxEntries, dropping the oldest', () => {
		const record = recentDeliveriesIn({});
		const rule = { retentionMs: DAY, maxEntries: 3 };
		for (let i = 0; i < 5; i++) claimDelivery(record, `k${i}`, i, rule);
		expect(Object.keys(record.accepted).sort()).toEqual(['k2', 'k3', 'k4'].map(deliveryDigest).sort());
	});

	it('repairs a malformed container value', () => {
		const container: Record<string, unknown> = { retentionTriggerDeliveries: 'junk' };
		expect(recentDeliveriesIn(container)).toEqual({ accepted: {} });
	});
});
