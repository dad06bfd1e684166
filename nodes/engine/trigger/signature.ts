/**
 * Signing and verifying webhook deliveries.
 *
 * The default scheme is the one most payment and messaging platforms use (a `t=…,v1=…` header):
 *   signed content = `<timestamp>.<raw body bytes>`
 *   signature      = lowercase hex of HMAC-SHA256(secret, signed content)
 *   header         = `t=<Unix seconds>,v1=<signature>` — several `v1=` entries are allowed, so a sender
 *                    can sign with the old and the new secret while a secret is being replaced.
 * The timestamp is inside the signed content, so it cannot be changed without breaking the signature;
 * checking it against the clock (the tolerance) stops an attacker from replaying a captured request
 * later. The receiver accepts two secrets at once (current and previous) for the same reason.
 *
 * Jiandaoyun (简道云) data push signs differently (its developer guide, "签名验证"): the SHA-1 hex of
 * `<nonce>:<raw body>:<secret>:<timestamp>`, with `nonce` and `timestamp` in the query string and the
 * digest in the `X-JDY-Signature` header. That scheme is verified here too, with the same tolerance.
 *
 * Signatures are compared with crypto.timingSafeEqual on digests of equal length, so the time taken
 * does not tell an attacker how many leading characters were right.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** Where the signature and the timestamp travel. Header names are matched case-insensitively. */
export type SignatureFormat =
	| {
			/** One header holding both, e.g. `X-Retention-Signature: t=1737168000,v1=5f2b…`. */
			kind: 'combined';
			header: string;
			/** Key of the timestamp entry (`t`). */
			timestampKey: string;
			/** Key of the signature entries (`v1`). */
			signatureKey: string;
	  }
	| {
			/** Two headers: the hex signature (optionally prefixed `sha256=`) and the Unix-seconds timestamp. */
			kind: 'separate';
			signatureHeader: string;
			timestampHeader: string;
	  }
	| {
			/** Jiandaoyun data push: `X-JDY-Signature` header, `nonce` and `timestamp` query parameters. */
			kind: 'jiandaoyun';
	  };

export const DEFAULT_SIGNATURE_HEADER = 'X-Retention-Signature';
export const DEFAULT_FORMAT: SignatureFormat = {
	kind: 'combined',
	header: DEFAULT_SIGNATURE_HEADER,
	timestampKey: 't',
	signatureKey: 'v1',
};
export const JIANDAOYUN_SIGNATURE_HEADER = 'X-JDY-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;
/**
 * The shortest signing secret the trigger works with. A short secret can be found by trying every
 * candidate against one captured request (offline, as fast as HMAC runs), after which anyone can sign.
 */
export const MIN_SECRET_LENGTH = 16;

export type Headers = Record<string, string | string[] | undefined>;
export type Query = Record<string, unknown>;

export interface SignedRequest {
	rawBody: Uint8Array;
	headers: Headers;
	query?: Query;
}

export interface VerifyOptions {
	/** The current secret first, then the previous one (during a rotation). Empty entries are ignored. */
	secrets: readonly string[];
	format: SignatureFormat;
	toleranceSeconds: number;
	/** The receiver's clock, epoch milliseconds. */
	nowMs: number;
}

export type SignatureFailure =
	| 'missing_signature'
	| 'malformed_signature'
	| 'missing_timestamp'
	| 'stale_timestamp'
	| 'signature_mismatch'
	| 'no_secret_configured';

export type VerifyResult =
	| { ok: true; timestamp: number; /** 0 = current secret, 1 = previous secret. */ secretIndex: number }
	| { ok: false; reason: SignatureFailure; message: string };

/** Header lookup as HTTP defines it: names are case-insensitive; a repeated header gives its first value. */
export function headerValue(headers: Headers, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return typeof first === 'string' ? first : undefined;
	}
	return undefined;
}

