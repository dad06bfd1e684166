/**
 * End-to-end helpers: a real n8n (pinned runtime from scripts/n8n-runtime.sh, cached) with this
 * package installed as a community package, in a fresh user folder, owner set up and an API key.
 * Regular mode uses n8n's embedded SQLite; queue mode runs a main and workers on PostgreSQL + Redis.
 * Every process started here is stopped by PID in stop().
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import {
	DEMO_LOGIN,
	N8nClient,
	N8nProcess,
	PROJECT_ROOT,
	ensureRuntime,
	freePort,
	installCommunityPackage,
	n8nProcessEnv,
	packProject,
	queueEnv,
	registerCommunityPackage,
	sleep,
	startWorkers,
	type QueueOptions,
	type Runtime,
	type WorkflowJson,
} from '../../scripts/lib/n8n';

export * from '../../scripts/lib/n8n';
export * from '../../scripts/lib/recorders';

/** Cold: Node 24 + n8n install (about 5 min); warm: a second. */
export const RUNTIME_TIMEOUT = 30 * 60 * 1000;

let runtime: Runtime | undefined;
export function runtimeOnce(): Runtime {
	runtime ??= ensureRuntime({ quiet: process.env.E2E_VERBOSE !== '1' });
	return runtime;
}

let tarball: string | undefined;
/** npm pack of the built package (npm test builds before jest runs), once per test file. */
export function tarballOnce(rt: Runtime): string {
	tarball ??= packProject(rt, mkdtempSync(join(tmpdir(), 'retention-pack-')));
	return tarball;
}

/** The node files package.json promises to n8n. */
export function declaredNodeTypes(): string[] {
	const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[] } };
	return pkg.n8n.nodes.map((f) => {
		const file = f.split('/').pop()!.replace(/\.node\.js$/, '');
		return `${pkg.name}.${file.charAt(0).toLowerCase()}${file.slice(1)}`;
	});
}

export interface StartOptions {
	queue?: QueueOptions;
	/** extra environment for every n8n process */
	env?: Record<string, string>;
	/**
	 * Install only the node files the build produced (development while nodes are being written).
	 * The e2e test "every declared node loads" still fails when one is missing.
	 */
	partialBuild?: boolean;
}

export class TestN8n {
	readonly processes: N8nProcess[] = [];
	client!: N8nClient;
	userFolder!: string;
	port!: number;
	pkg!: ReturnType<typeof installCommunityPackage>;
	private readonly rt: Runtime;

	constructor(readonly opts: StartOptions = {}) {
		this.rt = runtimeOnce();
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get main(): N8nProcess {
		return this.processes[0];
	}

	async start(): Promise<this> {
		this.userFolder = mkdtempSync(join(tmpdir(), 'retention-e2e-n8n-'));
		const prev = process.env.RETENTION_ALLOW_PARTIAL_BUILD;
		if (this.opts.partialBuild) process.env.RETENTION_ALLOW_PARTIAL_BUILD = '1';
		try {
			this.pkg = installCommunityPackage(this.rt, this.userFolder, tarballOnce(this.rt));
		} finally {
			if (prev === undefined) delete process.env.RETENTION_ALLOW_PARTIAL_BUILD;
			else process.env.RETENTION_ALLOW_PARTIAL_BUILD = prev;
		}
		this.port = await freePort();
		const q = this.opts.queue;
		const shared: Record<string, string> = { ...(this.opts.env ?? {}) };
		if (q) Object.assign(shared, queueEnv(q));
		const options = { userFolder: this.userFolder, port: this.port, env: shared };
		const main = new N8nProcess(this.rt, ['start'], n8nProcessEnv(this.rt, options, await freePort()), join(this.userFolder, 'main.log')).start();
		this.processes.push(main);
		this.client = new N8nClient(this.baseUrl);
		await this.client.waitHealthy(180_000, main);
		if (q) await startWorkers(this.rt, options, q, this.userFolder, this.processes);
		await this.client.ownerSetupOrLogin(DEMO_LOGIN);
		await registerCommunityPackage(this.rt, this.client, this.pkg, q ? { postgres: q } : { sqliteFile: join(this.userFolder, '.n8n', 'database.sqlite') });
		await this.client.createApiKey(`e2e ${new Date().toISOString()}`);
		return this;
	}

	/** Node types n8n offers in the editor's node panel (GET /types/nodes.json, as the editor loads them). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>> {
		const r = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.client.cookie, 'browser-id': 'n8n-nodes-retention-scripts' } });
		if (!r.ok) throw new Error(`GET /types/nodes.json -> ${r.status}`);
		return (await r.json()) as Array<{ name: string; displayName: string; version: number | number[] }>;
	}

	/** Imports a workflow, publishes it and waits until its production webhooks answer. */
	async importAndPublish(wf: WorkflowJson): Promise<string> {
		const id = await this.client.upsertWorkflow(wf);
		await this.client.publish(id);
		for (const n of wf.nodes) {
			const path = (n.parameters as { path?: string } | undefined)?.path;
			if (path && !n.disabled && (n.webhookId || /webhook|Trigger$/i.test(n.type))) {
				const method = ((n.parameters as { httpMethod?: string }).httpMethod ?? 'POST').toUpperCase();
				await this.client.waitForWebhook(path, method);
			}
		}
		return id;
	}

	/** Waits until `count` executions of the workflow have finished (any status) and returns them. */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 120_000) {
		const end = Date.now() + timeoutMs;
		let last: Awaited<ReturnType<N8nClient['executions']>> = [];
		while (Date.now() < end) {
			last = await this.client.executions({ workflowId });
			const done = last.filter((e) => e.stoppedAt && !['running', 'new', 'waiting'].includes(e.status));
			if (done.length >= count) return done;
			await sleep(1000);
		}
		throw new Error(`only ${last.filter((e) => e.stoppedAt).length}/${count} executions of ${workflowId} finished in ${timeoutMs} ms`);
	}

	logs(): string {
		return this.processes.map((p, i) => `--- ${i === 0 ? 'main' : `worker ${i}`} ---\n${p.log.slice(-3000)}`).join('\n');
	}

	async stop(): Promise<void> {
		for (const p of this.processes.slice().reverse()) await p.stop();
		if (this.userFolder && process.env.E2E_KEEP !== '1') rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** psql as the postgres superuser on the local server (trust auth), for database setup. */
export function psql(sql: string, database = 'postgres'): string {
	return execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}
