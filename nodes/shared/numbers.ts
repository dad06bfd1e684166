/** Output hygiene: no NaN or Infinity ever leaves a node, and displayed numbers are rounded once. */

/** Rounds to `digits` decimals; non-finite input becomes null (callers give the reason). */
export function round(value: number, digits = 6): number | null {
	if (!Number.isFinite(value)) return null;
	const f = 10 ** digits;
	const scaled = value * f;
	// Beyond about 1e302 the scaling overflows; such a number has no decimals left to round anyway.
	if (!Number.isFinite(scaled)) return value;
	const r = Math.round(scaled) / f;
	return Object.is(r, -0) ? 0 : r;
}

/**
 * A monetary value rounded to a millionth (the precision outputs show money at), non-finite values as they
 * are: sums of decimal amounts differ in the last bits (19.99 + 9.99 ≠ 29.98), and values the output shows
 * as equal must compare equal.
 */
export function toMillionths(value: number): number {
	const r = Math.round(value * 1e6) / 1e6;
	return Number.isFinite(r) ? r : value;
}

/** A ratio as a percentage, or null with no division by zero. */
export function percent(numerator: number, denominator: number, digits = 4): number | null {
	if (denominator === 0) return null;
	return round((numerator / denominator) * 100, digits);
}

/** Replaces every non-finite number in a JSON value by null (a last line of defence at the adapter). */
export function finiteOnly<T>(value: T): T {
	if (typeof value === 'number') return (Number.isFinite(value) ? value : null) as T;
	if (Array.isArray(value)) return value.map(finiteOnly) as T;
	if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = finiteOnly(v);
		return out as T;
	}
	return value;
}
