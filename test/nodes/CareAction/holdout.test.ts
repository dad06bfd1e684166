/**
 * The control group must be comparable with the customers who are sent: a customer is held out only when
 * they would otherwise have been sent. Ledger opt-outs, cooldowns and frequency caps apply to a held-out
 * customer as to one who is sent; being held out counts as a decision of that action for its cooldown,
 * never toward a frequency cap. Checked on every ledger backend. (Review: on day 2 of a campaign the same
 * customers were held out and recorded again under a new key while everyone else was in cooldown, and
 * customers opted out in the ledger were still held out.)
 */
import type { IDataObject } from 'n8n-workflow';

import { isHeldOut } from '../../../nodes/engine/care/controlGroup';
import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { everyBackend } from './everyBackend';
import { uniqueName } from './services';

const OUT = { email: 0, sms: 1, crmTask: 2, other: 3, holdout: 4, deferred: 5, suppressed: 6 };
const { backends, used } = everyBackend();

type Care = { customerId: string; reasons: Array<{ code: string }> };
/** output → "customerId:last reason" in input order. */
const routed = (r: Awaited<ReturnType<typeof runNode>>) => {
	if (r.error) throw r.error;
	const out: Record<string, string[]> = {};
	for (const [name, o] of Object.entries(OUT)) {
		const items = r.json('Node', o);
		if (items.length) out[name] = items.map((j) => `${String(j.customerId)}:${(j.care as unknown as Care).reasons.at(-1)!.code}`);
	}
	return out;
};
const tag = (ids: string[], code: string) => ids.map((id) => `${id}:${code}`);

describe.each(backends)('Control group, %s ledger', (backend, creds) => {
	const ledgerName = () => {
		const name = uniqueName(`ho${backend.slice(0, 2)}`);
		used[backend]?.push(name);
		return name;
	};

	it('standard playbook, 25 % held out, once per day: on day 2 the cooldown holds both groups', async () => {
		const name = ledgerName();
		const ids = Array.from({ length: 40 }, (_, i) => `k${i}`);
		const held = ids.filter((id) => isHeldOut(id, 'june', 0.25));
		expect(held.length).toBeGreaterThan(0);
		const items = ids.map((customerId) => ({ customerId, name: 'N', daysSinceLastOrder: 200, couponCode: 'X', locale: 'en' }));
		const params = (time: string): IDataObject => ({
			operation: 'decide',
			ledger: backend,
			ledgerName: name,
			campaign: 'june',
			holdoutPercent: 25,
			idempotencyPeriod: 'day',
			decideOptions: { decisionTime: time },
		});
		const day1 = routed(await runNode('careAction', params('2025-06-10T04:00:00Z'), items, creds));
		expect(day1).toEqual({ email: tag(ids.filter((id) => !held.includes(id)), 'ruleMatched'), holdout: tag(held, 'holdout') });
		const day2 = routed(await runNode('careAction', params('2025-06-11T04:00:00Z'), items, creds));
		expect(day2).toEqual({ suppressed: tag(ids, 'cooldown') });
	});

	it('a customer opted out in the ledger is not held out', async () => {
		const name = ledgerName();
		const held = Array.from({ length: 60 }, (_, i) => `h${i}`)
			.filter((id) => isHeldOut(id, 'june', 0.5))
			.slice(0, 4);
		const optOut = (customers: string[], channel: string) =>
			runNode('careAction', { operation: 'optOut', ledger: backend, ledgerName: name, optOutChannel: channel, optOutTopic: '*' }, customers.map((customerId) => ({ customerId })), creds);
		expect((await optOut(held.slice(0, 3), '*')).error).toBeUndefined();
		expect((await optOut(held.slice(3), 'sms')).error).toBeUndefined(); // another channel: still held out
		const r = await runNode('careAction', decideParams(backend, name, 'june', { holdoutPercent: 50 }), held.map((customerId) => ({ customerId, name: 'N', product: 'P' })), creds);
		expect(routed(r)).toEqual({ holdout: tag(held.slice(3), 'holdout'), suppressed: tag(held.slice(0, 3), 'optedOutInLedger') });
	});

	it('a full cap stops a held-out customer; a holdout uses up no cap', async () => {
		const name = ledgerName();
		const caps = { frequencyCaps: { caps: [{ channel: 'email', maxMessages: 1, windowHours: 16 }] } };
		const decide = (campaign: string, holdoutPercent: number, ids: string[]) =>
			runNode('careAction', decideParams(backend, name, campaign, { ...caps, holdoutPercent }), ids.map((customerId) => ({ customerId, name: 'N', product: 'P' })), creds);
		const pool = Array.from({ length: 40 }, (_, i) => `p${i}`);
		const capped = pool.slice(0, 20);
		const fresh = pool.slice(20);
		const heldCapped = capped.filter((id) => isHeldOut(id, 'b', 0.5));
		const heldFresh = fresh.filter((id) => isHeldOut(id, 'b', 0.5));
		expect(heldCapped.length).toBeGreaterThan(0);
		expect(heldFresh.length).toBeGreaterThan(0);
		// Campaign a e-mails the first 20 customers: their cap (1 e-mail / 16 h) is full.
		expect(routed(await decide('a', 0, capped))).toEqual({ email: tag(capped, 'ruleMatched') });
		// Campaign b holds out half: none of the capped customers (they would not have been sent).
		expect(routed(await decide('b', 50, pool))).toEqual({
			email: tag(fresh.filter((id) => !heldFresh.includes(id)), 'ruleMatched'),
			holdout: tag(heldFresh, 'holdout'),
			suppressed: tag(capped, 'frequencyCap'),
		});
		// Campaign c: the customers held out by b still have their e-mail slot.
		expect(routed(await decide('c', 0, fresh))).toEqual({
			email: tag(heldFresh, 'ruleMatched'),
			suppressed: tag(fresh.filter((id) => !heldFresh.includes(id)), 'frequencyCap'),
		});
	});

	it('held out at 23:00 with the send window: the holdout is the next day\'s decision, like the deferred send', async () => {
		const name = ledgerName();
		const ids = Array.from({ length: 20 }, (_, i) => `w${i}`);
		const held = ids.filter((id) => isHeldOut(id, 'night', 0.5));
		const window = { useSendWindow: true, windowStart: '09:00', windowEnd: '21:00', frequencyCaps: { caps: [] }, holdoutPercent: 50 };
		const decide = (time: string) =>
			runNode('careAction', decideParams(backend, name, 'night', { ...window, decideOptions: { decisionTime: time } }), ids.map((customerId) => ({ customerId, name: 'N', product: 'P' })), creds);
		// 2025-06-10T15:00Z is 23:00 in Shanghai; 01:30Z the next day is 09:30 there.
		expect(routed(await decide('2025-06-10T15:00:00Z'))).toEqual({
			holdout: tag(held, 'holdout'),
			deferred: tag(ids.filter((id) => !held.includes(id)), 'quietHours'),
		});
		expect(routed(await decide('2025-06-11T01:30:00Z'))).toEqual({ suppressed: tag(ids, 'alreadyDecided') });
	});
});
