/** Redis ledger against the real server at 127.0.0.1:6379: fails (never skips) when it is down. */
import { Redis } from 'ioredis';

import { openRedisLedger } from '../../../nodes/CareAction/ledger/redis';
import { ledgerConformance, request } from './conformance';
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

	it('prunes in chunks until nothing old is left, and frees the keys', async () => {
		const small = uniqueName('rcp');
		const ledger = await openRedisLedger({ ...redisSettings(small), pruneChunk: 2 });
		const r = new Redis({ host: String(REDIS.host), port: Number(REDIS.port) });
		try {
			const at = Date.UTC(2024, 0, 1);
			const keys = ['a-1', 'a-2', 'a-3', 'b-1', 'b-2'];
			await ledger.decide(keys.map((key, i) => request({ key, customer: key[0], at: at + i, kind: i === 4 ? 'holdout' : 'send' })));
			await ledger.recordOutcomes(['a-1', 'a-2', 'b-1'].map((key) => ({ key, event: 'sent' as const, at })));
			await ledger.claimOnce('one', ['x', 'y', 'z']);
			await ledger.claimOnce('two', ['x', 'y', 'z']);
			expect(await ledger.prune(Date.now() + 1000)).toEqual({ decisions: 5, outcomes: 3, eventIds: 6 });
			// Emptied hashes and sorted sets are gone; only the list of claim namespaces stays.
			expect(await r.keys(`${small}:*`)).toEqual([`${small}:cns`]);
		} finally {
			await ledger.close();
			const left = await r.keys(`${small}:*`);
			if (left.length) await r.del(...left);
			await r.quit();
		}
	});

	it('fails clearly when Redis cannot be reached', async () => {
		await expect(openRedisLedger({ host: '127.0.0.1', port: 1, keyPrefix: 'x' })).rejects.toThrow(/ECONNREFUSED|Connection is closed/);
	});
});
