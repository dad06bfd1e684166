/**
 * The Retention Trigger's webhook() through n8n-core's real WebhookContext (see ./webhookContext.ts),
 * then the whole corpus: only the valid events start, each exactly once.
 */
import { createHash, createHmac } from 'crypto';
import { NodeHelpers } from 'n8n-workflow';

import { RetentionTrigger } from '../../../nodes/RetentionTrigger/RetentionTrigger.node';
import { RetentionWebhookApi } from '../../../credentials/RetentionWebhookApi.credentials';
import { buildCorpus, CORPUS_TRIGGERS, type CorpusRequest } from '../../engine/trigger/corpus';
import { CURRENT, PREVIOUS, trigger } from './webhookContext';

const now = () => Math.floor(Date.now() / 1000);
function sign(body: string, secret = CURRENT, t = now()) {
	return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
const npsBody = (id: string, score: unknown = 4) => JSON.stringify({ id, type: 'nps_response', customerId: 'C-77', occurredAt: '2025-01-18 10:30', data: { score, comment: '太贵了' } });

describe('Retention Trigger webhook()', () => {
	it('valid signed event → 202 with the event id, one item, and n8n answers nothing itself', async () => {
		const t = trigger({});
		const body = npsBody('evt-1');
		const { result, recorded, items } = await t.deliver({ headers: { 'X-Retention-Signature': sign(body) }, body });
		expect(recorded).toEqual({ status: 202, body: { accepted: true, duplicate: false, eventId: 'evt-1' } });
		expect(result.noWebhookResponse).toBe(true);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			eventId: 'evt-1',
			type: 'nps_response',
			customerId: 'C-77',
			// no offset: read in the workflow time zone (Asia/Shanghai, UTC+8)
			occurredAt: '2025-01-18T02:30:00.000Z',
			payload: { score: 4, comment: '太贵了', npsCategory: 'detractor' },
			source: 'generic',
			signature: 'current_secret',
		});
		expect(t.secretsRequested).toEqual(['retentionWebhookApi:cred-1']);
	});

	it('rejections write their status and start nothing (no workflowData)', async () => {
		const t = trigger({ maxBodyKilobytes: 1 });
		const body = npsBody('evt-2');
		const cases: Array<[Record<string, string>, string, number, string]> = [
			[{}, body, 401, 'missing_signature'],
			[{ 'x-retention-signature': sign(body, 'wrong-secret') }, body, 401, 'invalid_signature'],
			[{ 'x-retention-signature': sign(body, CURRENT, now() - 301) }, body, 401, 'stale_timestamp'],
			[{ 'x-retention-signature': sign(npsBody('evt-2', 12)) }, npsBody('evt-2', 12), 400, 'invalid_body'],
			[{ 'x-retention-signature': sign('x'.repeat(1025)) }, 'x'.repeat(1025), 413, 'body_too_large'],
		];
		for (const [headers, b, status, error] of cases) {
			const { result, recorded } = await t.deliver({ headers, body: b });
			expect({ status: recorded.status, error: recorded.body?.error, starts: result.workflowData !== undefined }).toEqual({ status, error, starts: false });
		}
		expect(t.staticData()).toEqual({});
	});

	it('400 lists the field errors', async () => {
		const t = trigger({});
		const body = JSON.stringify({ id: 'evt-3', type: 'payment_failed', customerId: 'C', data: { amount: 'ten' } });
		const { recorded } = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect(recorded.body).toEqual({
			error: 'invalid_body',
			message: 'The body does not match the event schema',
			errors: [
				{ field: 'data.amount', message: 'must be a number' },
				{ field: 'data.currency', message: 'Required' },
			],
		});
	});

	it('a repeated event id → 200 duplicate: true, not started again; remembered across calls only as a digest', async () => {
		const t = trigger({});
		const body = npsBody('evt-dup');
		const first = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		const again = await t.deliver({ headers: { 'x-retention-signature': sign(body, PREVIOUS) }, body });
		expect(first.recorded.status).toBe(202);
		expect(again.recorded).toEqual({
			status: 200,
			body: { accepted: false, duplicate: true, eventId: 'evt-dup', message: 'This event was already received; the workflow was not started again' },
		});
		expect(again.result.workflowData).toBeUndefined();
		expect(JSON.stringify(t.staticData())).not.toContain('evt-dup');
		expect(Object.keys((t.staticData()['node:Retention Trigger'] as { retentionTriggerDeliveries: { accepted: object } }).retentionTriggerDeliveries.accepted)).toHaveLength(1);
	});

	it('with de-duplication off, a repeated event starts again', async () => {
		const t = trigger({ deduplicate: false });
		const body = npsBody('evt-again');
		const a = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		const b = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect([a.recorded.status, b.recorded.status, b.items.length]).toEqual([202, 202, 1]);
	});

	it('unsigned mode accepts without a signature and without reading the credential', async () => {
		const t = trigger({ signing: 'unsigned' }, {});
		const body = npsBody('evt-open');
		const { recorded, items } = await t.deliver({ headers: {}, body });
		expect(recorded.status).toBe(202);
		expect(items[0].json.signature).toBe('not_checked');
		expect(t.secretsRequested).toEqual([]);
	});

	it('two-header format, custom header names', async () => {
		const t = trigger({ signatureFormat: 'separate', signatureHeader: 'X-Sig', timestampHeader: 'X-Ts' });
		const body = npsBody('evt-sep');
		const ts = now();
		const hex = createHmac('sha256', CURRENT).update(`${ts}.${body}`).digest('hex');
		const { recorded } = await t.deliver({ headers: { 'x-sig': `sha256=${hex}`, 'x-ts': String(ts) }, body });
		expect(recorded.status).toBe(202);
	});

	it('only the accepted event types pass', async () => {
		const t = trigger({ eventTypes: ['complaint'] });
		const body = npsBody('evt-type');
		const { recorded } = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect(recorded.body?.errors).toEqual([{ field: 'type', message: 'must be one of the event types this trigger accepts: complaint' }]);
	});

	it('misconfiguration (no current secret, unknown time zone) → 500 written by the node, nothing starts', async () => {
		const body = npsBody('evt-nosecret');
		const noSecret = trigger({}, { currentSecret: '', previousSecret: PREVIOUS });
		const a = await noSecret.deliver({ headers: { 'x-retention-signature': sign(body, PREVIOUS) }, body });
		expect(a.recorded).toEqual({ status: 500, body: { error: 'trigger_misconfigured', message: 'The signing credential has no current secret' } });
		expect(a.result).toEqual({ noWebhookResponse: true });
		const badZone = trigger({ timeZone: 'Mars/Olympus' });
		const b = await badZone.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect(b.recorded.status).toBe(500);
		expect(b.recorded.body?.message).toMatch(/Mars\/Olympus/);
		expect(b.result.workflowData).toBeUndefined();
	});
});

