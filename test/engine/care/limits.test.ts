import fc from 'fast-check';

import { applyBatch, applyRequest, isOptedOut, type CustomerState } from '../../../nodes/engine/care/limits';
import type { CountLimit, DecisionRequest } from '../../../nodes/engine/care/types';

const H = 3_600_000;

function req(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
	return {
		key: 'k1',
		customer: 'c1',
		channel: 'sms',
		topic: 'marketing',
		action: 'a',
		campaign: 'x',
		kind: 'send',
		at: 100 * H,
		countsTowardCap: true,
		limits: [],
		checkOptOut: true,
		...overrides,
	};
}
const cap = (max: number, since: number, channel?: string): CountLimit => ({
	kind: 'frequencyCap',
	match: { ...(channel ? { channel } : {}), capOnly: true },
	since,
	max,
	label: `${max}`,
});

describe('ledger rule', () => {
	it('a second decision with the same idempotency key is a duplicate, whatever else changed', () => {
		const keys = new Map<string, number>();
		const state: CustomerState = { history: [], optOuts: new Set() };
		expect(applyRequest(req(), state, keys).status).toBe('granted');
		expect(applyRequest(req({ channel: 'email', at: 200 * H }), state, keys)).toEqual({ key: 'k1', status: 'duplicate', previousAt: 100 * H });
		expect(state.history).toHaveLength(1);
	});

	it('frequency cap counts sends of the window only, per channel, and names count and limit', () => {
		const state: CustomerState = {
			history: [
				{ key: 'o1', channel: 'sms', action: 'a', at: 90 * H, countsTowardCap: true, kind: 'send' },
				{ key: 'o2', channel: 'sms', action: 'b', at: 50 * H, countsTowardCap: true, kind: 'send' }, // outside
				{ key: 'o3', channel: 'email', action: 'b', at: 95 * H, countsTowardCap: true, kind: 'send' }, // other channel
				{ key: 'o4', channel: 'sms', action: 'b', at: 96 * H, countsTowardCap: false, kind: 'send' }, // transactional
				{ key: 'o5', channel: 'sms', action: 'b', at: 97 * H, countsTowardCap: true, kind: 'holdout' }, // not a send
			],
			optOuts: new Set(),
		};
		const limit = cap(2, 76 * H + 1, 'sms');
		expect(applyRequest(req({ key: 'n1', limits: [limit] }), state, new Map()).status).toBe('granted');
		expect(applyRequest(req({ key: 'n2', limits: [limit] }), state, new Map())).toEqual({ key: 'n2', status: 'limited', limit, count: 2 });
	});

	it('cooldown counts the same action on any channel, including transactional ones', () => {
		const state: CustomerState = {
			history: [{ key: 'o1', channel: 'email', action: 'renewal', at: 90 * H, countsTowardCap: false, kind: 'send' }],
			optOuts: new Set(),
		};
		const cooldown: CountLimit = { kind: 'cooldown', match: { action: 'renewal' }, since: 80 * H, max: 1, label: '1d' };
		expect(applyRequest(req({ action: 'renewal', limits: [cooldown] }), state, new Map()).status).toBe('limited');
		expect(applyRequest(req({ action: 'other', limits: [{ ...cooldown, match: { action: 'other' } }] }), state, new Map()).status).toBe('granted');
	});

	it('ledger opt-outs apply per channel and topic with wildcards, to holdouts as to sends', () => {
		expect(isOptedOut(new Set(['sms|*']), 'sms', 'service')).toBe(true);
		expect(isOptedOut(new Set(['sms|marketing']), 'sms', 'service')).toBe(false);
		expect(isOptedOut(new Set(['*|marketing']), 'email', 'marketing')).toBe(true);
		expect(isOptedOut(new Set(['*|*']), 'wecom', 'x')).toBe(true);
		const state: CustomerState = { history: [], optOuts: new Set(['sms|marketing']) };
		expect(applyRequest(req(), state, new Map()).status).toBe('optedOut');
		// A customer is held out only when they would otherwise have been sent.
		expect(applyRequest(req({ kind: 'holdout', key: 'h', countsTowardCap: false }), state, new Map()).status).toBe('optedOut');
		expect(applyRequest(req({ kind: 'holdout', key: 'h2', countsTowardCap: false, channel: 'email' }), state, new Map()).status).toBe('granted');
	});

	it('a holdout is checked against every limit, counts toward its cooldown only, and uses up no cap', () => {
		const holdout = (o: Partial<DecisionRequest>) => req({ kind: 'holdout', countsTowardCap: false, ...o });
		const full: CustomerState = { history: [{ key: 'o1', channel: 'sms', action: 'b', at: 99 * H, countsTowardCap: true, kind: 'send' }], optOuts: new Set() };
		expect(applyRequest(holdout({ key: 'h1', limits: [cap(1, 90 * H, 'sms')] }), full, new Map())).toMatchObject({ status: 'limited', count: 1 });

		const cooldown: CountLimit = { kind: 'cooldown', match: { action: 'a' }, since: 80 * H, max: 1, label: '1d' };
		const wecom: CountLimit = { kind: 'channelLimit', match: { channel: 'sms' }, since: 80 * H, max: 1, label: '1/month', calendar: true };
		const state: CustomerState = { history: [], optOuts: new Set() };
		expect(applyRequest(holdout({ key: 'h2', limits: [cap(1, 90 * H, 'sms'), wecom, cooldown] }), state, new Map()).status).toBe('granted');
		expect(state.history).toEqual([{ key: 'h2', channel: 'sms', action: 'a', at: 100 * H, countsTowardCap: false, kind: 'holdout' }]);
		// The same action again (sent or held out): cooldown. Another action on the channel: the cap and the
		// channel limit do not see the holdout.
		expect(applyRequest(req({ key: 's1', limits: [cooldown] }), state, new Map())).toMatchObject({ status: 'limited', limit: cooldown, count: 1 });
		expect(applyRequest(holdout({ key: 'h3', limits: [cooldown] }), state, new Map()).status).toBe('limited');
		const other = { ...cooldown, match: { action: 'b' } };
		expect(applyRequest(req({ key: 's2', action: 'b', limits: [cap(1, 90 * H, 'sms'), wecom, other] }), state, new Map()).status).toBe('granted');
	});

	it('property: whatever the order and mix of requests, no customer exceeds a cap in any window', () => {
		const request = fc.record({
			customer: fc.constantFrom('c1', 'c2', 'c3'),
			channel: fc.constantFrom('sms', 'email'),
			hour: fc.integer({ min: 0, max: 200 }),
			transactional: fc.boolean(),
			key: fc.integer({ min: 0, max: 60 }),
		});
		fc.assert(
			fc.property(fc.array(request, { maxLength: 120 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 48 }), (raw, max, window) => {
				// Requests arrive in time order, as decisions do.
				const sorted = [...raw].sort((a, b) => a.hour - b.hour);
				const requests = sorted.map((r) =>
					req({
						key: `${r.customer}-${r.key}`,
						customer: r.customer,
						channel: r.channel,
						at: r.hour * H,
						countsTowardCap: !r.transactional,
						limits: r.transactional ? [] : [cap(max, r.hour * H - window * H + 1, r.channel)],
					}),
				);
				const verdicts = applyBatch(requests, new Map(), new Map());
				const granted = requests.filter((_r, i) => verdicts[i].status === 'granted');
				// Independent check: slide a window over every granted, capped send.
				for (const g of granted.filter((r) => r.countsTowardCap)) {
					const inWindow = granted.filter(
						(o) => o.customer === g.customer && o.channel === g.channel && o.countsTowardCap && o.at > g.at - window * H && o.at <= g.at,
					);
					expect(inWindow.length).toBeLessThanOrEqual(max);
				}
				// Idempotency: one grant per key.
				expect(new Set(granted.map((g) => g.key)).size).toBe(granted.length);
				// Transactional requests are never limited (only duplicates stop them).
				requests.forEach((r, i) => {
					if (!r.countsTowardCap) expect(['granted', 'duplicate']).toContain(verdicts[i].status);
				});
			}),
		);
	});
});
