/**
 * Presets: how a sender's request is read into an event envelope.
 *
 * - `generic`: the body is our envelope (see events.ts); the event id is the body's `id`.
 * - `jiandaoyun`: Jiandaoyun (简道云) form data push. Per its developer guide (数据推送 / 推送内容) the
 *   body is `{ "op": "data_create" | "data_update" | "data_remove" | "data_recover", "opTime": <epoch ms>,
 *   "data": { …the form record, keyed by field alias or _widget_ id… } }`. One form holds one kind of
 *   event, so the event type is chosen in the node, and the customer id is read from a form field named
 *   in the node. The record's fields are checked against that type's schema, so the form's field
 *   aliases must use the schema's names (`score`, `comment`, `summary`, …).
 *
 *   The event id is the SHA-256 of the raw body, not Jiandaoyun's `X-JDY-DeliverId` header: the
 *   signature covers the nonce, the body and the timestamp but no header, so anyone holding one signed
 *   push could resend it with a new DeliverId and start the workflow again. The body is signed, and it
 *   is the same in every copy of one push (a byte-for-byte redelivery, or — assumed, not verified
 *   against a live account — a retry Jiandaoyun signs again with a new nonce and timestamp), while two
 *   different pushes differ in it: another record (`_id`), another operation (`op`), another time
 *   (`opTime`, milliseconds) or other field values.
 */
import { createHash } from 'crypto';

import { z } from 'zod';

import { getField } from '../../shared/fields';
import type { ZonedCalendar } from '../../shared/dates';
import { validate, type FieldIssue } from '../../shared/validation';
import { parseEnvelope, type EventType, type RetentionEvent } from './events';

export const PRESETS = ['generic', 'jiandaoyun'] as const;
export type PresetName = (typeof PRESETS)[number];

export const JIANDAOYUN_OPERATIONS = ['data_create', 'data_update', 'data_remove', 'data_recover'] as const;

export interface JiandaoyunSettings {
	/** The kind of event every record of this form is (a complaint form, an NPS survey…). */
	eventType: EventType;
	/** Field alias (or dotted path) of the customer id inside `data`. */
	customerIdField: string;
	/** Which pushes start the workflow; the others are answered 200 and ignored. */
	operations: readonly string[];
}

export interface ReadOptions {
	calendar: ZonedCalendar;
	accepted: readonly EventType[];
	receivedAtMs: number;
}

export type PresetResult =
	| { kind: 'event'; event: Omit<RetentionEvent, 'source'> }
	| { kind: 'invalid'; issues: FieldIssue[] }
	| { kind: 'ignored'; reason: string };

export function readGeneric(body: unknown, options: ReadOptions): PresetResult {
	const parsed = parseEnvelope(body, options);
	return parsed.ok ? { kind: 'event', event: parsed.event } : { kind: 'invalid', issues: parsed.issues };
}

const jiandaoyunBody = z
	.object({
		op: z.string({ required_error: 'is required (the push event, e.g. data_create)' }),
		opTime: z.unknown().optional(),
		data: z.record(z.unknown(), {
			required_error: 'is required (the form record)',
			invalid_type_error: 'must be an object (the form record)',
		}),
	})
	.passthrough();

/**
 * The event id of a Jiandaoyun push: lowercase hex SHA-256 of the body exactly as received (the bytes
 * the signature covers). See the note at the top of this file.
 */
export function jiandaoyunEventId(rawBody: Uint8Array): string {
	return createHash('sha256').update(rawBody).digest('hex');
}

/** `body` is `rawBody` read as JSON; the event id is computed from `rawBody`, which the signature covers. */
export function readJiandaoyun(
	body: unknown,
	rawBody: Uint8Array,
	settings: JiandaoyunSettings,
	options: ReadOptions,
): PresetResult {
	const shape = validate(jiandaoyunBody, body);
	if (!shape.ok) return { kind: 'invalid', issues: shape.issues };
	const { op, opTime, data } = shape.value;
	if (!settings.operations.includes(op)) {
		return { kind: 'ignored', reason: `Push "${op}" is not one this trigger starts on (${settings.operations.join(', ')})` };
	}
	if (!options.accepted.includes(settings.eventType)) {
		return {
			kind: 'invalid',
			issues: [{ field: '(root)', message: `event type ${settings.eventType} is not among the accepted event types` }],
		};
	}
	const customerField = settings.customerIdField.trim();
	const envelope = {
		id: jiandaoyunEventId(rawBody),
		type: settings.eventType,
		customerId: getField(data, customerField),
		// opTime is when the form record changed (epoch ms); older pushes may lack it.
		occurredAt: opTime ?? data.updateTime ?? data.createTime,
		data,
	};
	const parsed = parseEnvelope(envelope, { ...options, accepted: [settings.eventType] });
	if (parsed.ok) return { kind: 'event', event: parsed.event };
	// Point each problem at the place in Jiandaoyun's request, not at our internal envelope.
	const where: Record<string, string> = {
		customerId: `data.${customerField}`,
		occurredAt: 'opTime',
	};
	return {
		kind: 'invalid',
		issues: parsed.issues.map((issue) => ({ ...issue, field: where[issue.field] ?? issue.field })),
	};
}
