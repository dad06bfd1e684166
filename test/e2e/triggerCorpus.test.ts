/**
 * Issue 6 in a real n8n 2.41.1 (regular mode, embedded SQLite, this package installed as a community
 * package): the Retention Trigger corpus of test/engine/trigger/corpus.ts — 224 requests, forged,
 * tampered, unsigned, stale, malformed, oversized, replayed, duplicated, ignored and valid — is sent
 * in order to two published workflows (generic and Jiandaoyun preset, Trigger -> No Op). Every HTTP
 * answer must be the expected one, and through n8n's public API: exactly one execution per valid
 * event (read from the Trigger's output in each execution), none for any other request.
 *
 * The triggers detect repeated events in the shared ledger (Repeated Events: Shared Ledger) through a
 * Retention Ledger credential for Redis (127.0.0.1:6379; a unique Ledger Name per run, its keys
 * deleted afterwards): with the workflow-storage fallback n8n saves remembered ids only after
 * answering, so back-to-back redeliveries can start again (see corpus.ts). Without Redis or n8n the
 * test fails; it never skips.
 */
import { randomBytes, randomUUID } from 'crypto';
import Redis from 'ioredis';

import { buildCorpus, CORPUS_TRIGGERS, type CorpusRequest } from '../engine/trigger/corpus';
import { RUNTIME_TIMEOUT, TestN8n, nodeOutput, sleep, type ExecutionSummary } from './n8n';

const CURRENT = 'e2e-corpus-current-secret-0123456789';
const PREVIOUS = 'e2e-corpus-previous-secret-9876543210';
const REDIS = { host: '127.0.0.1', port: 6379 };
const LEDGER = `trigger_corpus_e2e_${randomBytes(4).toString('hex')}`;
const TRIGGER_TYPE = 'n8n-nodes-retention.retentionTrigger';
type Preset = keyof typeof CORPUS_TRIGGERS;

jest.setTimeout(180_000);

let n8n: TestN8n | undefined;

function redisClient(): Redis {
	return new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
}

beforeAll(async () => {
	// Fail early and clearly when the shared ledger is not there (the trigger would answer 503).
	const redis = redisClient();
	redis.on('error', () => undefined);
	try {
		await redis.connect();
		expect(await redis.ping()).toBe('PONG');
	} catch (e) {
		throw new Error(`Redis on ${REDIS.host}:${REDIS.port} is needed for the trigger's ledger (scripts/ensure-services.sh starts it): ${(e as Error).message}`);
	} finally {
		redis.disconnect();
	}
	n8n = new TestN8n({ partialBuild: true });
	try {
		await n8n.start();
	} catch (e) {
		await n8n.stop();
		n8n = undefined;
		throw e;
	}
}, RUNTIME_TIMEOUT);

