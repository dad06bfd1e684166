/** Redis ledger against the real server at 127.0.0.1:6379: fails (never skips) when it is down. */
import { Redis } from 'ioredis';

import { openRedisLedger } from '../../../nodes/CareAction/ledger/redis';
import { ledgerConformance } from './conformance';
import { redisSettings, REDIS, uniqueName } from './services';

const prefix = uniqueName('rc');

describe('Redis ledger', () => {
	ledgerConformance(async () => await openRedisLedger(redisSettings(prefix, 3)));

	afterAll(async () => {
		const r = new Redis({ host: String(REDIS.host), port: Number(REDIS.port) });
		const keys = await r.keys(`${prefix}:*`);
		if (keys.length) await r.del(...keys);
		await r.quit();
	});

	it('fails clearly when Redis cannot be reached', async () => {
		await expect(openRedisLedger({ host: '127.0.0.1', port: 1, keyPrefix: 'x' })).rejects.toThrow(/ECONNREFUSED|Connection is closed/);
	});
});
