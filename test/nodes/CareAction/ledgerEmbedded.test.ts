/**
 * The embedded ledger through n8n's de-duplication service (the harness store), on the shared
 * conformance cases. Its documented differences: a rolling window may reach up to 15 minutes further
 * than configured (whole quarter hours), it does not know when a duplicate key was first decided (the
 * store keeps hashes only), and it cannot prune by age.
 */
import { DataDeduplicationService } from 'n8n-core';
import type { IDataObject, Workflow } from 'n8n-workflow';

import { openEmbeddedLedger } from '../../../nodes/CareAction/ledger/embedded';
import { useInProcessDeduplication } from '../../harness/deduplication';
import { ledgerConformance, request } from './conformance';
import { uniqueName } from './services';

/** What the embedded ledger needs of an execution context, for one workflow. */
function contextOf(workflowId: string) {
	const workflow = { id: workflowId } as unknown as Workflow;
	return {
		helpers: {
			checkProcessedAndRecord: async (items: string[], scope: 'workflow', options: IDataObject) =>
				await DataDeduplicationService.getInstance().checkProcessedAndRecord(items, scope, { workflow }, options as never),
			removeProcessed: async (items: string[], scope: 'workflow', options: IDataObject) =>
				await DataDeduplicationService.getInstance().removeProcessed(items, scope, { workflow }, options as never),
		},
		getWorkflow: () => ({ id: workflowId }),
	} as never;
}

const workflowId = uniqueName('wf');
const workflow = { id: workflowId } as unknown as Workflow;
const ctx = contextOf(workflowId);

beforeAll(async () => {
	await useInProcessDeduplication();
	// Create the store's row first: concurrent first writers fail in n8n (see embedded.test.ts).
	await DataDeduplicationService.getInstance().checkProcessedAndRecord(['seed'], 'workflow', { workflow }, { mode: 'entries' });
});

const name = uniqueName('embc');
describe('Embedded ledger', () => {
	ledgerConformance(async () => openEmbeddedLedger(ctx, name), {
		knowsPreviousAt: false,
		prunesByAge: false,
		windowReachesBackByMs: 15 * 60_000,
	});
});

describe('Embedded ledger, two names in one workflow', () => {
	it('calls for two ledger names at once do not overwrite each other (n8n keeps one row per workflow)', async () => {
		const context = contextOf(uniqueName('wf-two'));
		const a = openEmbeddedLedger(context, uniqueName('emba'));
		const b = openEmbeddedLedger(context, uniqueName('embb'));
		const many = Array.from({ length: 50 }, (_, i) => request({ key: `b${i}`, customer: `b${i}` }));
		await Promise.all([a.optOut([{ customer: 'c1', channel: '*', topic: '*', at: 0 }]), b.decide(many)]);
		const [verdict] = await a.decide([request({ key: 'c1-1', customer: 'c1' })]);
		expect(verdict.status).toBe('optedOut');
		// And B's decisions were all kept: deciding them again finds every key.
		expect((await b.decide(many)).every((v) => v.status === 'duplicate')).toBe(true);
	});
});

