/**
 * The same Decide inputs give the same routing on every ledger backend, around sends planned for later
 * (deferred items): "once per day" keyed by the day of sending, a rolling cap that sees a send already
 * planned for the morning, a calendar-day cap that does not count tomorrow's, and cap windows in
 * fractions of an hour. (Third adversarial review: the backends disagreed on each.)
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { everyBackend } from './everyBackend';
import { uniqueName } from './services';

const OUT = { email: 0, deferred: 5, suppressed: 6 };
const { backends, used } = everyBackend();

const customer = { customerId: 'k1', name: 'K', product: 'P' }; // Asia/Shanghai (the fallback zone)

describe.each(backends)('Decide around deferred sends, %s ledger', (backend, creds) => {
	const ledgerName = () => {
		const name = uniqueName(`be${backend.slice(0, 2)}`);
		used[backend]?.push(name);
		return name;
	};
	const decide = (name: string, campaign: string, time: string, extra: IDataObject = {}) =>
		runNode('careAction', decideParams(backend, name, campaign, { ...extra, decideOptions: { decisionTime: time } }), [customer], creds);
	const routed = (r: Awaited<ReturnType<typeof decide>>) =>
		Object.entries(OUT)
			.filter(([, o]) => r.output('Node', o).length > 0)
			.map(([k, o]) => [k, ...((r.json('Node', o)[0].care as { reasons: Array<{ code: string }> }).reasons.slice(-1).map((x) => x.code))]);
	const window = { useSendWindow: true, windowStart: '09:00', windowEnd: '21:00', frequencyCaps: { caps: [] } };

	it('"once per day" is the day of sending: held at 23:00 for 09:00, a run at 09:30 does not send again', async () => {
		const name = ledgerName();
		// 2025-06-10T15:00Z is 23:00 in Shanghai: held until 09:00 on the 11th.
		expect(routed(await decide(name, 'day', '2025-06-10T15:00:00Z', window))).toEqual([['deferred', 'quietHours']]);
		expect(routed(await decide(name, 'day', '2025-06-11T01:30:00Z', window))).toEqual([['suppressed', 'alreadyDecided']]);
	});

	it('a rolling cap sees a send already planned for the morning', async () => {
		const name = ledgerName();
		const cap = { frequencyCaps: { caps: [{ channel: 'email', maxMessages: 1, windowHours: 16 }] } };
		// Flow A at 22:00: deferred to 09:00. Flow B (no send window) at 22:30: within 16 h of it.
		expect(routed(await decide(name, 'a', '2025-06-10T14:00:00Z', { ...window, ...cap }))).toEqual([['deferred', 'quietHours']]);
		expect(routed(await decide(name, 'b', '2025-06-10T14:30:00Z', { ...cap, useSendWindow: false }))).toEqual([['suppressed', 'frequencyCap']]);
	});

	it('a rolling cap counts a planned send only when it goes out within the window of this one', async () => {
		const name = ledgerName();
		const cap = { frequencyCaps: { caps: [{ channel: 'email', maxMessages: 1, windowHours: 2 }] } };
		// Flow A at 22:00: deferred to 09:00, 11 h later. Flow B (no send window) at 22:30 sends now: 10.5 h
		// before A's message, far outside 2 h of it. (PostgreSQL and Redis used to count any later send.)
		expect(routed(await decide(name, 'a', '2025-06-10T14:00:00Z', { ...window, ...cap }))).toEqual([['deferred', 'quietHours']]);
		expect(routed(await decide(name, 'b', '2025-06-10T14:30:00Z', { ...cap, useSendWindow: false }))).toEqual([['email', 'ruleMatched']]);
		// Flow C at 07:30 the next morning: 1.5 h before A's 09:00 send, within 2 h of it.
		expect(routed(await decide(name, 'c', '2025-06-10T23:30:00Z', { ...cap, useSendWindow: false }))).toEqual([['suppressed', 'frequencyCap']]);
	});

	it("a calendar-day cap does not count tomorrow's planned send", async () => {
		const name = ledgerName();
		const cap = { frequencyCaps: { caps: [{ channel: 'email', maxMessages: 1, windowHours: 24, windowType: 'calendarDay' }] } };
		expect(routed(await decide(name, 'a', '2025-06-10T14:00:00Z', { ...window, ...cap }))).toEqual([['deferred', 'quietHours']]);
		// 22:30 on the 10th: nothing is sent on the 10th.
		expect(routed(await decide(name, 'b', '2025-06-10T14:30:00Z', { ...cap, useSendWindow: false }))).toEqual([['email', 'ruleMatched']]);
	});

	it('a cap window in fractions of an hour works (whole milliseconds)', async () => {
		const name = ledgerName();
		const cap = { frequencyCaps: { caps: [{ channel: 'email', maxMessages: 1, windowHours: 1.3333333 }] } };
		const r = await decide(name, 'f', '2025-06-10T04:00:00Z', cap);
		expect(r.error).toBeUndefined();
		expect(routed(r)).toEqual([['email', 'ruleMatched']]);
		expect(routed(await decide(name, 'g', '2025-06-10T05:00:00Z', cap))).toEqual([['suppressed', 'frequencyCap']]);
	});
});
