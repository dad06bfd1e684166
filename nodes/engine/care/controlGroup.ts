/**
 * Control group (holdout) assignment: deterministic, so the same customer stays in or out of the
 * holdout of one campaign on every run, in every process, without storing anything first.
 *
 * bucket = first 52 bits of SHA-256(campaign key, NUL, customer id) / 2^52, uniform in [0, 1);
 * the customer is held out when bucket < share. A different campaign key reshuffles everybody, so
 * that the same customers are not always the ones left out.
 */
import { createHash } from 'crypto';

export function holdoutBucket(customerId: string, campaignKey: string): number {
	const digest = createHash('sha256').update(campaignKey).update('\u0000').update(customerId).digest();
	// 52 bits fit a double exactly: 4 bytes + 20 bits.
	const high = digest.readUInt32BE(0);
	const low = digest.readUInt32BE(4) >>> 12;
	return (high * 2 ** 20 + low) / 2 ** 52;
}

export function isHeldOut(customerId: string, campaignKey: string, share: number): boolean {
	if (!(share > 0)) return false;
	return holdoutBucket(customerId, campaignKey) < share;
}

/**
 * A short stable hash for ledger keys: customer ids are often phone numbers or e-mail addresses,
 * which the ledger must not store in clear.
 */
export function ledgerHash(...parts: string[]): string {
	return createHash('sha256').update(`${parts.join('\u0000')}\u0000`).digest('hex').slice(0, 32);
}
