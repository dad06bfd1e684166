/**
 * Drives a real n8n (the pinned runtime from scripts/n8n-runtime.sh): install this package as a
 * community package, start/stop n8n processes, owner setup, API key, workflow import and publish,
 * webhook readiness, executions through the public API. Shared by `npm start` (scripts/start.ts)
 * and the end-to-end suite (test/e2e/n8n.ts). Plain CommonJS-compatible TypeScript, no n8n imports.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { join, resolve } from 'path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-retention';

export interface Runtime {
	nodeBin: string; // folder holding Node 24's `node`
	nodedir: string;
	n8nDir: string;
	n8nBin: string;
	version: string;
}

/** Installs the runtime if needed (cold: minutes) and returns its paths. */
export function ensureRuntime(opts: { quiet?: boolean } = {}): Runtime {
	const out = execFileSync('bash', [join(PROJECT_ROOT, 'scripts', 'n8n-runtime.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'],
		maxBuffer: 64 << 20,
		timeout: 30 * 60 * 1000,
	});
	const kv: Record<string, string> = {};
	for (const line of out.split('\n')) {
		const m = line.match(/^(N8N_RUNTIME_[A-Z0-9_]+)=(.*)$/);
		if (m) kv[m[1]] = m[2];
	}
	return {
		nodeBin: kv.N8N_RUNTIME_NODE_BIN,
		nodedir: kv.N8N_RUNTIME_NODEDIR,
		n8nDir: kv.N8N_RUNTIME_N8N_DIR,
		n8nBin: kv.N8N_RUNTIME_N8N_BIN,
		version: kv.N8N_RUNTIME_VERSION,
	};
}

/** Environment for npm / n8n child processes: Node 24 first on PATH, native builds against its headers. */
export function runtimeEnv(rt: Runtime, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	// jest / npm leave variables that would leak into n8n (NODE_OPTIONS=--experimental-vm-modules, the
	// harness's N8N_USER_FOLDER, npm_config_* of the outer npm run).
	for (const k of Object.keys(env)) {
		if (k.startsWith('npm_') || k.startsWith('N8N_') || k.startsWith('DB_') || k.startsWith('QUEUE_')) delete env[k];
		if (k.startsWith('JEST_') || k === 'NODE_OPTIONS' || k === 'NODE_ENV' || k === 'INIT_CWD') delete env[k];
	}
	env.PATH = `${rt.nodeBin}:${process.env.PATH ?? ''}`;
	env.npm_config_nodedir = rt.nodedir;
	env.npm_config_yes = 'true';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_update_notifier = 'false';
	for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
	return env;
}

/** `npm pack` of the built project (dist/ must exist) into destDir; returns the tarball path. */
export function packProject(rt: Runtime, destDir: string): string {
	mkdirSync(destDir, { recursive: true });
	for (const f of readdirSync(destDir)) if (f.endsWith('.tgz')) rmSync(join(destDir, f));
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: PROJECT_ROOT,
		encoding: 'utf8',
		env: runtimeEnv(rt),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const info = JSON.parse(out) as Array<{ filename: string }>;
	return join(destDir, info[0].filename);
}

/**
 * Installs a package tarball the way n8n 2.41 installs a community package
 * (CommunityPackagesService.downloadPackage in n8n/dist/modules/community-packages): the tarball is
 * unpacked into <userFolder>/.n8n/nodes/node_modules/<name>, devDependencies, peerDependencies and
 * optionalDependencies are stripped from its package.json, `npm install` runs inside the package
 * folder with n8n's flags, and <userFolder>/.n8n/nodes/package.json lists it. n8n then loads every
 * `n8n-nodes-*` package there at start, with the package name as node-type prefix
 * (`n8n-nodes-retention.churnRisk`). Only the `npm pack <name>@<version>` step differs: the tarball
 * comes from this checkout instead of the registry (the package is not published).
 */