describe('a body n8n cannot read is the sender\'s problem (4xx), not a misconfiguration (500)', () => {
	// The errors n8n 2.41's raw-body reader throws (packages/cli middlewares/body-parser): raw-body's own
	// for a payload over N8N_PAYLOAD_SIZE_MAX, zlib's for a Content-Encoding that does not decode.
	const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
	const badGzip = Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' });

	it('over n8n\'s payload limit → 413 body_too_large; undecodable or cut off → 400 invalid_body; nothing starts, the log says why', async () => {
		const body = npsBody('evt-unreadable');
		const t = trigger({});
		const large = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body, readError: tooLarge });
		expect(large.recorded.status).toBe(413);
		expect(large.recorded.body).toMatchObject({ error: 'body_too_large', limitBytes: 262144 });
		const gzip = await t.deliver({ headers: { 'x-retention-signature': sign(body), 'content-encoding': 'gzip' }, body, readError: badGzip });
		expect(gzip.recorded).toEqual({
			status: 400,
			body: {
				error: 'invalid_body',
				message: 'The body could not be read',
				errors: [{ field: '(root)', message: 'could not be read (the request was cut off, or its Content-Encoding does not decode)' }],
			},
		});
		for (const r of [large, gzip]) expect([r.result, r.items.length]).toEqual([{ noWebhookResponse: true }, 0]);
		expect(t.logs.map((l) => [l.level, l.message])).toEqual([
			['warn', 'Retention Trigger answered 413: the body could not be read: request entity too large'],
			['warn', 'Retention Trigger answered 400: the body could not be read: incorrect header check'],
		]);
		// The same event, readable, is still accepted: nothing was claimed for it.
		const again = await t.deliver({ headers: { 'x-retention-signature': sign(body) }, body });
		expect(again.recorded.status).toBe(202);
	});
});

