/**
 * The package inside a real n8n 2.41.1 (regular mode, embedded SQLite), installed as a community
 * package, checked where a user would see the results: mail at a real SMTP server, SMS/CRM calls
 * at a local HTTP server, executions through n8n's public API, the node panel's node types.
 * One n8n instance serves every test in this file.
 */
import { demoData, loadDemoData } from '../../scripts/lib/demo-data';
import { sendEvent } from '../../scripts/lib/events';
import { CHROMIUM, ensureChromium, launchChromium, openNodePanel, openWorkflow, searchNodePanel, signIn } from './editor';
import { mkdirSync } from 'fs';
import { join } from 'path';

import {
	DEMO_LOGIN,
	HttpRecorder,
	PROJECT_ROOT,
	RUNTIME_TIMEOUT,
	SmtpReceiver,
	TestN8n,
	declaredNodeTypes,
	exampleWorkflows,
	mailAttachments,
	nodeOutput,
	prepareWorkflow,
	sleep,
	type WorkflowJson,
} from './n8n';

jest.setTimeout(180_000);

const smtp = new SmtpReceiver();
const http = new HttpRecorder();
let n8n: TestN8n;
let smtpCred: { id: string; name: string };
let signingCred: { id: string; name: string };
const SECRET = 'e2e-signing-secret-0123456789abcdef';
let settings: Record<string, string>;

function example(pattern: RegExp): WorkflowJson {
	const found = exampleWorkflows().find((e) => pattern.test(e.wf.name));
	if (!found) throw new Error(`no example workflow matches ${pattern}`);
	return prepareWorkflow(found.wf, { credentials: { smtp: smtpCred, retentionWebhookApi: signingCred }, settings });
}

async function waitFor<T>(what: string, get: () => T | undefined, timeoutMs = 30_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		const v = get();
		if (v !== undefined) return v;
		await sleep(200);
	}
	throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
	await smtp.start();
	await http.start();
	n8n = new TestN8n({ partialBuild: true });
	try {
		await n8n.start();
	} catch (e) {
		await n8n.stop();
		throw e;
	}
	smtpCred = await n8n.client.upsertCredential('E2E SMTP', 'smtp', {
		user: '',
		password: '',
		host: '127.0.0.1',
		port: smtp.port,
		secure: false,
		disableStartTls: true,
	});
	signingCred = await n8n.client.upsertCredential('E2E signing secret', 'retentionWebhookApi', { currentSecret: SECRET, previousSecret: '' });
	settings = {
		smsApiUrl: `http://127.0.0.1:${http.port}/sms`,
		crmApiUrl: `http://127.0.0.1:${http.port}/crm/tasks`,
		reportTo: 'ops-e2e@example.com',
	};
	await loadDemoData(n8n.client);
}, RUNTIME_TIMEOUT);

afterAll(async () => {
	await n8n?.stop();
	await smtp.stop();
	await http.stop();
});

test('every node declared in package.json is in the node panel as n8n-nodes-retention.* and the package is listed under Settings → Community nodes', async () => {
	const types = (await n8n.nodeTypes()).map((t) => t.name);
	const ours = types.filter((t) => t.startsWith('n8n-nodes-retention.'));
	expect(ours).toContain('n8n-nodes-retention.retentionMetrics');
	// nothing of ours was loaded the development way (CUSTOM.*): it is a community package
	expect(types.filter((t) => t.startsWith('CUSTOM.'))).toEqual([]);
	const missing = declaredNodeTypes().filter((t) => !ours.includes(t));
	expect(missing).toEqual([]);
	// and listed under Settings → Community nodes, as after an install from there
	const packages = await n8n.client.rest<Array<{ packageName: string; installedVersion: string; installedNodes: Array<{ type: string }> }>>('GET', '/community-packages');
	const listed = packages.find((p) => p.packageName === 'n8n-nodes-retention');
	expect(listed?.installedNodes.map((n) => n.type).sort()).toEqual(declaredNodeTypes().sort());
});

