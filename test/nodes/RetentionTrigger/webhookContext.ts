/**
 * A Retention Trigger receiving requests through n8n-core's real WebhookContext: parameters resolved
 * with their defaults by n8n's Workflow, credentials through a credentials helper, static data carried
 * from one request to the next the way n8n saves and reloads it, an express-like request that buffers
 * its body on demand and a response that records what the node wrote. What the node logs through
 * `this.logger` is recorded too (`logs`), instead of going to n8n's logger.
 */
import { WebhookContext } from 'n8n-core';
import {
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

export const CURRENT = 'current-secret-for-node-tests-01';
export const PREVIOUS = 'previous-secret-for-node-tests-02';
const TYPE = 'n8n-nodes-retention.retentionTrigger';

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

export interface Recorded {
	status?: number;
	body?: Record<string, unknown>;
}

export interface LogEntry {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	meta?: unknown;
}

/** One receiving trigger: its node, its saved static data, and a function that delivers a request. */
export function trigger(parameters: Record<string, unknown>, credential: ICredentialDataDecryptedObject = { currentSecret: CURRENT, previousSecret: PREVIOUS }) {
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
	const logs: LogEntry[] = [];
	const logger = Object.fromEntries(
		(['error', 'warn', 'info', 'debug'] as const).map((level) => [level, (message: string, meta?: unknown) => logs.push({ level, message, meta })]),
	);

	/** `readError`: what n8n's body reader throws instead of reading (a payload over its limit, a cut-off request). */
	async function deliver(request: { headers: Record<string, string>; query?: Record<string, string>; body: string | Buffer; readError?: Error }) {
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
				if (request.readError) throw request.readError;
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
		// n8n-core's logger comes from its DI container; the node only ever calls these four methods.
		Object.defineProperty(context, 'logger', { value: logger });
		const result: IWebhookResponseData = await nodeType.webhook!.call(context);
		// n8n saves static data after the webhook call when the node changed it.
		if (workflow.staticData.__dataChanged) {
			const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			delete saved.__dataChanged;
			savedStaticData = saved;
		}
		return { result, recorded, items: result.workflowData?.[0] ?? [] };
	}
	return { deliver, node, staticData: () => savedStaticData, secretsRequested, logs };
}