describe('signing secrets shorter than 16 characters', () => {
	const body = npsBody('evt-short-secret');
	const SHORT = 'k9#Qz';

	it('a short current secret is a misconfiguration: 500, logged without the secret, nothing starts', async () => {
		const t = trigger({}, { currentSecret: SHORT });
		// Correctly signed with that secret: before, this was accepted (202).
		const { recorded, result } = await t.deliver({ headers: { 'x-retention-signature': sign(body, SHORT) }, body });
		expect(recorded).toEqual({
			status: 500,
			body: { error: 'trigger_misconfigured', message: "The signing credential's Current Signing Secret is shorter than 16 characters" },
		});
		expect(result.workflowData).toBeUndefined();
		expect(t.logs).toEqual([
			{
				level: 'error',
				message: "Retention Trigger refused a request: The signing credential's Current Signing Secret is shorter than 16 characters",
				meta: { node: 'Retention Trigger' },
			},
		]);
		expect(JSON.stringify([t.logs, recorded])).not.toContain(SHORT);
	});

	it('a short previous secret too (it would verify requests just the same)', async () => {
		const t = trigger({}, { currentSecret: CURRENT, previousSecret: SHORT });
		const { recorded, items } = await t.deliver({ headers: { 'x-retention-signature': sign(body, SHORT) }, body });
		expect([recorded.status, recorded.body?.error, items.length]).toEqual([500, 'trigger_misconfigured', 0]);
		expect(recorded.body?.message).toMatch(/Previous Signing Secret is shorter than 16 characters/);
		expect(JSON.stringify([t.logs, recorded])).not.toContain(SHORT);
	});

	it('16 characters are enough; the unsigned mode reads no secret at all', async () => {
		const sixteen = '0123456789abcdef';
		const t = trigger({}, { currentSecret: sixteen });
		expect((await t.deliver({ headers: { 'x-retention-signature': sign(body, sixteen) }, body })).recorded.status).toBe(202);
		const open = trigger({ signing: 'unsigned' }, { currentSecret: SHORT });
		expect((await open.deliver({ headers: {}, body })).recorded.status).toBe(202);
	});
});

describe('Jiandaoyun push through webhook()', () => {
	const jdyParameters = { preset: 'jiandaoyun', jiandaoyunEventType: 'complaint', jiandaoyunCustomerIdField: 'customer_id' };
	const body = JSON.stringify({ op: 'data_create', opTime: Date.now() - 1000, data: { _id: '65c0001', customer_id: 'C-88', summary: '发票开错了' } });
	const nonce = '9f3e21';
	const request = (deliverId: string) => {
		const t = String(now());
		const signature = createHash('sha1').update(`${nonce}:${body}:${CURRENT}:${t}`, 'utf8').digest('hex');
		return { headers: { 'x-jdy-signature': signature, 'x-jdy-deliverid': deliverId }, query: { nonce, timestamp: t }, body };
	};

	it('the same signed push with another X-JDY-DeliverId → 200 duplicate, the workflow starts once', async () => {
		const t = trigger(jdyParameters);
		const first = await t.deliver(request('deliver-original'));
		const replay = await t.deliver(request('deliver-forged-by-replayer'));
		const resent = await t.deliver(request('deliver-original'));
		const eventId = createHash('sha256').update(body, 'utf8').digest('hex');
		expect(first.recorded).toEqual({ status: 202, body: { accepted: true, duplicate: false, eventId } });
		expect(first.items[0].json).toMatchObject({ eventId, customerId: 'C-88', source: 'jiandaoyun', payload: { summary: '发票开错了' } });
		for (const again of [replay, resent]) {
			expect(again.recorded).toMatchObject({ status: 200, body: { duplicate: true, eventId } });
			expect(again.items).toHaveLength(0);
		}
	});
});

