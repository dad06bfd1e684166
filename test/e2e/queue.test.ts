/**
 * Queue mode at scale: n8n main + 2 workers on PostgreSQL (database n8n_e2e_<random>, created and
 * dropped here) and Redis (a unique QUEUE_BULL_PREFIX), the Care Action ledger in PostgreSQL.
 * 500 signed webhook events for 100 customers, fired concurrently: every execution finishes, and
 * no customer gets more than its cap or the same message twice — checked at the receiving CRM/SMS
 * API and in the ledger's rows in PostgreSQL.
 * Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis on 127.0.0.1:6379 (`.ci/run` starts them).
 */
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { Client } from 'pg';

import { loadDemoData } from '../../scripts/lib/demo-data';
import { sendEvent } from '../../scripts/lib/events';
import { HttpRecorder, RUNTIME_TIMEOUT, TestN8n, exampleWorkflows, prepareWorkflow, psql } from './n8n';

const EVENTS = Number(process.env.E2E_QUEUE_EVENTS ?? 500);
const CUSTOMERS = Number(process.env.E2E_QUEUE_CUSTOMERS ?? 100);
const IN_FLIGHT = 100;
const SECRET = 'e2e-queue-signing-secret-0123456789';
const suffix = randomBytes(4).toString('hex');
const DB = `n8n_e2e_${suffix}`;
const PREFIX = `n8n_e2e_${suffix}`;
const LEDGER = `care_e2e_${suffix}`;

jest.setTimeout(15 * 60 * 1000);

const http = new HttpRecorder();
let n8n: TestN8n | undefined;
let dbCreated = false;

beforeAll(async () => {
	psql(`CREATE DATABASE ${DB}`);
	dbCreated = true;
	await http.start();
	n8n = new TestN8n({
		partialBuild: true,
		queue: { workers: 2, concurrency: 10, pgDatabase: DB, bullPrefix: PREFIX },
	});
	try {
		await n8n.start();
	} catch (e) {
		await n8n.stop();
		throw e;
	}
	await loadDemoData(n8n.client);
}, RUNTIME_TIMEOUT);

afterAll(async () => {
	await n8n?.stop();
	await http.stop();
	if (dbCreated) psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
	try {
		await redis.connect();
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
			if (keys.length) await redis.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		redis.disconnect();
	}
});

test(`${EVENTS} signed events for ${CUSTOMERS} customers through main + 2 workers: all executions finish, caps and idempotency hold`, async () => {
	const client = n8n!.client;
	const signing = await client.upsertCredential('E2E signing secret', 'retentionWebhookApi', { currentSecret: SECRET, previousSecret: '' });
	const pg = await client.upsertCredential('E2E care ledger (PostgreSQL)', 'postgres', {
		host: '127.0.0.1',
		port: 5432,
		database: DB,
		user: 'postgres',
		password: '',
		ssl: 'disable',
		allowUnauthorizedCerts: false,
		sshTunnel: false,
	});
	const found = exampleWorkflows().find((e) => /nps detractor recovery/i.test(e.wf.name));
	if (!found) throw new Error('example 4 (NPS detractor recovery) is missing');
	const wf = prepareWorkflow(found.wf, {
		credentials: { retentionWebhookApi: signing },
		settings: { crmApiUrl: `http://127.0.0.1:${http.port}/crm/tasks` },
		nodes: { 'Care Action': { parameters: { ledger: 'postgres', ledgerName: LEDGER }, credentials: { postgres: pg } } },
	});
	const id = await n8n!.importAndPublish(wf);
	const url = `${n8n!.baseUrl}/webhook/nps-responses`;

	// 500 events, 5 per customer, interleaved, all detractor answers (each would ask for a CRM task)
	const events = Array.from({ length: EVENTS }, (_, k) => ({
		id: `q-${suffix}-${k}`,
		type: 'nps_response',
		customerId: `C${String((k % CUSTOMERS) + 1).padStart(4, '0')}`,
		data: { score: k % 7, comment: 'queue-mode test' },
	}));
	const started = Date.now();
	const statuses: number[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: IN_FLIGHT }, async () => {
			while (next < events.length) {
				const e = events[next++];
				statuses.push((await sendEvent(url, SECRET, e)).status);
			}
		}),
	);
	expect(statuses.filter((s) => s !== 202)).toEqual([]);

	const execs = await n8n!.waitForExecutions(id, EVENTS, 12 * 60 * 1000);
	const seconds = (Date.now() - started) / 1000;
	process.stdout.write(`queue mode: ${EVENTS} executions finished in ${seconds.toFixed(1)} s\n`);
	expect(execs).toHaveLength(EVENTS);
	expect(execs.filter((e) => e.status !== 'success').map((e) => `${e.id}:${e.status}`)).toEqual([]);
	// both workers did work; main only received the webhooks
	const perWorker = n8n!.processes.slice(1).map((w) => (w.log.match(/Worker finished execution/g) ?? []).length);
	expect(perWorker.every((n) => n > 0)).toBe(true);
	expect(perWorker.reduce((a, b) => a + b, 0)).toBe(EVENTS);

	// at the CRM API: one task per customer (cooldown 30 days, once a month), never the same one twice
	const tasks = http.byPath('/crm/tasks').map((r) => r.body as { customerId: string; idempotencyKey: string });
	const perCustomer = new Map<string, number>();
	for (const t of tasks) perCustomer.set(t.customerId, (perCustomer.get(t.customerId) ?? 0) + 1);
	expect([...perCustomer.values()].filter((n) => n > 1)).toEqual([]);
	expect(perCustomer.size).toBe(CUSTOMERS);
	expect(new Set(tasks.map((t) => t.idempotencyKey)).size).toBe(tasks.length);

	// in the ledger (PostgreSQL): one granted decision per customer
	const db = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: DB });
	await db.connect();
	try {
		const rows = await db.query<{ customer: string; n: string }>(`SELECT customer, count(*) AS n FROM ${LEDGER}_decisions GROUP BY customer`);
		expect(rows.rows).toHaveLength(CUSTOMERS);
		expect(rows.rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
	} finally {
		await db.end();
	}
});
