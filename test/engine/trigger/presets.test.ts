/**
 * Presets: the Jiandaoyun data-push body (op / opTime / data) read into our event, its event id the
 * SHA-256 of the signed body, with errors pointing at Jiandaoyun's fields; the generic preset reads our
 * envelope.
 */
import { createHash } from 'crypto';

import { ZonedCalendar } from '../../../nodes/shared/dates';
import { EVENT_TYPES } from '../../../nodes/engine/trigger/events';
import { jiandaoyunEventId, readGeneric, readJiandaoyun, type JiandaoyunSettings, type ReadOptions } from '../../../nodes/engine/trigger/presets';

const options: ReadOptions = { calendar: new ZonedCalendar('Asia/Shanghai'), accepted: EVENT_TYPES, receivedAtMs: Date.UTC(2025, 0, 18, 3, 0, 0) };
const jdy: JiandaoyunSettings = { eventType: 'nps_response', customerIdField: 'customer_id', operations: ['data_create'] };
const push = (over: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
	op: 'data_create',
	opTime: Date.UTC(2025, 0, 18, 2, 59, 58),
	data: { _id: '65a1b2c3', appId: 'a1', entryId: 'e1', customer_id: 'C-2001', score: '9', comment: '很好', createTime: '2025-01-18T02:59:57.000Z', ...data },
	...over,
});
/** Reads a push the way admission does: the parsed body and the exact bytes it came from. */
const read = (body: unknown, settings: JiandaoyunSettings = jdy, opts = options) =>
	readJiandaoyun(body, Buffer.from(JSON.stringify(body), 'utf8'), settings, opts);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('Jiandaoyun preset', () => {
	it('maps customer field, opTime and the record into one event; the event id is the SHA-256 of the body', () => {
		expect(read(push())).toEqual({
			kind: 'event',
			event: {
				eventId: sha256(JSON.stringify(push())),
				type: 'nps_response',
				customerId: 'C-2001',
				occurredAt: '2025-01-18T02:59:58.000Z',
				receivedAt: '2025-01-18T03:00:00.000Z',
				payload: {
					_id: '65a1b2c3',
					appId: 'a1',
					entryId: 'e1',
					customer_id: 'C-2001',
					score: 9,
					comment: '很好',
					createTime: '2025-01-18T02:59:57.000Z',
					npsCategory: 'promoter',
				},
			},
		});
	});

	it('falls back to updateTime / createTime when opTime is absent', () => {
		const r = read(push({ opTime: undefined }));
		expect(r.kind === 'event' && r.event.occurredAt).toBe('2025-01-18T02:59:57.000Z');
	});

	it('reads the customer id through a dotted path (a sub-object field)', () => {
		const r = read(push({}, { member: { no: 'M-7' } }), { ...jdy, customerIdField: 'member.no' });
		expect(r.kind === 'event' && r.event.customerId).toBe('M-7');
	});

	it('ignores pushes it is not set to start on (updates, deletions)', () => {
		expect(read(push({ op: 'data_remove' }))).toEqual({
			kind: 'ignored',
			reason: 'Push "data_remove" is not one this trigger starts on (data_create)',
		});
		expect(read(push({ op: 'data_update' }), { ...jdy, operations: ['data_create', 'data_update'] }).kind).toBe('event');
	});

	it('names Jiandaoyun\'s own places in errors: the form field, opTime', () => {
		const r = read(push({ opTime: 'later' }, { customer_id: '', score: '11' }));
		expect(r.kind === 'invalid' && r.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
			'data.customer_id: must not be empty',
			expect.stringMatching(/^opTime: is not a date/),
			'data.score: must be from 0 to 10',
		]);
	});

	it('a customer id field holding a fraction says so, with the value', () => {
		const r = read(push({}, { customer_id: 1.5 }));
		expect(r.kind === 'invalid' && r.issues).toEqual([{ field: 'data.customer_id', message: 'must be text or a whole number (got 1.5)' }]);
	});

	it('the event id is the SHA-256 of the exact bytes received (what the signature covers)', () => {
		// FIPS 180-2 test vector.
		expect(jiandaoyunEventId(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		const body = push();
		const spaced = Buffer.from(JSON.stringify(body, null, 1), 'utf8');
		const a = read(body);
		const b = readJiandaoyun(body, spaced, jdy, options);
		expect(a.kind === 'event' && b.kind === 'event' && a.event.eventId !== b.event.eventId).toBe(true);
		expect(b.kind === 'event' && b.event.eventId).toBe(jiandaoyunEventId(spaced));
	});

	it('refuses a body that is not a push', () => {
		const r = read({ data: 'x' });
		expect(r.kind === 'invalid' && r.issues.map((i) => i.field)).toEqual(['op', 'data']);
	});

	it('refuses when its event type is not among the accepted types', () => {
		expect(read(push(), jdy, { ...options, accepted: ['complaint'] }).kind).toBe('invalid');
	});
});

describe('generic preset', () => {
	it('reads the envelope', () => {
		const r = readGeneric({ id: 'e', type: 'complaint', customerId: 1, data: { summary: 's' } }, options);
		expect(r.kind === 'event' && r.event).toMatchObject({ eventId: 'e', customerId: '1', payload: { summary: 's', severity: 'medium' } });
	});
});