export function installCommunityPackage(
	rt: Runtime,
	userFolder: string,
	tarball: string,
): { name: string; version: string; author?: { name?: string; email?: string } } {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const rootJson = join(nodesDir, 'package.json');
	const root = existsSync(rootJson)
		? (JSON.parse(readFileSync(rootJson, 'utf8')) as { dependencies?: Record<string, string> })
		: { name: 'installed-nodes', private: true, dependencies: {} };
	const pkgDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(pkgDir, { recursive: true, force: true });
	mkdirSync(pkgDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
	const pkgJsonPath = join(pkgDir, 'package.json');
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...pkgJson } = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as Record<
		string,
		unknown
	> & { name: string; version: string };
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	const declared = pkgJson.n8n as { nodes?: string[]; credentials?: string[] } | undefined;
	const notBuilt = [...(declared?.nodes ?? []), ...(declared?.credentials ?? [])].filter((f) => !existsSync(join(pkgDir, f)));
	if (notBuilt.length && process.env.RETENTION_ALLOW_PARTIAL_BUILD !== '1') {
		// n8n would refuse the whole package ("Cannot find module …") and show none of its nodes
		throw new Error(
			`package.json lists files the build did not produce, so n8n would not load the package: ${notBuilt.join(', ')}. ` +
				'Run npm run build (or, while nodes are still being written, set RETENTION_ALLOW_PARTIAL_BUILD=1 to leave them out).',
		);
	}
	if (process.env.RETENTION_ALLOW_PARTIAL_BUILD === '1') {
		// Development only, while some nodes are still being written: drop the node and credential
		// files the build did not produce, instead of letting n8n refuse the whole package.
		const n8nField = pkgJson.n8n as { nodes?: string[]; credentials?: string[] } | undefined;
		for (const key of ['nodes', 'credentials'] as const) {
			const list = n8nField?.[key];
			if (!list) continue;
			const missing = list.filter((f) => !existsSync(join(pkgDir, f)));
			if (missing.length) process.stderr.write(`[install] RETENTION_ALLOW_PARTIAL_BUILD: leaving out ${missing.join(', ')}\n`);
			n8nField[key] = list.filter((f) => existsSync(join(pkgDir, f)));
		}
	}
	writeFileSync(pkgJsonPath, JSON.stringify(pkgJson, null, 2));
	execFileSync(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'],
		{ cwd: pkgDir, env: runtimeEnv(rt), stdio: ['ignore', 'pipe', 'inherit'] },
	);
	root.dependencies = { ...(root.dependencies ?? {}), [pkgJson.name]: pkgJson.version };
	writeFileSync(rootJson, JSON.stringify(root, null, 2));
	return { name: pkgJson.name, version: pkgJson.version, author: pkgJson.author as { name?: string; email?: string } | undefined };
}

export interface N8nOptions {
	userFolder: string;
	port: number;
	/** extra environment (DB_*, EXECUTIONS_MODE, QUEUE_*, …) */
	env?: Record<string, string | undefined>;
	logFile?: string;
	host?: string;
}

/** Environment for an n8n process bound to 127.0.0.1, with telemetry and outside calls off. */
export function n8nProcessEnv(rt: Runtime, o: N8nOptions, brokerPort: number): NodeJS.ProcessEnv {
	return runtimeEnv(rt, {
		N8N_USER_FOLDER: o.userFolder,
		N8N_PORT: String(o.port),
		N8N_LISTEN_ADDRESS: o.host ?? '127.0.0.1',
		N8N_HOST: o.host ?? '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://${o.host ?? '127.0.0.1'}:${o.port}/`,
		N8N_EDITOR_BASE_URL: `http://${o.host ?? '127.0.0.1'}:${o.port}/`,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-retention-demo-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_RESTRICT_FILE_ACCESS_TO: join(o.userFolder, 'files'),
		DB_SQLITE_POOL_SIZE: '4',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...o.env,
	});
}

export interface QueueOptions {
	workers: number;
	concurrency?: number;
	pgDatabase: string;
	pgHost?: string;
	pgPort?: number;
	pgUser?: string;
	pgPassword?: string;
	redisHost?: string;
	redisPort?: number;
	/** prefix of every Redis key of this installation (Bull queue and n8n's own cache) */
	prefix: string;
}

