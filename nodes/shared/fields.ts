/**
 * Reading typed values out of items, with one clear error per bad value.
 *
 * Every node maps its inputs through field-name parameters ("which field holds the customer id?").
 * The readers here turn an item's value into the type the engine needs, or raise an {@link InputError}
 * that names the item index, the field and the offending value — never a NaN, never a silent drop.
 * No n8n imports: the node adapters turn InputError into NodeOperationError (see ./node.ts).
 */
import get from 'lodash/get';

import type { ZonedCalendar } from './dates';

export class InputError extends Error {
	constructor(
		readonly itemIndex: number,
		readonly field: string,
		readonly value: unknown,
		readonly reason: string,
		/** Do not echo the value (phone numbers, e-mail addresses, secrets). */
		readonly sensitive = false,
	) {
		super(
			`Item ${itemIndex}: field "${field}" ${reason}` +
				(value === undefined ? '' : ` (value: ${sensitive ? maskValue(value) : describeValue(value)})`),
		);
		this.name = 'InputError';
	}
}

/** A short, printable rendering of a value for error messages. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'missing';
	if (value === null) return 'null';
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	let text: string;
	try {
		text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
	} catch {
		text = String(value);
	}
	return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Shows only the shape of a sensitive value: `"13•••••••78"`. */
export function maskValue(value: unknown): string {
	if (Array.isArray(value)) return 'a list, not shown';
	if (value !== null && typeof value === 'object') return 'an object, not shown';
	const s = String(value);
	if (s.length <= 4) return '"•••"';
	return `"${s.slice(0, 2)}${'•'.repeat(Math.min(s.length - 4, 8))}${s.slice(-2)}"`;
}

export type Json = Record<string, unknown>;

/** Field lookup: an exact key first, then a dotted path (`customer.id`). */
export function getField(json: Json, field: string): unknown {
	// Own fields only: a field named "toString" or "constructor" that the item lacks is missing, not
	// the function every object inherits (item json never holds functions).
	const direct = Object.prototype.hasOwnProperty.call(json, field) ? json[field] : undefined;
	if (direct !== undefined || !field.includes('.')) return direct;
	const nested: unknown = get(json, field);
	return typeof nested === 'function' ? undefined : nested;
}

export function isMissing(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A character beyond ASCII (ASCII text is its own NFC form). */
const BEYOND_ASCII = /[\u0080-\uffff]/;

/**
 * Text in one Unicode form (NFC): "é" typed and "e" + combining accent pasted from elsewhere are the same
 * identifier or category. Plain ASCII, the usual case, is returned as is (normalising costs ~65 ms per million).
 */
export function toNfc(s: string): string {
	return BEYOND_ASCII.test(s) ? s.normalize('NFC') : s;
}

export function readId(json: Json, field: string, itemIndex: number): string {
	const value = getField(json, field);
	if (typeof value === 'string') {
		// One identifier whatever its Unicode form.
		const s = toNfc(value.trim());
		// PostgreSQL text cannot hold NUL: such an id would fail a whole ledger batch with a driver error.
		if (s.includes('\u0000')) throw new InputError(itemIndex, field, value, 'contains a NUL character (\\u0000); an identifier is plain text', true);
		if (s !== '') return s;
	} else if (typeof value === 'number' && Number.isFinite(value)) {
		if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
		// Beyond 2^53 a double no longer holds every whole number: 18-digit ids from a JSON export arrive
		// already rounded, neighbouring ids to the same number, and would silently be one customer.
		throw new InputError(
			itemIndex,
			field,
			value,
			`is a number beyond ${Number.MAX_SAFE_INTEGER}, which cannot hold every id exactly (neighbouring ids round to the same number); send the id as text`,
			true,
		);
	} else if (typeof value === 'bigint') {
		return value.toString();
	}
	// Customer identifiers are often phone numbers or e-mail addresses: the value is masked, never echoed.
	throw new InputError(
		itemIndex,
		field,
		value,
		isMissing(value) ? 'is missing or empty; an identifier is required' : 'is not an identifier (text or number)',
		!isMissing(value),
	);
}

export function readOptionalId(json: Json, field: string, itemIndex: number): string | undefined {
	return isMissing(getField(json, field)) ? undefined : readId(json, field, itemIndex);
}

const NUMERIC_STRING = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from a number or a numeric string; `undefined` when the value is missing. */
export function coerceNumber(value: unknown): number | undefined | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string') {
		const s = value.trim();
		if (s === '') return undefined;
		if (!NUMERIC_STRING.test(s)) return null;
		const n = Number(s);
		return Number.isFinite(n) ? n : null;
	}
	if (value === undefined || value === null) return undefined;
	return null;
}

