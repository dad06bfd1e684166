/** Prune Ledger through the real WorkflowExecute, on the PostgreSQL and Redis ledgers (real servers). */
import { Client } from 'pg';
import { Redis } from 'ioredis';
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { ledgerCredentials, PG, REDIS, uniqueName } from './services';

const DAY = 86_400_000;
const pgPrefix = uniqueName('pgp');
const redisPrefix = uniqueName('rp');

afterAll(async () => {
	const db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
	await db.connect();
	for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${pgPrefix}_${t}`);
	await db.end();
	const r = new Redis({ host: String(REDIS.host), port: Number(REDIS.port) });
	const keys = await r.keys(`${redisPrefix}:*`);
	if (keys.length) await r.del(...keys);
	await r.quit();
});

const people = [
	{ customerId: 'a', name: 'A', product: 'P' },
	{ customerId: 'b', name: 'B', product: 'P' },
	{ customerId: 'c', name: 'C', product: 'P' },
];

/** A Decide run 500 days ago (its decision time), then one now: e-mailed customers, in order. */
async function decideAt(backend: 'postgres' | 'redis', prefix: string, at: number, credentials: IDataObject) {
	const r = await runNode(
		'careAction',
		decideParams(backend, prefix, 'welcome-once', { idempotencyPeriod: 'campaign', decideOptions: { decisionTime: new Date(at).toISOString() } }),
		people,
		credentials,
	);
	expect(r.error).toBeUndefined();
	return r.json('Node', 0).map((j) => j.customerId);
}

describe.each([
	['postgres', pgPrefix, PG],
	['redis', redisPrefix, REDIS],
] as const)('Care Action › Prune Ledger (%s)', (backend, prefix, credential) => {
	const creds = ledgerCredentials(credential);
	const prune = async (keepDays: number, language = 'en') =>
		await runNode('careAction', { operation: 'prune', ledger: backend, ledgerName: prefix, keepDays, language }, [{ run: 1 }], creds);

	it('forgets decisions older than the days kept: a "once per campaign" send is allowed again', async () => {
		const long = Date.now() - 500 * DAY;
		expect(await decideAt(backend, prefix, long, creds)).toEqual(['a', 'b', 'c']);
		// Kept for 1,000 days: nothing goes, and the campaign stays sent.
		const keep = await prune(1000);
		expect(keep.error).toBeUndefined();
		expect((keep.json('Node')[0].ledgerPrune as IDataObject).removed).toEqual({ decisions: 0, outcomes: 0, eventIds: 0 });
		expect(await decideAt(backend, prefix, Date.now(), creds)).toEqual([]);

		const r = await prune(400, 'zh');
		expect(r.error).toBeUndefined();
		const [item] = r.json('Node');
		expect(item.run).toBe(1);
		const result = item.ledgerPrune as IDataObject;
		expect(result).toMatchObject({ backend, ledger: prefix, keepDays: 400, removed: { decisions: 3, outcomes: 0, eventIds: 0 } });
		expect(Date.parse(String(result.removedBefore))).toBeGreaterThan(Date.now() - 400 * DAY - 60_000);
		expect(result.summary).toMatch(/^已删除 .* 3 条触达决定/);
		expect(await decideAt(backend, prefix, Date.now(), creds)).toEqual(['a', 'b', 'c']);
	});

	it('a days value that is not a whole number of at least 1 is an item error naming it', async () => {
		const r = await prune(0);
		expect(r.error?.message).toBe('Item 0: field "Keep Records For (Days)" must be a whole number of days, at least 1 (at most 36500) (value: 0)');
		for (const bad of [-3, 1.5, Number.NaN, 1e9]) {
			expect((await prune(bad)).error?.message).toMatch(/^Item 0: field "Keep Records For \(Days\)" must be a whole number of days/);
		}
	});
});

describe('Care Action › Prune Ledger (embedded)', () => {
	it('fails clearly, or gives an error item with Continue On Fail', async () => {
		const params = { operation: 'prune', ledger: 'embedded', keepDays: 30 };
		const r = await runNode('careAction', params, [{ run: 1 }]);
		expect(r.error?.message).toMatch(/^The embedded ledger cannot be pruned by age/);
		const c = await runNode('careAction', params, [{ run: 1 }], { onError: 'continueRegularOutput' });
		expect(c.error).toBeUndefined();
		expect(c.json('Node')).toEqual([{ error: expect.stringMatching(/Use a PostgreSQL or Redis ledger/) }]);
	});
});
