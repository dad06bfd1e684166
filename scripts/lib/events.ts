/**
 * Sends Retention Trigger events the way docs/trigger.md tells a sender to: HMAC-SHA256 of
 * `<unix seconds>.<body>` with the shared secret, in `X-Retention-Signature: t=…,v1=…`.
 */
import { createHmac } from 'crypto';

/** The signing secret of the demo credential that `npm start` creates (change it for real use). */
export const DEMO_SIGNING_SECRET = 'demo-signing-secret-0123456789abcdef';

export interface RetentionEvent {
	id: string;
	type: string;
	customerId: string;
	occurredAt?: string;
	data?: Record<string, unknown>;
}

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
	const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
	return `t=${timestamp},v1=${v1}`;
}

export async function sendEvent(url: string, secret: string, event: RetentionEvent): Promise<{ status: number; body: unknown }> {
	const body = JSON.stringify(event);
	const r = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-retention-signature': signatureHeader(secret, body) },
		body,
	});
	const text = await r.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		/* keep text */
	}
	return { status: r.status, body: parsed };
}