/**
 * Why a value is not a number. Amounts exported with a currency sign or grouping ("¥1,299.00",
 * "1 299,00", "$12") are refused — a comma may be a thousands separator or a decimal point, and guessing
 * would misread one of them by a factor of 1,000 — but the reason says how to write them.
 */
export function notANumberReason(value: unknown): string {
	if (typeof value === 'string' && /\d/.test(value) && /[¥￥$€£元,，\s'’]/.test(value.trim())) {
		return 'is not a number: write amounts as plain numbers such as 1299.50 (no currency sign, no thousands separator, a point for decimals; an Edit Fields node can strip them)';
	}
	return 'is not a number';
}

export interface NumberRule {
	/** Smallest allowed value (inclusive). */
	min?: number;
	/** Largest allowed value (inclusive). */
	max?: number;
	integer?: boolean;
}

/**
 * Largest magnitude any numeric field may have (amounts, MRR, scores, counts): 10^15 is beyond any real
 * revenue even in cents, and keeps sums and averages of millions of rows exact enough and finite.
 */
const MAX_MAGNITUDE = 1e15;
const TOO_LARGE = 'is too large (more than 10^15 in size); check the unit or the field';

function checkNumber(n: number, rule: NumberRule, json: Json, field: string, itemIndex: number): number {
	if (Math.abs(n) > MAX_MAGNITUDE) {
		throw new InputError(itemIndex, field, getField(json, field), TOO_LARGE);
	}
	if (rule.integer && !Number.isInteger(n)) {
		throw new InputError(itemIndex, field, getField(json, field), 'must be a whole number');
	}
	if (rule.min !== undefined && n < rule.min) {
		throw new InputError(
			itemIndex,
			field,
			getField(json, field),
			rule.min === 0 ? 'must not be negative' : `must be at least ${rule.min}`,
		);
	}
	if (rule.max !== undefined && n > rule.max) {
		throw new InputError(itemIndex, field, getField(json, field), `must be at most ${rule.max}`);
	}
	return n;
}

export function readNumber(json: Json, field: string, itemIndex: number, rule: NumberRule = {}): number {
	const value = getField(json, field);
	const n = coerceNumber(value);
	if (n === undefined) throw new InputError(itemIndex, field, value, 'is missing; a number is required');
	if (n === null) throw new InputError(itemIndex, field, value, notANumberReason(value));
	return checkNumber(n, rule, json, field, itemIndex);
}

export function readOptionalNumber(
	json: Json,
	field: string,
	itemIndex: number,
	rule: NumberRule = {},
): number | undefined {
	const value = getField(json, field);
	const n = coerceNumber(value);
	if (n === undefined) return undefined;
	if (n === null) throw new InputError(itemIndex, field, value, notANumberReason(value));
	return checkNumber(n, rule, json, field, itemIndex);
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 't', '是', '真']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'f', '否', '假']);

export function coerceBoolean(value: unknown): boolean | undefined | null {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const s = value.trim().toLowerCase();
		if (s === '') return undefined;
		if (TRUE_WORDS.has(s)) return true;
		if (FALSE_WORDS.has(s)) return false;
		return null;
	}
	if (value === undefined || value === null) return undefined;
	return null;
}

export function readBoolean(json: Json, field: string, itemIndex: number): boolean {
	const value = getField(json, field);
	const b = coerceBoolean(value);
	if (b === undefined) throw new InputError(itemIndex, field, value, 'is missing; true or false is required');
	if (b === null) throw new InputError(itemIndex, field, value, 'is not true or false');
	return b;
}

