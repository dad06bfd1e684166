/**
 * Presets: the Jiandaoyun data-push body (op / opTime / data, delivery id in X-JDY-DeliverId) read
 * into our event, with errors pointing at Jiandaoyun's fields; the generic preset reads our envelope.
 */
import { ZonedCalendar } from '../../../nodes/shared/dates';
import { EVENT_TYPES } from '../../../nodes/engine/trigger/events';
import { readGeneric, readJiandaoyun, type JiandaoyunSettings } from '../../../nodes/engine/trigger/presets';

const options = { calendar: new ZonedCalendar('Asia/Shanghai'), accepted: EVENT_TYPES, receivedAtMs: Date.UTC(2025, 0, 18, 3, 0, 0) };
const jdy: JiandaoyunSettings = { eventType: 'nps_response', customerIdField: 'customer_id', operations: ['data_create'] };
const headers = { 'x-jdy-deliverid': 'sha1=7d38cdd689735b008b3c702edd92eea23791c5f6' };
const push = (over: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
	op: 'data_create',
	opTime: Date.UTC(2025, 0, 18, 2, 59, 58),
	data: { _id: '65a1b2c3', appId: 'a1', entryId: 'e1', customer_id: 'C-2001', score: '9', comment: '很好', createTime: '2025-01-18T02:59:57.000Z', ...data },
	...over,
});

describe('Jiandaoyun preset', () => {
	it('maps delivery id, customer field, opTime and the record into one event', () => {
		expect(readJiandaoyun(push(), headers, jdy, options)).toEqual({
			kind: 'event',
			event: {
				eventId: 'sha1=7d38cdd689735b008b3c702edd92eea23791c5f6',
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
		const r = readJiandaoyun(push({ opTime: undefined }), headers, jdy, options);
		expect(r.kind === 'event' && r.event.occurredAt).toBe('2025-01-18T02:59:57.000Z');
	});

	it('reads the customer id through a dotted path (a sub-object field)', () => {
		const r = readJiandaoyun(push({}, { member: { no: 'M-7' } }), headers, { ...jdy, customerIdField: 'member.no' }, options);
		expect(r.kind === 'event' && r.event.customerId).toBe('M-7');
	});

	it('ignores pushes it is not set to start on (updates, deletions)', () => {
		expect(readJiandaoyun(push({ op: 'data_remove' }), headers, jdy, options)).toEqual({
			kind: 'ignored',
			reason: 'Push "data_remove" is not one this trigger starts on (data_create)',
		});
		expect(readJiandaoyun(push({ op: 'data_update' }), headers, { ...jdy, operations: ['data_create', 'data_update'] }, options).kind).toBe('event');
	});

	it('names Jiandaoyun\'s own places in errors: the header, the form field, opTime', () => {
		const r = readJiandaoyun(push({ opTime: 'later' }, { customer_id: '', score: '11' }), {}, jdy, options);
		expect(r.kind === 'invalid' && r.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
			'header X-JDY-DeliverId: must be text or a number',
			'data.customer_id: must not be empty',
			expect.stringMatching(/^opTime: is not a date/),
			'data.score: must be from 0 to 10',
		]);
	});

	it('refuses a body that is not a push', () => {
		const r = readJiandaoyun({ data: 'x' }, headers, jdy, options);
		expect(r.kind === 'invalid' && r.issues.map((i) => i.field)).toEqual(['op', 'data']);
	});

	it('refuses when its event type is not among the accepted types', () => {
		expect(readJiandaoyun(push(), headers, jdy, { ...options, accepted: ['complaint'] }).kind).toBe('invalid');
	});
});

describe('generic preset', () => {
	it('reads the envelope', () => {
		const r = readGeneric({ id: 'e', type: 'complaint', customerId: 1, data: { summary: 's' } }, options);
		expect(r.kind === 'event' && r.event).toMatchObject({ eventId: 'e', customerId: '1', payload: { summary: 's', severity: 'medium' } });
	});
});