test('a published webhook flow calls the SMS API once per event; executions are visible in the public API', async () => {
	const path = `e2e-smoke-${Date.now()}`;
	const wf: WorkflowJson = {
		name: 'E2E smoke: webhook to SMS API',
		nodes: [
			{
				id: 'e2e-1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${path}-id`,
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'e2e-2',
				name: 'Send SMS',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: settings.smsApiUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ to: $json.body.phone, text: "Hello " + $json.body.customerId }) }}',
					options: {},
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const id = await n8n.importAndPublish(wf);
	const before = http.byPath('/sms').length;
	for (const c of ['C0001', 'C0002', 'C0003']) {
		const r = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ customerId: c, phone: '+15550100001' }),
		});
		expect(r.status).toBe(200);
	}
	const execs = await n8n.waitForExecutions(id, 3);
	expect(execs.map((e) => e.status)).toEqual(['success', 'success', 'success']);
	expect(execs.every((e) => e.mode === 'webhook')).toBe(true);
	const sms = http.byPath('/sms').slice(before);
	expect(sms.map((r) => (r.body as { text: string }).text).sort()).toEqual(['Hello C0001', 'Hello C0002', 'Hello C0003']);
	await n8n.client.unpublish(id);
});

test('monthly retention report: NPS and cohort heatmap computed from the demo data tables, mailed with the picture attached', async () => {
	const wf = example(/monthly retention report/i);
	const id = await n8n.importAndPublish(wf);
	const before = smtp.mails.length;
	// the editor's "Execute workflow" (the schedule fires monthly)
	const execId = await n8n.client.runManually(id, wf, 'Every month');
	const exec = await n8n.client.waitForExecution(execId, 120_000);
	expect(exec.status).toBe('success');

	const [nps] = nodeOutput(exec, 'NPS');
	expect(nps).toMatchObject({ metric: 'surveyScores', surveyType: 'nps', scope: 'total' });
	expect(typeof nps.nps).toBe('number');
	expect((nps.responses as number) > 10).toBe(true);
	const [cohorts] = nodeOutput(exec, 'Cohort retention');
	expect(cohorts).toMatchObject({ metric: 'cohortRetention', granularity: 'month' });
	expect((cohorts.customers as number) > 50).toBe(true);

	const mail = await waitFor('the report mail', () => smtp.mails[before]);
	expect(mail.to).toEqual(['ops-e2e@example.com']);
	expect(mail.subject).toContain(`NPS ${nps.nps}`);
	const attachments = mailAttachments(mail.raw);
	const png = attachments.find((a) => a.filename.endsWith('.png'));
	expect(png).toBeDefined();
	expect(png!.content.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	expect(png!.content.length).toBeGreaterThan(2000);
	await n8n.client.unpublish(id);
});

test('NPS detractor recovery: a signed NPS event of a detractor creates one CRM task; promoters, repeats and forgeries do not', async () => {
	const wf = example(/nps detractor recovery/i);
	const id = await n8n.importAndPublish(wf);
	const url = `${n8n.baseUrl}/webhook/nps-responses`;
	const before = http.byPath('/crm/tasks').length;
	const run = Date.now();

	const detractor = { id: `nps-${run}-1`, type: 'nps_response', customerId: 'C0005', data: { score: 3, comment: 'Delivery took too long' } };
	expect((await sendEvent(url, SECRET, detractor)).status).toBe(202);
	expect((await sendEvent(url, SECRET, { id: `nps-${run}-2`, type: 'nps_response', customerId: 'C0006', data: { score: 10 } })).status).toBe(202);
	// The sender retries the same event. This flow keeps accepted ids in workflow storage, which README
	// documents as best effort (n8n saves it without a lock, and an execution that ends later can write back
	// an older copy): usually "200 duplicate", sometimes a second start. Either way Care Action's ledger
	// makes one task (asserted below) — that is the guarantee.
	const again = await sendEvent(url, SECRET, detractor);
	if (again.status === 200) expect(again.body).toMatchObject({ duplicate: true });
	else expect(again).toMatchObject({ status: 202, body: { duplicate: false } });
	const started = again.status === 202 ? 3 : 2;
	// a forged request (wrong secret) is refused
	expect((await sendEvent(url, 'not-the-secret-0123456789', { ...detractor, id: `nps-${run}-3` })).status).toBe(401);

	const execs = await n8n.waitForExecutions(id, started);
	expect(execs.map((e) => e.status)).toEqual(Array(started).fill('success'));
	// a second, genuine detractor answer from the same customer in the same month: no second task
	expect((await sendEvent(url, SECRET, { ...detractor, id: `nps-${run}-4`, data: { score: 2 } })).status).toBe(202);
	const all = await n8n.waitForExecutions(id, started + 1);
	expect(all.every((e) => e.status === 'success')).toBe(true);

	const tasks = http.byPath('/crm/tasks').slice(before);
	expect(tasks).toHaveLength(1);
	const task = tasks[0].body as Record<string, unknown>;
	expect(task).toMatchObject({ customerId: 'C0005', type: 'call', campaign: 'nps-recovery' });
	expect(String(task.subject)).toMatch(/NPS detractor/i);
	expect(tasks[0].headers['idempotency-key']).toBe(task.idempotencyKey);
	await n8n.client.unpublish(id);
});

test('webhook-triggered care message: incidents scored by Churn Risk become one SMS per customer, within the SMS cap', async () => {
	const wf = example(/webhook-triggered care message/i);
	const id = await n8n.importAndPublish(wf);
	const url = `${n8n.baseUrl}/webhook/care-events`;
	const before = http.byPath('/sms').length;
	const run = Date.now();
	const customers = new Map(demoData().customers.map((c) => [c.customerId, c]));

	// third failed payment: high risk -> apology SMS
	expect((await sendEvent(url, SECRET, { id: `pf-${run}-1`, type: 'payment_failed', customerId: 'C0010', data: { amount: 49, currency: 'USD', attempt: 3 } })).status).toBe(202);
	// a minor complaint: medium risk -> check-in SMS
	expect((await sendEvent(url, SECRET, { id: `cp-${run}-1`, type: 'complaint', customerId: 'C0011', data: { summary: 'Late parcel', severity: 'low' } })).status).toBe(202);
	await n8n.waitForExecutions(id, 2);
	// another incident for C0010 the same day: the SMS cap (1 per 24 h) holds it back
	expect((await sendEvent(url, SECRET, { id: `cp-${run}-2`, type: 'complaint', customerId: 'C0010', data: { summary: 'Still broken', severity: 'critical' } })).status).toBe(202);
	const execs = await n8n.waitForExecutions(id, 3);
	expect(execs.every((e) => e.status === 'success')).toBe(true);

	const sms = http.byPath('/sms').slice(before).map((r) => r.body as { to: string; text: string; customerId: string; action: string });
	expect(sms.map((m) => [m.customerId, m.action]).sort()).toEqual([
		['C0010', 'apologySms'],
		['C0011', 'checkIn'],
	]);
	for (const m of sms) {
		expect(m.to).toBe(customers.get(m.customerId)!.phone);
		expect(m.text).toContain(customers.get(m.customerId)!.name);
	}
	// each execution shows the score and its reasons, as the editor would
	const scored = [];
	for (const e of execs) scored.push(...nodeOutput(await n8n.client.execution(e.id), 'Churn Risk'));
	const first = scored.find((j) => j.customerId === 'C0010' && j.eventType === 'payment_failed') as { churnRisk: { tier: string; reasons: unknown[] } };
	expect(['high', 'critical']).toContain(first.churnRisk.tier);
	expect(first.churnRisk.reasons.length).toBeGreaterThan(0);
	await n8n.client.unpublish(id);
});

test('the editor in headless Chromium: sign in, an example flow on the canvas, our nodes in the node panel, the package under Settings → Community nodes (screenshots)', async () => {
	if (!(await ensureChromium())) throw new Error(`${CHROMIUM} is missing: run bash scripts/ensure-chromium.sh (apt-get install chromium)`);
	const wf = example(/scheduled win-back/i);
	const id = await n8n.client.upsertWorkflow(wf);
	const browser = await launchChromium();
	try {
		const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
		await signIn(page, n8n.baseUrl, DEMO_LOGIN);
		await openWorkflow(page, n8n.baseUrl, id, wf.nodes.map((n) => n.name));
		// E2E_UPDATE_SCREENSHOTS=1 refreshes the README's pictures in docs/images; otherwise they go to
		// .runtime/screenshots (git-ignored), so a test run leaves the checkout as it was
		const images = process.env.E2E_UPDATE_SCREENSHOTS === '1' ? join(PROJECT_ROOT, 'docs', 'images') : join(PROJECT_ROOT, '.runtime', 'screenshots');
		mkdirSync(images, { recursive: true });
		await page.screenshot({ path: join(images, 'editor.png') });

		// every node of ours can be found in the node panel by its name, as a user would look for it
		await openNodePanel(page);
		const ours = (await n8n.nodeTypes()).filter((t) => t.name.startsWith('n8n-nodes-retention.') && !t.name.endsWith('Tool'));
		expect(ours.length).toBeGreaterThan(0);
		for (const t of ours) {
			const listed = await searchNodePanel(page, t.displayName);
			expect({ search: t.displayName, found: listed.some((l) => l.startsWith(t.displayName)) }).toEqual({ search: t.displayName, found: true });
		}
		await searchNodePanel(page, 'retention');
		await page.screenshot({ path: join(images, 'node-panel.png') });

		// Settings → Community nodes lists the package with its nodes, as after an install from there
		await page.goto(`${n8n.baseUrl}/settings/community-nodes`, { waitUntil: 'domcontentloaded' });
		await page.getByText('n8n-nodes-retention').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(500);
		await page.screenshot({ path: join(images, 'community-nodes.png') });
	} finally {
		await browser.close();
	}
}, 15 * 60 * 1000);

test('scheduled win-back: segments, lifetime value and churn risk pick each customer one action; e-mail, SMS and CRM tasks arrive once, a re-run sends nothing', async () => {
	const wf = example(/scheduled win-back/i);
	const id = await n8n.importAndPublish(wf);
	const mailsBefore = smtp.mails.length;
	const smsBefore = http.byPath('/sms').length;
	const crmBefore = http.byPath('/crm/tasks').length;

	const exec = await n8n.client.waitForExecution(await n8n.client.runManually(id, wf, 'Every Monday'), 180_000);
	expect(exec.status).toBe('success');
	expect(nodeOutput(exec, 'Customer Segments')).toHaveLength(120);
	expect(nodeOutput(exec, 'Customer Lifetime Value')).toHaveLength(120);
	const [emailOut, smsOut, crmOut, , holdoutOut] = [0, 1, 2, 3, 4].map((o) => nodeOutput(exec, 'Care Action', o));
	expect(emailOut.length + smsOut.length + crmOut.length).toBeGreaterThan(0);
	expect(holdoutOut.length).toBeGreaterThan(0); // the 10 % control group gets nothing

	const mails = await waitFor('the win-back mails', () => (smtp.mails.length - mailsBefore >= emailOut.length ? smtp.mails.slice(mailsBefore) : undefined));
	const sms = http.byPath('/sms').slice(smsBefore).map((r) => r.body as { customerId: string; to: string; idempotencyKey: string });
	const crm = http.byPath('/crm/tasks').slice(crmBefore).map((r) => r.body as { customerId: string; idempotencyKey: string });
	expect(mails.map((m) => m.to[0]).sort()).toEqual(emailOut.map((j) => j.email as string).sort());
	expect(sms.map((s) => s.customerId).sort()).toEqual(smsOut.map((j) => j.customerId as string).sort());
	expect(crm.map((s) => s.customerId).sort()).toEqual(crmOut.map((j) => j.customerId as string).sort());
	// one action per customer, never to the control group, each idempotency key once
	const contacted = [...mails.map((m) => m.to[0].replace(/^customer(\d+)@.*$/, 'C$1')), ...sms.map((s) => s.customerId), ...crm.map((c) => c.customerId)];
	expect(new Set(contacted).size).toBe(contacted.length);
	const held = new Set(holdoutOut.map((j) => j.customerId as string));
	expect(contacted.filter((c) => held.has(c))).toEqual([]);
	const keys = [...sms, ...crm].map((x) => x.idempotencyKey);
	expect(new Set(keys).size).toBe(keys.length);

	// the schedule fires again (or someone clicks twice): nothing is sent twice in the same week
	const again = await n8n.client.waitForExecution(await n8n.client.runManually(id, wf, 'Every Monday'), 180_000);
	expect(again.status).toBe('success');
	expect([0, 1, 2].map((o) => nodeOutput(again, 'Care Action', o).length)).toEqual([0, 0, 0]);
	await sleep(1000);
	expect(smtp.mails.length - mailsBefore).toBe(emailOut.length);
	expect(http.byPath('/sms').length - smsBefore).toBe(smsOut.length);
	expect(http.byPath('/crm/tasks').length - crmBefore).toBe(crmOut.length);
	await n8n.client.unpublish(id);
});
