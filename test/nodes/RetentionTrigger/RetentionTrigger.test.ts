/**
 * The Retention Trigger's webhook() through n8n-core's real WebhookContext (parameters resolved
 * with their defaults by n8n's Workflow, credentials through a credentials helper, static data carried
 * from one request to the next the way n8n saves and reloads it), with an express-like request that
 * buffers its body on demand and a response that records what the node wrote.
 *
 * Then the whole corpus: only the valid events start, each exactly once.
 */
import { createHmac } from 'crypto';
import { WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { RetentionTrigger } from '../../../nodes/RetentionTrigger/RetentionTrigger.node';
import { RetentionWebhookApi } from '../../../credentials/RetentionWebhookApi.credentials';
import { buildCorpus, CORPUS_TRIGGERS, type CorpusRequest } from '../../engine/trigger/corpus';

const TYPE = 'n8n-nodes-retention.retentionTrigger';
const CURRENT = 'current-secret-for-node-tests-01';
const PREVIOUS = 'previous-secret-for-node-tests-02';

class Types implements INodeTypes {
	constructor(private readonly type: INodeType) {}
	getByName() {
		return this.type;
	}
	getByNameAndVersion() {
		return this.type;
	}
	getKnownTypes() {
		return {};
	}
}

interface Recorded {
	status?: number;
	body?: Record<string, unknown>;
}

/** One receiving trigger: its node, its saved static data, and a function that delivers a request. */
function trigger(parameters: Record<string, unknown>, credential: ICredentialDataDecryptedObject = { currentSecret: CURRENT, previousSecret: PREVIOUS }) {
	const nodeType = new RetentionTrigger();
	const nodeTypes = new Types(nodeType);
	const node: INode = {
		id: 'trigger-node-1',
		name: 'Retention Trigger',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { retentionWebhookApi: { id: 'cred-1', name: 'signing' } },
		webhookId: 'hook-1',
	};
	let savedStaticData: IDataObject = {};
	const secretsRequested: string[] = [];

	async function deliver(request: { headers: Record<string, string>; query?: Record<string, string>; body: string | Buffer }) {
		// n8n reloads the workflow (and its static data) from the database for every production call.
		const workflow = new Workflow({
			id: 'wf-1',
			name: 'care',
			nodes: [node],
			connections: {},
			nodeTypes,
			active: true,
			settings: { timezone: 'Asia/Shanghai' },
			staticData: JSON.parse(JSON.stringify(savedStaticData)) as IDataObject,
		});
		const raw = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
		const req: Record<string, unknown> = {
			method: 'POST',
			headers: request.headers,
			query: request.query ?? {},
			params: {},
			body: {},
			rawBody: undefined,
			async readRawBody() {
				req.rawBody = raw;
			},
		};
		const recorded: Recorded = {};
		const res = {
			status(code: number) {
				recorded.status = code;
				return res;
			},
			json(body: Record<string, unknown>) {
				recorded.body = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
				return res;
			},
		};
		const additionalData = {
			httpRequest: req,
			httpResponse: res,
			timezone: 'Asia/Shanghai',
			variables: {},
			credentialsHelper: {
				getParentTypes: () => [],
				isCredentialUsableByNode: () => true,
				async getDecrypted(_a: unknown, details: { id: string | null; name: string }, type: string) {
					secretsRequested.push(`${type}:${details.id}`);
					return credential;
				},
			},
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: String(workflow.getNode(node.name)!.parameters.path),
			webhookDescription: nodeType.description.webhooks![0],
			workflowId: 'wf-1',
			workflowExecuteAdditionalData: additionalData,
		} as unknown as IWebhookData;
		const context = new WebhookContext(workflow, workflow.getNode(node.name)!, additionalData, 'webhook', webhookData, [], null);
		const result: IWebhookResponseData = await nodeType.webhook!.call(context);
		// n8n saves static data after the webhook call when the node changed it.
		if (workflow.staticData.__dataChanged) {
			const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			delete saved.__dataChanged;
			savedStaticData = saved;
		}
		return { result, recorded, items: result.workflowData?.[0] ?? [] };
	}
	return { deliver, node, staticData: () => savedStaticData, secretsRequested };
}

const now = () => Math.floor(Date.now() / 1000);
function sign(body: string, secret = CURRENT, t = now()) {
	return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
const npsBody = (id: string, score: unknown = 4) => JSON.stringify({ id, type: 'nps_response', customerId: 'C-77', occurredAt: '2025-01-18 10:30', data: { score, comment: '太贵了' } });

describe('Retention Trigger webhook()', () => {
	it('valid signed event → 202 with the event id, one item, and n8n answers nothing itself', async () => {
		const t = trigger({});
		const body = npsBody('evt-1');
		const { result, recorded, items } = await t.deliver({ headers: { 'X-Retention-Signature': sign(body) }, body });
		expect(recorded).toEqual({ status: 202, body: { accepted: true, duplicate: false, eventId: 'evt-1' } });
		expect(result.noWebhookResponse).toBe(true);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			eventId: 'evt-1',
			type: 'nps_response',
			customerId: 'C-77',
			// no offset: read in the workflow time zone (Asia/Shanghai, UTC+8)
			occurredAt: '2025-01-18T02:30:00.000Z',
			payload: { score: 4, comment: '太贵了', npsCategory: 'detractor' },
			source: 'generic',
			signature: 'current_secret',
		});
		expect(t.secretsRequested).toEqual(['retentionWebhookApi:cred-1']);
	});

	it('rejections write their status and start nothing (no workflowData)', async () => {
		const t = trigger({ maxBodyKilobytes: 1 });
		const body = npsBody('evt-2');
		const cases: Array<[Record<string, string>, string, number, string]> = [
			[{}, body, 401, 'missing_signature'],
			[{ 'x-retention-signature': sign(body, 'wrong-secret') }, body, 401, 'invalid_signature'],
			[{ 'x-retention-signature': sign(body, CURRENT, now() - 301) }, body, 401, 'stale_timestamp'],
			[{ 'x-retention-signature': sign(npsBody('evt-2', 12)) }, npsBody('evt-2', 12), 400, 'invalid_body'],
			[{ 'x-retention-signature': sign('x'.repeat(1025)) }, 'x'.repeat(1025), 413, 'body_too_large'],
		];
		for (const [headers, b, status, error] of cases) {
			const { result, recorded } = await t.deliver({ headers, body: b });
			expect({ status: recorded.status, error: recorded.body?.error, starts: result.workflowData !== undefined }).toEqual({ status, error, starts: false });
		}
		expect(t.staticData()).toEqual({});
	});

	it('400 lists the field errors', async () => {
		const t = trigger({});
		const body = JSON.stringify({ id: 'evt-3', type: 'payment_failed', customerId: 'C', data: { amount: 'ten' } });
		const { recorded } = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect(recorded.body).toEqual({
			error: 'invalid_body',
			message: 'The body does not match the event schema',
			errors: [
				{ field: 'data.amount', message: 'must be a number' },
				{ field: 'data.currency', message: 'Required' },
			],
		});
	});

	it('a repeated event id → 200 duplicate: true, not started again; remembered across calls only as a digest', async () => {
		const t = trigger({});
		const body = npsBody('evt-dup');
		const first = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		const again = await t.deliver({ headers: { 'x-retention-signature': sign(body, PREVIOUS) }, body });
		expect(first.recorded.status).toBe(202);
		expect(again.recorded).toEqual({
			status: 200,
			body: { accepted: false, duplicate: true, eventId: 'evt-dup', message: 'This event was already received; the workflow was not started again' },
		});
		expect(again.result.workflowData).toBeUndefined();
		expect(JSON.stringify(t.staticData())).not.toContain('evt-dup');
		expect(Object.keys((t.staticData()['node:Retention Trigger'] as { retentionTriggerDeliveries: { accepted: object } }).retentionTriggerDeliveries.accepted)).toHaveLength(1);
	});

	it('with de-duplication off, a repeated event starts again', async () => {
		const t = trigger({ deduplicate: false });
		const body = npsBody('evt-again');
		const a = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		const b = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect([a.recorded.status, b.recorded.status, b.items.length]).toEqual([202, 202, 1]);
	});

	it('unsigned mode accepts without a signature and without reading the credential', async () => {
		const t = trigger({ signing: 'unsigned' }, {});
		const body = npsBody('evt-open');
		const { recorded, items } = await t.deliver({ headers: {}, body });
		expect(recorded.status).toBe(202);
		expect(items[0].json.signature).toBe('not_checked');
		expect(t.secretsRequested).toEqual([]);
	});

	it('two-header format, custom header names', async () => {
		const t = trigger({ signatureFormat: 'separate', signatureHeader: 'X-Sig', timestampHeader: 'X-Ts' });
		const body = npsBody('evt-sep');
		const ts = now();
		const hex = createHmac('sha256', CURRENT).update(`${ts}.${body}`).digest('hex');
		const { recorded } = await t.deliver({ headers: { 'x-sig': `sha256=${hex}`, 'x-ts': String(ts) }, body });
		expect(recorded.status).toBe(202);
	});

	it('only the accepted event types pass', async () => {
		const t = trigger({ eventTypes: ['complaint'] });
		const body = npsBody('evt-type');
		const { recorded } = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect(recorded.body?.errors).toEqual([{ field: 'type', message: 'must be one of the event types this trigger accepts: complaint' }]);
	});

	it('a credential without a current secret fails the call instead of accepting anything', async () => {
		const t = trigger({}, { currentSecret: '', previousSecret: PREVIOUS });
		const body = npsBody('evt-nosecret');
		await expect(t.deliver({ headers: { 'x-retention-signature': sign(body, PREVIOUS) }, body })).rejects.toThrow(/no current secret/);
	});
});

