/**
 * The decision table of the trigger (status, body, whether the workflow starts), row by row, then
 * the whole corpus: no bad request starts a workflow and every valid event starts exactly once.
 */
import { createHash, createHmac } from 'crypto';

import { ZonedCalendar } from '../../../nodes/shared/dates';
import {
	admitRequest,
	evaluateRequest,
	MAX_NESTING,
	type DeliveryClaims,
	type TriggerSettings,
} from '../../../nodes/engine/trigger/admission';
import { EVENT_TYPES } from '../../../nodes/engine/trigger/events';
import { DEFAULT_FORMAT } from '../../../nodes/engine/trigger/signature';
import { buildCorpus, CORPUS_MAX_BODY_BYTES, type CorpusRequest } from './corpus';

const NOW_S = 1_737_168_000;
const NOW = NOW_S * 1000;
const CURRENT = 'current-secret-for-tests-0001';
const PREVIOUS = 'previous-secret-for-tests-0002';

const settings = (over: Partial<TriggerSettings> = {}): TriggerSettings => ({
	preset: 'generic',
	requireSignature: true,
	secrets: [CURRENT, PREVIOUS],
	format: DEFAULT_FORMAT,
	toleranceSeconds: 300,
	maxBodyBytes: CORPUS_MAX_BODY_BYTES,
	acceptedTypes: EVENT_TYPES,
	calendar: new ZonedCalendar('Asia/Shanghai'),
	...over,
});

/** An in-memory claim store, as the de-duplication contract describes it. */
function memoryClaims(): DeliveryClaims & { keys: Set<string> } {
	const keys = new Set<string>();
	return {
		keys,
		async claim(key) {
			if (keys.has(key)) return false;
			keys.add(key);
			return true;
		},
	};
}

