/**
 * Retention Trigger: options set by an expression (or stored in a workflow's JSON, for those the editor
 * offers no expression for: Sender, Signing, Signature Format, Repeated Events), through n8n-core's real
 * WebhookContext. Before, each value below was taken for another option, asked for the wrong credential or
 * made every push be ignored (noted per row). Now each is a misconfiguration: the node answers 500 itself,
 * naming the parameter, the values allowed and the value given, logs it and starts nothing.
 */
import { createHash, createHmac } from 'crypto';

import { CURRENT, trigger } from './webhookContext';

const now = () => Math.floor(Date.now() / 1000);
const e = (value: string) => `={{ ${JSON.stringify(value)} }}`;
let n = 0;

interface Delivery {
	headers: Record<string, string>;
	query?: Record<string, string>;
	body: string;
}

/** A generic event signed as the default (combined header) expects. */
function genericRequest(): Delivery {
	const body = JSON.stringify({ id: `evt-options-${++n}`, type: 'nps_response', customerId: 'C-77', data: { score: 4 } });
	const t = now();
	return { headers: { 'x-retention-signature': `t=${t},v1=${createHmac('sha256', CURRENT).update(`${t}.${body}`).digest('hex')}` }, body };
}

/** A Jiandaoyun "new record" push, signed as Jiandaoyun signs it. */
function jiandaoyunRequest(): Delivery {
	const body = JSON.stringify({ op: 'data_create', opTime: Date.now() - 1000, data: { _id: `65c${++n}`, customer_id: 'C-88', summary: '发票开错了' } });
	const nonce = '9f3e21';
	const t = String(now());
	const signature = createHash('sha1').update(`${nonce}:${body}:${CURRENT}:${t}`, 'utf8').digest('hex');
	return { headers: { 'x-jdy-signature': signature, 'x-jdy-deliverid': `d${n}` }, query: { nonce, timestamp: t }, body };
}
const jiandaoyun = { preset: 'jiandaoyun', jiandaoyunEventType: 'complaint', jiandaoyunCustomerIdField: 'customer_id' };
const EVENT_TYPES = '"complaint", "cancellation_request", "payment_failed", "nps_response", "usage_drop", "renewal_due", "custom"';

describe('an options parameter set to none of its options: 500 naming it, nothing starts', () => {
	test.each<[string, Record<string, unknown>, () => Delivery, string]>([
		// before: read as the generic sender, whose event types n8n had left out: 500 "Choose at least one event type…"
		['Sender', { preset: 'Jiandaoyun' }, jiandaoyunRequest, 'Sender must be one of "generic", "jiandaoyun" (got "Jiandaoyun")'],
		// before: a signature required, whose credential n8n had left out: 500 "Credentials not found"
		['Signing', { signing: 'Unsigned' }, genericRequest, 'Signing must be one of "signed", "unsigned" (got "Unsigned")'],
		// before: read as one combined header: a sender using two headers was refused 401 for ever
		['Signature Format', { signatureFormat: 'Separate' }, genericRequest, 'Signature Format must be one of "combined", "separate" (got "Separate")'],
		// before: workflow storage (best effort, one process) instead of the exact shared ledger, silently
		['Repeated Events', { repeatedEvents: 'shared' }, genericRequest, 'Repeated Events must be one of "workflowStorage", "sharedLedger" (got "shared")'],
		// before: refused as 'Unknown event type "nps" in "eventTypes"'
		['Event Types Accepted', { eventTypes: ['complaint', 'nps'] }, genericRequest, `Event Types Accepted must be one of ${EVENT_TYPES} (got "nps")`],
		['Event Types Accepted', { eventTypes: e('NPS') }, genericRequest, `Event Types Accepted must be one of ${EVENT_TYPES} (got "NPS")`],
		// before: refused as 'Unknown event type "Complaint" in "jiandaoyunEventType"'
		['Event Type of This Form', { ...jiandaoyun, jiandaoyunEventType: e('Complaint') }, jiandaoyunRequest, `Event Type of This Form must be one of ${EVENT_TYPES} (got "Complaint")`],
		// before: every push answered 200 "ignored": the workflow never started
		[
			'Pushes That Start the Workflow',
			{ ...jiandaoyun, jiandaoyunOperations: ['create'] },
			jiandaoyunRequest,
			'Pushes That Start the Workflow must be one of "data_create", "data_update", "data_remove", "data_recover" (got "create")',
		],
	])('%s: %j', async (_parameter, parameters, request, message) => {
		const t = trigger(parameters);
		const { result, recorded, items } = await t.deliver(request());
		expect(recorded).toEqual({ status: 500, body: { error: 'trigger_misconfigured', message } });
		expect([result.workflowData, items.length]).toEqual([undefined, 0]);
		expect(t.logs).toEqual([{ level: 'error', message: `Retention Trigger refused a request: ${message}`, meta: { node: 'Retention Trigger' } }]);
	});
});

describe('a valid value from an expression is read as chosen', () => {
	test('Event Types Accepted: a list, or one value alone', async () => {
		for (const eventTypes of ['={{ ["complaint", "nps_response"] }}', e('nps_response')]) {
			const { recorded, items } = await trigger({ eventTypes }).deliver(genericRequest());
			expect([recorded.status, items.length]).toEqual([202, 1]);
		}
		const { recorded } = await trigger({ eventTypes: '={{ ["complaint"] }}' }).deliver(genericRequest());
		expect(recorded.body?.errors).toEqual([{ field: 'type', message: 'must be one of the event types this trigger accepts: complaint' }]);
	});

	test('Event Type of This Form and Pushes That Start the Workflow', async () => {
		const t = trigger({ ...jiandaoyun, jiandaoyunEventType: e('custom'), jiandaoyunOperations: '={{ ["data_update", "data_create"] }}' });
		const { recorded, items } = await t.deliver(jiandaoyunRequest());
		expect(recorded.status).toBe(202);
		expect(items[0].json).toMatchObject({ type: 'custom', customerId: 'C-88', source: 'jiandaoyun' });
		// One value alone is a list of one (before, anything but a list was read as "data_create").
		const update = trigger({ ...jiandaoyun, jiandaoyunOperations: e('data_update') });
		expect((await update.deliver(jiandaoyunRequest())).recorded).toMatchObject({ status: 200, body: { ignored: true } });
	});
});