/** Environment shared by main and workers in queue mode (PostgreSQL + Redis). */
export function queueEnv(q: QueueOptions): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: q.pgHost ?? '127.0.0.1',
		DB_POSTGRESDB_PORT: String(q.pgPort ?? 5432),
		DB_POSTGRESDB_DATABASE: q.pgDatabase,
		DB_POSTGRESDB_USER: q.pgUser ?? 'postgres',
		DB_POSTGRESDB_PASSWORD: q.pgPassword ?? '',
		// under a burst of webhooks a small pool starves n8n's own DB health ping, and main then answers
		// every request 503 "Database is not ready!" (seen with 4 connections and 100 requests in flight)
		DB_POSTGRESDB_POOL_SIZE: '20',
		// …and so does an event loop busy with a burst on a 2-core machine: give the ping time
		DB_PING_TIMEOUT_MS: '60000',
		QUEUE_BULL_REDIS_HOST: q.redisHost ?? '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(q.redisPort ?? 6379),
		QUEUE_BULL_PREFIX: q.prefix,
		// n8n's own Redis keys (webhook cache, instance state) too, or installations sharing a Redis
		// see each other's webhooks and refuse to publish ("There is a conflict with one of the webhooks")
		N8N_REDIS_KEY_PREFIX: q.prefix,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		// binary data (the heatmap) must be readable by every process
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
	};
}

/**
 * Starts `n8n worker` processes for a queue-mode main and waits until each is ready. Each started
 * process is pushed to `workers` at once, so that the caller can stop them even if a later one fails.
 */
export async function startWorkers(rt: Runtime, o: N8nOptions, q: QueueOptions, logDir: string, workers: N8nProcess[] = []): Promise<N8nProcess[]> {
	const started: N8nProcess[] = [];
	for (let w = 0; w < q.workers; w++) {
		const healthPort = await freePort();
		const env = n8nProcessEnv(
			rt,
			{
				...o,
				env: {
					...o.env,
					DB_POSTGRESDB_POOL_SIZE: String((q.concurrency ?? 10) + 2),
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
			},
			await freePort(),
		);
		const worker = new N8nProcess(rt, ['worker', `--concurrency=${q.concurrency ?? 10}`], env, join(logDir, `worker-${w + 1}.log`)).start();
		workers.push(worker);
		started.push(worker);
	}
	for (const worker of started) await worker.waitForLog(/n8n worker is now ready/i, 120_000);
	return started;
}

/** Creates the PostgreSQL database if it does not exist (the server's postgres database must be reachable). */
export async function ensureDatabase(q: QueueOptions): Promise<void> {
	// pg is a dependency of this package (the Care Action ledger); loaded here only when queue mode is asked for
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Client } = require('pg') as typeof import('pg');
	const db = new Client({ host: q.pgHost ?? '127.0.0.1', port: q.pgPort ?? 5432, user: q.pgUser ?? 'postgres', password: q.pgPassword, database: 'postgres' });
	await db.connect();
	try {
		const found = await db.query('SELECT 1 FROM pg_database WHERE datname = $1', [q.pgDatabase]);
		if (found.rowCount === 0) await db.query(`CREATE DATABASE "${q.pgDatabase.replace(/"/g, '')}"`);
	} finally {
		await db.end();
	}
}

export async function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const s = createServer();
		s.unref();
		s.on('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => res(port));
		});
	});
}