export function readOptionalBoolean(json: Json, field: string, itemIndex: number): boolean | undefined {
	const value = getField(json, field);
	const b = coerceBoolean(value);
	if (b === null) throw new InputError(itemIndex, field, value, 'is not true or false');
	return b;
}

export function readString(json: Json, field: string, itemIndex: number): string {
	const value = getField(json, field);
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new InputError(itemIndex, field, value, isMissing(value) ? 'is missing or empty' : 'is not text');
}

export function readOptionalString(json: Json, field: string, itemIndex: number): string | undefined {
	return isMissing(getField(json, field)) ? undefined : readString(json, field, itemIndex);
}

/** Epoch milliseconds of a date field, parsed in the calendar's zone. */
export function readDate(json: Json, field: string, itemIndex: number, calendar: ZonedCalendar): number {
	const value = getField(json, field);
	if (isMissing(value)) throw new InputError(itemIndex, field, value, 'is missing; a date is required');
	const ms = calendar.parse(value);
	if (ms === null) throw new InputError(itemIndex, field, value, DATE_HINT);
	return ms;
}

export function readOptionalDate(
	json: Json,
	field: string,
	itemIndex: number,
	calendar: ZonedCalendar,
): number | undefined {
	return isMissing(getField(json, field)) ? undefined : readDate(json, field, itemIndex, calendar);
}

/** Local day number of a date field (see dates.ts). */
export function readDay(json: Json, field: string, itemIndex: number, calendar: ZonedCalendar): number {
	const value = getField(json, field);
	if (isMissing(value)) throw new InputError(itemIndex, field, value, 'is missing; a date is required');
	const day = calendar.parseDay(value);
	if (day === null) throw new InputError(itemIndex, field, value, DATE_HINT);
	return day;
}

export function readOptionalDay(
	json: Json,
	field: string,
	itemIndex: number,
	calendar: ZonedCalendar,
): number | undefined {
	return isMissing(getField(json, field)) ? undefined : readDay(json, field, itemIndex, calendar);
}

export const DATE_HINT =
	'is not a date: use ISO 8601 (2025-01-18 or 2025-01-18T10:30:00+08:00), epoch milliseconds, YYYYMMDD or 2025年1月18日';

/**
 * Reads every item with `read`; bad items are collected, not thrown, so that the adapter can decide
 * (fail the node, or with "Continue On Fail" emit error items and compute on the rest).
 */
export function readAll<T>(
	items: ReadonlyArray<{ json: Json }>,
	read: (json: Json, itemIndex: number) => T,
): { rows: T[]; itemIndexes: number[]; errors: InputError[] } {
	const rows: T[] = [];
	const itemIndexes: number[] = [];
	const errors: InputError[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			rows.push(read(items[i].json, i));
			itemIndexes.push(i);
		} catch (error) {
			// Anything else thrown while reading is still this item's problem: it becomes its error too.
			errors.push(
				error instanceof InputError
					? error
					: new InputError(i, '(item)', undefined, `could not be read: ${error instanceof Error ? error.message : String(error)}`),
			);
		}
	}
	return { rows, itemIndexes, errors };
}

/**
 * Columnar variant of {@link readAll} for large inputs: `read` writes the item's values into the caller's
 * typed arrays at position `row` (the count of good items so far) and returns nothing, so no object is made
 * per item. A bad item's partial writes are overwritten by the next good item.
 */
export function readInto(
	items: ReadonlyArray<{ json: Json }>,
	read: (json: Json, itemIndex: number, row: number) => void,
): { count: number; itemIndexes: Int32Array; errors: InputError[] } {
	const itemIndexes = new Int32Array(items.length);
	const errors: InputError[] = [];
	let row = 0;
	for (let i = 0; i < items.length; i++) {
		try {
			read(items[i].json, i, row);
			itemIndexes[row++] = i;
		} catch (error) {
			errors.push(
				error instanceof InputError
					? error
					: new InputError(i, '(item)', undefined, `could not be read: ${error instanceof Error ? error.message : String(error)}`),
			);
		}
	}
	return { count: row, itemIndexes: itemIndexes.subarray(0, row), errors };
}
