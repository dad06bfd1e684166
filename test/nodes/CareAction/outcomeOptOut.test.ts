/**
 * An "opted out" outcome reported the way e-mail providers report it ("Email", "Marketing", a key the
 * ledger may not know) must stop the next Decide on every backend, as the Opt Out operation does; ids the
 * PostgreSQL ledger cannot store are item errors, not a failed batch. (Second adversarial review.)
 */
import { Redis } from 'ioredis';
import { Client } from 'pg';
import type { IDataObject } from 'n8n-workflow';

import { useInProcessDeduplication } from '../../harness/deduplication';
import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { ledgerCredentials, PG, REDIS, uniqueName } from './services';

const OUT_EMAIL = 0;
const OUT_SUPPRESSED = 6;

const backends: Array<[string, ReturnType<typeof ledgerCredentials> | Record<string, never>]> = [
	['embedded', {}],
	['postgres', ledgerCredentials(PG)],
	['redis', ledgerCredentials(REDIS)],
];
const names: Record<string, string> = { embedded: uniqueName('ooe'), postgres: uniqueName('oop'), redis: uniqueName('oor') };

beforeAll(async () => {
	await useInProcessDeduplication();
});

afterAll(async () => {
	const db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
	await db.connect();
	for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${names.postgres}_${t}`);
	await db.end();
	const redis = new Redis({ host: String(REDIS.host), port: Number(REDIS.port), lazyConnect: true });
	await redis.connect();
	const keys = await redis.keys(`${names.redis}:*`);
	if (keys.length) await redis.del(...keys);
	await redis.quit();
});

describe.each(backends)('opted-out outcomes on the %s ledger', (backend, creds) => {
	const ledger = { ledger: backend, ledgerName: names[backend] };

	it('"Email" / "Marketing", for a known and an unknown key, stop the next campaign', async () => {
		const first = await runNode('careAction', decideParams(backend, names[backend], 'c1'), [{ customerId: 'y1', name: 'Y', product: 'P' }], creds);
		const known = first.json('Node', OUT_EMAIL)[0].care as IDataObject;
		const reported = await runNode(
			'careAction',
			{ operation: 'recordOutcome', ...ledger, outcome: 'optedOut' },
			[
				{ care: { idempotencyKey: known.idempotencyKey, customerId: 'y1', channel: 'Email', topic: 'Marketing' } },
				{ care: { idempotencyKey: 'unknown-key', customerId: 'y2', channel: 'EMAIL', topic: ' MARKETING ' } },
			],
			creds,
		);
		expect(reported.error).toBeUndefined();
		const next = await runNode(
			'careAction',
			decideParams(backend, names[backend], 'c2'),
			[
				{ customerId: 'y1', name: 'Y', product: 'P' },
				{ customerId: 'y2', name: 'Z', product: 'P' },
			],
			creds,
		);
		expect(next.json('Node', OUT_EMAIL)).toEqual([]);
		expect(next.json('Node', OUT_SUPPRESSED).map((j) => [j.customerId, (j.care as { reasons: Array<{ code: string }> }).reasons.at(-1)!.code])).toEqual([
			['y1', 'optedOutInLedger'],
			['y2', 'optedOutInLedger'],
		]);
	});

	it('an unknown channel or an object id is an item error; the other items are recorded', async () => {
		const r = await runNode(
			'careAction',
			{ operation: 'recordOutcome', ...ledger, outcome: 'optedOut' },
			[
				{ care: { idempotencyKey: 'k-a', customerId: 'z1', channel: 'fax', topic: 'marketing' } },
				{ care: { idempotencyKey: 'k-b', customerId: { email: 'bob@example.com' }, channel: 'email' } },
				{ care: { idempotencyKey: 'bad\u0000key', customerId: 'z3', channel: 'email' } },
				{ care: { idempotencyKey: 'k-d', customerId: 'z4', channel: 'email' } },
			],
			{ ...creds, onError: 'continueRegularOutput' },
		);
		expect(r.error).toBeUndefined();
		const out = r.json('Node');
		const errors = out.filter((j) => 'error' in j).map((j) => j.error);
		expect(errors).toEqual([
			'Item 0: field "care.channel" must be one of "*", "email", "sms", "webhook", "wecom" (value: "fax")',
			'Item 1: field "care.customerId" is not an identifier (text or number) (value: an object, not shown)',
			expect.stringMatching(/^Item 2: field "care\.idempotencyKey" contains a NUL character/),
		]);
		expect(JSON.stringify(out)).not.toMatch(/bob@example\.com/);
		expect(out.filter((j) => !('error' in j))).toHaveLength(1);
	});
});
