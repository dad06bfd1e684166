/**
 * Signing: vectors computed by openssl (a separate implementation, run as a child process), rotation
 * with two secrets, tolerance edges, and properties: any single-byte change of the body, the timestamp
 * or the signature fails; any timestamp outside the tolerance fails; any inside passes.
 */
import { execFileSync } from 'child_process';
import fc from 'fast-check';

import {
	parseCombinedHeader,
	signBody,
	signJiandaoyun,
	signatureHeader,
	verifySignature,
	type SignatureFormat,
	type VerifyOptions,
} from '../../../nodes/engine/trigger/signature';

function opensslHmacSha256(secret: string, content: Buffer): string {
	const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: content }).toString();
	return out.trim().split(/\s+/).pop()!;
}
function opensslSha1(content: Buffer): string {
	const out = execFileSync('openssl', ['dgst', '-sha1'], { input: content }).toString();
	return out.trim().split(/\s+/).pop()!;
}

const SECRET = 'whsec_current_0123456789abcdef';
const OLD = 'whsec_previous_fedcba9876543210';
const T = 1_737_168_000; // 2025-01-18T02:40:00Z
const NOW = T * 1000;
const BODY = JSON.stringify({ id: 'evt_1', type: 'complaint', customerId: 'C-1', data: { summary: '物流太慢' } });

const combined: SignatureFormat = { kind: 'combined', header: 'X-Retention-Signature', timestampKey: 't', signatureKey: 'v1' };
const options = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
	secrets: [SECRET, OLD],
	format: combined,
	toleranceSeconds: 300,
	nowMs: NOW,
	...over,
});
const request = (header: string | undefined, body: string | Buffer = BODY) => ({
	rawBody: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
	headers: header === undefined ? {} : { 'x-retention-signature': header },
});

describe('signing vectors (checked against openssl)', () => {
	it('HMAC-SHA256 over "<timestamp>.<body>" equals openssl dgst -sha256 -hmac', () => {
		const expected = opensslHmacSha256(SECRET, Buffer.from(`${T}.${BODY}`, 'utf8'));
		expect(expected).toMatch(/^[0-9a-f]{64}$/);
		expect(signBody(SECRET, BODY, T)).toBe(expected);
		expect(signatureHeader(SECRET, BODY, T)).toBe(`t=${T},v1=${expected}`);
	});

	it('signs the raw bytes, including non-ASCII text and binary', () => {
		const bytes = Buffer.from([0x7b, 0xe4, 0xb8, 0xad, 0x00, 0xff, 0x7d]);
		const expected = opensslHmacSha256(SECRET, Buffer.concat([Buffer.from(`${T}.`), bytes]));
		expect(signBody(SECRET, bytes, T)).toBe(expected);
	});

	it('Jiandaoyun: SHA-1 of "<nonce>:<body>:<secret>:<timestamp>" equals openssl dgst -sha1', () => {
		const nonce = '0f5ade';
		const expected = opensslSha1(Buffer.from(`${nonce}:${BODY}:${SECRET}:${T}`, 'utf8'));
		expect(signJiandaoyun(SECRET, BODY, nonce, String(T))).toBe(expected);
	});
});

