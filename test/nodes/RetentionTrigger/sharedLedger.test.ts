/**
 * De-duplication through the care ledger shared with Care Action (here its Redis backend, against a
 * real redis-server started for the test): twenty copies of one event delivered at the same instant,
 * each request with its own connection as separate n8n processes would have, start exactly once.
 */
import { spawn, type ChildProcess } from 'child_process';
import { createHmac } from 'crypto';
import type { IWebhookFunctions } from 'n8n-workflow';

import { ZonedCalendar } from '../../../nodes/shared/dates';
import { admitRequest, type TriggerSettings } from '../../../nodes/engine/trigger/admission';
import { EVENT_TYPES } from '../../../nodes/engine/trigger/events';
import { DEFAULT_FORMAT } from '../../../nodes/engine/trigger/signature';
import { sharedLedgerClaims } from '../../../nodes/RetentionTrigger/claims';

const SECRET = 'shared-ledger-secret-000001';
const port = 20000 + Math.floor(Math.random() * 20000);
let redis: ChildProcess;

beforeAll(async () => {
	redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

const ctx = (nodeId: string) =>
	({
		getCredentials: async (type: string) => {
			if (type !== 'redis') throw new Error(`unexpected credential ${type}`);
			return { host: '127.0.0.1', port, database: 0 };
		},
		getWorkflow: () => ({ id: 'wf-shared', name: 'care', active: true }),
		getNode: () => ({ id: nodeId, name: 'Retention Trigger' }),
	}) as unknown as IWebhookFunctions;

const settings: TriggerSettings = {
	preset: 'generic',
	requireSignature: true,
	secrets: [SECRET],
	format: DEFAULT_FORMAT,
	toleranceSeconds: 300,
	maxBodyBytes: 65536,
	acceptedTypes: EVENT_TYPES,
	calendar: new ZonedCalendar('UTC'),
};

function signedDelivery(id: string) {
	const body = JSON.stringify({ id, type: 'complaint', customerId: 'C-5', data: { summary: '退款太慢' } });
	const t = Math.floor(Date.now() / 1000);
	const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
	return { rawBody: Buffer.from(body), headers: { 'x-retention-signature': `t=${t},v1=${v1}` } };
}

async function deliverConcurrently(id: string, copies: number, nodeId = 'node-a') {
	return await Promise.all(
		Array.from({ length: copies }, async () => {
			const claims = sharedLedgerClaims(ctx(nodeId), 'redis', 'trigger_test');
			try {
				return await admitRequest(signedDelivery(id), settings, Date.now(), claims);
			} finally {
				await claims.close();
			}
		}),
	);
}

describe('shared Redis ledger', () => {
	it('20 simultaneous copies of one event: exactly one 202, nineteen 200 duplicates', async () => {
		const decisions = await deliverConcurrently('evt-burst', 20);
		expect(decisions.filter((d) => d.status === 202)).toHaveLength(1);
		expect(decisions.filter((d) => d.status === 200 && d.body.duplicate === true)).toHaveLength(19);
	});

	it('a later redelivery is still a duplicate; another trigger node keeps its own list', async () => {
		expect((await deliverConcurrently('evt-burst', 1))[0].status).toBe(200);
		expect((await deliverConcurrently('evt-burst', 1, 'node-b'))[0].status).toBe(202);
	});

	it('a rejected request never opens a connection', async () => {
		let opened = false;
		const watching = {
			...ctx('node-c'),
			getCredentials: async () => {
				opened = true;
				return { host: '127.0.0.1', port };
			},
		} as unknown as IWebhookFunctions;
		const claims = sharedLedgerClaims(watching, 'redis', 'trigger_test');
		const forged = { rawBody: Buffer.from('{}'), headers: { 'x-retention-signature': 't=1,v1=00' } };
		expect((await admitRequest(forged, settings, Date.now(), claims)).status).toBe(401);
		await claims.close();
		expect(opened).toBe(false);
	});

	it('an unreachable ledger → 503, nothing starts', async () => {
		const down = { ...ctx('node-d'), getCredentials: async () => ({ host: '127.0.0.1', port: 1 }) } as unknown as IWebhookFunctions;
		const claims = sharedLedgerClaims(down, 'redis', 'trigger_test');
		const d = await admitRequest(signedDelivery('evt-down'), settings, Date.now(), claims);
		await claims.close().catch(() => undefined);
		expect(d).toMatchObject({ status: 503, body: { error: 'deduplication_unavailable' } });
	});
});