export async function portFree(port: number): Promise<boolean> {
	return new Promise((res) => {
		const s = createServer();
		s.once('error', () => res(false));
		s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
	});
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One n8n process (main, worker or webhook), started detached in its own process group. */
export class N8nProcess {
	child?: ChildProcess;
	log = '';
	private exited?: Promise<number | null>;

	constructor(
		readonly rt: Runtime,
		readonly args: string[],
		readonly env: NodeJS.ProcessEnv,
		readonly logFile?: string,
	) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	start(): this {
		const log = this.logFile ? createWriteStream(this.logFile, { flags: 'a' }) : undefined;
		this.child = spawn(join(this.rt.nodeBin, 'node'), [this.rt.n8nBin, ...this.args], {
			env: this.env,
			cwd: this.env.N8N_USER_FOLDER,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const onData = (b: Buffer) => {
			const s = b.toString();
			this.log = (this.log + s).slice(-200_000);
			log?.write(s);
		};
		this.child.stdout!.on('data', onData);
		this.child.stderr!.on('data', onData);
		this.exited = new Promise((res) =>
			this.child!.once('exit', (code) => {
				log?.end();
				res(code);
			}),
		);
		return this;
	}

	get running(): boolean {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Stops the process group we started (n8n spawns its task runner as a child) by PID. */
	async stop(timeoutMs = 20_000): Promise<void> {
		const child = this.child;
		if (!child || !this.running || !child.pid) return;
		const pid = child.pid;
		const kill = (sig: NodeJS.Signals) => {
			try {
				process.kill(-pid, sig);
			} catch {
				try {
					process.kill(pid, sig);
				} catch {
					/* gone */
				}
			}
		};
		kill('SIGTERM');
		const t = setTimeout(() => kill('SIGKILL'), timeoutMs);
		await this.exited;
		clearTimeout(t);
		// the task runner may outlive its parent for a moment
		kill('SIGKILL');
	}

	async waitForLog(re: RegExp, timeoutMs: number): Promise<void> {
		const end = Date.now() + timeoutMs;
		while (Date.now() < end) {
			if (re.test(this.log)) return;
			if (!this.running) throw new Error(`n8n ${this.args.join(' ')} exited:\n${this.log.slice(-4000)}`);
			await sleep(250);
		}
		throw new Error(`timeout waiting for ${re} in n8n ${this.args.join(' ')} log:\n${this.log.slice(-4000)}`);
	}
}

/** Runs an n8n CLI command (import:workflow, export:nodes, …) to completion. */
export function n8nCli(rt: Runtime, env: NodeJS.ProcessEnv, args: string[]): string {
	return execFileSync(join(rt.nodeBin, 'node'), [rt.n8nBin, ...args], {
		env,
		cwd: env.N8N_USER_FOLDER,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 256 << 20,
		timeout: 5 * 60 * 1000,
	});
}

export interface Login {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEMO_LOGIN: Login = {
	email: 'demo@example.com',
	password: 'Retention-demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

const BROWSER_ID = 'n8n-nodes-retention-scripts';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: string,
		what: string,
	) {
		super(`${what} -> HTTP ${status}: ${body.slice(0, 800)}`);
	}
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown> & { name: string; type: string; parameters?: Record<string, unknown> }>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[k: string]: unknown;
}

/** REST (session cookie) + public API (X-N8N-API-KEY) client for one n8n base URL. */
export class N8nClient {
	cookie = '';
	apiKey = '';

	constructor(readonly baseUrl: string) {}

	async healthy(): Promise<boolean> {
		try {
			const r = await fetch(`${this.baseUrl}/healthz/readiness`);
			return r.ok;
		} catch {
			return false;
		}
	}

	async waitHealthy(timeoutMs: number, proc?: N8nProcess): Promise<void> {
		const end = Date.now() + timeoutMs;
		while (Date.now() < end) {
			if (await this.healthy()) return;
			if (proc && !proc.running) throw new Error(`n8n exited before it was ready:\n${proc.log.slice(-4000)}`);
			await sleep(500);
		}
		throw new Error(`n8n at ${this.baseUrl} not ready after ${timeoutMs} ms${proc ? `:\n${proc.log.slice(-4000)}` : ''}`);
	}

	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const r = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = r.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) if (c.startsWith('n8n-auth=')) this.cookie = c.split(';')[0];
		const text = await r.text();
		if (!r.ok) throw new HttpError(r.status, text, `${method} /rest${path}`);
		const json = text ? JSON.parse(text) : {};
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const r = await fetch(`${this.baseUrl}/api/v1${path}`, {
			method,
			headers: { 'content-type': 'application/json', accept: 'application/json', 'X-N8N-API-KEY': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await r.text();
		if (!r.ok) throw new HttpError(r.status, text, `${method} /api/v1${path}`);
		return (text ? JSON.parse(text) : {}) as T;
	}

	/** True while the instance still shows the owner-setup screen. */
	async needsOwnerSetup(): Promise<boolean> {
		const s = await this.rest<{ userManagement?: { showSetupOnFirstLoad?: boolean } }>('GET', '/settings');
		return !!s.userManagement?.showSetupOnFirstLoad;
	}

	/** Sets up the owner account on a fresh instance, or logs in to an existing one. */
	async ownerSetupOrLogin(login: Login = DEMO_LOGIN): Promise<void> {
		if (await this.needsOwnerSetup()) {
			await this.rest('POST', '/owner/setup', login);
		} else {
			await this.rest('POST', '/login', { emailOrLdapLoginId: login.email, email: login.email, password: login.password });
		}
	}

	/** Creates an API key with every scope the instance offers and keeps it for api(). */
	async createApiKey(label = `retention-${Date.now()}`): Promise<string> {
		let scopes: string[] = [];
		try {
			scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		} catch {
			/* older instances: no scopes */
		}
		const key = await this.rest<{ rawApiKey?: string; apiKey?: string }>('POST', '/api-keys', {
			label,
			expiresAt: null,
			scopes,
		});
		this.apiKey = key.rawApiKey ?? key.apiKey ?? '';
		if (!this.apiKey) throw new Error(`no API key in answer: ${JSON.stringify(key)}`);
		return this.apiKey;
	}

	async listWorkflows(): Promise<Array<{ id: string; name: string; active: boolean }>> {
		const out: Array<{ id: string; name: string; active: boolean }> = [];
		let cursor: string | undefined;
		do {
			const page = await this.api<{ data: Array<{ id: string; name: string; active: boolean }>; nextCursor?: string }>(
				'GET',
				`/workflows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			out.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return out;
	}

	/** Creates a credential, or updates the one with the same name and type; returns {id, name}. */
	async upsertCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
		let existing: { id: string; name: string; type: string } | undefined;
		try {
			const list = await this.api<{ data: Array<{ id: string; name: string; type: string }> }>('GET', '/credentials?limit=250');
			existing = list.data.find((c) => c.name === name && c.type === type);
		} catch {
			/* listing needs owner scope; fall back to creating */
		}
		if (existing) {
			await this.api('PATCH', `/credentials/${existing.id}`, { name, type, data });
			return { id: existing.id, name };
		}
		const created = await this.api<{ id: string; name: string }>('POST', '/credentials', { name, type, data });
		return { id: created.id, name: created.name };
	}

	/** Creates the workflow (or replaces the one with the same name) through the public API. */
	async upsertWorkflow(wf: WorkflowJson): Promise<string> {
		const body = {
			name: wf.name,
			nodes: wf.nodes,
			connections: wf.connections,
			settings: { executionOrder: 'v1', ...(wf.settings ?? {}) },
		};
		const existing = (await this.listWorkflows()).find((w) => w.name === wf.name);
		if (existing) {
			if (existing.active) await this.unpublish(existing.id);
			await this.api('PUT', `/workflows/${existing.id}`, body);
			return existing.id;
		}
		const created = await this.api<{ id: string }>('POST', '/workflows', body);
		return created.id;
	}

	/** Publishes (n8n 1.x: "activates") a workflow: its triggers and production webhooks go live. */
	async publish(id: string): Promise<void> {
		await this.api('POST', `/workflows/${id}/publish`);
	}

	async unpublish(id: string): Promise<void> {
		await this.api('POST', `/workflows/${id}/unpublish`);
	}

	/**
	 * Waits until a production webhook answers as registered. Probes with OPTIONS/GET, which never
	 * start an execution of a POST webhook: an unregistered path answers 404 "... is not registered".
	 */
	async waitForWebhook(path: string, method = 'POST', timeoutMs = 30_000): Promise<void> {
		const end = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < end) {
			const probe = method === 'GET' ? 'HEAD' : 'GET';
			const r = await fetch(`${this.baseUrl}/webhook/${path}`, { method: probe });
			last = `${r.status} ${await r.text()}`;
			// registered for another method: n8n says "not registered for GET requests. Did you mean to make a POST request?"
			if (r.status !== 404 || new RegExp(`make a ${method} request`, 'i').test(last)) return;
			await sleep(300);
		}
		throw new Error(`webhook ${path} not registered after ${timeoutMs} ms: ${last}`);
	}

	async executions(query: Record<string, string | number | boolean> = {}): Promise<ExecutionSummary[]> {
		const out: ExecutionSummary[] = [];
		let cursor: string | undefined;
		do {
			const qs = new URLSearchParams({ limit: '250', ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });
			if (cursor) qs.set('cursor', cursor);
			const page = await this.api<{ data: ExecutionSummary[]; nextCursor?: string }>('GET', `/executions?${qs}`);
			out.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return out;
	}

	async execution(id: string | number): Promise<ExecutionDetail> {
		return this.api<ExecutionDetail>('GET', `/executions/${id}?includeData=true`);
	}

	/** Starts a workflow the way the editor's "Execute workflow" button does (manual mode, on main). */
	async runManually(workflowId: string, wf: WorkflowJson, triggerName?: string): Promise<string> {
		const res = await this.rest<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/workflows/${workflowId}/run`, {
			workflowData: { id: workflowId, name: wf.name, nodes: wf.nodes, connections: wf.connections, settings: wf.settings ?? {} },
			...(triggerName ? { triggerToStartFrom: { name: triggerName } } : {}),
		});
		if (!res.executionId) throw new Error(`no execution started: ${JSON.stringify(res)}`);
		return res.executionId;
	}

	async waitForExecution(id: string | number, timeoutMs = 60_000): Promise<ExecutionDetail> {
		const end = Date.now() + timeoutMs;
		let last: ExecutionDetail | undefined;
		while (Date.now() < end) {
			try {
				last = await this.execution(id);
				if (last.finished || ['success', 'error', 'crashed', 'canceled'].includes(String(last.status))) return last;
			} catch (e) {
				if (!(e instanceof HttpError && e.status === 404)) throw e;
			}
			await sleep(500);
		}
		throw new Error(`execution ${id} not finished after ${timeoutMs} ms: ${JSON.stringify(last)?.slice(0, 2000)}`);
	}
}

export interface ExecutionSummary {
	id: string | number;
	finished: boolean;
	mode: string;
	status: string;
	startedAt: string;
	stoppedAt: string | null;
	workflowId: string;
}

export interface ExecutionDetail extends ExecutionSummary {
	data?: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }> | null> }; error?: unknown }>>;
			error?: { message?: string };
			lastNodeExecuted?: string;
		};
	};
}

/** Output items of a node in an execution (first run, given output). */
export function nodeOutput(exec: ExecutionDetail, node: string, output = 0): Array<Record<string, unknown>> {
	const runs = exec.data?.resultData.runData[node];
	if (!runs || !runs[0]) return [];
	return (runs[0].data?.main[output] ?? []).map((i) => i.json);
}

export function readWorkflowFile(file: string): WorkflowJson {
	return JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson;
}

/** The workflow JSON files in examples/ (sorted), parsed. */
export function exampleWorkflows(dir = join(PROJECT_ROOT, 'examples')): Array<{ file: string; wf: WorkflowJson }> {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: join(dir, f), wf: readWorkflowFile(join(dir, f)) }));
}

