/** Matching a computed value to a published number "to the published digits". */

/** Decimals written in a published number ("4.414" → 3). */
function decimals(published: string): number {
	const dot = published.indexOf('.');
	return dot < 0 ? 0 : published.length - dot - 1;
}

/** True when `value` rounds to `published` at the published number of decimals. */
export function matchesPublished(value: number, published: string): boolean {
	const d = decimals(published);
	return Math.abs(value - Number(published)) <= 0.5 * 10 ** -d + 1e-12;
}

/** Jest-friendly: the value rounded to the published decimals, as a string. */
export function asPublished(value: number, published: string): string {
	return value.toFixed(decimals(published));
}