describe('credential', () => {
	const test = new RetentionTrigger().methods.credentialTest.retentionWebhookSecrets;
	const run = (data: Record<string, string>) => test.call({} as never, { id: '1', name: 'c', type: 'retentionWebhookApi', data });
	it('requires a current secret of 16 characters and a previous secret different from it', async () => {
		expect(await run({ currentSecret: 'short' })).toMatchObject({ status: 'Error' });
		expect(await run({ currentSecret: CURRENT, previousSecret: CURRENT })).toMatchObject({ status: 'Error' });
		expect(await run({ currentSecret: CURRENT, previousSecret: PREVIOUS })).toMatchObject({ status: 'OK' });
		expect(await run({ currentSecret: CURRENT })).toMatchObject({ status: 'OK' });
	});
	it('stores both secrets as password fields', () => {
		const props = new RetentionWebhookApi().properties;
		expect(props.map((p) => [p.name, p.typeOptions?.password])).toEqual([
			['currentSecret', true],
			['previousSecret', true],
		]);
	});
});

describe('description', () => {
	it('every parameter default is accepted by n8n and the webhook path follows the parameter', () => {
		const type = new RetentionTrigger();
		const params = NodeHelpers.getNodeParameters(type.description.properties, {}, true, false, null, type.description);
		expect(params).toMatchObject({ path: 'retention-events', preset: 'generic', signing: 'signed', toleranceSeconds: 300, deduplicate: true });
		expect(type.description.webhooks?.[0]).toMatchObject({ httpMethod: 'POST', path: '={{$parameter["path"]}}', isFullPath: true });
	});
});