/** Types of the workflow's trigger nodes that make it worth publishing. */
export function isTriggered(wf: WorkflowJson): boolean {
	return wf.nodes.some(
		(n) =>
			!n.disabled &&
			(/\.(webhook|scheduleTrigger|cron|interval)$/.test(n.type) || /Trigger$/.test(n.type)) &&
			!/manualTrigger$|executeWorkflowTrigger$/.test(n.type),
	);
}

/** Replaces ${NAME} placeholders in string values with the given values (workflow templating). */
export function fillPlaceholders<T>(value: T, vars: Record<string, string>): T {
	return JSON.parse(
		JSON.stringify(value).replace(/\$\{([A-Z0-9_]+)\}/g, (all, k: string) => (k in vars ? JSON.stringify(vars[k]).slice(1, -1) : all)),
	) as T;
}

export interface PrepareOptions {
	/** credential type (smtp, httpHeaderAuth, …) → credential to use for every node that has one of that type */
	credentials?: Record<string, { id: string; name: string }>;
	/** values for the assignments of the workflow's "Settings" node, by assignment name */
	settings?: Record<string, string | number | boolean>;
	/** per node name: parameters merged over the node's, credentials added or replaced */
	nodes?: Record<string, { parameters?: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> }>;
}

/**
 * Adapts an example workflow to an instance: points its nodes' credentials at existing ones and
 * overrides values of its "Settings" (Set) node, e.g. the URLs of the SMS and CRM APIs.
 */
