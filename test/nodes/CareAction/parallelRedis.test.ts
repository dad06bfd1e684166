import { Redis } from 'ioredis';

import { CAP, CUSTOMERS, EXECUTIONS, runParallel } from './concurrency';
import { REDIS, uniqueName } from './services';

const prefix = uniqueName('rp');

describe('Redis ledger under 8 parallel executions (real WorkflowExecute)', () => {
	afterAll(async () => {
		const r = new Redis({ host: String(REDIS.host), port: Number(REDIS.port) });
		const keys = await r.keys(`${prefix}:*`);
		for (let i = 0; i < keys.length; i += 500) await r.del(...keys.slice(i, i + 500));
		await r.quit();
	});

	it('no customer above the cap and no idempotency key twice', async () => {
		const { tally } = await runParallel('redis', prefix, REDIS);
		expect(tally.sendsPerCustomer.size).toBe(CUSTOMERS);
		expect([...tally.sendsPerCustomer.values()].every((c) => c === CAP)).toBe(true);
		expect(new Set(tally.keys).size).toBe(tally.keys.length);
		expect(tally.keys.length + tally.suppressed).toBe(CUSTOMERS * EXECUTIONS);
		const r = new Redis({ host: String(REDIS.host), port: Number(REDIS.port) });
		expect(await r.hlen(`${prefix}:keys`)).toBe(CUSTOMERS * CAP);
		await r.quit();
	});
});
