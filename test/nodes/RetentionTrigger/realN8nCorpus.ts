/**
 * Manual check in a real n8n (not a jest test; minutes, needs the runtime of scripts/n8n-runtime.sh):
 *   npx tsx test/nodes/RetentionTrigger/realN8nCorpus.ts            # workflow-storage fallback
 *   npx tsx test/nodes/RetentionTrigger/realN8nCorpus.ts --redis    # shared Redis ledger (starts its own redis-server)
 *
 * Builds the package into a temporary folder, loads only the Retention Trigger into n8n 2.41.1 as a
 * custom extension (type CUSTOM.retentionTrigger; the other nodes are left out so that work in progress
 * elsewhere cannot break the check), publishes the two corpus workflows, sends the 224 corpus requests
 * in order, then compares every answer with its expectation and the event ids of all executions with
 * the valid events. Every process started here is stopped by PID at the end.
 * The end-to-end suite (test/e2e) is the place for the permanent version of this check.
 */
import { execFileSync, spawn } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { DEMO_LOGIN, N8nClient, N8nProcess, PROJECT_ROOT, ensureRuntime, freePort, n8nProcessEnv, nodeOutput, sleep } from '../../../scripts/lib/n8n';
import { buildCorpus, CORPUS_TRIGGERS } from '../../engine/trigger/corpus';

const CURRENT = 'e2e-current-secret-0123456789';
const PREVIOUS = 'e2e-previous-secret-9876543210';

function onlyTrigger(dir: string): void {
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) onlyTrigger(path);
		else if (entry.endsWith('.node.js') && entry !== 'RetentionTrigger.node.js') rmSync(path);
	}
}

async function main(): Promise<void> {
	const useRedis = process.argv.includes('--redis');
	const work = mkdtempSync(join(tmpdir(), 'retention-trigger-check-'));
	const build = join(work, 'build');
	execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', build], { cwd: PROJECT_ROOT, stdio: 'inherit' });
	onlyTrigger(join(build, 'nodes'));
	cpSync(join(PROJECT_ROOT, 'nodes', 'RetentionTrigger'), join(build, 'nodes', 'RetentionTrigger'), { recursive: true, filter: (f) => !f.endsWith('.ts') });

	const rt = ensureRuntime({ quiet: true });
	// Without --redis the triggers remember event ids in workflow storage; with it, in a Redis ledger
	// (Repeated Events: Shared Ledger, a Retention Ledger credential).
	let ledger: Record<string, unknown> | undefined;
	let redis: ReturnType<typeof spawn> | undefined;
	if (useRedis) {
		const redisPort = await freePort();
		redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
		// Also when this script dies on an unhandled error (e.g. n8n fails to spawn), not only in finally.
		const redisPid = redis.pid;
		process.once('exit', () => {
			try {
				if (redisPid) process.kill(redisPid);
			} catch {
				/* already stopped */
			}
		});
		await sleep(500);
		ledger = { backend: 'redis', host: '127.0.0.1', port: redisPort, redisDatabase: 0, user: '', password: '', ssl: 'disable' };
	}
	const userFolder = join(work, 'n8n');
	mkdirSync(userFolder);
	const port = await freePort();
	const env = n8nProcessEnv(
		rt,
		{ userFolder, port, env: { N8N_CUSTOM_EXTENSIONS: build, NODE_PATH: join(PROJECT_ROOT, 'node_modules'), GENERIC_TIMEZONE: 'Asia/Shanghai' } },
		await freePort(),
	);
	const proc = new N8nProcess(rt, ['start'], env, join(work, 'n8n.log')).start();
	let failed = false;
	try {
		const client = new N8nClient(`http://127.0.0.1:${port}`);
		await client.waitHealthy(180_000, proc);
		await client.ownerSetupOrLogin(DEMO_LOGIN);
		client.apiKey = await client.createApiKey();
		const cred = await client.upsertCredential('corpus signing', 'retentionWebhookApi', { currentSecret: CURRENT, previousSecret: PREVIOUS });
		const ledgerCred = ledger ? await client.upsertCredential('corpus ledger (Redis)', 'retentionLedgerApi', ledger) : undefined;
		const ids: Record<string, string> = {};
		for (const [preset, params] of Object.entries(CORPUS_TRIGGERS)) {
			ids[preset] = await client.upsertWorkflow({
				name: `corpus ${preset}`,
				nodes: [
					{
						id: `n-${preset}`,
						name: 'Trigger',
						type: 'CUSTOM.retentionTrigger',
						typeVersion: 1,
						position: [0, 0],
						webhookId: `c0e1a2b3-${preset === 'generic' ? '0001' : '0002'}-4000-8000-000000000001`,
						parameters: { ...params, repeatedEvents: ledgerCred ? 'sharedLedger' : 'workflowStorage' },
						credentials: {
							retentionWebhookApi: { id: cred.id, name: cred.name },
							...(ledgerCred ? { retentionLedgerApi: { id: ledgerCred.id, name: ledgerCred.name } } : {}),
						},
					},
					{ id: `s-${preset}`, name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
				],
				connections: { Trigger: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
			});
			await client.publish(ids[preset]);
			await client.waitForWebhook(params.path);
		}
		const corpus = buildCorpus({ nowSeconds: Math.floor(Date.now() / 1000), currentSecret: CURRENT, previousSecret: PREVIOUS });
		const mismatches: string[] = [];
		for (const req of corpus) {
			const qs = new URLSearchParams(req.query).toString();
			const url = `http://127.0.0.1:${port}/webhook/${CORPUS_TRIGGERS[req.preset].path}${qs ? `?${qs}` : ''}`;
			const r = await fetch(url, { method: 'POST', headers: req.headers, body: Buffer.from(req.body, 'utf8') });
			const text = await r.text();
			let body: Record<string, unknown> = {};
			try {
				body = JSON.parse(text) as Record<string, unknown>;
			} catch {
				/* not JSON */
			}
			if (r.status !== req.expected.status || (req.expected.error && body.error !== req.expected.error)) {
				mismatches.push(`${req.category} ${req.name}: ${r.status} ${text.slice(0, 160)}`);
			}
		}
		await sleep(3000);
		const started: string[] = [];
		for (const id of Object.values(ids)) {
			for (const e of await client.executions({ workflowId: id })) {
				const detail = await client.waitForExecution(e.id);
				for (const item of nodeOutput(detail, 'Trigger')) started.push(String(item.eventId));
			}
		}
		const expected = corpus.filter((r) => r.expected.starts).map((r) => r.expected.eventId!);
		const extra = started.filter((x, i) => !expected.includes(x) || started.indexOf(x) !== i);
		const missing = expected.filter((x) => !started.includes(x));
		process.stdout.write(
			`${useRedis ? 'redis ledger' : 'workflow storage'}: ${corpus.length} requests, ${mismatches.length} answers unexpected; ` +
				`${started.length} executions for ${expected.length} valid events; missing ${missing.length}, unexpected or repeated ${extra.length}\n`,
		);
		for (const m of mismatches) process.stdout.write(`  ${m}\n`);
		failed = mismatches.length > 0 || missing.length > 0 || extra.length > 0;
	} finally {
		await proc.stop();
		if (redis?.pid && redis.exitCode === null) redis.kill();
		rmSync(work, { recursive: true, force: true });
	}
	process.exitCode = failed ? 1 : 0;
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exitCode = 1;
});