export function prepareWorkflow(wf: WorkflowJson, o: PrepareOptions): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(wf)) as WorkflowJson;
	for (const node of copy.nodes) {
		const creds = node.credentials as Record<string, { id: string; name: string }> | undefined;
		if (creds && o.credentials) {
			for (const type of Object.keys(creds)) if (o.credentials[type]) creds[type] = o.credentials[type];
		}
		const override = o.nodes?.[node.name];
		if (override?.parameters) node.parameters = { ...(node.parameters ?? {}), ...override.parameters };
		if (override?.credentials) node.credentials = { ...((node.credentials as object) ?? {}), ...override.credentials };
		if (node.name === 'Settings' && o.settings) {
			const list = ((node.parameters?.assignments as { assignments?: Array<{ name: string; value: unknown; type: string }> })?.assignments ?? []);
			for (const [name, value] of Object.entries(o.settings)) {
				const a = list.find((x) => x.name === name);
				if (a) a.value = value;
			}
		}
	}
	return copy;
}

/** Value of an assignment in the workflow's "Settings" node. */
export function workflowSetting(wf: WorkflowJson, name: string): unknown {
	const node = wf.nodes.find((n) => n.name === 'Settings');
	const list = ((node?.parameters?.assignments as { assignments?: Array<{ name: string; value: unknown }> })?.assignments ?? []);
	return list.find((a) => a.name === name)?.value;
}

