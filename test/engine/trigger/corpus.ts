/**
 * A corpus of webhook requests with the outcome each must get — forged, tampered, replayed, stale,
 * malformed, oversized, duplicated and valid — for the Retention Trigger.
 *
 * Used by the unit tests (through the engine and through the node's webhook()) and meant for the
 * end-to-end test against a real n8n: build it just before sending (valid requests are signed with
 * `nowSeconds`, so they stay valid for the tolerance, 300 s), send the requests IN ORDER (replays and
 * duplicates refer to earlier requests), then check that every `expected.status` was answered and
 * that the workflow started exactly once for every request with `expected.starts` (their event ids
 * are unique) and never for any other.
 *
 * Signatures are computed here with Node's crypto directly, not with the engine's signing helpers, so
 * the corpus is an independent check of the verifier.
 *
 * The trigger nodes must be configured as in {@link CORPUS_TRIGGERS} (Repeated Events: Shared Ledger)
 * with a Retention Ledger credential for PostgreSQL or Redis: with the workflow-storage fallback
 * n8n saves the remembered ids after answering, and in runs on n8n 2.41.1 2–5 of the 28 redeliveries
 * started again. With a Redis ledger all 224 answers matched and exactly the 86 valid events started.
 */
import { createHash, createHmac } from 'crypto';

import { mulberry32 } from '../../../nodes/shared/random';

export type CorpusCategory =
	| 'valid'
	| 'rotated'
	| 'forged'
	| 'tampered'
	| 'unsigned'
	| 'stale'
	| 'replayed'
	| 'duplicated'
	| 'malformed'
	| 'oversized'
	| 'ignored';

export interface CorpusRequest {
	name: string;
	category: CorpusCategory;
	/** Which of the two trigger nodes (see CORPUS_TRIGGERS) receives it. */
	preset: 'generic' | 'jiandaoyun';
	method: 'POST';
	query: Record<string, string>;
	headers: Record<string, string>;
	/** The exact body, sent as UTF-8 bytes. */
	body: string;
	expected: {
		status: 200 | 202 | 400 | 401 | 413;
		/** Whether this request starts the workflow. */
		starts: boolean;
		/** `error` field of a 400/401/413 answer. */
		error?: 'invalid_body' | 'missing_signature' | 'invalid_signature' | 'stale_timestamp' | 'body_too_large';
		duplicate?: boolean;
		ignored?: boolean;
		/** The event id the answer carries (202 and duplicates). */
		eventId?: string;
	};
}

export interface CorpusOptions {
	nowSeconds: number;
	currentSecret: string;
	previousSecret: string;
	/** Changes ids, nonces and which bytes are tampered; the outcome counts do not change. */
	seed?: number;
	/** How many valid generic events (≥ 7; the other categories scale with it). Default 56 → 224 requests. */
	validEvents?: number;
}

/**
 * The two trigger configurations the corpus assumes (node parameter names and values). Both detect
 * repeated events in the shared ledger: give each node a retentionLedgerApi credential too. The unit
 * tests through webhook() may run them with `repeatedEvents: 'workflowStorage'` instead (sequential
 * requests, one process: exact there).
 */
/** The ledger name both corpus triggers use (a run may override it with a unique one). */
export const CORPUS_LEDGER_NAME = 'corpus_ledger';

export const CORPUS_TRIGGERS = {
	generic: {
		path: 'retention-corpus',
		preset: 'generic',
		signing: 'signed',
		signatureFormat: 'combined',
		signatureHeader: 'X-Retention-Signature',
		toleranceSeconds: 300,
		maxBodyKilobytes: 64,
		eventTypes: ['complaint', 'cancellation_request', 'payment_failed', 'nps_response', 'usage_drop', 'renewal_due', 'custom'],
		deduplicate: true,
		repeatedEvents: 'sharedLedger',
		ledgerName: CORPUS_LEDGER_NAME,
	},
	jiandaoyun: {
		path: 'retention-corpus-jdy',
		preset: 'jiandaoyun',
		signing: 'signed',
		toleranceSeconds: 300,
		maxBodyKilobytes: 64,
		jiandaoyunEventType: 'nps_response',
		jiandaoyunCustomerIdField: 'customer_id',
		jiandaoyunOperations: ['data_create'],
		deduplicate: true,
		repeatedEvents: 'sharedLedger',
		ledgerName: CORPUS_LEDGER_NAME,
	},
} as const;

export const CORPUS_MAX_BODY_BYTES = 64 * 1024;
const HEADER = 'x-retention-signature';


function hmacHex(secret: string, timestamp: number, body: string): string {
	return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}