function queryValue(query: Query | undefined, name: string): string | undefined {
	const value = query?.[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : typeof first === 'number' ? String(first) : undefined;
}

const TIMESTAMP = /^\d{1,12}$/;
const HEX = /^[0-9a-fA-F]+$/;

/** `t=…,v1=…,v1=…` → timestamp text and every signature entry. Unknown keys are ignored. */
export function parseCombinedHeader(
	value: string,
	timestampKey: string,
	signatureKey: string,
): { timestamp?: string; signatures: string[] } {
	const signatures: string[] = [];
	let timestamp: string | undefined;
	for (const part of value.split(',')) {
		const eq = part.indexOf('=');
		if (eq <= 0) continue;
		const key = part.slice(0, eq).trim();
		const val = part.slice(eq + 1).trim();
		if (key === timestampKey && timestamp === undefined) timestamp = val;
		else if (key === signatureKey) signatures.push(val);
	}
	return { timestamp, signatures };
}

/** The bytes the HMAC covers in the `t=…,v1=…` and two-header schemes: `<timestamp>.<raw body>`. */
export function signedContent(timestamp: string, rawBody: Uint8Array): Buffer {
	return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.from(rawBody)]);
}

function hmacSha256(secret: string, content: Uint8Array): Buffer {
	return createHmac('sha256', Buffer.from(secret, 'utf8')).update(content).digest();
}

/** Jiandaoyun's documented check value: SHA-1 over `<nonce>:<payload>:<secret>:<timestamp>` in UTF-8. */
function jiandaoyunDigest(nonce: string, rawBody: Uint8Array, secret: string, timestamp: string): Buffer {
	return createHash('sha1')
		.update(Buffer.from(`${nonce}:`, 'utf8'))
		.update(rawBody)
		.update(Buffer.from(`:${secret}:${timestamp}`, 'utf8'))
		.digest();
}

/**
 * Signs a body the way this trigger verifies it (default format). For documentation, tests and
 * senders written in JavaScript; the README shows the same with openssl.
 */
export function signBody(secret: string, rawBody: Uint8Array | string, timestampSeconds: number): string {
	const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
	const t = String(Math.floor(timestampSeconds));
	return hmacSha256(secret, signedContent(t, body)).toString('hex');
}

/** The full default header value, `t=<seconds>,v1=<hex>` (one `v1` per secret given). */
export function signatureHeader(secrets: string | readonly string[], rawBody: Uint8Array | string, timestampSeconds: number): string {
	const list = typeof secrets === 'string' ? [secrets] : secrets;
	const t = String(Math.floor(timestampSeconds));
	return [`t=${t}`, ...list.map((s) => `v1=${signBody(s, rawBody, timestampSeconds)}`)].join(',');
}

/** Jiandaoyun's signature for a body, nonce and timestamp (hex), as its servers compute it. */
export function signJiandaoyun(secret: string, rawBody: Uint8Array | string, nonce: string, timestamp: string): string {
	const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
	return jiandaoyunDigest(nonce, body, secret, timestamp).toString('hex');
}

/** Hex text → bytes, or null when it is not hex of the digest's length (never a partial decode). */
function decodeHex(text: string, byteLength: number): Buffer | null {
	const hex = text.startsWith('sha256=') || text.startsWith('sha1=') ? text.slice(text.indexOf('=') + 1) : text;
	if (hex.length !== byteLength * 2 || !HEX.test(hex)) return null;
	return Buffer.from(hex, 'hex');
}

/**
 * Index of the first secret whose expected digest equals one of the presented signatures, or -1.
 * Every pair is compared (no early exit), each in constant time on equal-length buffers.
 */
function matchingSecret(expected: Buffer[], presented: Buffer[]): number {
	let found = -1;
	for (let s = expected.length - 1; s >= 0; s--) {
		for (const candidate of presented) {
			if (candidate.length === expected[s].length && timingSafeEqual(candidate, expected[s])) found = s;
		}
	}
	return found;
}

