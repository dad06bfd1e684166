/**
 * Killing an execution midway loses no recorded decision: a child process running Decide with the
 * PostgreSQL or Redis ledger is SIGKILLed mid-run; every batch it committed stays whole, and the re-run
 * treats exactly those customers as already decided and decides the rest — nobody twice, nobody lost.
 */
import { spawn } from 'child_process';
import { join } from 'path';
import { Client } from 'pg';
import type { IDataObject } from 'n8n-workflow';
import { Redis } from 'ioredis';

import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { ledgerCredentials, PG, REDIS, uniqueName } from './services';

const TOTAL = 20_000;
const BATCH = 50;

describe.each(['postgres', 'redis'] as const)('%s ledger: a killed execution', (backend) => {
	const prefix = uniqueName(`${backend}k`);
	let redis: Redis;
	let db: Client;
	beforeAll(async () => {
		db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
		await db.connect();
		redis = new Redis({ host: String(REDIS.host), port: Number(REDIS.port) });
	});
	afterAll(async () => {
		for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${prefix}_${t}`);
		await db.end();
		const keys = await redis.keys(`${prefix}:*`);
		for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
		await redis.quit();
	});

	const count = async () => {
		if (backend === 'redis') return await redis.hlen(`${prefix}:keys`);
		try {
			return (await db.query(`SELECT count(*)::int AS n FROM ${prefix}_decisions`)).rows[0].n as number;
		} catch {
			return 0; // table not created yet
		}
	};
	const keys = async () =>
		backend === 'redis'
			? new Set(await redis.hkeys(`${prefix}:keys`))
			: new Set((await db.query(`SELECT key FROM ${prefix}_decisions`)).rows.map((r: { key: string }) => r.key));

	it('keeps every committed batch and the re-run completes the rest without duplicates', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'killChild.ts'), backend, prefix, String(TOTAL)], {
			cwd: join(__dirname, '..', '..', '..'),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (d) => (output += String(d)));
		child.stderr.on('data', (d) => (output += String(d)));
		const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));

		// Wait until some batches are committed, then kill without warning.
		let committedBeforeKill = 0;
		while (committedBeforeKill < 500) {
			if (child.exitCode !== null) throw new Error(`child ended before it could be killed: ${output}`);
			await new Promise((r) => setTimeout(r, 20));
			committedBeforeKill = await count();
		}
		child.kill('SIGKILL');
		expect(await exited).toBe('SIGKILL');
		expect(output).not.toContain('finished');

		const committed = await count();
		expect(committed).toBeGreaterThanOrEqual(committedBeforeKill);
		expect(committed).toBeLessThan(TOTAL); // killed midway
		expect(committed % BATCH).toBe(0); // batches are all-or-nothing
		const keysBefore = await keys();

		// Retry the same execution.
		const input = Array.from({ length: TOTAL }, (_, i) => ({ customerId: `cust-${i}`, name: `N${i}`, product: 'Shop' }));
		const rerun = await runNode('careAction', decideParams(backend, prefix, 'killed'), input, {
			...ledgerCredentials(backend === 'postgres' ? PG : REDIS),
		});
		expect(rerun.error).toBeUndefined();
		const sent = rerun.json('Node', 0);
		const suppressed = rerun.json('Node', 6);
		expect(sent.length).toBe(TOTAL - committed);
		expect(suppressed.length).toBe(committed);
		for (const j of suppressed) {
			const care = j.care as IDataObject;
			expect((care.reasons as IDataObject[]).at(-1)!.code).toBe('alreadyDecided');
			expect(keysBefore.has(String(care.idempotencyKey))).toBe(true);
		}
		for (const j of sent) expect(keysBefore.has(String((j.care as IDataObject).idempotencyKey))).toBe(false);
		expect(await count()).toBe(TOTAL);
	});
});
