/**
 * The whole decision a Retention Trigger takes on one HTTP request, as plain data, so that every row
 * of the table below is tested without n8n:
 *
 * | check, in this order                  | answer                                   | workflow starts |
 * |---------------------------------------|------------------------------------------|-----------------|
 * | body larger than the limit            | 413 body_too_large                       | no              |
 * | signature missing / malformed / wrong | 401 missing_signature / invalid_signature| no              |
 * | timestamp outside the tolerance       | 401 stale_timestamp                      | no              |
 * | body not JSON, or not the schema      | 400 invalid_body + list of field errors  | no              |
 * | a push this trigger ignores           | 200 ignored                              | no              |
 * | event id already accepted             | 200 duplicate: true                      | no              |
 * | de-duplication store unreachable      | 503 deduplication_unavailable (retry)    | no              |
 * | otherwise                             | 202 accepted + event id                  | exactly once    |
 *
 * Size comes first so no hashing or parsing is spent on an oversized body; the signature comes before
 * parsing so an unsigned caller learns nothing about the schema; the event id is claimed last, so a
 * forged or malformed request can never use up a genuine event's id.
 */
import type { ZonedCalendar } from '../../shared/dates';
import type { FieldIssue } from '../../shared/validation';
import type { EventType, RetentionEvent } from './events';
import { readGeneric, readJiandaoyun, type JiandaoyunSettings, type PresetName } from './presets';
import {
	verifySignature,
	type Headers,
	type Query,
	type SignatureFailure,
	type SignatureFormat,
} from './signature';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface Delivery {
	rawBody: Uint8Array;
	headers: Headers;
	query?: Query;
}

export interface TriggerSettings {
	preset: PresetName;
	/** `false` only in the explicitly unsigned mode (the node shows a warning). */
	requireSignature: boolean;
	/** Current secret, then the previous one during a rotation. */
	secrets: readonly string[];
	format: SignatureFormat;
	toleranceSeconds: number;
	maxBodyBytes: number;
	acceptedTypes: readonly EventType[];
	jiandaoyun?: JiandaoyunSettings;
	/** Reads dates that carry no offset. */
	calendar: ZonedCalendar;
}

export type SignatureUse = 'current_secret' | 'previous_secret' | 'not_checked';

/** The item handed to the workflow. */
export interface AcceptedEvent extends RetentionEvent {
	signature: SignatureUse;
}

export type ResponseBody = Record<string, unknown>;

export type Decision =
	| {
			action: 'reject';
			status: 400 | 401 | 413 | 503;
			body: ResponseBody;
			/** For the receiver's log only, never sent: why the request could not be handled (503, unreadable body). */
			logMessage?: string;
	  }
	| { action: 'ignore'; status: 200; body: ResponseBody }
	| { action: 'duplicate'; status: 200; body: ResponseBody }
	| { action: 'start'; status: 202; body: ResponseBody; event: AcceptedEvent; deliveryKey: string };

/**
 * Where accepted event ids are remembered. `claim` records the key and answers true the first time,
 * false on every later call with the same key.
 */
export interface DeliveryClaims {
	claim(key: string): Promise<boolean>;
}

const SIGNATURE_ERROR: Record<SignatureFailure, string> = {
	missing_signature: 'missing_signature',
	malformed_signature: 'invalid_signature',
	signature_mismatch: 'invalid_signature',
	missing_timestamp: 'invalid_signature',
	stale_timestamp: 'stale_timestamp',
	no_secret_configured: 'invalid_signature',
};

type Rejection = Extract<Decision, { action: 'reject' }>;

function invalidBody(message: string, errors: FieldIssue[]): Rejection {
	return { action: 'reject', status: 400, body: { error: 'invalid_body', message, errors } };
}

function bodyTooLarge(message: string, limitBytes: number): Rejection {
	return { action: 'reject', status: 413, body: { error: 'body_too_large', message, limitBytes } };
}

function parseJson(rawBody: Uint8Array): { ok: true; value: unknown } | { ok: false; issue: FieldIssue } {
	if (rawBody.length === 0) return { ok: false, issue: { field: '(root)', message: 'the body is empty' } };
	let text: string;
	try {
		// fatal: invalid UTF-8 is refused rather than silently replaced by U+FFFD.
		text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
	} catch {
		return { ok: false, issue: { field: '(root)', message: 'the body is not UTF-8 text' } };
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		// Node quotes a piece of the body in its message ("not json at"...): not repeated to the sender.
		const detail = (error as Error).message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, '(…)');
		return { ok: false, issue: { field: '(root)', message: `the body is not valid JSON (${detail})` } };
	}
	if (nestingDepth(value, MAX_NESTING) > MAX_NESTING) {
		// Valid JSON n8n could not store: an item nested 100,000 deep overflows the stack when it is saved.
		return { ok: false, issue: { field: '(root)', message: `is nested more than ${MAX_NESTING} levels deep` } };
	}
	return { ok: true, value };
}

