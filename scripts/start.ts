/**
 * `npm start` (through scripts/start.sh, which brings Node 24 + n8n and builds the package first):
 * installs this package into a real n8n as a community package, sets up the owner account, loads
 * the demo data tables, imports and publishes the example flows and runs n8n on 127.0.0.1:5678.
 *
 *   npm start                  run until Ctrl-C
 *   npm start -- --demo        run the monthly report flow once, write its outputs to demo-output/, stop
 *   npm start -- --fresh       start from an empty n8n user folder (.runtime/n8n)
 *   npm start -- --port 5679   another port for the editor
 *   npm start -- --queue       queue mode: main + 2 workers (--workers N) on PostgreSQL + Redis, the
 *                              Care Action ledger in PostgreSQL (see README.md, "Queue mode (for scale)")
 *
 * A local outbox stands in for the outside world: an SMTP server (127.0.0.1:2525) and an HTTP
 * recorder for the SMS and CRM APIs (127.0.0.1:5681); what the flows send is written to
 * .runtime/outbox/. Nothing leaves the machine.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { DEMO_TABLES, loadDemoData } from './lib/demo-data';
import { DEMO_SIGNING_SECRET } from './lib/events';
import {
	DEMO_LOGIN,
	N8nClient,
	N8nProcess,
	PROJECT_ROOT,
	ensureDatabase,
	ensureRuntime,
	exampleWorkflows,
	freePort,
	installCommunityPackage,
	isTriggered,
	n8nProcessEnv,
	nodeOutput,
	packProject,
	portFree,
	prepareWorkflow,
	queueEnv,
	registerCommunityPackage,
	startWorkers,
	type QueueOptions,
	type WorkflowJson,
} from './lib/n8n';
import { HttpRecorder, SmtpReceiver, mailAttachments } from './lib/recorders';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: string) => {
	const i = argv.indexOf(name);
	return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};

const DEMO = flag('--demo');
const FRESH = flag('--fresh');
const PORT = Number(option('--port', process.env.N8N_PORT ?? '5678'));
const RUNTIME_DIR = join(PROJECT_ROOT, '.runtime');
const QUEUE: QueueOptions | undefined = flag('--queue')
	? {
			workers: Number(option('--workers', '2')),
			concurrency: Number(option('--concurrency', '10')),
			pgHost: process.env.DB_POSTGRESDB_HOST ?? '127.0.0.1',
			pgPort: Number(process.env.DB_POSTGRESDB_PORT ?? 5432),
			pgDatabase: process.env.DB_POSTGRESDB_DATABASE ?? 'n8n_retention',
			pgUser: process.env.DB_POSTGRESDB_USER ?? 'postgres',
			pgPassword: process.env.DB_POSTGRESDB_PASSWORD ?? '',
			redisHost: process.env.QUEUE_BULL_REDIS_HOST ?? '127.0.0.1',
			redisPort: Number(process.env.QUEUE_BULL_REDIS_PORT ?? 6379),
			prefix: process.env.QUEUE_BULL_PREFIX ?? 'n8n_retention',
		}
	: undefined;
const USER_FOLDER = join(RUNTIME_DIR, QUEUE ? 'n8n-queue' : 'n8n');
const OUTBOX = join(RUNTIME_DIR, 'outbox');
const DEMO_OUT = join(PROJECT_ROOT, option('--out', 'demo-output'));
const REPORT_WORKFLOW = /monthly retention report/i;

const t0 = Date.now();
const say = (s: string) => process.stdout.write(`[start ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${s}\n`);

async function pickPort(preferred: number): Promise<number> {
	return (await portFree(preferred)) ? preferred : await freePort();
}

async function main() {
	const rt = ensureRuntime();
	say(`n8n ${rt.version} runtime: ${rt.n8nDir}`);
	if (!(await portFree(PORT))) throw new Error(`port ${PORT} on 127.0.0.1 is in use: stop what runs there or use --port`);

	if (FRESH) rmSync(USER_FOLDER, { recursive: true, force: true });
	mkdirSync(join(USER_FOLDER, 'files'), { recursive: true });
	for (const d of ['mail', 'http']) mkdirSync(join(OUTBOX, d), { recursive: true });

	const tarball = packProject(rt, join(RUNTIME_DIR, 'pack'));
	const pkg = installCommunityPackage(rt, USER_FOLDER, tarball);
	say(`installed ${pkg.name}@${pkg.version} as a community package into ${join(USER_FOLDER, '.n8n', 'nodes')}`);

	// The outbox: what the example flows send ends up here.
	const smtp = new SmtpReceiver();
	const http = new HttpRecorder();
	const smtpPort = await smtp.start(await pickPort(Number(process.env.RETENTION_SMTP_PORT ?? 2525)));
	const httpPort = await http.start(await pickPort(Number(process.env.RETENTION_HTTP_PORT ?? 5681)));
	let mailNo = 0;
	let reqNo = 0;
	smtp.onMail = (m) => {
		const file = join(OUTBOX, 'mail', `${m.receivedAt.replace(/[:.]/g, '-')}-${++mailNo}.eml`);
		writeFileSync(file, m.raw);
		say(`mail to ${m.to.join(', ')}: "${m.subject}" (${m.attachments.length} attachment(s)) -> ${file}`);
	};
	http.onRequest = (r) => {
		const file = join(OUTBOX, 'http', `${r.receivedAt.replace(/[:.]/g, '-')}-${++reqNo}.json`);
		writeFileSync(file, JSON.stringify({ method: r.method, path: r.path, body: r.body }, null, 2));
		say(`${r.method} ${r.path} -> ${file}`);
	};

	if (QUEUE) {
		await ensureDatabase(QUEUE);
		say(`queue mode: PostgreSQL ${QUEUE.pgHost}:${QUEUE.pgPort}/${QUEUE.pgDatabase}, Redis ${QUEUE.redisHost}:${QUEUE.redisPort} (prefix ${QUEUE.prefix})`);
	}
	const options = { userFolder: USER_FOLDER, port: PORT, env: QUEUE ? queueEnv(QUEUE) : {} };
	const env = n8nProcessEnv(rt, options, await pickPort(PORT + 1));
	const n8n = new N8nProcess(rt, ['start'], env, join(RUNTIME_DIR, QUEUE ? 'n8n-queue.log' : 'n8n.log')).start();
	const workers: N8nProcess[] = [];
	let stopping = false;
	const stopAll = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say(`stopping n8n${workers.length ? ` and ${workers.length} workers` : ''} and the outbox`);
		for (const w of workers) await w.stop();
		await n8n.stop();
		await smtp.stop();
		await http.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => void stopAll(0));
	process.on('SIGTERM', () => void stopAll(0));

	try {
		const client = new N8nClient(`http://127.0.0.1:${PORT}`);
		await client.waitHealthy(180_000, n8n);
		say(`n8n is up (log: ${join(RUNTIME_DIR, QUEUE ? 'n8n-queue.log' : 'n8n.log')})`);
		if (QUEUE) {
			await startWorkers(rt, options, QUEUE, RUNTIME_DIR, workers);
			say(`${workers.length} workers ready (logs: ${join(RUNTIME_DIR, 'worker-*.log')})`);
		}

		await client.ownerSetupOrLogin(DEMO_LOGIN);
		try {
			const count = await registerCommunityPackage(rt, client, pkg, QUEUE ? { postgres: QUEUE } : { sqliteFile: join(USER_FOLDER, '.n8n', 'database.sqlite') });
			say(`${pkg.name} recorded with ${count} nodes under Settings → Community nodes`);
		} catch (e) {
			say(`could not record the package in n8n's database (Settings → Community nodes will not list it): ${(e as Error).message}`);
		}
		const keyFile = join(RUNTIME_DIR, QUEUE ? 'api-key-queue' : 'api-key');
		client.apiKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
		try {
			if (!client.apiKey) throw new Error('no key');
			await client.api('GET', '/workflows?limit=1');
		} catch {
			writeFileSync(keyFile, await client.createApiKey(`npm start ${new Date().toISOString()}`), { mode: 0o600 });
		}

		const tables = await loadDemoData(client);
		say(`demo data tables: ${Object.keys(tables).join(', ')}`);

		const smtpCred = await client.upsertCredential('Demo SMTP (local outbox)', 'smtp', {
			user: '',
			password: '',
			host: '127.0.0.1',
			port: smtpPort,
			secure: false,
			disableStartTls: true,
		});
		const signingCred = await client.upsertCredential('Demo webhook signing secret', 'retentionWebhookApi', {
			currentSecret: DEMO_SIGNING_SECRET,
			previousSecret: '',
		});
		// In queue mode every worker must see the same caps and idempotency keys: the Care Action
		// ledger moves from n8n's per-process store to PostgreSQL (the same database).
		const careLedger = QUEUE
			? await client.upsertCredential('Care ledger (PostgreSQL)', 'retentionLedgerApi', {
					backend: 'postgres',
					host: QUEUE.pgHost,
					port: QUEUE.pgPort,
					database: QUEUE.pgDatabase,
					user: QUEUE.pgUser,
					password: QUEUE.pgPassword ?? '',
					ssl: 'disable',
				})
			: undefined;
		const settings = {
			smsApiUrl: `http://127.0.0.1:${httpPort}/sms`,
			crmApiUrl: `http://127.0.0.1:${httpPort}/crm/tasks`,
		};
		const imported: Array<{ id: string; wf: WorkflowJson; published: boolean }> = [];
		for (const { file, wf } of exampleWorkflows()) {
			const careNodes = careLedger
				? Object.fromEntries(
						wf.nodes
							.filter((n) => n.type === 'n8n-nodes-retention.careAction')
							.map((n) => [n.name, { parameters: { ledger: 'postgres' }, credentials: { retentionLedgerApi: careLedger } }]),
					)
				: undefined;
			const ready = prepareWorkflow(wf, { credentials: { smtp: smtpCred, retentionWebhookApi: signingCred }, settings, nodes: careNodes });
			try {
				const id = await client.upsertWorkflow(ready);
				let published = false;
				if (isTriggered(ready) && !(DEMO && REPORT_WORKFLOW.test(ready.name))) {
					try {
						await client.publish(id);
						published = true;
					} catch (e) {
						say(`could not publish "${ready.name}": ${(e as Error).message.slice(0, 300)}`);
					}
				}
				imported.push({ id, wf: ready, published });
				say(`imported ${published ? 'and published ' : ''}"${ready.name}" (${file.replace(PROJECT_ROOT + '/', '')})`);
			} catch (e) {
				say(`could not import ${file}: ${(e as Error).message.slice(0, 300)}`);
			}
		}

		if (DEMO) {
			const report = imported.find((w) => REPORT_WORKFLOW.test(w.wf.name));
			if (!report) throw new Error('the monthly report flow is not among the examples');
			await runReportOnce(client, report.id, report.wf, smtp);
			await stopAll(0);
			return;
		}

		const url = `http://127.0.0.1:${PORT}`;
		process.stdout.write(
			[
				'',
				`  n8n with n8n-nodes-retention is running${QUEUE ? ` in queue mode (main + ${workers.length} workers, PostgreSQL ${QUEUE.pgDatabase}, Redis)` : ''}.`,
				`    Editor:   ${url}`,
				`    Login:    ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`,
				`    Flows:    ${imported.map((w) => `${w.wf.name}${w.published ? ' (published)' : ''}`).join('\n              ')}`,
				`    Data:     data tables ${Object.values(DEMO_TABLES).join(', ')}`,
				`    Outbox:   mail (SMTP 127.0.0.1:${smtpPort}) and SMS/CRM calls (HTTP 127.0.0.1:${httpPort}) -> ${OUTBOX}`,
				`    API key:  ${keyFile} (header X-N8N-API-KEY, ${url}/api/v1)`,
				`    Events:   signed with the demo secret "${DEMO_SIGNING_SECRET}" (credential "Demo webhook signing secret"),`,
				`              e.g. npx tsx scripts/send-event.ts nps_response C0007 --score 3`,
				'  Stop with Ctrl-C.',
				'',
			].join('\n') + '\n',
		);
		await new Promise(() => {
			/* until a signal */
		});
	} catch (e) {
		process.stderr.write(`${(e as Error).stack ?? e}\n`);
		await stopAll(1);
	}
}

