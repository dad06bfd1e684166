/**
 * De-duplication through the care ledger shared with Care Action (its Redis backend, against a real
 * redis-server started for the test):
 * - twenty copies of one event at the same instant, each request with its own connection as separate
 *   n8n processes would have, start exactly once;
 * - through the node (n8n-core's WebhookContext) with the ledger named in the credential, two
 *   independent n8n instances (separate workflow storage) receiving the same event start it once.
 */
import { spawn, type ChildProcess } from 'child_process';
import { createHmac } from 'crypto';

import { ZonedCalendar } from '../../../nodes/shared/dates';
import { admitRequest, type TriggerSettings } from '../../../nodes/engine/trigger/admission';
import { EVENT_TYPES } from '../../../nodes/engine/trigger/events';
import { DEFAULT_FORMAT } from '../../../nodes/engine/trigger/signature';
import { openTriggerLedger, sharedLedgerClaims, type LedgerConnection } from '../../../nodes/RetentionTrigger/claims';
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

const connection = (over: Partial<LedgerConnection> = {}): LedgerConnection => ({
	backend: 'redis',
	host: '127.0.0.1',
	port,
	database: '',
	user: '',
	password: '',
	ssl: 'disable',
	ledgerName: 'trigger_test',
	...over,
});

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
	const credential = {
		currentSecret: CURRENT,
		previousSecret: PREVIOUS,
		ledgerBackend: 'redis',
		ledgerHost: '127.0.0.1',
		ledgerPort: port,
		ledgerDatabase: '',
		ledgerUser: '',
		ledgerPassword: '',
		ledgerSsl: 'disable',
		ledgerName: 'trigger_node_test',
	};

	it('two n8n instances with separate workflow storage: the event starts once, the other gets duplicate', async () => {
		const a = trigger({}, { ...credential, ledgerPort: port });
		const b = trigger({}, { ...credential, ledgerPort: port });
		const { body, header } = signedBody('evt-two-instances');
		const first = await a.deliver({ headers: { 'x-retention-signature': header }, body });
		const second = await b.deliver({ headers: { 'x-retention-signature': header }, body });
		expect([first.recorded.status, second.recorded.status]).toEqual([202, 200]);
		expect(second.recorded.body).toMatchObject({ duplicate: true, eventId: 'evt-two-instances' });
		expect([first.items.length, second.items.length]).toEqual([1, 0]);
		// With a ledger, the workflow storage is not used.
		expect(a.staticData()).toEqual({});
	});

	it('simultaneous deliveries to one node start once', async () => {
		const t = trigger({}, { ...credential, ledgerPort: port });
		const { body, header } = signedBody('evt-node-burst');
		const results = await Promise.all(Array.from({ length: 10 }, async () => t.deliver({ headers: { 'x-retention-signature': header }, body })));
		expect(results.map((r) => r.recorded.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
	});
});

describe('credential test with a ledger', () => {
	const test = new RetentionTrigger().methods.credentialTest.retentionWebhookSecrets;
	const run = (data: Record<string, unknown>) =>
		test.call({} as never, { id: '1', name: 'c', type: 'retentionWebhookApi', data: data as Record<string, string> });
	const base = { currentSecret: CURRENT, ledgerBackend: 'redis', ledgerHost: '127.0.0.1', ledgerSsl: 'disable', ledgerName: 'trigger_test' };

	it('opens the ledger: reachable → OK, unreachable → Error naming the backend', async () => {
		expect(await run({ ...base, ledgerPort: port })).toEqual({ status: 'OK', message: 'Secret accepted; redis ledger reachable' });
		const down = await run({ ...base, ledgerPort: 1, ledgerPassword: 'never-echo-me' });
		expect(down.status).toBe('Error');
		expect(down.message).toMatch(/^The redis ledger could not be opened/);
		expect(down.message).not.toContain('never-echo-me');
	});
});