describe('verifySignature, t=…,v1=… header', () => {
	it('accepts a correct signature with the current secret', () => {
		expect(verifySignature(request(signatureHeader(SECRET, BODY, T)), options())).toEqual({ ok: true, timestamp: T, secretIndex: 0 });
	});

	it('rotation: accepts the previous secret and says so', () => {
		expect(verifySignature(request(signatureHeader(OLD, BODY, T)), options())).toMatchObject({ ok: true, secretIndex: 1 });
	});

	it('rotation: a header signed with both secrets is accepted by a receiver holding either', () => {
		const both = signatureHeader([OLD, SECRET], BODY, T);
		expect(both.split(',')).toHaveLength(3);
		expect(verifySignature(request(both), options({ secrets: [SECRET] }))).toMatchObject({ ok: true, secretIndex: 0 });
		expect(verifySignature(request(both), options({ secrets: [OLD] }))).toMatchObject({ ok: true, secretIndex: 0 });
	});

	it('refuses a secret that is neither current nor previous', () => {
		const forged = signatureHeader('whsec_attacker', BODY, T);
		expect(verifySignature(request(forged), options())).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('refuses once the previous secret is removed', () => {
		expect(verifySignature(request(signatureHeader(OLD, BODY, T)), options({ secrets: [SECRET, ''] }))).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('reports a missing header, a header without v1, a missing or non-numeric timestamp, short hex', () => {
		const sig = signBody(SECRET, BODY, T);
		expect(verifySignature(request(undefined), options())).toMatchObject({ reason: 'missing_signature' });
		expect(verifySignature(request(`t=${T}`), options())).toMatchObject({ reason: 'malformed_signature' });
		expect(verifySignature(request(`v1=${sig}`), options())).toMatchObject({ reason: 'missing_timestamp' });
		expect(verifySignature(request(`t=12e8,v1=${sig}`), options())).toMatchObject({ reason: 'missing_timestamp' });
		expect(verifySignature(request(`t=${T},v1=${sig.slice(2)}`), options())).toMatchObject({ reason: 'malformed_signature' });
		expect(verifySignature(request(`t=${T},v1=${'zz'.repeat(32)}`), options())).toMatchObject({ reason: 'malformed_signature' });
	});

	it('refuses when no secret is configured, even for an "empty secret" signature', () => {
		const emptyKeySig = signatureHeader('', BODY, T);
		expect(verifySignature(request(emptyKeySig), options({ secrets: ['', ''] }))).toMatchObject({ reason: 'no_secret_configured' });
	});

	it('finds the header whatever its case, and ignores unknown entries and spaces', () => {
		const sig = signBody(SECRET, BODY, T);
		const req = { rawBody: Buffer.from(BODY), headers: { 'X-RETENTION-SIGNATURE': ` t=${T} , v0=abc, v1=${sig} ` } };
		expect(verifySignature(req, options())).toMatchObject({ ok: true });
	});

	it('custom keys: ts=…,sig=… in another header', () => {
		const format: SignatureFormat = { kind: 'combined', header: 'X-Hub-Sig', timestampKey: 'ts', signatureKey: 'sig' };
		const sig = signBody(SECRET, BODY, T);
		const req = { rawBody: Buffer.from(BODY), headers: { 'x-hub-sig': `ts=${T},sig=${sig}` } };
		expect(verifySignature(req, options({ format }))).toMatchObject({ ok: true });
		const wrongKeys = { rawBody: Buffer.from(BODY), headers: { 'x-hub-sig': `t=${T},v1=${sig}` } };
		expect(verifySignature(wrongKeys, options({ format }))).toMatchObject({ ok: false });
	});
});

describe('tolerance', () => {
	const header = signatureHeader(SECRET, BODY, T);
	it.each([
		[0, true],
		[300, true],
		[-300, true],
		[301, false],
		[-301, false],
		[86_400, false],
	])('receiver clock %i s from the timestamp → accepted %s', (offset, ok) => {
		const result = verifySignature(request(header), options({ nowMs: (T + offset) * 1000 }));
		expect(result.ok).toBe(ok);
		if (!ok) expect(result).toMatchObject({ reason: 'stale_timestamp' });
	});

	it('the receiver clock counts whole seconds: 300.9 s after a timestamp is still 300 s (both sides alike)', () => {
		expect(verifySignature(request(header), options({ nowMs: (T + 300) * 1000 + 900 })).ok).toBe(true);
		expect(verifySignature(request(header), options({ nowMs: (T - 300) * 1000 + 900 })).ok).toBe(true);
		const late = verifySignature(request(header), options({ nowMs: (T + 301) * 1000 + 1 }));
		expect(late).toMatchObject({ reason: 'stale_timestamp' });
		expect(JSON.stringify(late)).toMatch(/301 s away/);
	});

	it('a stale request with a wrong signature is reported as a wrong signature (the timestamp is not trusted)', () => {
		const forged = signatureHeader('other', BODY, T);
		expect(verifySignature(request(forged), options({ nowMs: (T + 10_000) * 1000 }))).toMatchObject({ reason: 'signature_mismatch' });
	});

	it('property: any timestamp outside the tolerance fails, any inside passes', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 3600 }), fc.integer({ min: -200_000, max: 200_000 }), (tolerance, skew) => {
				const result = verifySignature(request(header), options({ toleranceSeconds: tolerance, nowMs: (T + skew) * 1000 }));
				return result.ok === Math.abs(skew) <= tolerance;
			}),
		);
	});
});