/**
 * The answer when n8n could not read the body at all: larger than n8n accepts (its payload limit, for a
 * body it had not already read), a Content-Encoding that does not decode, a sender that hung up. The
 * sender's fault, so 413/400 rather than 500; the reader's message goes to the log, not to the sender.
 */
export function unreadableBody(error: unknown, settings: Pick<TriggerSettings, 'maxBodyBytes'>): Decision {
	const logMessage = `the body could not be read: ${error instanceof Error ? error.message : String(error)}`;
	const reader = typeof error === 'object' && error !== null ? (error as { status?: unknown; type?: unknown }) : {};
	if (reader.status === 413 || reader.type === 'entity.too.large') {
		const message = `The body is larger than n8n accepts; this trigger accepts at most ${settings.maxBodyBytes} bytes`;
		return { ...bodyTooLarge(message, settings.maxBodyBytes), logMessage };
	}
	const issue = { field: '(root)', message: 'could not be read (the request was cut off, or its Content-Encoding does not decode)' };
	return { ...invalidBody('The body could not be read', [issue]), logMessage };
}

/** Deepest nesting of objects and arrays an event may have. */
export const MAX_NESTING = 32;

/** Nesting depth of a parsed JSON value (a scalar is 0), counted without recursion; stops past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
	let deepest = 0;
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length > 0) {
		const [v, depth] = stack.pop()!;
		if (v === null || typeof v !== 'object') continue;
		if (depth + 1 > deepest) deepest = depth + 1;
		if (deepest > limit) return deepest;
		for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
	}
	return deepest;
}

/** Everything but de-duplication: a pure function of the request, the settings and the clock. */
export function evaluateRequest(delivery: Delivery, settings: TriggerSettings, nowMs: number): Decision {
	const size = delivery.rawBody.length;
	if (size > settings.maxBodyBytes) {
		return bodyTooLarge(`The body is ${size} bytes; this trigger accepts at most ${settings.maxBodyBytes} bytes`, settings.maxBodyBytes);
	}

	let signature: SignatureUse = 'not_checked';
	if (settings.requireSignature) {
		const verified = verifySignature(delivery, {
			secrets: settings.secrets,
			format: settings.format,
			toleranceSeconds: settings.toleranceSeconds,
			nowMs,
		});
		if (!verified.ok) {
			return { action: 'reject', status: 401, body: { error: SIGNATURE_ERROR[verified.reason], message: verified.message } };
		}
		signature = verified.secretIndex === 0 ? 'current_secret' : 'previous_secret';
	}

	const json = parseJson(delivery.rawBody);
	if (!json.ok) return invalidBody('The body could not be read', [json.issue]);

	const options = { calendar: settings.calendar, accepted: settings.acceptedTypes, receivedAtMs: nowMs };
	let read;
	if (settings.preset === 'jiandaoyun') {
		if (!settings.jiandaoyun) throw new RangeError('The Jiandaoyun preset needs its settings');
		read = readJiandaoyun(json.value, delivery.rawBody, settings.jiandaoyun, options);
	} else {
		read = readGeneric(json.value, options);
	}
	if (read.kind === 'invalid') return invalidBody('The body does not match the event schema', read.issues);
	if (read.kind === 'ignored') return { action: 'ignore', status: 200, body: { ignored: true, message: read.reason } };

	const event: AcceptedEvent = { ...read.event, source: settings.preset, signature };
	return {
		action: 'start',
		status: 202,
		body: { accepted: true, duplicate: false, eventId: event.eventId },
		event,
		// Scoped by preset so a generic `id` can never collide with a Jiandaoyun event id.
		deliveryKey: `${settings.preset}:${event.eventId}`,
	};
}

/**
 * The full decision: {@link evaluateRequest}, then — for a request that would start the workflow —
 * the event id is claimed in the de-duplication store (`claims`, or none when de-duplication is off).
 */
export async function admitRequest(
	delivery: Delivery,
	settings: TriggerSettings,
	nowMs: number,
	claims: DeliveryClaims | null,
): Promise<Decision> {
	const decision = evaluateRequest(delivery, settings, nowMs);
	if (decision.action !== 'start' || claims === null) return decision;
	let first: boolean;
	try {
		first = await claims.claim(decision.deliveryKey);
	} catch (error) {
		// Starting without knowing whether the event was seen could run a care flow twice; a 5xx makes
		// the sender retry later, which is safe because nothing was started. Configuration errors (a bad
		// ledger name…) are refused before any request reaches this point (the node's settings), so what
		// fails here is the store itself; the reason goes to the receiver's log, not to the sender.
		return {
			action: 'reject',
			status: 503,
			body: {
				error: 'deduplication_unavailable',
				message: 'The de-duplication store could not be reached; retry later',
				eventId: decision.event.eventId,
			},
			logMessage: `The de-duplication store could not be reached: ${error instanceof Error ? error.message : String(error)}`,
		};
	}
	if (first) return decision;
	return {
		action: 'duplicate',
		status: 200,
		body: {
			accepted: false,
			duplicate: true,
			eventId: decision.event.eventId,
			message: 'This event was already received; the workflow was not started again',
		},
	};
}