function jdySignature(secret: string, body: string, nonce: string, timestamp: number): string {
	return createHash('sha1').update(`${nonce}:${body}:${secret}:${timestamp}`, 'utf8').digest('hex');
}

/** Sample `data` for each event type, varied by `i`. */
function sampleData(type: string, i: number): Record<string, unknown> {
	switch (type) {
		case 'complaint':
			return { summary: `第${i}号投诉：配送延误`, severity: ['low', 'medium', 'high', 'critical'][i % 4], channel: 'wecom' };
		case 'cancellation_request':
			return { reason: 'price', subscriptionId: `SUB-${i}`, effectiveAt: '2025-03-01' };
		case 'payment_failed':
			return { amount: 99 + i, currency: i % 2 ? 'CNY' : 'usd', attempt: 1 + (i % 3), failureReason: 'card_declined' };
		case 'nps_response':
			return { score: i % 11, comment: i % 2 ? '客服回复慢' : 'ok' };
		case 'usage_drop':
			return { metric: 'weekly_logins', previousValue: 20 + i, currentValue: i % 5, period: 'week' };
		case 'renewal_due':
			return { renewalDate: '2025-02-28', plan: '年度会员', amount: 999, currency: 'CNY' };
		default:
			return { name: 'vip_upgrade', level: i % 3 };
	}
}

const TYPES = ['complaint', 'cancellation_request', 'payment_failed', 'nps_response', 'usage_drop', 'renewal_due', 'custom'];

