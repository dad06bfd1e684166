/**
 * The same ledger behaviour, checked on every backend (the embedded one with the differences its
 * options name): each case is hand-computed from the rule in engine/care/limits.ts.
 */
import type { CareLedger } from '../../../nodes/CareAction/ledger/types';
import type { CountLimit, DecisionRequest } from '../../../nodes/engine/care/types';

const H = 3_600_000;
const T0 = Date.UTC(2025, 5, 10, 4);

export function request(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
	return {
		key: 'k',
		customer: 'cust',
		channel: 'email',
		topic: 'marketing',
		action: 'tips',
		campaign: 'c',
		kind: 'send',
		at: T0,
		countsTowardCap: true,
		limits: [],
		checkOptOut: true,
		...overrides,
	};
}

/** A rolling cap as Decide makes it (engine/care/decide.ts, limitsFor): its hours either side of the send. */
export const cap = (max: number, windowHours: number, at = T0, channel?: string): CountLimit => ({
	kind: 'frequencyCap',
	match: { ...(channel ? { channel } : {}), capOnly: true },
	since: at - windowHours * H + 1,
	until: at + windowHours * H,
	max,
	label: `${max}/${windowHours}h`,
});

export function ledgerConformance(
	open: () => Promise<CareLedger>,
	options: {
		/** The store keeps when a key was decided. */
		knowsPreviousAt?: boolean;
		/** The store keeps times and can forget records older than one (false: prune fails clearly). */
		prunesByAge?: boolean;
		/** Milliseconds the store may count a rolling window further back than configured (never less). */
		windowReachesBackByMs?: number;
	} = {},
): void {
	let ledger: CareLedger;
	beforeAll(async () => {
		ledger = await open();
	});
	afterAll(async () => {
		await ledger?.close();
	});

	it('grants once per idempotency key, across calls and within a batch', async () => {
		const v1 = await ledger.decide([request({ key: 'a1', customer: 'u1' }), request({ key: 'a1', customer: 'u1' })]);
		expect(v1.map((v) => v.status)).toEqual(['granted', 'duplicate']);
		const v2 = await ledger.decide([request({ key: 'a1', customer: 'u1', at: T0 + H })]);
		expect(v2).toEqual([{ key: 'a1', status: 'duplicate', ...(options.knowsPreviousAt === false ? {} : { previousAt: T0 }) }]);
	});

	it('caps per channel within the window, in the order given; transactional and holdouts do not count', async () => {
		const c = 'u2';
		const v = await ledger.decide([
			request({ key: 'b1', customer: c, limits: [cap(2, 24, T0, 'sms')], channel: 'sms' }),
			request({ key: 'b2', customer: c, countsTowardCap: false, channel: 'sms' }), // transactional
			request({ key: 'b3', customer: c, kind: 'holdout', channel: 'sms' }),
			request({ key: 'b4', customer: c, limits: [cap(2, 24, T0, 'sms')], channel: 'sms' }),
			request({ key: 'b5', customer: c, limits: [cap(2, 24, T0, 'sms')], channel: 'sms' }),
			request({ key: 'b6', customer: c, limits: [cap(2, 24, T0, 'email')], channel: 'email' }),
		]);
		expect(v.map((x) => x.status)).toEqual(['granted', 'granted', 'granted', 'granted', 'limited', 'granted']);
		expect(v[4]).toMatchObject({ count: 2, limit: { kind: 'frequencyCap', max: 2 } });
		// 25 hours later the window has moved on (plus what the store may count further back).
		const later = T0 + 25 * H + (options.windowReachesBackByMs ?? 0);
		const w = await ledger.decide([request({ key: 'b7', customer: c, channel: 'sms', at: later, limits: [cap(2, 24, later, 'sms')] })]);
		expect(w[0].status).toBe('granted');
	});

	it('cooldown counts the same action on any channel', async () => {
		const cooldown: CountLimit = { kind: 'cooldown', match: { action: 'renew' }, since: T0 - 7 * 24 * H + 1, until: T0 + 7 * 24 * H, max: 1, label: '7d' };
		const earlier = T0 - 24 * H;
		// decided without any limit (another flow with no cooldown): it still counts
		await ledger.decide([request({ key: 'c1', customer: 'u3', action: 'renew', at: earlier, channel: 'sms', limits: [] })]);
		const v = await ledger.decide([
			request({ key: 'c2', customer: 'u3', action: 'renew', limits: [cooldown] }),
			request({ key: 'c3', customer: 'u3', action: 'other', limits: [{ ...cooldown, match: { action: 'other' } }] }),
		]);
		expect(v.map((x) => x.status)).toEqual(['limited', 'granted']);
	});

	it('limits count every earlier send, whatever limits it was decided under (caps edited, other flows)', async () => {
		const c = 'u7';
		// Sent under the default 1 e-mail / 16 h; an hour later the cap reads 1 e-mail / 24 h.
		await ledger.decide([request({ key: 'g1', customer: c, limits: [cap(1, 16, T0, 'email')] })]);
		const edited = await ledger.decide([request({ key: 'g2', customer: c, at: T0 + H, limits: [cap(1, 24, T0 + H, 'email')] })]);
		expect(edited.map((x) => x.status)).toEqual(['limited']);
		// An uncapped flow sends an SMS; a flow with "1 message / 24 h on all channels" comes after.
		await ledger.decide([request({ key: 'g3', customer: 'u8', channel: 'sms' })]);
		const allChannels = await ledger.decide([request({ key: 'g4', customer: 'u8', at: T0 + H, limits: [cap(1, 24, T0 + H)] })]);
		expect(allChannels.map((x) => x.status)).toEqual(['limited']);
		// A 30-day cooldown edited to 14 days: the send of yesterday still holds it.
		const day = 24 * H;
		const cool = (days: number, at: number): CountLimit => ({ kind: 'cooldown', match: { action: 'winBack' }, since: at - days * day + 1, until: at + days * day, max: 1, label: `${days}d` });
		await ledger.decide([request({ key: 'g5', customer: 'u9', action: 'winBack', limits: [cool(30, T0)] })]);
		const shorter = await ledger.decide([request({ key: 'g6', customer: 'u9', action: 'winBack', at: T0 + day, limits: [cool(14, T0 + day)] })]);
		expect(shorter.map((x) => x.status)).toEqual(['limited']);
		// …and lets go after 14 days (plus what the store may count further back).
		const free = T0 + 14 * day + 1 + (options.windowReachesBackByMs ?? 0);
		const after = await ledger.decide([request({ key: 'g7', customer: 'u9', action: 'winBack', at: free, limits: [cool(14, free)] })]);
		expect(after.map((x) => x.status)).toEqual(['granted']);
	});

	it('opt-outs by channel and topic, with wildcards', async () => {
		await ledger.optOut([
			{ customer: 'u4', channel: 'sms', topic: '*', at: T0 },
			{ customer: 'u5', channel: '*', topic: 'marketing', at: T0 },
		]);
		const v = await ledger.decide([
			request({ key: 'd1', customer: 'u4', channel: 'sms', topic: 'service' }),
			request({ key: 'd2', customer: 'u4', channel: 'email' }),
			request({ key: 'd3', customer: 'u5', channel: 'email' }),
			request({ key: 'd4', customer: 'u5', channel: 'email', topic: 'service' }),
			request({ key: 'd5', customer: 'u5', channel: 'email', checkOptOut: false }),
		]);
		expect(v.map((x) => x.status)).toEqual(['optedOut', 'granted', 'optedOut', 'granted', 'granted']);
	});

	it('holdouts: opt-outs and limits apply as to sends; a holdout counts toward its cooldown only', async () => {
		const hold = (o: Partial<DecisionRequest>) => request({ kind: 'holdout', countsTowardCap: false, ...o });
		// Opted out of everything: not held out.
		await ledger.optOut([{ customer: 'hx1', channel: '*', topic: '*', at: T0 }]);
		expect((await ledger.decide([hold({ key: 'hx1-1', customer: 'hx1' })]))[0].status).toBe('optedOut');
		// Cap already full: not held out.
		await ledger.decide([request({ key: 'hx2-1', customer: 'hx2', channel: 'sms' })]);
		const full = await ledger.decide([hold({ key: 'hx2-2', customer: 'hx2', channel: 'sms', at: T0 + H, limits: [cap(1, 24, T0 + H, 'sms')] })]);
		expect(full[0]).toMatchObject({ status: 'limited', count: 1, limit: { kind: 'frequencyCap' } });
		// Held out under a cap, WeCom's monthly limit and a cooldown: none of the first two sees it…
		const month: CountLimit = { kind: 'channelLimit', match: { channel: 'wecom' }, since: Date.UTC(2025, 5, 1), until: Date.UTC(2025, 6, 1), calendar: true, max: 1, label: '1/month' };
		const cooldown = (action: string, at: number): CountLimit => ({ kind: 'cooldown', match: { action }, since: at - 7 * 24 * H + 1, until: at + 7 * 24 * H, max: 1, label: '7d' });
		const wecom = { customer: 'hx3', channel: 'wecom' as const };
		expect((await ledger.decide([hold({ ...wecom, key: 'hx3-1', action: 'note', limits: [cap(1, 24, T0, 'wecom'), month, cooldown('note', T0)] })]))[0].status).toBe('granted');
		const later = T0 + 2 * H;
		const other = await ledger.decide([request({ ...wecom, key: 'hx3-2', action: 'other', at: later, limits: [cap(1, 24, later, 'wecom'), month, cooldown('other', later)] })]);
		expect(other[0].status).toBe('granted');
		// …but the cooldown of its action does, for a send and for another holdout.
		const again = await ledger.decide([
			request({ ...wecom, key: 'hx3-3', action: 'note', countsTowardCap: false, at: later, limits: [cooldown('note', later)] }),
			hold({ ...wecom, key: 'hx3-4', action: 'note', at: later, limits: [cooldown('note', later)] }),
		]);
		expect(again.map((v) => [v.status, v.count])).toEqual([
			['limited', 1],
			['limited', 1],
		]);
	});

	it('outcomes: known decisions only, repeated reports are not new', async () => {
		// Keys start with the customer hash, as the engine makes them (engine/care/decide.ts).
		const key = 'u6-e1';
		await ledger.decide([request({ key, customer: 'u6' })]);
		const r = await ledger.recordOutcomes([
			{ key, event: 'sent', at: T0 },
			{ key, event: 'sent', at: T0 },
			{ key, event: 'opened', at: T0 },
			{ key: 'u6-nope', event: 'sent', at: T0 },
		]);
		expect(r).toEqual([
			{ key, known: true, isNew: true },
			{ key, known: true, isNew: false },
			{ key, known: true, isNew: true },
			{ key: 'u6-nope', known: false, isNew: false },
		]);
		expect((await ledger.recordOutcomes([{ key, event: 'sent', at: T0 }]))[0].isNew).toBe(false);
	});

	it('claimOnce returns only the keys never claimed before in that namespace', async () => {
		expect(await ledger.claimOnce('events', ['x', 'y', 'x'])).toEqual(['x', 'y']);
		expect(await ledger.claimOnce('events', ['y', 'z'])).toEqual(['z']);
		expect(await ledger.claimOnce('other', ['y'])).toEqual(['y']);
	});

	it('concurrent claims of the same keys: each key is won exactly once', async () => {
		const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
		const results = await Promise.all(
			Array.from({ length: 6 }, async () => {
				const l = await open();
				try {
					return await l.claimOnce('race', keys);
				} finally {
					await l.close();
				}
			}),
		);
		const all = results.flat();
		expect(all.length).toBe(keys.length);
		expect(new Set(all).size).toBe(keys.length);
	});

	// Last: its second prune empties the ledger of everything but opt-outs.
	it('prune forgets decisions (with their cap history), outcomes and claims before a time; never opt-outs', async () => {
		if (options.prunesByAge === false) {
			await expect(ledger.prune(T0)).rejects.toThrow(/cannot be pruned/);
			return;
		}
		const D = 24 * H;
		const old = T0 - 500 * D;
		// A 600-day cap sees both of p1's decisions until the old one is pruned.
		const longCap = (at: number) => cap(2, 600 * 24, at);
		expect((await ledger.decide([request({ key: 'p1-old', customer: 'p1', at: old, limits: [longCap(old)] })]))[0].status).toBe('granted');
		expect((await ledger.decide([request({ key: 'p1-new', customer: 'p1', limits: [longCap(T0)] })]))[0].status).toBe('granted');
		await ledger.recordOutcomes([
			{ key: 'p1-old', event: 'sent', at: old },
			{ key: 'p1-new', event: 'sent', at: T0 },
		]);
		await ledger.optOut([{ customer: 'p2', channel: '*', topic: '*', at: old }]);
		const check = () => request({ key: 'p1-check', customer: 'p1', at: T0 + H, limits: [longCap(T0 + H)] });
		expect(await ledger.decide([check()])).toEqual([{ key: 'p1-check', status: 'limited', limit: longCap(T0 + H), count: 2 }]);

		// Every other case of this suite recorded at T0 − 24 h or later, and claimed at the real time now.
		expect(await ledger.prune(T0 - 400 * D)).toEqual({ decisions: 1, outcomes: 1, eventIds: 0 });
		expect((await ledger.decide([request({ key: 'p1-new', customer: 'p1' })]))[0].status).toBe('duplicate');
		expect(await ledger.recordOutcomes([{ key: 'p1-old', event: 'opened', at: T0 }])).toEqual([{ key: 'p1-old', known: false, isNew: false }]);
		expect((await ledger.decide([check()]))[0].status).toBe('granted');

		expect(await ledger.claimOnce('pruned', ['q1', 'q2'])).toEqual(['q1', 'q2']);
		const all = await ledger.prune(Date.now() + D);
		expect(all.eventIds).toBeGreaterThanOrEqual(2);
		expect(all.decisions).toBeGreaterThanOrEqual(2);
		expect(await ledger.prune(Date.now() + D)).toEqual({ decisions: 0, outcomes: 0, eventIds: 0 });
		expect(await ledger.claimOnce('pruned', ['q1', 'q2'])).toEqual(['q1', 'q2']);
		expect((await ledger.decide([request({ key: 'p1-new', customer: 'p1' })]))[0].status).toBe('granted');
		expect((await ledger.decide([request({ key: 'p2-x', customer: 'p2' })]))[0].status).toBe('optedOut');
	});
}