describe('credential', () => {
	const test = new RetentionTrigger().methods.credentialTest.retentionWebhookSecrets;
	const run = (data: Record<string, string>) => test.call({} as never, { id: '1', name: 'c', type: 'retentionWebhookApi', data });
	it('requires a current secret of 16 characters and a previous secret different from it', async () => {
		expect(await run({ currentSecret: 'short' })).toMatchObject({ status: 'Error' });
		expect(await run({ currentSecret: CURRENT, previousSecret: 'short' })).toMatchObject({ status: 'Error' });
		expect(await run({ currentSecret: CURRENT, previousSecret: CURRENT })).toMatchObject({ status: 'Error' });
		expect(await run({ currentSecret: CURRENT, previousSecret: PREVIOUS })).toMatchObject({ status: 'OK' });
		expect(await run({ currentSecret: CURRENT })).toMatchObject({ status: 'OK' });
	});
	it('holds only the two signing secrets, both password fields (the ledger is the Retention Ledger credential)', () => {
		const props = new RetentionWebhookApi().properties;
		expect(props.map((p) => p.name)).toEqual(['currentSecret', 'previousSecret']);
		expect(props.filter((p) => p.typeOptions?.password).map((p) => p.name)).toEqual(['currentSecret', 'previousSecret']);
	});
	it('the Retention Ledger credential is asked for only with Repeated Events = Shared Ledger', () => {
		const { description } = new RetentionTrigger();
		const ledger = description.credentials?.find((c) => c.name === 'retentionLedgerApi');
		expect(ledger).toMatchObject({ required: true, testedBy: 'retentionLedgerConnection' });
		const shown = (parameters: Record<string, unknown>) =>
			NodeHelpers.displayParameter(
				NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, null, description) ?? {},
				ledger!,
				{ typeVersion: 1 },
				description,
			);
		expect(shown({})).toBe(false);
		expect(shown({ repeatedEvents: 'sharedLedger' })).toBe(true);
		expect(shown({ repeatedEvents: 'sharedLedger', deduplicate: false })).toBe(false);
	});
});

describe('description', () => {
	it('every parameter default is accepted by n8n and the webhook path follows the parameter', () => {
		const type = new RetentionTrigger();
		const params = NodeHelpers.getNodeParameters(type.description.properties, {}, true, false, null, type.description);
		expect(params).toMatchObject({
			path: 'retention-events',
			preset: 'generic',
			signing: 'signed',
			toleranceSeconds: 300,
			deduplicate: true,
			repeatedEvents: 'workflowStorage',
		});
		const shared = NodeHelpers.getNodeParameters(type.description.properties, { repeatedEvents: 'sharedLedger' }, true, false, null, type.description);
		expect(shared).toMatchObject({ repeatedEvents: 'sharedLedger', ledgerName: 'care_ledger' });
		expect(type.description.webhooks?.[0]).toMatchObject({ httpMethod: 'POST', path: '={{$parameter["path"]}}', isFullPath: true });
	});
});

describe('the corpus through webhook()', () => {
	it('answers every request as expected; only valid events start, each exactly once', async () => {
		const corpus = buildCorpus({ nowSeconds: now(), currentSecret: CURRENT, previousSecret: PREVIOUS });
		// Workflow storage instead of the corpus's shared ledger: requests here are sequential in one
		// process, where it is exact (sharedLedger.test.ts covers the ledger through the node).
		const storage = { repeatedEvents: 'workflowStorage' };
		const receivers = {
			generic: trigger({ ...CORPUS_TRIGGERS.generic, ...storage }),
			jiandaoyun: trigger({ ...CORPUS_TRIGGERS.jiandaoyun, ...storage }),
		};
		const started: string[] = [];
		const mismatches: string[] = [];
		for (const req of corpus as CorpusRequest[]) {
			const { recorded, items } = await receivers[req.preset].deliver({ headers: req.headers, query: req.query, body: req.body });
			const starts = items.length > 0;
			if (recorded.status !== req.expected.status || starts !== req.expected.starts || (req.expected.error && recorded.body?.error !== req.expected.error)) {
				mismatches.push(`${req.name}: got ${recorded.status} ${String(recorded.body?.error ?? '')}`);
			}
			for (const item of items) started.push(String(item.json.eventId));
		}
		expect(mismatches).toEqual([]);
		const expected = corpus.filter((r) => r.expected.starts).map((r) => r.expected.eventId!);
		expect(started.sort()).toEqual(expected.sort());
		expect(corpus.length).toBeGreaterThanOrEqual(200);
	});
});