/** Builds the corpus. Deterministic for given options. */
export function buildCorpus(options: CorpusOptions): CorpusRequest[] {
	// mulberry32 from the raw seed, local to one corpus build (the corpus's counts depend on this stream)
	const rnd = mulberry32(options.seed ?? 20250118);
	const now = options.nowSeconds;
	const run = Math.floor(rnd() * 1e9).toString(36);
	const validCount = Math.max(7, options.validEvents ?? 56);
	const scale = (n: number) => Math.max(1, Math.round((n * validCount) / 56));
	const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
	let serial = 0;
	const nextId = (prefix: string) => `${prefix}-${run}-${++serial}`;

	const first: CorpusRequest[] = [];
	const later: CorpusRequest[] = [];
	const acceptedGeneric: CorpusRequest[] = [];
	const acceptedJdy: CorpusRequest[] = [];

	const genericBody = (id: string, type: string, i: number, extra: Record<string, unknown> = {}) =>
		JSON.stringify({ id, type, customerId: `C-${1000 + i}`, occurredAt: '2025-01-18T10:30:00+08:00', data: sampleData(type, i), ...extra });
	const signed = (body: string, secrets: string[], t = now) =>
		[`t=${t}`, ...secrets.map((s) => `v1=${hmacHex(s, t, body)}`)].join(',');
	const generic = (
		name: string,
		category: CorpusCategory,
		body: string,
		header: string | undefined,
		expected: CorpusRequest['expected'],
	): CorpusRequest => ({
		name,
		category,
		preset: 'generic',
		method: 'POST',
		query: {},
		headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { [HEADER]: header }) },
		body,
		expected,
	});

	// Valid events of every type, signed with the current secret.
	for (let i = 0; i < validCount; i++) {
		const type = TYPES[i % TYPES.length];
		const id = nextId('evt');
		const body = genericBody(id, type, i);
		const req = generic(`valid ${type} #${i}`, 'valid', body, signed(body, [options.currentSecret]), {
			status: 202,
			starts: true,
			eventId: id,
		});
		first.push(req);
		acceptedGeneric.push(req);
	}
	// Rotation: signed with the previous secret only, or with both.
	for (let i = 0; i < scale(12); i++) {
		const id = nextId('rot');
		const body = genericBody(id, pick(TYPES), i);
		const secrets = i % 3 === 2 ? [options.previousSecret, options.currentSecret] : [options.previousSecret];
		const req = generic(`rotated secret #${i}`, 'rotated', body, signed(body, secrets), { status: 202, starts: true, eventId: id });
		first.push(req);
		acceptedGeneric.push(req);
	}
	// Forged: a secret the receiver does not hold, or a made-up signature.
	for (let i = 0; i < scale(20); i++) {
		const body = genericBody(nextId('forged'), pick(TYPES), i);
		const header =
			i % 2 === 0
				? signed(body, [`attacker-secret-${i}`])
				: `t=${now},v1=${Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('')}`;
		first.push(generic(`forged #${i}`, 'forged', body, header, { status: 401, starts: false, error: 'invalid_signature' }));
	}
	// Tampered: signed correctly, then one byte of the body (or the signed timestamp) changed.
	for (let i = 0; i < scale(20); i++) {
		const body = genericBody(nextId('tamper'), pick(TYPES), i);
		const header = signed(body, [options.currentSecret]);
		if (i % 4 === 3) {
			const moved = header.replace(`t=${now}`, `t=${now - 1}`);
			first.push(generic(`tampered timestamp #${i}`, 'tampered', body, moved, { status: 401, starts: false, error: 'invalid_signature' }));
			continue;
		}
		// Change a character inside a value, keeping the JSON valid, so only the signature can catch it.
		const at = body.indexOf('C-') + 2 + Math.floor(rnd() * 3);
		const changed = body.slice(0, at) + (body[at] === '9' ? '8' : '9') + body.slice(at + 1);
		first.push(generic(`tampered body #${i}`, 'tampered', changed, header, { status: 401, starts: false, error: 'invalid_signature' }));
	}
	// No signature, or a header that is not in the t=…,v1=… format.
	const unsigned: Array<[string | undefined, 'missing_signature' | 'invalid_signature']> = [
		[undefined, 'missing_signature'],
		['', 'missing_signature'],
		['v1=abc', 'invalid_signature'],
		[`t=${now}`, 'invalid_signature'],
		[`t=${now},v1=`, 'invalid_signature'],
		['sha256=0000', 'invalid_signature'],
		[`t=now,v1=${'a'.repeat(64)}`, 'invalid_signature'],
	];
	for (let i = 0; i < scale(14); i++) {
		const [header, error] = unsigned[i % unsigned.length];
		const body = genericBody(nextId('unsigned'), pick(TYPES), i);
		first.push(generic(`unsigned/malformed header #${i}`, 'unsigned', body, header, { status: 401, starts: false, error }));
	}
	// Stale: correctly signed, but the timestamp is far outside the 300 s tolerance (past or future).
	for (let i = 0; i < scale(16); i++) {
		const body = genericBody(nextId('stale'), pick(TYPES), i);
		const t = i % 4 === 3 ? now + 900 + i * 60 : now - 900 - i * 600;
		first.push(generic(`stale #${i}`, 'stale', body, signed(body, [options.currentSecret], t), { status: 401, starts: false, error: 'stale_timestamp' }));
	}
	// Malformed: correctly signed, but not JSON or not the schema.
	const malformed: Array<(id: string, i: number) => string> = [
		() => '{"id": "broken", ',
		() => 'not json at all',
		() => '',
		() => '[1,2,3]',
		(id, i) => JSON.stringify({ id, type: 'nps_response', customerId: `C-${i}`, data: { score: 11 } }),
		(id, i) => JSON.stringify({ id, type: 'nps_response', customerId: `C-${i}`, data: { score: '很好' } }),
		(id) => JSON.stringify({ id, type: 'complaint', data: { summary: 'x' } }),
		(id, i) => JSON.stringify({ id, type: 'refund', customerId: `C-${i}`, data: {} }),
		(id, i) => JSON.stringify({ id, type: 'payment_failed', customerId: `C-${i}`, data: { amount: -5, currency: 'RMB' } }),
		(id, i) => JSON.stringify({ id, type: 'usage_drop', customerId: `C-${i}`, data: { metric: '' } }),
		(id, i) => JSON.stringify({ id, type: 'renewal_due', customerId: `C-${i}`, data: { renewalDate: 'soon' } }),
		(_id, i) => JSON.stringify({ type: 'custom', customerId: `C-${i}`, data: {} }),
	];
	const retriedAfterFix: CorpusRequest[] = [];
	for (let i = 0; i < scale(24); i++) {
		const id = nextId('bad');
		const body = malformed[i % malformed.length](id, i);
		const req = generic(`malformed #${i}`, 'malformed', body, signed(body, [options.currentSecret]), { status: 400, starts: false, error: 'invalid_body' });
		// n8n parses application/json bodies itself before the node runs and refuses broken JSON on its
		// own (no workflow starts either way); sent as text, the node's 400 with field errors is what answers.
		if (!isJson(body)) req.headers['content-type'] = 'text/plain';
		first.push(req);
		// A rejected body does not use up its event id: the corrected event is accepted later.
		if (i % malformed.length === 4) {
			const fixed = genericBody(id, 'nps_response', i);
			const req = generic(`corrected after 400 #${i}`, 'valid', fixed, signed(fixed, [options.currentSecret]), { status: 202, starts: true, eventId: id });
			retriedAfterFix.push(req);
		}
	}
	// Oversized: correctly signed, larger than 64 KiB.
	for (let i = 0; i < scale(6); i++) {
		const id = nextId('big');
		const body = JSON.stringify({ id, type: 'custom', customerId: 'C-1', data: { blob: 'x'.repeat(CORPUS_MAX_BODY_BYTES + i * 4096) } });
		first.push(generic(`oversized #${i}`, 'oversized', body, signed(body, [options.currentSecret]), { status: 413, starts: false, error: 'body_too_large' }));
	}

	// Jiandaoyun data push: a NPS survey form whose fields are aliased customer_id, score, comment.
	const jdy = (name: string, category: CorpusCategory, op: string, deliverId: string, i: number, opts: { secret?: string; t?: number; tamper?: boolean } = {}, expected: CorpusRequest['expected']): CorpusRequest => {
		const t = opts.t ?? now;
		const nonce = Math.floor(rnd() * 0xffffff).toString(16).padStart(6, '0');
		const body = JSON.stringify({
			op,
			opTime: (now - 2) * 1000,
			data: { _id: `65a${i.toString(16).padStart(5, '0')}`, appId: 'app1', entryId: 'entry1', customer_id: `C-${2000 + i}`, score: String(i % 11), comment: '物流慢' },
		});
		const signature = jdySignature(opts.secret ?? options.currentSecret, body, nonce, t);
		return {
			name,
			category,
			preset: 'jiandaoyun',
			method: 'POST',
			query: { timestamp: String(t), nonce },
			headers: { 'content-type': 'application/json', 'x-jdy-signature': signature, 'x-jdy-deliverid': deliverId },
			body: opts.tamper ? body.replace('物流慢', '物流快') : body,
			expected,
		};
	};
	for (let i = 0; i < scale(16); i++) {
		const req = jdy(`jiandaoyun valid #${i}`, 'valid', 'data_create', nextId('jdy'), i, { secret: i % 4 === 3 ? options.previousSecret : undefined }, { status: 202, starts: true });
		// A Jiandaoyun push's event id is the SHA-256 of its (signed) body, not the unsigned X-JDY-DeliverId.
		req.expected.eventId = createHash('sha256').update(req.body, 'utf8').digest('hex');
		first.push(req);
		acceptedJdy.push(req);
	}
	for (let i = 0; i < scale(4); i++) {
		first.push(jdy(`jiandaoyun data_update ignored #${i}`, 'ignored', 'data_update', nextId('jdyupd'), i, {}, { status: 200, starts: false, ignored: true }));
	}
	for (let i = 0; i < scale(6); i++) {
		const kind = i % 3;
		const opts = kind === 0 ? { secret: 'wrong-secret' } : kind === 1 ? { tamper: true } : { t: now - 3600 };
		const error = kind === 2 ? 'stale_timestamp' : 'invalid_signature';
		first.push(jdy(`jiandaoyun ${['forged', 'tampered', 'stale'][kind]} #${i}`, (['forged', 'tampered', 'stale'] as const)[kind], 'data_create', nextId('jdybad'), i, opts, { status: 401, starts: false, error }));
	}

	// Replays: byte-for-byte copies of accepted requests (within the tolerance, so only de-duplication stops them).
	for (let i = 0; i < scale(12); i++) {
		const original = acceptedGeneric[Math.floor(rnd() * acceptedGeneric.length)];
		later.push({ ...original, name: `replay of "${original.name}"`, category: 'replayed', expected: { status: 200, starts: false, duplicate: true, eventId: original.expected.eventId } });
	}
	// Duplicates: the sender re-sends the same event id, freshly signed (a retry), possibly with a changed body.
	for (let i = 0; i < scale(12); i++) {
		const original = acceptedGeneric[Math.floor(rnd() * acceptedGeneric.length)];
		const body = genericBody(original.expected.eventId!, pick(TYPES), i + 100);
		later.push(generic(`retry of "${original.name}"`, 'duplicated', body, signed(body, [options.currentSecret], now + 1), { status: 200, starts: false, duplicate: true, eventId: original.expected.eventId }));
	}
	for (let i = 0; i < scale(4); i++) {
		const original = acceptedJdy[Math.floor(rnd() * acceptedJdy.length)];
		later.push({ ...original, name: `jiandaoyun redelivery of "${original.name}"`, category: 'duplicated', expected: { status: 200, starts: false, duplicate: true, eventId: original.expected.eventId } });
	}

	return [...shuffle(first, rnd), ...shuffle([...retriedAfterFix, ...later], rnd)];
}

function isJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

function shuffle<T>(list: T[], rnd: () => number): T[] {
	const out = [...list];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}
