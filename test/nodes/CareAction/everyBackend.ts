/**
 * The three ledger backends for suites that run the same Decide cases on each, and the clean-up of the
 * PostgreSQL tables and Redis keys such a suite used (it lists their names in `used`).
 */
import { Redis } from 'ioredis';
import { Client } from 'pg';

import { useInProcessDeduplication } from '../../harness/deduplication';
import { ledgerCredentials, PG, REDIS } from './services';

export type BackendCredentials = ReturnType<typeof ledgerCredentials> | Record<string, never>;

/** Registers the suite's beforeAll/afterAll hooks; returns the backends and the list of names to drop. */
export function everyBackend(): { backends: Array<[string, BackendCredentials]>; used: Record<string, string[]> } {
	const used: Record<string, string[]> = { postgres: [], redis: [] };
	beforeAll(async () => {
		await useInProcessDeduplication();
	});
	afterAll(async () => {
		const db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
		await db.connect();
		for (const name of used.postgres) for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${name}_${t}`);
		await db.end();
		const redis = new Redis({ host: String(REDIS.host), port: Number(REDIS.port), lazyConnect: true });
		await redis.connect();
		for (const name of used.redis) {
			const keys = await redis.keys(`${name}:*`);
			if (keys.length) await redis.del(...keys);
		}
		await redis.quit();
	});
	return {
		backends: [
			['embedded', {}],
			['postgres', ledgerCredentials(PG)],
			['redis', ledgerCredentials(REDIS)],
		],
		used,
	};
}
