import {
	NodeConnectionTypes,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { admitRequest, unreadableBody, type Decision } from '../engine/trigger/admission';
import { MIN_SECRET_LENGTH } from '../engine/trigger/signature';
import { testLedgerCredential } from '../CareAction/ledger';
import { openTriggerLedger, sharedLedgerClaims, workflowClaims } from './claims';
import { triggerProperties } from './description';
import { readSettings } from './settings';

export class RetentionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Retention Trigger',
		name: 'retentionTrigger',
		icon: { light: 'file:retentionTrigger.svg', dark: 'file:retentionTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["preset"] === "jiandaoyun" ? "Jiandaoyun data push" : "Signed JSON events"}}',
		description:
			'Starts a care workflow when a genuine customer event arrives: complaint, cancellation request, payment failed, NPS answer, usage drop, renewal due',
		defaults: { name: 'Retention Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				// A literal (not CREDENTIAL_NAME): the community lint reads it from the source to find testedBy.
				name: 'retentionWebhookApi',
				required: true,
				testedBy: 'retentionWebhookSecrets',
				displayOptions: { show: { signing: ['signed'] } },
			},
			{
				// The same credential type as Care Action's PostgreSQL / Redis ledger: one database setup for both.
				name: 'retentionLedgerApi',
				required: true,
				testedBy: 'retentionLedgerConnection',
				displayOptions: { show: { deduplicate: [true], repeatedEvents: ['sharedLedger'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node writes every answer itself (202, 200, 400, 401, 413, 503, 500) through the response object.
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		eventTriggerDescription: 'Waiting for a signed event at the test URL',
		activationMessage: 'Events posted to the production URL now start this workflow.',
		properties: triggerProperties,
	};

	/**
	 * Nothing to register with the sender: the user pastes the URL into Jiandaoyun or their own system.
	 * The lifecycle is still declared (n8n's lint requires it) and reports the webhook as present.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	methods = {
		credentialTest: {
			// The secrets only verify incoming requests, so the test checks them here, without a remote call.
			async retentionWebhookSecrets(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const current = typeof data.currentSecret === 'string' ? data.currentSecret : '';
				const previous = typeof data.previousSecret === 'string' ? data.previousSecret : '';
				if (current.length < MIN_SECRET_LENGTH) {
					return { status: 'Error', message: `The current secret must have at least ${MIN_SECRET_LENGTH} characters` };
				}
				if (previous !== '' && previous.length < MIN_SECRET_LENGTH) {
					return { status: 'Error', message: `The previous secret must have at least ${MIN_SECRET_LENGTH} characters (or be empty)` };
				}
				if (previous !== '' && previous === current) {
					return { status: 'Error', message: 'The previous secret is the same as the current one; clear it or enter the old secret' };
				}
				return { status: 'OK', message: previous ? 'Two secrets: current and previous are both accepted' : 'Secret accepted' };
			},
			// Care Action's test of the Retention Ledger credential: log in and run one harmless command.
			retentionLedgerConnection: testLedgerCredential,
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		let decision: Decision;
		let hidden: string[];
		try {
			({ decision, hidden } = await decide(this));
		} catch (error) {
			// When webhook() throws, n8n still starts an execution with an empty item so the error can be
			// recorded. A misconfigured trigger (no secret, bad time zone…) must not start anything: it
			// answers 500 itself and the problem goes to n8n's log. Messages here never contain secrets.
			const message = error instanceof Error ? error.message : String(error);
			this.logger.error(`Retention Trigger refused a request: ${message}`, { node: this.getNode().name });
			this.getResponseObject().status(500).json({ error: 'trigger_misconfigured', message });
			return { noWebhookResponse: true };
		}
		if (decision.action === 'reject' && decision.logMessage) {
			// The sender is told to retry later; the n8n log says why (a database error, never a secret).
			this.logger.warn(`Retention Trigger answered ${decision.status}: ${redact(decision.logMessage, hidden)}`, {
				node: this.getNode().name,
			});
		}
		this.getResponseObject().status(decision.status).json(decision.body);
		if (decision.action !== 'start') return { noWebhookResponse: true };
		return {
			noWebhookResponse: true,
			workflowData: [this.helpers.returnJsonArray([{ ...decision.event }])],
		};
	}
}

/** `text` with every occurrence of the given values (secrets, passwords) replaced. */
function redact(text: string, hidden: readonly string[]): string {
	return hidden.filter((h) => h.length > 0).reduce((out, h) => out.split(h).join('[redacted]'), text);
}

/**
 * Reads the settings, the body and the de-duplication store, and takes the decision. `hidden` lists
 * the configured secrets and the ledger password, to be kept out of anything logged.
 */
async function decide(ctx: IWebhookFunctions): Promise<{ decision: Decision; hidden: string[] }> {
	const { settings, deduplicate, ledger } = await readSettings(ctx);
	const password = ledger?.credential.password;
	const hidden = [...settings.secrets, ...(typeof password === 'string' ? [password] : [])];
	const request = ctx.getRequestObject();
	// n8n buffers the body on demand; the signature covers these exact bytes, never a re-serialised body.
	if (!request.rawBody) {
		try {
			await request.readRawBody();
		} catch (error) {
			return { decision: unreadableBody(error, settings), hidden };
		}
	}
	const nowMs = Date.now();
	const shared =
		deduplicate && ledger
			? sharedLedgerClaims(() => openTriggerLedger(ledger), `retention-trigger:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`)
			: null;
	try {
		const decision = await admitRequest(
			{ rawBody: request.rawBody ?? Buffer.alloc(0), headers: request.headers, query: request.query as Record<string, unknown> },
			settings,
			nowMs,
			shared ?? (deduplicate ? workflowClaims(ctx, nowMs) : null),
		);
		return { decision, hidden };
	} finally {
		// Closing can only fail after the claim was decided; the answer stands either way.
		await shared?.close().catch(() => undefined);
	}
}
