/**
 * The events a care flow starts from, their schemas, and the one item an accepted event becomes.
 *
 * A sender posts an envelope:
 *   { "id": "evt_123", "type": "nps_response", "customerId": "C-1001",
 *     "occurredAt": "2025-01-18T10:30:00+08:00", "data": { "score": 3, "comment": "…" } }
 * `id` is the sender's event id (used to recognise a redelivery), `data` depends on `type`.
 * Unknown fields inside `data` are kept: senders often include more than a flow needs.
 *
 * Numbers may come as numeric text and dates in the forms the rest of the package reads
 * (ISO 8601, epoch milliseconds, YYYYMMDD, 2025年1月18日), because form tools such as Jiandaoyun send
 * radio-button answers as text and dates without an offset.
 */
import { z } from 'zod';

import { DATE_HINT, coerceNumber } from '../../shared/fields';
import type { ZonedCalendar } from '../../shared/dates';
import { round } from '../../shared/numbers';
import { validate, type FieldIssue } from '../../shared/validation';

export const EVENT_TYPES = [
	'complaint',
	'cancellation_request',
	'payment_failed',
	'nps_response',
	'usage_drop',
	'renewal_due',
	'custom',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The item an accepted event becomes: the same shape whatever the sender. */
export interface RetentionEvent {
	eventId: string;
	type: EventType;
	customerId: string;
	/** When it happened, ISO 8601 in UTC; the time it was received when the sender gave none. */
	occurredAt: string;
	receivedAt: string;
	/** The type's fields after validation, plus derived fields (npsCategory, dropPercent). */
	payload: Record<string, unknown>;
	/** Which preset read the request (`generic`, `jiandaoyun`). */
	source: string;
}

const MAX_ID = 200;

const IDENTIFIER_KIND = 'must be text or a whole number';

/**
 * An identifier: non-empty text (trimmed) or a whole number, returned as text. A number that is not a
 * whole number a double holds exactly (1.5, 1e20) is refused with its value: read as text it would not
 * reliably be the id the sender meant (nearby large ids round to the same number).
 */
const identifier = z
	.union([z.string(), z.number()], {
		errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? 'is required' : IDENTIFIER_KIND }),
	})
	.transform((value, ctx) => {
		if (typeof value === 'number') {
			if (Number.isSafeInteger(value)) return String(value);
			const message = Number.isInteger(value)
				? `${IDENTIFIER_KIND} up to ${Number.MAX_SAFE_INTEGER}; send a larger id as text (got ${String(value)})`
				: `${IDENTIFIER_KIND} (got ${String(value)})`;
			ctx.addIssue({ code: z.ZodIssueCode.custom, message });
			return z.NEVER;
		}
		const text = value.trim();
		if (text === '' || text.length > MAX_ID) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: text === '' ? 'must not be empty' : `must be at most ${MAX_ID} characters`,
			});
			return z.NEVER;
		}
		return text;
	});

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A finite number, also from numeric text ("12.50"). */
const numberLike = z.unknown().transform((value, ctx) => {
	const n = coerceNumber(value);
	if (n === undefined || n === null) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: n === undefined ? 'is required' : 'must be a number' });
		return z.NEVER;
	}
	return n;
});
const nonNegative = numberLike.pipe(z.number().min(0, 'must not be negative'));