describe('Embedded ledger, rolling windows', () => {
	const DAY = 86_400_000;
	const cooldown = (at: number) => ({ kind: 'cooldown' as const, match: { action: 'weMissYou' }, since: at - 30 * DAY + 1, until: at + 30 * DAY, max: 1, label: '30d' });

	it('a 30-day cooldown holds on every later day within 30 days, wherever fixed buckets would start', async () => {
		// The review's case: decided 2025-06-10 12:00 UTC, again the next day (a fixed 30-day bucket
		// boundary fell in between, so the old ledger sent twice).
		const ledger = openEmbeddedLedger(contextOf(uniqueName('wf-cool')), uniqueName('embcool'));
		const first = Date.UTC(2025, 5, 10, 12);
		const decide = async (at: number, key: string) =>
			(await ledger.decide([request({ key, customer: 'cool', action: 'weMissYou', at, limits: [cooldown(at)] })]))[0].status;
		expect(await decide(first, 'k0')).toBe('granted');
		for (let day = 1; day < 30; day++) expect(await decide(first + day * DAY, `k${day}`)).toBe('limited');
		expect(await decide(first + 30 * DAY - 1, 'k30-')).toBe('limited');
		// Whole quarter hours: at most 15 minutes longer, never shorter. Free again 30 days + 15 min on.
		expect(await decide(first + 30 * DAY + 15 * 60_000, 'k30')).toBe('granted');
	});

	it("a customer's calendar day in a half-hour zone is counted exactly (Asia/Kolkata, +05:30)", async () => {
		const ledger = openEmbeddedLedger(contextOf(uniqueName('wf-cal')), uniqueName('embcal'));
		// 2025-06-10 in Kolkata: 2025-06-09T18:30Z to 2025-06-10T18:30Z.
		const dayStart = Date.UTC(2025, 5, 9, 18, 30);
		const calendarCap = { kind: 'frequencyCap' as const, match: { channel: 'email', capOnly: true }, since: dayStart, until: dayStart + DAY, calendar: true, max: 1, label: '1/day' };
		const decide = async (key: string, at: number) => (await ledger.decide([request({ key, customer: 'kol', at, limits: [calendarCap] })]))[0].status;
		// 23:59 on the 9th and 00:00 on the 11th (local) do not count toward the 10th
		expect(await decide('before', dayStart - 60_000)).toBe('granted');
		expect(await decide('after', dayStart + DAY)).toBe('granted');
		expect(await decide('first', dayStart + 60_000)).toBe('granted');
		expect(await decide('second', dayStart + DAY - 60_000)).toBe('limited');
	});

	it('refuses a cap above what it can count, naming the backends that can', async () => {
		const ledger = openEmbeddedLedger(contextOf(uniqueName('wf-big')), uniqueName('embbig'));
		const at = Date.UTC(2025, 5, 10);
		const limit = { kind: 'frequencyCap' as const, match: { channel: 'sms' }, since: at - DAY + 1, max: 200_000, label: '200000/24h' };
		await expect(ledger.decide([request({ key: 'big', customer: 'big', at, limits: [limit] })])).rejects.toThrow(
			'The embedded ledger counts at most 100 messages per cap window (a cap allows 200000); use a PostgreSQL or Redis ledger',
		);
	});

	it('refuses a window longer than it counts (each look-up costs n8n a key per block)', async () => {
		const ledger = openEmbeddedLedger(contextOf(uniqueName('wf-long')), uniqueName('emblong'));
		const at = Date.UTC(2025, 5, 10);
		const ok = { kind: 'cooldown' as const, match: { action: 'a' }, since: at - 400 * DAY + 1, until: at + 400 * DAY, max: 1, label: '400d' };
		expect((await ledger.decide([request({ key: 'ok', customer: 'long', action: 'a', at, limits: [ok] })]))[0].status).toBe('granted');
		const tooLong = { ...ok, since: at - 401 * DAY + 1, until: at + 401 * DAY, label: '401d' };
		await expect(ledger.decide([request({ key: 'long', customer: 'long', action: 'a', at, limits: [tooLong] })])).rejects.toThrow(
			'The embedded ledger counts cap and cooldown windows of at most 400 days (401d is longer); use a PostgreSQL or Redis ledger',
		);
	});
});

describe('Embedded ledger, full', () => {
	it('an opt-out recorded first still holds after a million later keys (n8n is not asked to drop old keys)', async () => {
		const ledger = openEmbeddedLedger(contextOf(uniqueName('wf-full')), uniqueName('embf'));
		await ledger.optOut([{ customer: 'first', channel: '*', topic: '*', at: 0 }]);
		const keys = Array.from({ length: 1_000_001 }, (_, i) => `e${i}`);
		expect(await ledger.claimOnce('bulk', keys)).toHaveLength(keys.length);
		const [verdict] = await ledger.decide([request({ key: 'first-1', customer: 'first' })]);
		expect(verdict.status).toBe('optedOut');
	}, 60_000);
});
