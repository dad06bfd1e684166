/**
 * Every event schema: one valid example normalised field by field, and the field errors a bad body
 * gets. Expected values are written out by hand from the schema definitions in the README.
 */
import { ZonedCalendar } from '../../../nodes/shared/dates';
import { EVENT_TYPES, dropPercent, npsCategory, parseEnvelope, type EventType } from '../../../nodes/engine/trigger/events';

const RECEIVED = Date.UTC(2025, 0, 18, 2, 40, 0);
const shanghai = new ZonedCalendar('Asia/Shanghai');
const parse = (body: unknown, accepted: readonly EventType[] = EVENT_TYPES, calendar = shanghai) =>
	parseEnvelope(body, { calendar, accepted, receivedAtMs: RECEIVED });

const envelope = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({
	id: `evt-${type}`,
	type,
	customerId: 'C-1001',
	occurredAt: '2025-01-18T10:30:00+08:00',
	data,
	...extra,
});

function issues(body: unknown, accepted: readonly EventType[] = EVENT_TYPES) {
	const r = parse(body, accepted);
	if (r.ok) throw new Error('expected a validation failure');
	return r.issues.map((i) => `${i.field}: ${i.message}`);
}

describe('envelope', () => {
	it('normalises id, customer id and the time of the event to ISO UTC', () => {
		const r = parse(envelope('custom', { name: 'vip_upgrade', tier: 'gold' }));
		expect(r).toEqual({
			ok: true,
			event: {
				eventId: 'evt-custom',
				type: 'custom',
				customerId: 'C-1001',
				occurredAt: '2025-01-18T02:30:00.000Z',
				receivedAt: '2025-01-18T02:40:00.000Z',
				payload: { name: 'vip_upgrade', tier: 'gold' },
			},
		});
	});

	it('reads a number id, trims text ids, and uses the receipt time when occurredAt is absent', () => {
		const r = parse({ id: 42, type: 'custom', customerId: '  C-7 ', data: {} });
		expect(r.ok && r.event).toMatchObject({ eventId: '42', customerId: 'C-7', occurredAt: '2025-01-18T02:40:00.000Z' });
	});

	it('reads dates without an offset in the chosen time zone, and Chinese dates', () => {
		const a = parse(envelope('custom', {}, { occurredAt: '2025-01-18 10:30' }));
		const b = parse(envelope('custom', {}, { occurredAt: '2025年1月18日 10:30' }));
		const c = parse(envelope('custom', {}, { occurredAt: 1737167400000 }));
		for (const r of [a, b, c]) expect(r.ok && r.event.occurredAt).toBe('2025-01-18T02:30:00.000Z');
		const utc = parseEnvelope(envelope('custom', {}, { occurredAt: '2025-01-18 10:30' }), {
			calendar: new ZonedCalendar('UTC'),
			accepted: EVENT_TYPES,
			receivedAtMs: RECEIVED,
		});
		expect(utc.ok && utc.event.occurredAt).toBe('2025-01-18T10:30:00.000Z');
	});

	it('lists every missing or wrong envelope field', () => {
		expect(issues({ type: 'custom', customerId: '', occurredAt: 'yesterday' })).toEqual([
			'id: is required',
			'customerId: must not be empty',
			expect.stringMatching(/^occurredAt: is not a date/),
		]);
	});

	it('refuses a non-object body, an unknown type, and a type this trigger does not accept', () => {
		expect(issues([1, 2])).toEqual(['(root): must be a JSON object']);
		expect(issues(envelope('refund', {}))).toEqual([expect.stringMatching(/^type: must be one of the event types this trigger accepts: complaint, /)]);
		expect(issues(envelope('complaint', { summary: 'x' }), ['nps_response'])).toEqual([
			'type: must be one of the event types this trigger accepts: nps_response',
		]);
	});

	it('refuses ids longer than 200 characters and fractional number ids', () => {
		expect(issues(envelope('custom', {}, { id: 'x'.repeat(201) }))).toEqual(['id: must be at most 200 characters']);
		expect(issues(envelope('custom', {}, { id: 1.5 }))).toEqual(['id: must be text or a whole number (got 1.5)']);
	});

	it('says what is wrong with a number id or customer id that is not an exact whole number, with its value', () => {
		expect(issues(envelope('custom', {}, { id: 1.5, customerId: -0.25 }))).toEqual([
			'id: must be text or a whole number (got 1.5)',
			'customerId: must be text or a whole number (got -0.25)',
		]);
		expect(issues(envelope('custom', {}, { id: 1e20 }))).toEqual([
			'id: must be text or a whole number up to 9007199254740991; send a larger id as text (got 100000000000000000000)',
		]);
		expect(issues(envelope('custom', {}, { customerId: true, id: { n: 1 } }))).toEqual([
			'id: must be text or a whole number',
			'customerId: must be text or a whole number',
		]);
		expect(issues(envelope('custom', {}, { id: undefined }))).toEqual(['id: is required']);
		// Whole numbers (also the largest exact one) and numeric text are ids.
		const r = parse(envelope('custom', {}, { id: 9007199254740991, customerId: 1001 }));
		expect(r.ok && [r.event.eventId, r.event.customerId]).toEqual(['9007199254740991', '1001']);
		expect(parse(envelope('custom', {}, { id: '1.5' })).ok).toBe(true);
	});
});