describe('tampering (properties)', () => {
	const body = Buffer.from(BODY, 'utf8');
	const header = signatureHeader(SECRET, body, T);

	it('any single-byte change of the body fails', () => {
		fc.assert(
			fc.property(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
				const tampered = Buffer.from(body);
				tampered[index] = (tampered[index] + delta) % 256;
				return verifySignature(request(header, tampered), options()).ok === false;
			}),
		);
	});

	it('appending or removing a byte fails', () => {
		expect(verifySignature(request(header, Buffer.concat([body, Buffer.from(' ')])), options()).ok).toBe(false);
		expect(verifySignature(request(header, body.subarray(0, body.length - 1)), options()).ok).toBe(false);
	});

	it('any single-character change anywhere in the header (keys, timestamp, signature) fails', () => {
		fc.assert(
			fc.property(fc.nat({ max: header.length - 1 }), fc.constantFrom(...'0123456789abcdef'), (index, ch) => {
				if (header[index] === ch) return true;
				const tampered = header.slice(0, index) + ch + header.slice(index + 1);
				return verifySignature(request(tampered), options({ toleranceSeconds: 10 ** 12 })).ok === false;
			}),
		);
	});
});

describe('two-header format', () => {
	const format: SignatureFormat = { kind: 'separate', signatureHeader: 'X-Signature', timestampHeader: 'X-Timestamp' };
	it('accepts hex or sha256=hex, refuses a wrong timestamp header', () => {
		const sig = signBody(SECRET, BODY, T);
		const ok1 = { rawBody: Buffer.from(BODY), headers: { 'x-signature': sig, 'x-timestamp': String(T) } };
		const ok2 = { rawBody: Buffer.from(BODY), headers: { 'x-signature': `sha256=${sig}`, 'x-timestamp': String(T) } };
		const bad = { rawBody: Buffer.from(BODY), headers: { 'x-signature': sig, 'x-timestamp': String(T + 1) } };
		const none = { rawBody: Buffer.from(BODY), headers: { 'x-signature': sig } };
		expect(verifySignature(ok1, options({ format }))).toMatchObject({ ok: true });
		expect(verifySignature(ok2, options({ format }))).toMatchObject({ ok: true });
		expect(verifySignature(bad, options({ format }))).toMatchObject({ reason: 'signature_mismatch' });
		expect(verifySignature(none, options({ format }))).toMatchObject({ reason: 'missing_timestamp' });
	});
});

describe('Jiandaoyun format', () => {
	const format: SignatureFormat = { kind: 'jiandaoyun' };
	const nonce = '0f5ade';
	const sig = opensslSha1(Buffer.from(`${nonce}:${BODY}:${SECRET}:${T}`, 'utf8'));
	const jdy = (headers: Record<string, string>, query: Record<string, unknown>, body = BODY) => ({
		rawBody: Buffer.from(body, 'utf8'),
		headers,
		query,
	});

	it('accepts the documented signature, with either secret', () => {
		expect(verifySignature(jdy({ 'x-jdy-signature': sig }, { timestamp: String(T), nonce }), options({ format }))).toMatchObject({ ok: true, secretIndex: 0 });
		const oldSig = signJiandaoyun(OLD, BODY, nonce, String(T));
		expect(verifySignature(jdy({ 'x-jdy-signature': oldSig }, { timestamp: String(T), nonce }), options({ format }))).toMatchObject({ ok: true, secretIndex: 1 });
	});

	it('refuses a changed nonce, timestamp or body, a missing nonce, a stale timestamp', () => {
		expect(verifySignature(jdy({ 'x-jdy-signature': sig }, { timestamp: String(T), nonce: '0f5adf' }), options({ format })).ok).toBe(false);
		expect(verifySignature(jdy({ 'x-jdy-signature': sig }, { timestamp: String(T + 1), nonce }), options({ format })).ok).toBe(false);
		expect(verifySignature(jdy({ 'x-jdy-signature': sig }, { timestamp: String(T), nonce }, BODY + ' '), options({ format })).ok).toBe(false);
		expect(verifySignature(jdy({ 'x-jdy-signature': sig }, { timestamp: String(T) }), options({ format }))).toMatchObject({ reason: 'malformed_signature' });
		expect(verifySignature(jdy({ 'x-jdy-signature': sig }, { timestamp: String(T), nonce }), options({ format, nowMs: (T + 301) * 1000 }))).toMatchObject({ reason: 'stale_timestamp' });
	});
});

describe('parseCombinedHeader', () => {
	it('keeps every signature entry and the first timestamp', () => {
		expect(parseCombinedHeader('t=1,v1=a,v1=b,t=2,junk,=x', 't', 'v1')).toEqual({ timestamp: '1', signatures: ['a', 'b'] });
	});
});
