/** Reads the node's parameters and credentials into the engine's TriggerSettings. */
import { NodeOperationError, type IWebhookFunctions } from 'n8n-workflow';

import { ZonedCalendar, isValidTimeZone } from '../shared/dates';
import { booleanParameter, webhookOptionParameter } from '../shared/node';
import type { TriggerSettings } from '../engine/trigger/admission';
import { ledgerName } from '../CareAction/actions/common';
import { LEDGER_CREDENTIAL, checkLedgerName, credentialBackend } from '../CareAction/ledger';
import type { SharedLedger } from './claims';
import { triggerProperties } from './description';
import type { EventType } from '../engine/trigger/events';
import type { PresetName } from '../engine/trigger/presets';
import {
	DEFAULT_SIGNATURE_HEADER,
	DEFAULT_TOLERANCE_SECONDS,
	MIN_SECRET_LENGTH,
	type SignatureFormat,
} from '../engine/trigger/signature';

export const CREDENTIAL_NAME = 'retentionWebhookApi';

function text(ctx: IWebhookFunctions, name: string, fallback: string): string {
	const value = ctx.getNodeParameter(name, fallback);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

/**
 * An options (or multiOptions) parameter, exactly one of its options: "Jiandaoyun", "Unsigned" or "shared"
 * would otherwise be read as another option or ask for the wrong credential. A wrong value is a
 * misconfiguration: webhook() answers 500 naming the parameter, the values allowed and the value given.
 */
function option<T>(ctx: IWebhookFunctions, name: string): T {
	return webhookOptionParameter<T>(ctx, triggerProperties, name);
}

function format(ctx: IWebhookFunctions, preset: PresetName): SignatureFormat {
	if (preset === 'jiandaoyun') return { kind: 'jiandaoyun' };
	const header = text(ctx, 'signatureHeader', DEFAULT_SIGNATURE_HEADER);
	if (option<'combined' | 'separate'>(ctx, 'signatureFormat') === 'separate') {
		return { kind: 'separate', signatureHeader: header, timestampHeader: text(ctx, 'timestampHeader', 'X-Retention-Timestamp') };
	}
	return { kind: 'combined', header, timestampKey: text(ctx, 'timestampKey', 't'), signatureKey: text(ctx, 'signatureKey', 'v1') };
}

/**
 * The current and previous signing secrets. A missing current secret, or a secret shorter than
 * MIN_SECRET_LENGTH, is a misconfiguration: every request is refused (500) until it is fixed. Messages
 * name the field, never the secret or its length.
 */
async function signingSecrets(ctx: IWebhookFunctions): Promise<string[]> {
	const credential = await ctx.getCredentials(CREDENTIAL_NAME);
	const secrets = [credential.currentSecret, credential.previousSecret].map((s) => (typeof s === 'string' ? s : ''));
	if (secrets[0] === '') {
		throw new NodeOperationError(ctx.getNode(), 'The signing credential has no current secret', {
			description: 'Open the Retention Webhook Signing credential and set Current Signing Secret.',
		});
	}
	const fields = ['Current Signing Secret', 'Previous Signing Secret'];
	secrets.forEach((secret, i) => {
		if (secret === '' || secret.length >= MIN_SECRET_LENGTH) return;
		throw new NodeOperationError(
			ctx.getNode(),
			`The signing credential's ${fields[i]} is shorter than ${MIN_SECRET_LENGTH} characters`,
			{
				description: `Open the Retention Webhook Signing credential and set a ${fields[i]} of at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 32); give the sender the same secret.`,
			},
		);
	});
	return secrets;
}

/**
 * With "Repeated Events" set to the shared ledger: its Retention Ledger credential and name. The name
 * is checked here, with the very check the backend applies when it opens the ledger, so that a name
 * the database can never use is a misconfiguration (500, logged) instead of a store that "cannot be
 * reached" (503, which makes the sender retry for ever).
 */
async function sharedLedger(ctx: IWebhookFunctions): Promise<SharedLedger | undefined> {
	if (option<'workflowStorage' | 'sharedLedger'>(ctx, 'repeatedEvents') === 'workflowStorage') return undefined;
	const credential = await ctx.getCredentials(LEDGER_CREDENTIAL);
	const name = ledgerName(ctx.getNodeParameter('ledgerName', 'care_ledger'));
	const backend = credentialBackend(credential);
	try {
		checkLedgerName(credential, name);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Ledger Name ${JSON.stringify(name)} cannot be used with a ${backend === 'redis' ? 'Redis' : 'PostgreSQL'} ledger: ${(error as Error).message}`, {
			description: 'Use the same Ledger Name as the Care Action nodes that share this ledger: letters, digits and underscores (PostgreSQL: at most 41, starting with a letter or underscore; Redis: at most 60, also . : -).',
		});
	}
	return { credential, name };
}

export interface ReadSettings {
	settings: TriggerSettings;
	deduplicate: boolean;
	/** The shared ledger chosen in "Repeated Events", if any (only read when deduplicating). */
	ledger?: SharedLedger;
}

export async function readSettings(ctx: IWebhookFunctions): Promise<ReadSettings> {
	const node = ctx.getNode();
	const preset = option<PresetName>(ctx, 'preset');
	const requireSignature = option<'signed' | 'unsigned'>(ctx, 'signing') === 'signed';

	const tolerance = Number(ctx.getNodeParameter('toleranceSeconds', DEFAULT_TOLERANCE_SECONDS));
	if (!Number.isFinite(tolerance) || tolerance < 1) {
		throw new NodeOperationError(node, `Tolerance must be at least 1 second (got ${String(tolerance)})`);
	}
	const maxKb = Number(ctx.getNodeParameter('maxBodyKilobytes', 256));
	if (!Number.isFinite(maxKb) || maxKb <= 0) {
		throw new NodeOperationError(node, `Max Body Size must be a positive number of KB (got ${String(maxKb)})`);
	}

	const zoneParameter = text(ctx, 'timeZone', '');
	const zone = zoneParameter || ctx.getTimezone();
	if (!isValidTimeZone(zone)) {
		throw new NodeOperationError(node, `Time Zone "${zone}" is not an IANA time zone`, {
			description: 'Use a name such as Asia/Shanghai, Europe/Berlin or UTC.',
		});
	}

	const secrets = requireSignature ? await signingSecrets(ctx) : [];
	const settings: TriggerSettings = {
		preset,
		requireSignature,
		secrets,
		format: format(ctx, preset),
		toleranceSeconds: tolerance,
		maxBodyBytes: Math.floor(maxKb * 1024),
		acceptedTypes: [],
		calendar: new ZonedCalendar(zone),
	};
	if (preset === 'jiandaoyun') {
		const eventType = option<EventType>(ctx, 'jiandaoyunEventType');
		settings.acceptedTypes = [eventType];
		settings.jiandaoyun = {
			eventType,
			customerIdField: text(ctx, 'jiandaoyunCustomerIdField', 'customer_id'),
			// "create" or "data_Create" would match no push: every push answered 200 and ignored.
			operations: option<string[]>(ctx, 'jiandaoyunOperations'),
		};
	} else {
		settings.acceptedTypes = option<EventType[]>(ctx, 'eventTypes');
		if (settings.acceptedTypes.length === 0) {
			throw new NodeOperationError(node, 'Choose at least one event type in "Event Types Accepted"');
		}
	}
	const deduplicate = booleanParameter('Ignore Repeated Events', ctx.getNodeParameter('deduplicate', true), true, (m) => {
		throw new NodeOperationError(node, m);
	});
	return { settings, deduplicate, ledger: deduplicate ? await sharedLedger(ctx) : undefined };
}