/**
 * The last step of n8n's community-package install (InstalledPackagesRepository.persistPackageWithNodes):
 * the package and its nodes recorded in n8n's database, so that Settings → Community nodes lists it
 * and n8n checks at start that its nodes are still there. Run against a started n8n: the database and
 * its tables exist, and the node types come from the running instance (GET /types/nodes.json).
 */
export async function registerCommunityPackage(
	rt: Runtime,
	client: N8nClient,
	pkg: { name: string; version: string; author?: { name?: string; email?: string } },
	db: { sqliteFile: string } | { postgres: QueueOptions },
): Promise<number> {
	const r = await fetch(`${client.baseUrl}/types/nodes.json`, { headers: { cookie: client.cookie, 'browser-id': BROWSER_ID } });
	if (!r.ok) throw new Error(`GET /types/nodes.json -> ${r.status}`);
	const types = ((await r.json()) as Array<{ name: string; displayName: string; version: number | number[] }>).filter(
		(t) => t.name.startsWith(`${pkg.name}.`) && !t.name.endsWith('Tool'),
	);
	const nodes = types.map((t) => ({
		name: t.displayName,
		type: t.name,
		latestVersion: Array.isArray(t.version) ? Math.max(...t.version) : t.version,
	}));
	const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
	if ('sqliteFile' in db) {
		// n8n's own sqlite3 module (built for the runtime's Node 24)
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const sqlite3 = require(join(rt.n8nDir, 'node_modules', 'sqlite3')) as {
			Database: new (file: string, cb: (e: Error | null) => void) => {
				run(sql: string, params: unknown[], cb: (e: Error | null) => void): void;
				close(cb: () => void): void;
			};
		};
		const conn = await new Promise<InstanceType<typeof sqlite3.Database>>((res, rej) => {
			const d = new sqlite3.Database(db.sqliteFile, (e) => (e ? rej(e) : res(d)));
		});
		const run = (sql: string, params: unknown[]) => new Promise<void>((res, rej) => conn.run(sql, params, (e) => (e ? rej(e) : res())));
		try {
			await run('PRAGMA busy_timeout = 10000', []);
			await run('BEGIN IMMEDIATE', []);
			await run('DELETE FROM installed_nodes WHERE package = ?', [pkg.name]);
			await run('DELETE FROM installed_packages WHERE packageName = ?', [pkg.name]);
			await run('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)', [
				pkg.name,
				pkg.version,
				pkg.author?.name ?? null,
				pkg.author?.email ?? null,
				now,
				now,
			]);
			for (const n of nodes) await run('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)', [n.name, n.type, n.latestVersion, pkg.name]);
			await run('COMMIT', []);
		} catch (e) {
			await run('ROLLBACK', []).catch(() => undefined);
			throw e;
		} finally {
			await new Promise<void>((res) => conn.close(() => res()));
		}
	} else {
		const q = db.postgres;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { Client } = require('pg') as typeof import('pg');
		const pg = new Client({ host: q.pgHost ?? '127.0.0.1', port: q.pgPort ?? 5432, user: q.pgUser ?? 'postgres', password: q.pgPassword, database: q.pgDatabase });
		await pg.connect();
		try {
			await pg.query('BEGIN');
			await pg.query('DELETE FROM installed_packages WHERE "packageName" = $1', [pkg.name]);
			await pg.query('INSERT INTO installed_packages ("packageName", "installedVersion", "authorName", "authorEmail") VALUES ($1, $2, $3, $4)', [
				pkg.name,
				pkg.version,
				pkg.author?.name ?? null,
				pkg.author?.email ?? null,
			]);
			for (const n of nodes) {
				await pg.query('INSERT INTO installed_nodes (name, type, "latestVersion", package) VALUES ($1, $2, $3, $4)', [n.name, n.type, n.latestVersion, pkg.name]);
			}
			await pg.query('COMMIT');
		} catch (e) {
			await pg.query('ROLLBACK').catch(() => undefined);
			throw e;
		} finally {
			await pg.end();
		}
	}
	return nodes.length;
}