const currency = z
	.string()
	.trim()
	.transform((s) => s.toUpperCase())
	.pipe(z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as CNY or USD'));

/** Dates in any form the package reads, returned as ISO 8601 UTC. */
function dateField(calendar: ZonedCalendar) {
	return z.unknown().transform((value, ctx) => {
		const ms = calendar.parse(value);
		if (ms === null) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: DATE_HINT });
			return z.NEVER;
		}
		return new Date(ms).toISOString();
	});
}

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** The `data` schema of each event type. */
export function dataSchemas(calendar: ZonedCalendar) {
	const date = dateField(calendar);
	return {
		complaint: z
			.object({
				summary: text(2000),
				// The sender's value is not repeated in the answer (it may be an e-mail address or phone number).
				severity: z.enum(SEVERITIES, { errorMap: () => ({ message: `must be one of ${SEVERITIES.join(', ')}` }) }).default('medium'),
				channel: text(100).optional(),
				category: text(100).optional(),
				orderId: identifier.optional(),
			})
			.passthrough(),
		cancellation_request: z
			.object({
				reason: text(2000).optional(),
				subscriptionId: identifier.optional(),
				plan: text(200).optional(),
				effectiveAt: date.optional(),
			})
			.passthrough(),
		payment_failed: z
			.object({
				amount: nonNegative,
				currency,
				invoiceId: identifier.optional(),
				failureReason: text(500).optional(),
				attempt: numberLike.pipe(z.number().int('must be a whole number').min(1, 'must be at least 1')).optional(),
				nextRetryAt: date.optional(),
			})
			.passthrough(),
		nps_response: z
			.object({
				score: numberLike.pipe(
					z.number().int('must be a whole number from 0 to 10').min(0, 'must be from 0 to 10').max(10, 'must be from 0 to 10'),
				),
				comment: z.string().max(5000, 'must be at most 5000 characters').optional(),
				surveyId: identifier.optional(),
			})
			.passthrough(),
		usage_drop: z
			.object({
				metric: text(200),
				previousValue: nonNegative,
				currentValue: nonNegative,
				period: text(100).optional(),
			})
			.passthrough(),
		renewal_due: z
			.object({
				renewalDate: date,
				plan: text(200).optional(),
				amount: nonNegative.optional(),
				currency: currency.optional(),
				subscriptionId: identifier.optional(),
			})
			.passthrough(),
		custom: z.object({ name: text(200).optional() }).passthrough(),
	} satisfies Record<EventType, z.ZodTypeAny>;
}

/**
 * Net Promoter Score groups (Reichheld 2003): 0–6 detractor, 7–8 passive, 9–10 promoter.
 */
export function npsCategory(score: number): 'detractor' | 'passive' | 'promoter' {
	return score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter';
}

/** Fall in usage as a percentage of the previous value; null when there was no previous usage. */
export function dropPercent(previousValue: number, currentValue: number): number | null {
	return previousValue > 0 ? round(((previousValue - currentValue) / previousValue) * 100, 2) : null;
}

function derive(type: EventType, data: Record<string, unknown>): Record<string, unknown> {
	if (type === 'nps_response') return { ...data, npsCategory: npsCategory(data.score as number) };
	if (type === 'usage_drop') {
		return { ...data, dropPercent: dropPercent(data.previousValue as number, data.currentValue as number) };
	}
	return data;
}

/** The envelope schema, restricted to the event types this trigger accepts. */
export function envelopeSchema(calendar: ZonedCalendar, accepted: readonly EventType[]) {
	const data = dataSchemas(calendar);
	const base = {
		id: identifier,
		customerId: identifier,
		occurredAt: dateField(calendar).optional(),
	};
	const variants = accepted.map((type) =>
		z.object({ ...base, type: z.literal(type), data: (data[type] as z.ZodTypeAny).default({}) }),
	);
	if (variants.length === 0) throw new RangeError('At least one event type must be accepted');
	const [first, ...rest] = variants;
	return z.discriminatedUnion('type', [first, ...rest], {
		errorMap: (issue, ctx) =>
			issue.code === z.ZodIssueCode.invalid_union_discriminator
				? { message: `must be one of the event types this trigger accepts: ${accepted.join(', ')}` }
				: { message: ctx.defaultError },
	});
}

export type ParsedEnvelope =
	| { ok: true; event: Omit<RetentionEvent, 'source'> }
	| { ok: false; issues: FieldIssue[] };

/** Validates an envelope and normalises it into a {@link RetentionEvent} (without its source). */
export function parseEnvelope(
	body: unknown,
	options: { calendar: ZonedCalendar; accepted: readonly EventType[]; receivedAtMs: number },
): ParsedEnvelope {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { ok: false, issues: [{ field: '(root)', message: 'must be a JSON object' }] };
	}
	const result = validate(envelopeSchema(options.calendar, options.accepted), body);
	if (!result.ok) return result;
	const v = result.value as { id: string; type: EventType; customerId: string; occurredAt?: string; data: Record<string, unknown> };
	const receivedAt = new Date(options.receivedAtMs).toISOString();
	return {
		ok: true,
		event: {
			eventId: v.id,
			type: v.type,
			customerId: v.customerId,
			occurredAt: v.occurredAt ?? receivedAt,
			receivedAt,
			payload: derive(v.type, v.data),
		},
	};
}