afterAll(async () => {
	await n8n?.stop();
	const redis = redisClient();
	redis.on('error', () => undefined);
	try {
		await redis.connect();
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${LEDGER}:*`, 'COUNT', 1000);
			if (keys.length) await redis.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} catch (e) {
		// Redis down: beforeAll already failed the run with the reason; nothing was written either.
		process.stderr.write(`trigger corpus: could not delete the ${LEDGER}:* keys: ${(e as Error).message}\n`);
	} finally {
		redis.disconnect();
	}
});

/** What is wrong with one answer, or undefined when it is the expected one. */
function mismatch(req: CorpusRequest, status: number, text: string): string | undefined {
	let body: Record<string, unknown> = {};
	try {
		body = JSON.parse(text) as Record<string, unknown>;
	} catch {
		/* not JSON: only the status can match */
	}
	const x = req.expected;
	const wrong: string[] = [];
	if (status !== x.status) wrong.push(`status ${status}, expected ${x.status}`);
	if (x.error && body.error !== x.error) wrong.push(`error ${String(body.error)}, expected ${x.error}`);
	if (x.duplicate && body.duplicate !== true) wrong.push('no duplicate: true');
	if (!x.duplicate && body.duplicate === true) wrong.push('unexpected duplicate: true');
	if (x.ignored && body.ignored !== true) wrong.push('no ignored: true');
	if (x.eventId && body.eventId !== x.eventId) wrong.push(`eventId ${String(body.eventId)}, expected ${x.eventId}`);
	return wrong.length ? `${req.category} "${req.name}": ${wrong.join('; ')} — ${text.slice(0, 200)}` : undefined;
}

test('the 224-request trigger corpus against a real n8n: every answer as expected, exactly one execution per valid event and none for any other', async () => {
	const started = Date.now();
	const client = n8n!.client;
	const cred = await client.upsertCredential(`E2E corpus signing ${LEDGER}`, 'retentionWebhookApi', {
		currentSecret: CURRENT,
		previousSecret: PREVIOUS,
	});
	// The credential type Care Action uses for its PostgreSQL / Redis ledger.
	const ledgerCred = await client.upsertCredential(`E2E corpus ledger ${LEDGER}`, 'retentionLedgerApi', {
		backend: 'redis',
		host: REDIS.host,
		port: REDIS.port,
		redisDatabase: 0,
		user: '',
		password: '',
		ssl: 'disable',
	});

	const workflowIds = {} as Record<Preset, string>;
	for (const [preset, params] of Object.entries(CORPUS_TRIGGERS) as Array<[Preset, (typeof CORPUS_TRIGGERS)[Preset]]>) {
		workflowIds[preset] = await n8n!.importAndPublish({
			name: `E2E trigger corpus (${preset})`,
			nodes: [
				{
					id: randomUUID(),
					name: 'Trigger',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: { ...params, repeatedEvents: 'sharedLedger', ledgerName: LEDGER },
					credentials: { retentionWebhookApi: cred, retentionLedgerApi: ledgerCred },
				},
				{ id: randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { Trigger: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		});
	}

	// Built just before sending: valid requests are signed with the current time (tolerance 300 s).
	const corpus = buildCorpus({ nowSeconds: Math.floor(Date.now() / 1000), currentSecret: CURRENT, previousSecret: PREVIOUS });
	expect(corpus.length).toBeGreaterThanOrEqual(200);
	const sendStart = Date.now();
	const mismatches: string[] = [];
	const answered: Record<string, number> = {};
	for (const req of corpus) {
		const qs = new URLSearchParams(req.query).toString();
		const url = `${n8n!.baseUrl}/webhook/${CORPUS_TRIGGERS[req.preset].path}${qs ? `?${qs}` : ''}`;
		const r = await fetch(url, { method: req.method, headers: req.headers, body: Buffer.from(req.body, 'utf8') });
		const text = await r.text();
		answered[r.status] = (answered[r.status] ?? 0) + 1;
		const m = mismatch(req, r.status, text);
		if (m) mismatches.push(m);
	}
	const sendSeconds = (Date.now() - sendStart) / 1000;

	// Which valid events must have started, per workflow.
	const expectedIds = {} as Record<Preset, string[]>;
	for (const preset of Object.keys(CORPUS_TRIGGERS) as Preset[]) {
		expectedIds[preset] = corpus.filter((r) => r.preset === preset && r.expected.starts).map((r) => r.expected.eventId!);
	}
	const validCount = expectedIds.generic.length + expectedIds.jiandaoyun.length;

	// Wait until the expected number of executions finished, then a little longer so that an extra
	// (wrongly started) execution would show up too.
	const executions = {} as Record<Preset, ExecutionSummary[]>;
	for (const preset of Object.keys(CORPUS_TRIGGERS) as Preset[]) {
		await n8n!.waitForExecutions(workflowIds[preset], expectedIds[preset].length, 60_000).catch(() => undefined);
	}
	await sleep(3000);
	for (const preset of Object.keys(CORPUS_TRIGGERS) as Preset[]) {
		executions[preset] = await client.executions({ workflowId: workflowIds[preset] });
		expect(executions[preset].filter((e) => !e.stoppedAt || ['running', 'new', 'waiting'].includes(e.status))).toEqual([]);
	}

	// Each execution's event id, from the Trigger's output item.
	const startedIds = {} as Record<Preset, string[]>;
	const badExecutions: string[] = [];
	for (const preset of Object.keys(CORPUS_TRIGGERS) as Preset[]) {
		startedIds[preset] = [];
		for (const e of executions[preset]) {
			const detail = await client.waitForExecution(e.id);
			if (detail.status !== 'success' || detail.mode !== 'webhook') badExecutions.push(`${preset} ${e.id}: ${detail.status} ${detail.mode}`);
			const items = nodeOutput(detail, 'Trigger');
			if (items.length !== 1) badExecutions.push(`${preset} ${e.id}: ${items.length} trigger items`);
			for (const item of items) startedIds[preset].push(String(item.eventId));
		}
	}

	const counts = (ids: string[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());
	const problems: string[] = [];
	for (const preset of Object.keys(CORPUS_TRIGGERS) as Preset[]) {
		const got = counts(startedIds[preset]);
		const want = new Set(expectedIds[preset]);
		for (const id of want) if (got.get(id) !== 1) problems.push(`${preset} valid event ${id} started ${got.get(id) ?? 0} times`);
		for (const [id, n] of got) if (!want.has(id)) problems.push(`${preset} event ${id} is not a valid one but started ${n} times`);
	}
	const byCategory = corpus.reduce<Record<string, number>>((m, r) => ({ ...m, [r.category]: (m[r.category] ?? 0) + 1 }), {});
	const executionCount = executions.generic.length + executions.jiandaoyun.length;
	process.stdout.write(
		`trigger corpus (Redis ledger ${LEDGER}): ${corpus.length} requests ${JSON.stringify(byCategory)} sent in ${sendSeconds.toFixed(1)} s; ` +
			`answers ${JSON.stringify(answered)}, ${mismatches.length} unexpected; ${executionCount} executions ` +
			`(generic ${executions.generic.length}, jiandaoyun ${executions.jiandaoyun.length}) for ${validCount} valid events; ` +
			`${((Date.now() - started) / 1000).toFixed(1)} s in all\n`,
	);

	expect(mismatches).toEqual([]);
	expect(badExecutions).toEqual([]);
	expect(problems).toEqual([]);
	expect(executions.generic.length).toBe(expectedIds.generic.length);
	expect(executions.jiandaoyun.length).toBe(expectedIds.jiandaoyun.length);
	expect(executionCount).toBe(validCount);
	expect(new Set([...startedIds.generic, ...startedIds.jiandaoyun]).size).toBe(validCount);
});
