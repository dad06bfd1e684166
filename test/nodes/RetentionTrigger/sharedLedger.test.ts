/**
 * De-duplication through the care ledger shared with Care Action (its Redis backend, against a real
 * redis-server started for the test):
 * - twenty copies of one event at the same instant, each request with its own connection as separate
 *   n8n processes would have, start exactly once;
 * - through the node (n8n-core's WebhookContext) with Repeated Events set to the shared ledger and a
 *   Retention Ledger credential (the one Care Action uses), two independent n8n instances (separate
 *   workflow storage) receiving the same event start it once.
 */
import { spawn, type ChildProcess } from 'child_process';
import { createHmac } from 'crypto';
import { createServer, type AddressInfo, type Socket } from 'net';

import { ZonedCalendar } from '../../../nodes/shared/dates';
import { admitRequest, type TriggerSettings } from '../../../nodes/engine/trigger/admission';
import { EVENT_TYPES } from '../../../nodes/engine/trigger/events';
import { DEFAULT_FORMAT } from '../../../nodes/engine/trigger/signature';
import { openTriggerLedger, sharedLedgerClaims, type SharedLedger } from '../../../nodes/RetentionTrigger/claims';
import { CareAction } from '../../../nodes/CareAction/CareAction.node';
import { openLedgerFromCredential } from '../../../nodes/CareAction/ledger';
import { RetentionTrigger } from '../../../nodes/RetentionTrigger/RetentionTrigger.node';
import { CURRENT, PREVIOUS, trigger } from './webhookContext';

const port = 20000 + Math.floor(Math.random() * 20000);
let redis: ChildProcess;

beforeAll(async () => {
	redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	await new Promise<void>((resolve, reject) => {
		redis.once('error', reject);
		redis.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('Ready to accept connections')) resolve();
		});
	});
});
afterAll(() => {
	if (redis.pid) process.kill(redis.pid);
});

/** A Retention Ledger credential (as n8n decrypts it) for the test's Redis. */
const ledgerCredential = (over: Record<string, unknown> = {}) => ({
	backend: 'redis',
	host: '127.0.0.1',
	port,
	redisDatabase: 0,
	user: '',
	password: '',
	ssl: 'disable',
	...over,
});
const connection = (over: Record<string, unknown> = {}): SharedLedger => ({ credential: ledgerCredential(over), name: 'trigger_test' });

const settings: TriggerSettings = {
	preset: 'generic',
	requireSignature: true,
	secrets: [CURRENT],
	format: DEFAULT_FORMAT,
	toleranceSeconds: 300,
	maxBodyBytes: 65536,
	acceptedTypes: EVENT_TYPES,
	calendar: new ZonedCalendar('UTC'),
};

function signedBody(id: string) {
	const body = JSON.stringify({ id, type: 'complaint', customerId: 'C-5', data: { summary: '退款太慢' } });
	const t = Math.floor(Date.now() / 1000);
	const v1 = createHmac('sha256', CURRENT).update(`${t}.${body}`).digest('hex');
	return { body, header: `t=${t},v1=${v1}` };
}

async function deliverConcurrently(id: string, copies: number, namespace = 'ns-a', conn = connection()) {
	return await Promise.all(
		Array.from({ length: copies }, async () => {
			const claims = sharedLedgerClaims(() => openTriggerLedger(conn), namespace);
			const { body, header } = signedBody(id);
			try {
				return await admitRequest({ rawBody: Buffer.from(body), headers: { 'x-retention-signature': header } }, settings, Date.now(), claims);
			} finally {
				await claims.close().catch(() => undefined);
			}
		}),
	);
}

describe('shared Redis ledger (engine + claims)', () => {
	it('20 simultaneous copies of one event: exactly one 202, nineteen 200 duplicates', async () => {
		const decisions = await deliverConcurrently('evt-burst', 20);
		expect(decisions.filter((d) => d.status === 202)).toHaveLength(1);
		expect(decisions.filter((d) => d.status === 200 && d.body.duplicate === true)).toHaveLength(19);
	});

	it('a later redelivery is still a duplicate; another trigger (namespace) keeps its own list', async () => {
		expect((await deliverConcurrently('evt-burst', 1))[0].status).toBe(200);
		expect((await deliverConcurrently('evt-burst', 1, 'ns-b'))[0].status).toBe(202);
	});

	it('a rejected request never opens a connection', async () => {
		let opened = 0;
		const claims = sharedLedgerClaims(async () => {
			opened++;
			return await openTriggerLedger(connection());
		}, 'ns-c');
		const forged = { rawBody: Buffer.from('{}'), headers: { 'x-retention-signature': 't=1,v1=00' } };
		expect((await admitRequest(forged, settings, Date.now(), claims)).status).toBe(401);
		await claims.close();
		expect(opened).toBe(0);
	});

	it('an unreachable ledger → 503, nothing starts', async () => {
		const [d] = await deliverConcurrently('evt-down', 1, 'ns-d', connection({ port: 1 }));
		expect(d).toMatchObject({ status: 503, body: { error: 'deduplication_unavailable' } });
	});
});