// Signed independently of the engine (Node crypto, written out here).
function sign(body: string, secret = CURRENT, t = NOW_S) {
	return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
const delivery = (body: string, header?: string) => ({
	rawBody: Buffer.from(body, 'utf8'),
	headers: header === undefined ? {} : { 'x-retention-signature': header },
});
const event = (id = 'evt-1', data: Record<string, unknown> = { score: 2 }) =>
	JSON.stringify({ id, type: 'nps_response', customerId: 'C-9', data });

describe('decision table', () => {
	it('valid → 202 with the event id and one normalised event', () => {
		const body = event();
		const d = evaluateRequest(delivery(body, sign(body)), settings(), NOW);
		expect(d).toEqual({
			action: 'start',
			status: 202,
			body: { accepted: true, duplicate: false, eventId: 'evt-1' },
			deliveryKey: 'generic:evt-1',
			event: {
				eventId: 'evt-1',
				type: 'nps_response',
				customerId: 'C-9',
				occurredAt: '2025-01-18T02:40:00.000Z',
				receivedAt: '2025-01-18T02:40:00.000Z',
				payload: { score: 2, npsCategory: 'detractor' },
				source: 'generic',
				signature: 'current_secret',
			},
		});
	});

	it('previous secret → 202, and the item says the previous secret was used', () => {
		const body = event();
		const d = evaluateRequest(delivery(body, sign(body, PREVIOUS)), settings(), NOW);
		expect(d.action === 'start' && d.event.signature).toBe('previous_secret');
	});

	it('missing signature → 401 missing_signature; wrong one → 401 invalid_signature; old one → 401 stale_timestamp', () => {
		const body = event();
		expect(evaluateRequest(delivery(body), settings(), NOW)).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
		expect(evaluateRequest(delivery(body, sign(body, 'nope')), settings(), NOW)).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
		expect(evaluateRequest(delivery(body, sign(body, CURRENT, NOW_S - 301)), settings(), NOW)).toMatchObject({ status: 401, body: { error: 'stale_timestamp' } });
	});

	it('bad body (signed) → 400 with a list of field errors', () => {
		const body = JSON.stringify({ id: 'evt-2', type: 'nps_response', data: { score: 12 } });
		expect(evaluateRequest(delivery(body, sign(body)), settings(), NOW)).toEqual({
			action: 'reject',
			status: 400,
			body: {
				error: 'invalid_body',
				message: 'The body does not match the event schema',
				errors: [
					{ field: 'customerId', message: 'is required' },
					{ field: 'data.score', message: 'must be from 0 to 10' },
				],
			},
		});
	});

	it('not JSON, empty, not UTF-8 → 400 naming the problem', () => {
		for (const [raw, text] of [
			[Buffer.from('{"id":'), /not valid JSON/],
			[Buffer.alloc(0), /empty/],
			[Buffer.from([0x7b, 0xff, 0x7d]), /not UTF-8/],
		] as const) {
			const header = `t=${NOW_S},v1=${createHmac('sha256', CURRENT).update(Buffer.concat([Buffer.from(`${NOW_S}.`), raw])).digest('hex')}`;
			const d = evaluateRequest({ rawBody: raw, headers: { 'x-retention-signature': header } }, settings(), NOW);
			expect(d.status).toBe(400);
			expect((d.body.errors as Array<{ message: string }>)[0].message).toMatch(text);
		}
	});

	it('nesting deeper than n8n can store → 400 before anything is claimed; the limit itself is fine', () => {
		const nested = (levels: number) => `{"id":"evt-deep","type":"nps_response","customerId":"c1","data":{"score":3,"x":${'['.repeat(levels - 2)}${']'.repeat(levels - 2)}}}`;
		// 100,000 levels in ~200 KB: accepted before, then n8n failed to save the item after answering 202.
		const deep = nested(100_000);
		const refused = evaluateRequest(delivery(deep, sign(deep)), settings({ maxBodyBytes: 1_000_000 }), NOW);
		expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_body', errors: [{ field: '(root)', message: `is nested more than ${MAX_NESTING} levels deep` }] } });
		const atLimit = nested(MAX_NESTING);
		expect(evaluateRequest(delivery(atLimit, sign(atLimit)), settings(), NOW).status).toBe(202);
		const over = nested(MAX_NESTING + 1);
		expect(evaluateRequest(delivery(over, sign(over)), settings(), NOW).status).toBe(400);
	});

	it("answers do not repeat the sender's text (it may be an e-mail address or phone number)", () => {
		const notJson = 'not json at all 13812345678 alice@example.com';
		const a = evaluateRequest(delivery(notJson, sign(notJson)), settings(), NOW);
		expect(a.status).toBe(400);
		expect(JSON.stringify(a.body)).not.toMatch(/not json at|1381|alice/);
		const complaint = JSON.stringify({ id: 'evt-c', type: 'complaint', customerId: 'c1', data: { summary: 'late', severity: 'alice@example.com' } });
		const b = evaluateRequest(delivery(complaint, sign(complaint)), settings(), NOW);
		expect(b.body.errors).toEqual([{ field: 'data.severity', message: 'must be one of low, medium, high, critical' }]);
	});

	it('body over the limit → 413, checked before the signature', () => {
		const body = event('evt-3', { score: 1, pad: 'x'.repeat(2000) });
		expect(evaluateRequest(delivery(body), settings({ maxBodyBytes: 1024 }), NOW)).toMatchObject({
			status: 413,
			body: { error: 'body_too_large', limitBytes: 1024 },
		});
		const exactly = event('evt-4');
		expect(evaluateRequest(delivery(exactly, sign(exactly)), settings({ maxBodyBytes: Buffer.byteLength(exactly) }), NOW).status).toBe(202);
		expect(evaluateRequest(delivery(exactly, sign(exactly)), settings({ maxBodyBytes: Buffer.byteLength(exactly) - 1 }), NOW).status).toBe(413);
	});

	it('a bad body with a bad signature is a 401: nothing is parsed for an unverified caller', () => {
		expect(evaluateRequest(delivery('not json', 'junk'), settings(), NOW).status).toBe(401);
	});

	it('unsigned mode: no signature needed, the item says it was not checked; bad bodies are still 400', () => {
		const body = event();
		const d = evaluateRequest(delivery(body), settings({ requireSignature: false }), NOW);
		expect(d.action === 'start' && d.event.signature).toBe('not_checked');
		expect(evaluateRequest(delivery('[]'), settings({ requireSignature: false }), NOW).status).toBe(400);
	});
});

describe('de-duplication', () => {
	it('the second delivery of an event id → 200 duplicate: true, and it does not start', async () => {
		const claims = memoryClaims();
		const body = event('evt-dup');
		const first = await admitRequest(delivery(body, sign(body)), settings(), NOW, claims);
		const again = await admitRequest(delivery(body, sign(body, CURRENT, NOW_S + 5)), settings(), NOW + 5000, claims);
		expect(first.action).toBe('start');
		expect(again).toEqual({
			action: 'duplicate',
			status: 200,
			body: { accepted: false, duplicate: true, eventId: 'evt-dup', message: 'This event was already received; the workflow was not started again' },
		});
	});

	it('rejected requests do not claim the id: a forged or malformed request cannot block the genuine event', async () => {
		const claims = memoryClaims();
		const good = event('evt-x');
		const forged = await admitRequest(delivery(good, sign(good, 'attacker')), settings(), NOW, claims);
		const bad = JSON.stringify({ id: 'evt-x', type: 'nps_response', customerId: 'C', data: {} });
		const malformed = await admitRequest(delivery(bad, sign(bad)), settings(), NOW, claims);
		const genuine = await admitRequest(delivery(good, sign(good)), settings(), NOW, claims);
		expect([forged.status, malformed.status, genuine.status]).toEqual([401, 400, 202]);
		expect([...claims.keys]).toEqual(['generic:evt-x']);
	});

	it('store unreachable → 503 and nothing starts (the sender retries later)', async () => {
		const body = event('evt-z');
		const broken: DeliveryClaims = { claim: async () => Promise.reject(new Error('connection refused')) };
		expect(await admitRequest(delivery(body, sign(body)), settings(), NOW, broken)).toEqual({
			action: 'reject',
			status: 503,
			body: { error: 'deduplication_unavailable', message: 'The de-duplication store could not be reached; retry later', eventId: 'evt-z' },
			// For the receiver's log only: the sender is not told about the store.
			logMessage: 'The de-duplication store could not be reached: connection refused',
		});
	});

	it('without a store (de-duplication off) every valid delivery starts', async () => {
		const body = event('evt-y');
		const a = await admitRequest(delivery(body, sign(body)), settings(), NOW, null);
		const b = await admitRequest(delivery(body, sign(body)), settings(), NOW, null);
		expect([a.action, b.action]).toEqual(['start', 'start']);
	});
});

describe('Jiandaoyun pushes: the event id is covered by the signature', () => {
	const jdy = settings({
		preset: 'jiandaoyun',
		format: { kind: 'jiandaoyun' },
		jiandaoyun: { eventType: 'complaint', customerIdField: 'customer_id', operations: ['data_create'] },
	});
	// Jiandaoyun's documented check value, written out here: SHA-1 hex of nonce:body:secret:timestamp.
	const jdySign = (body: string, nonce: string, t: number, secret = CURRENT) =>
		createHash('sha1').update(`${nonce}:${body}:${secret}:${t}`, 'utf8').digest('hex');
	const pushBody = (recordId: string, summary = '退款一直没到账') =>
		JSON.stringify({ op: 'data_create', opTime: NOW - 1000, data: { _id: recordId, customer_id: 'C-3001', summary } });
	const push = (body: string, opts: { nonce?: string; t?: number; deliverId?: string } = {}) => {
		const nonce = opts.nonce ?? 'a1b2c3';
		const t = opts.t ?? NOW_S;
		return {
			rawBody: Buffer.from(body, 'utf8'),
			query: { nonce, timestamp: String(t) },
			headers: {
				'x-jdy-signature': jdySign(body, nonce, t),
				...(opts.deliverId === undefined ? {} : { 'x-jdy-deliverid': opts.deliverId }),
			},
		};
	};

	it('a captured push resent with another X-JDY-DeliverId (not signed) → 200 duplicate, nothing starts', async () => {
		const claims = memoryClaims();
		const body = pushBody('65b000001');
		const first = await admitRequest(push(body, { deliverId: 'deliver-1' }), jdy, NOW, claims);
		const forgedIds = ['deliver-2', 'sha1=0000000000000000000000000000000000000000', ''];
		const replays = await Promise.all(forgedIds.map(async (deliverId) => admitRequest(push(body, { deliverId }), jdy, NOW + 1000, claims)));
		const withoutHeader = await admitRequest(push(body), jdy, NOW + 2000, claims);
		expect(first).toMatchObject({ action: 'start', status: 202, body: { eventId: createHash('sha256').update(body).digest('hex') } });
		for (const replay of [...replays, withoutHeader]) {
			expect(replay).toMatchObject({ action: 'duplicate', status: 200, body: { duplicate: true, eventId: first.body.eventId } });
		}
		expect(claims.keys.size).toBe(1);
	});

	it('a genuine retry (the same delivery resent, or signed again with a new nonce and timestamp) → 200 duplicate', async () => {
		const claims = memoryClaims();
		const body = pushBody('65b000002');
		const first = await admitRequest(push(body, { deliverId: 'd-7' }), jdy, NOW, claims);
		const resent = await admitRequest(push(body, { deliverId: 'd-7' }), jdy, NOW + 30_000, claims);
		const resigned = await admitRequest(push(body, { deliverId: 'd-7', nonce: 'ffee01', t: NOW_S + 60 }), jdy, NOW + 60_000, claims);
		expect([first.status, resent.status, resigned.status]).toEqual([202, 200, 200]);
	});

	it('another push (another record, or the same record with other content) starts; the id needs no header', async () => {
		const claims = memoryClaims();
		const a = await admitRequest(push(pushBody('65b000003'), { deliverId: 'same' }), jdy, NOW, claims);
		const b = await admitRequest(push(pushBody('65b000004'), { deliverId: 'same' }), jdy, NOW, claims);
		const c = await admitRequest(push(pushBody('65b000004', '改了内容')), jdy, NOW, claims);
		expect([a.status, b.status, c.status]).toEqual([202, 202, 202]);
		expect(new Set([a.body.eventId, b.body.eventId, c.body.eventId]).size).toBe(3);
	});

	it('changing a signed part (nonce, timestamp, body) without the secret is still refused before de-duplication', async () => {
		const claims = memoryClaims();
		const body = pushBody('65b000005');
		const genuine = push(body, { deliverId: 'd-9' });
		const otherNonce = { ...genuine, query: { ...genuine.query, nonce: 'zzzzzz' } };
		const otherBody = { ...genuine, rawBody: Buffer.from(pushBody('65b000006'), 'utf8') };
		for (const request of [otherNonce, otherBody]) {
			expect(await admitRequest(request, jdy, NOW, claims)).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
		}
		expect(claims.keys.size).toBe(0);
	});
});

describe('the corpus', () => {
	const corpus = buildCorpus({ nowSeconds: NOW_S, currentSecret: CURRENT, previousSecret: PREVIOUS });
	const jdySettings = settings({
		preset: 'jiandaoyun',
		format: { kind: 'jiandaoyun' },
		jiandaoyun: { eventType: 'nps_response', customerIdField: 'customer_id', operations: ['data_create'] },
	});

	it('has at least 200 requests in every category', () => {
		expect(corpus.length).toBeGreaterThanOrEqual(200);
		const categories = new Set(corpus.map((r) => r.category));
		for (const c of ['valid', 'rotated', 'forged', 'tampered', 'unsigned', 'stale', 'replayed', 'duplicated', 'malformed', 'oversized', 'ignored']) {
			expect(categories).toContain(c);
		}
		const startIds = corpus.filter((r) => r.expected.starts).map((r) => r.expected.eventId);
		expect(new Set(startIds).size).toBe(startIds.length);
	});

	it('every request gets its expected answer; only valid events start, each exactly once', async () => {
		const claims = { generic: memoryClaims(), jiandaoyun: memoryClaims() };
		const started: string[] = [];
		for (const req of corpus) {
			const d = await admitRequest(
				{ rawBody: Buffer.from(req.body, 'utf8'), headers: req.headers, query: req.query },
				req.preset === 'generic' ? settings() : jdySettings,
				NOW + 1500,
				claims[req.preset],
			);
			const outcome = { name: req.name, status: d.status, starts: d.action === 'start', error: d.body.error, duplicate: d.body.duplicate, ignored: d.body.ignored };
			expect(outcome).toEqual({
				name: req.name,
				status: req.expected.status,
				starts: req.expected.starts,
				error: req.expected.error,
				duplicate: req.expected.duplicate ?? (req.expected.status === 202 ? false : undefined),
				ignored: req.expected.ignored,
			});
			if (d.action === 'start') started.push(d.event.eventId);
		}
		const expectedStarts = corpus.filter((r: CorpusRequest) => r.expected.starts).map((r) => r.expected.eventId).sort();
		expect(started.sort()).toEqual(expectedStarts);
	});
});