describe('complaint', () => {
	it('valid: severity defaults to medium, extra fields kept', () => {
		const r = parse(envelope('complaint', { summary: '配送延误三天', channel: 'wecom', ticketUrl: 'https://x' }));
		expect(r.ok && r.event.payload).toEqual({ summary: '配送延误三天', severity: 'medium', channel: 'wecom', ticketUrl: 'https://x' });
	});
	it('invalid: missing summary, unknown severity', () => {
		expect(issues(envelope('complaint', { severity: 'urgent' }))).toEqual([
			'data.summary: Required',
			'data.severity: must be one of low, medium, high, critical',
		]);
		expect(issues(envelope('complaint', undefined))).toEqual(['data.summary: Required']);
	});
});

describe('cancellation_request', () => {
	it('valid with all fields optional', () => {
		const r = parse(envelope('cancellation_request', { reason: 'too expensive', effectiveAt: '20250201' }));
		expect(r.ok && r.event.payload).toEqual({ reason: 'too expensive', effectiveAt: '2025-01-31T16:00:00.000Z' });
		expect(parse(envelope('cancellation_request', {})).ok).toBe(true);
	});
	it('invalid: empty reason, bad date', () => {
		expect(issues(envelope('cancellation_request', { reason: ' ', effectiveAt: '31/02/2025' }))).toEqual([
			'data.reason: must not be empty',
			expect.stringMatching(/^data\.effectiveAt: is not a date/),
		]);
	});
});

describe('payment_failed', () => {
	it('valid: numeric text amount, lower-case currency upper-cased, attempt as text', () => {
		const r = parse(envelope('payment_failed', { amount: '199.00', currency: 'cny', attempt: '2', failureReason: 'insufficient_funds' }));
		expect(r.ok && r.event.payload).toEqual({ amount: 199, currency: 'CNY', attempt: 2, failureReason: 'insufficient_funds' });
	});
	it('invalid: missing amount, negative amount, bad currency, attempt 0 or 1.5', () => {
		expect(issues(envelope('payment_failed', { currency: 'RMB¥' }))).toEqual([
			'data.amount: is required',
			'data.currency: must be a three-letter ISO 4217 code such as CNY or USD',
		]);
		expect(issues(envelope('payment_failed', { amount: -1, currency: 'USD', attempt: 0 }))).toEqual([
			'data.amount: must not be negative',
			'data.attempt: must be at least 1',
		]);
		expect(issues(envelope('payment_failed', { amount: 'ten', currency: 'USD', attempt: 1.5 }))).toEqual([
			'data.amount: must be a number',
			'data.attempt: must be a whole number',
		]);
	});
});

describe('nps_response', () => {
	it.each([
		[0, 'detractor'],
		[6, 'detractor'],
		[7, 'passive'],
		[8, 'passive'],
		[9, 'promoter'],
		[10, 'promoter'],
	])('score %i → %s', (score, category) => {
		const r = parse(envelope('nps_response', { score, comment: '' }));
		expect(r.ok && r.event.payload).toEqual({ score, comment: '', npsCategory: category });
		expect(npsCategory(score)).toBe(category);
	});
	it('reads a score sent as text (form radio buttons)', () => {
		const r = parse(envelope('nps_response', { score: '3' }));
		expect(r.ok && r.event.payload).toEqual({ score: 3, npsCategory: 'detractor' });
	});
	it('invalid: 11, -1, 7.5, missing', () => {
		expect(issues(envelope('nps_response', { score: 11 }))).toEqual(['data.score: must be from 0 to 10']);
		expect(issues(envelope('nps_response', { score: -1 }))).toEqual(['data.score: must be from 0 to 10']);
		expect(issues(envelope('nps_response', { score: 7.5 }))).toEqual(['data.score: must be a whole number from 0 to 10']);
		expect(issues(envelope('nps_response', {}))).toEqual(['data.score: is required']);
	});
});

describe('usage_drop', () => {
	it('valid: dropPercent = (previous − current) / previous × 100', () => {
		const r = parse(envelope('usage_drop', { metric: 'weekly_logins', previousValue: 40, currentValue: 10, period: 'week' }));
		expect(r.ok && r.event.payload).toEqual({ metric: 'weekly_logins', previousValue: 40, currentValue: 10, period: 'week', dropPercent: 75 });
		expect(dropPercent(3, 2)).toBe(33.33);
	});
	it('dropPercent is null (not Infinity) when there was no previous usage', () => {
		const r = parse(envelope('usage_drop', { metric: 'orders', previousValue: 0, currentValue: 0 }));
		expect(r.ok && r.event.payload.dropPercent).toBeNull();
	});
	it('invalid: missing metric and values', () => {
		expect(issues(envelope('usage_drop', { currentValue: -3 }))).toEqual([
			'data.metric: Required',
			'data.previousValue: is required',
			'data.currentValue: must not be negative',
		]);
	});
});

describe('renewal_due', () => {
	it('valid', () => {
		const r = parse(envelope('renewal_due', { renewalDate: '2025-02-01', plan: '年度会员', amount: 999, currency: 'cny' }));
		expect(r.ok && r.event.payload).toEqual({ renewalDate: '2025-01-31T16:00:00.000Z', plan: '年度会员', amount: 999, currency: 'CNY' });
	});
	it('invalid: renewal date missing', () => {
		expect(issues(envelope('renewal_due', { plan: 'pro' }))).toEqual([expect.stringMatching(/^data\.renewalDate: is not a date/)]);
	});
});

describe('custom', () => {
	it('accepts any object, refuses a non-object data', () => {
		expect(parse(envelope('custom', { anything: [1, 2, { deep: true }] })).ok).toBe(true);
		expect(issues(envelope('custom', 'text'))).toEqual(['data: Expected object, received string']);
	});
});