describe('the corpus through webhook()', () => {
	it('answers every request as expected; only valid events start, each exactly once', async () => {
		const corpus = buildCorpus({ nowSeconds: now(), currentSecret: CURRENT, previousSecret: PREVIOUS });
		const receivers = { generic: trigger({ ...CORPUS_TRIGGERS.generic }), jiandaoyun: trigger({ ...CORPUS_TRIGGERS.jiandaoyun }) };
		const started: string[] = [];
		const mismatches: string[] = [];
		for (const req of corpus as CorpusRequest[]) {
			const { recorded, items } = await receivers[req.preset].deliver({ headers: req.headers, query: req.query, body: req.body });
			const starts = items.length > 0;
			if (recorded.status !== req.expected.status || starts !== req.expected.starts || (req.expected.error && recorded.body?.error !== req.expected.error)) {
				mismatches.push(`${req.name}: got ${recorded.status} ${String(recorded.body?.error ?? '')}`);
			}
			for (const item of items) started.push(String(item.json.eventId));
		}
		expect(mismatches).toEqual([]);
		const expected = corpus.filter((r) => r.expected.starts).map((r) => r.expected.eventId!);
		expect(started.sort()).toEqual(expected.sort());
		expect(corpus.length).toBeGreaterThanOrEqual(200);
	});
});