/** --demo: runs the report flow once (as "Execute workflow" in the editor would) and keeps its outputs. */
async function runReportOnce(client: N8nClient, id: string, wf: WorkflowJson, smtp: SmtpReceiver) {
	say(`running "${wf.name}" once`);
	const before = smtp.mails.length;
	const trigger = wf.nodes.find((n) => /scheduleTrigger$/.test(n.type))?.name;
	const execId = await client.runManually(id, wf, trigger);
	const exec = await client.waitForExecution(execId, 180_000);
	rmSync(DEMO_OUT, { recursive: true, force: true });
	mkdirSync(DEMO_OUT, { recursive: true });
	writeFileSync(join(DEMO_OUT, 'execution.json'), JSON.stringify(exec, null, 2));
	if (exec.status !== 'success') {
		throw new Error(`report execution ${execId} ended with status ${exec.status}: ${JSON.stringify(exec.data?.resultData.error ?? {}).slice(0, 1000)}`);
	}
	writeFileSync(join(DEMO_OUT, 'nps.json'), JSON.stringify(nodeOutput(exec, 'NPS'), null, 2));
	writeFileSync(join(DEMO_OUT, 'cohort-retention.json'), JSON.stringify(nodeOutput(exec, 'Cohort retention'), null, 2));
	const end = Date.now() + 30_000;
	while (smtp.mails.length === before && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
	const mail = smtp.mails[before];
	if (!mail) throw new Error('the report flow finished but no mail reached the local SMTP server');
	writeFileSync(join(DEMO_OUT, 'report.eml'), mail.raw);
	const files = ['execution.json', 'nps.json', 'cohort-retention.json', 'report.eml'];
	for (const a of mailAttachments(mail.raw)) {
		writeFileSync(join(DEMO_OUT, a.filename), a.content);
		files.push(a.filename);
	}
	say(`report mailed to ${mail.to.join(', ')}: "${mail.subject}"`);
	say(`wrote ${files.map((f) => join(DEMO_OUT, f).replace(PROJECT_ROOT + '/', '')).join(', ')}`);
}

void main();