function fail(reason: SignatureFailure, message: string): VerifyResult {
	return { ok: false, reason, message };
}

/** Verifies a delivery's signature and timestamp. Nothing here throws on hostile input. */
export function verifySignature(request: SignedRequest, options: VerifyOptions): VerifyResult {
	const secrets = options.secrets.filter((s) => typeof s === 'string' && s.length > 0);
	if (secrets.length === 0) {
		return fail('no_secret_configured', 'The trigger has no signing secret; set one in its credential');
	}
	const format = options.format;
	let timestampText: string | undefined;
	let presentedText: string[];
	let nonce = '';

	if (format.kind === 'combined') {
		const raw = headerValue(request.headers, format.header);
		if (raw === undefined || raw.trim() === '') return fail('missing_signature', `Header ${format.header} is missing`);
		const parsed = parseCombinedHeader(raw, format.timestampKey, format.signatureKey);
		timestampText = parsed.timestamp;
		presentedText = parsed.signatures;
		if (presentedText.length === 0) {
			return fail('malformed_signature', `Header ${format.header} has no ${format.signatureKey}= entry`);
		}
	} else if (format.kind === 'separate') {
		const raw = headerValue(request.headers, format.signatureHeader);
		if (raw === undefined || raw.trim() === '') {
			return fail('missing_signature', `Header ${format.signatureHeader} is missing`);
		}
		presentedText = raw.split(',').map((s) => s.trim());
		timestampText = headerValue(request.headers, format.timestampHeader)?.trim();
	} else {
		const raw = headerValue(request.headers, JIANDAOYUN_SIGNATURE_HEADER);
		if (raw === undefined || raw.trim() === '') {
			return fail('missing_signature', `Header ${JIANDAOYUN_SIGNATURE_HEADER} is missing`);
		}
		presentedText = [raw.trim()];
		timestampText = queryValue(request.query, 'timestamp')?.trim();
		nonce = queryValue(request.query, 'nonce') ?? '';
		if (nonce === '') return fail('malformed_signature', 'Query parameter nonce is missing');
	}

	if (timestampText === undefined || timestampText === '') {
		return fail('missing_timestamp', 'The signature has no timestamp');
	}
	if (!TIMESTAMP.test(timestampText)) {
		return fail('missing_timestamp', 'The timestamp is not a whole number of Unix seconds');
	}

	const digestLength = format.kind === 'jiandaoyun' ? 20 : 32;
	const presented = presentedText.map((t) => decodeHex(t, digestLength)).filter((b): b is Buffer => b !== null);
	if (presented.length === 0) {
		return fail('malformed_signature', `The signature is not ${digestLength * 2} hexadecimal characters`);
	}

	const expected =
		format.kind === 'jiandaoyun'
			? secrets.map((s) => jiandaoyunDigest(nonce, request.rawBody, s, timestampText))
			: secrets.map((s) => hmacSha256(s, signedContent(timestampText, request.rawBody)));
	const secretIndex = matchingSecret(expected, presented);
	if (secretIndex < 0) return fail('signature_mismatch', 'The signature does not match the body');

	// Checked after the signature, so the timestamp we judge is one the sender really signed.
	const timestamp = Number(timestampText);
	// Whole seconds on both sides (the timestamp is whole seconds): a request signed exactly Tolerance
	// seconds ago is accepted like one signed Tolerance seconds ahead, and the message never reads
	// "300 s away (tolerance 300 s)".
	const skewSeconds = Math.abs(Math.floor(options.nowMs / 1000) - timestamp);
	if (!(skewSeconds <= options.toleranceSeconds)) {
		return fail(
			'stale_timestamp',
			`The timestamp is ${Math.round(skewSeconds)} s away from the receiver's clock (tolerance ${options.toleranceSeconds} s)`,
		);
	}
	return { ok: true, timestamp, secretIndex };
}