describe('shared Redis ledger through the node', () => {
	// webhookContext's credentials helper answers every credential type with this one object, so it
	// holds the signing secrets and the Retention Ledger fields together.
	const credentials = { currentSecret: CURRENT, previousSecret: PREVIOUS, ...ledgerCredential() };
	const parameters = { repeatedEvents: 'sharedLedger', ledgerName: 'trigger_node_test' };
	function ledgerTrigger() {
		const t = trigger(parameters, credentials);
		t.node.credentials = { ...t.node.credentials, retentionLedgerApi: { id: 'cred-ledger', name: 'ledger' } };
		return t;
	}

	it('two n8n instances with separate workflow storage: the event starts once, the other gets duplicate', async () => {
		const a = ledgerTrigger();
		const b = ledgerTrigger();
		const { body, header } = signedBody('evt-two-instances');
		const first = await a.deliver({ headers: { 'x-retention-signature': header }, body });
		const second = await b.deliver({ headers: { 'x-retention-signature': header }, body });
		expect([first.recorded.status, second.recorded.status]).toEqual([202, 200]);
		expect(second.recorded.body).toMatchObject({ duplicate: true, eventId: 'evt-two-instances' });
		expect([first.items.length, second.items.length]).toEqual([1, 0]);
		// With a ledger, the workflow storage is not used.
		expect(a.staticData()).toEqual({});
		// Both credentials were read: the signing secrets and the Retention Ledger.
		expect(a.secretsRequested).toEqual(['retentionWebhookApi:cred-1', 'retentionLedgerApi:cred-ledger']);
	});

	it('simultaneous deliveries to one node start once', async () => {
		const t = ledgerTrigger();
		const { body, header } = signedBody('evt-node-burst');
		const results = await Promise.all(Array.from({ length: 10 }, async () => t.deliver({ headers: { 'x-retention-signature': header }, body })));
		expect(results.map((r) => r.recorded.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
	});

	it('the same Ledger Name as Care Action: the trigger claims in the keys Care Action opens', async () => {
		const t = ledgerTrigger();
		const { body, header } = signedBody('evt-same-ledger');
		expect((await t.deliver({ headers: { 'x-retention-signature': header }, body })).recorded.status).toBe(202);
		const ledger = await openLedgerFromCredential(ledgerCredential(), 'trigger_node_test');
		try {
			const fresh = await ledger.claimOnce('retention-trigger:wf-1:trigger-node-1', ['generic:evt-same-ledger', 'generic:evt-other']);
			expect(fresh).not.toContain('generic:evt-same-ledger');
		} finally {
			await ledger.close();
		}
	});

	it('Shared Ledger chosen but no Retention Ledger credential: 500 trigger_misconfigured, nothing starts', async () => {
		const t = trigger(parameters, credentials);
		const { body, header } = signedBody('evt-no-ledger-credential');
		const { recorded, items } = await t.deliver({ headers: { 'x-retention-signature': header }, body });
		expect(recorded.status).toBe(500);
		expect(recorded.body?.error).toBe('trigger_misconfigured');
		expect(items).toHaveLength(0);
	});
});

describe('Ledger Name the database cannot use: a misconfiguration, not an unreachable store', () => {
	// PostgreSQL as the other tests use it (test/nodes/CareAction/services.ts); a bad name never connects.
	const postgres = { backend: 'postgres', host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', password: '', ssl: 'disable' };
	function namedLedgerTrigger(ledgerName: string, ledger: Record<string, unknown>) {
		const t = trigger({ repeatedEvents: 'sharedLedger', ledgerName }, { currentSecret: CURRENT, previousSecret: PREVIOUS, ...ledger });
		t.node.credentials = { ...t.node.credentials, retentionLedgerApi: { id: 'cred-ledger', name: 'ledger' } };
		return t;
	}

	it.each([
		['review bad name!', 'Redis', ledgerCredential()],
		['x'.repeat(70), 'Redis', ledgerCredential()],
		['review bad name!', 'PostgreSQL', postgres],
		['review-dash', 'PostgreSQL', postgres],
		['9starts_with_digit', 'PostgreSQL', postgres],
	])('%j with %s → 500 trigger_misconfigured naming it, logged, nothing starts', async (name, database, ledger) => {
		const t = namedLedgerTrigger(name, ledger);
		const { body, header } = signedBody(`evt-bad-name-${database}-${name.length}`);
		const { recorded, items } = await t.deliver({ headers: { 'x-retention-signature': header }, body });
		expect(recorded.status).toBe(500);
		expect(recorded.body?.error).toBe('trigger_misconfigured');
		expect(recorded.body?.message).toContain(`Ledger Name ${JSON.stringify(name)} cannot be used with a ${database} ledger`);
		expect(items).toHaveLength(0);
		expect(t.logs).toHaveLength(1);
		expect(t.logs[0]).toMatchObject({ level: 'error' });
		expect(t.logs[0].message).toContain(`Ledger Name ${JSON.stringify(name)}`);
		expect(JSON.stringify(t.logs)).not.toContain(CURRENT);
	});

	it('the check is the backend\'s own: a dash is fine in a Redis key prefix', async () => {
		const t = namedLedgerTrigger('review-dash', ledgerCredential());
		const { body, header } = signedBody('evt-dash-redis');
		expect((await t.deliver({ headers: { 'x-retention-signature': header }, body })).recorded.status).toBe(202);
		expect(t.logs).toEqual([]);
	});

	it('a database that cannot be reached is still 503 (retry later), and the n8n log says why without the password', async () => {
		for (const ledger of [ledgerCredential({ port: 1, password: 'never-log-me-1' }), { ...postgres, port: 1, password: 'never-log-me-2' }]) {
			const t = namedLedgerTrigger('care_ledger', ledger);
			const { body, header } = signedBody('evt-store-down');
			const { recorded, items } = await t.deliver({ headers: { 'x-retention-signature': header }, body });
			expect(recorded).toMatchObject({ status: 503, body: { error: 'deduplication_unavailable', eventId: 'evt-store-down' } });
			expect(items).toHaveLength(0);
			expect(t.logs).toHaveLength(1);
			expect(t.logs[0].level).toBe('warn');
			expect(t.logs[0].message).toMatch(/^Retention Trigger answered 503: The de-duplication store could not be reached: .+/);
			expect(JSON.stringify([t.logs, recorded])).not.toMatch(/never-log-me|current-secret/);
		}
	});

	it('a database that accepts the connection but never answers is 503 within seconds, not a hung request', async () => {
		// A paused, overloaded or half-open server: TCP connects, nothing ever comes back.
		const sockets: Socket[] = [];
		const silent = createServer((socket) => sockets.push(socket));
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const silentPort = (silent.address() as AddressInfo).port;
		try {
			const answers = await Promise.all(
				[ledgerCredential({ port: silentPort }), { ...postgres, port: silentPort }].map(async (ledger) => {
					const t = namedLedgerTrigger('care_ledger', ledger);
					const { body, header } = signedBody('evt-silent');
					const started = Date.now();
					const { recorded, items } = await t.deliver({ headers: { 'x-retention-signature': header }, body });
					return { recorded, items: items.length, seconds: (Date.now() - started) / 1000 };
				}),
			);
			for (const a of answers) {
				expect(a.recorded).toMatchObject({ status: 503, body: { error: 'deduplication_unavailable', eventId: 'evt-silent' } });
				expect(a.items).toBe(0);
				// Connect and command deadlines (ledger/types.ts): well under a sender's usual 30-second timeout.
				expect(a.seconds).toBeLessThan(25);
			}
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
		}
	}, 60_000);

	it('a driver message that happens to contain the password has it blanked out in the log', async () => {
		// Contrived so that the error names the password: it is also the (unresolvable) host name.
		const t = namedLedgerTrigger('care_ledger', { ...postgres, host: 'pw-shown-as-host.invalid', password: 'pw-shown-as-host.invalid' });
		const { body, header } = signedBody('evt-store-named');
		expect((await t.deliver({ headers: { 'x-retention-signature': header }, body })).recorded.status).toBe(503);
		expect(t.logs).toHaveLength(1);
		expect(t.logs[0].message).not.toContain('pw-shown-as-host');
		expect(t.logs[0].message).toContain('[redacted]');
	});
});

describe('Retention Ledger credential test on the trigger (Care Action\'s)', () => {
	const test = new RetentionTrigger().methods.credentialTest.retentionLedgerConnection;
	const run = (data: Record<string, unknown>) =>
		test.call({} as never, { id: '1', name: 'c', type: 'retentionLedgerApi', data: data as Record<string, string> });

	it('reachable → OK, unreachable → Error without the password', async () => {
		expect(await run(ledgerCredential())).toMatchObject({ status: 'OK' });
		const down = await run(ledgerCredential({ port: 1, password: 'never-echo-me' }));
		expect(down.status).toBe('Error');
		expect(down.message).not.toContain('never-echo-me');
	});
	it('is the very function Care Action uses', () => {
		expect(test).toBe(new CareAction().methods.credentialTest.retentionLedgerConnection);
	});
});
