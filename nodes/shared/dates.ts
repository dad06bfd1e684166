/**
 * Date parsing and calendar arithmetic in a user-chosen IANA time zone.
 *
 * Accepted inputs (documented in the README, "Dates"):
 * - ISO 8601 strings: `2025-01-18`, `2025-01-18T10:30`, `2025-01-18 10:30:00`, `2025-01-18T10:30:00Z`,
 *   `2025-01-18T10:30:00+08:00`. Strings without an offset are read in the chosen time zone.
 * - Epoch milliseconds (≥ 10^11, i.e. from March 1973), as a number or a string of 11 or more digits.
 *   Epoch seconds are refused rather than misread.
 * - `YYYYMMDD` as an 8-digit string or number (`20250118`); an 8-digit number is always read this way.
 * - Chinese dates `2025年1月18日`, optionally followed by a time `10:30`, `10:30:15` or `10时30分`.
 * - `YYYY/MM/DD` with optional time.
 *
 * The engine works on whole local days ("day numbers": days since 1970-01-01 in the chosen zone), so
 * that periods, cohorts and recency are counted in the user's calendar rather than in UTC.
 */
import { DateTime, IANAZone } from 'luxon';

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

const RE_YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const RE_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RE_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const RE_CHINESE =
	/^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?:\s*(\d{1,2})\s*[:：时點点]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})\s*秒?)?\s*分?)?$/;
const RE_EPOCH_MS = /^-?\d{11,}$/;
/**
 * A date-time followed by a space and its offset or UTC, as shop systems export them (Shopify's
 * `2025-01-18 10:30:45 +0800`, `2025-01-18 10:30:45 UTC`): the parts of an ISO date-time, written apart.
 */
const RE_SPACED_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s+(?:(UTC|GMT|Z)|([+-]\d{2}:?\d{2}))$/i;
const RE_HAS_OFFSET = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
/** A UTC offset that exists on Earth: −12:00 to +14:00, minutes below 60 (not +99:99, not +25:00). */
const RE_OFFSET_PARTS = /([+-])(\d{2}):?(\d{2})$/;
function isRealOffset(iso: string): boolean {
	const m = RE_OFFSET_PARTS.exec(iso);
	if (!m) return true; // "Z"
	const minutes = +m[2] * 60 + +m[3];
	return +m[3] < 60 && minutes <= (m[1] === '+' ? 14 * 60 : 12 * 60);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const mp = (month + 9) % 12;
	const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** Inverse of {@link daysFromCivil}. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
	const { year, month, day: d } = civilFromDays(day);
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Month index (year × 12 + month − 1) of a day number. */
export function monthOfDay(day: number): number {
	const { year, month } = civilFromDays(day);
	return year * 12 + month - 1;
}

/** First day number of a month index. */
export function firstDayOfMonth(monthIndex: number): number {
	const year = Math.floor(monthIndex / 12);
	return daysFromCivil(year, monthIndex - year * 12 + 1, 1);
}

/** `YYYY-MM` of a month index. */
export function formatMonth(monthIndex: number): string {
	const year = Math.floor(monthIndex / 12);
	return `${year}-${String(monthIndex - year * 12 + 1).padStart(2, '0')}`;
}

/** ISO week index: weeks start on Monday; day 0 (1970-01-01) was a Thursday. */
export function weekOfDay(day: number): number {
	return Math.floor((day + 3) / 7);
}

/** First day number (a Monday) of a week index. */
export function firstDayOfWeek(weekIndex: number): number {
	return weekIndex * 7 - 3;
}

/** ISO 8601 week label (`2025-W03`) of a week index. */
export function formatWeek(weekIndex: number): string {
	const thursday = firstDayOfWeek(weekIndex) + 3;
	const { year } = civilFromDays(thursday);
	const week = Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
	return `${year}-W${String(week).padStart(2, '0')}`;
}

function validYmd(year: number, month: number, day: number): boolean {
	if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
	const { month: m, day: d } = civilFromDays(daysFromCivil(year, month, day));
	return m === month && d === day;
}

export function isValidTimeZone(zone: string): boolean {
	return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

/**
 * Parses dates in one time zone. Holds small caches (offsets per hour, midnights per day), so create
 * one per execution, never share one at module level.
 */
export class ZonedCalendar {
	readonly zone: string;
	private readonly ianaZone: IANAZone;
	private readonly offsetByHour = new Map<number, number>();
	private readonly midnightByDay = new Map<number, number>();

	constructor(zone = 'UTC') {
		if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone "${zone}"`);
		this.zone = zone;
		this.ianaZone = IANAZone.create(zone);
	}

	/**
	 * Offset of the zone from UTC, in minutes, at an instant. Cached per UTC hour when the offset is the
	 * same at the hour's first and last millisecond; an hour in which it changes (Tehran and St John's
	 * changed at local midnight, a UTC half hour) is looked up instant by instant.
	 */
	offsetMinutes(ms: number): number {
		const hour = Math.floor(ms / MS_PER_HOUR);
		let offset = this.offsetByHour.get(hour);
		if (offset === undefined) {
			const start = this.ianaZone.offset(hour * MS_PER_HOUR);
			offset = start === this.ianaZone.offset(hour * MS_PER_HOUR + MS_PER_HOUR - 1) ? start : NaN;
			this.offsetByHour.set(hour, offset);
		}
		return Number.isNaN(offset) ? this.ianaZone.offset(ms) : offset;
	}

	/** Local day number of an instant. */
	dayOf(ms: number): number {
		return Math.floor((ms + this.offsetMinutes(ms) * 60_000) / MS_PER_DAY);
	}

	/** The instant of local midnight at the start of a day number. */
	startOfDay(day: number): number {
		let ms = this.midnightByDay.get(day);
		if (ms === undefined) {
			const { year, month, day: d } = civilFromDays(day);
			ms = DateTime.fromObject({ year, month, day: d }, { zone: this.zone }).toMillis();
			this.midnightByDay.set(day, ms);
		}
		return ms;
	}

	private localToMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | null {
		if (!validYmd(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
		if (hour === 0 && minute === 0 && second === 0) return this.startOfDay(daysFromCivil(year, month, day));
		const dt = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: this.zone });
		return dt.isValid ? dt.toMillis() : null;
	}

	/**
	 * Parses one value to epoch milliseconds, or returns null when it is not a date in an accepted form
	 * (the caller reports the field and value).
	 */
	parse(value: unknown): number | null {
		if (typeof value === 'number') return this.parseNumber(value);
		if (typeof value === 'string') return this.parseString(value.trim());
		if (value instanceof Date) return Number.isFinite(value.getTime()) && withinRange(value.getTime()) ? value.getTime() : null;
		const dt = asDateTime(value);
		if (dt) return dt.isValid && withinRange(dt.toMillis()) ? dt.toMillis() : null;
		return null;
	}

	/** Parses a value to its local day number, or null. */
	parseDay(value: unknown): number | null {
		if (typeof value === 'string') {
			const s = value.trim();
			// Date-only strings name a local calendar day directly: no instant needed.
			const m = RE_ISO_DATE.exec(s) ?? RE_YMD_COMPACT.exec(s);
			if (m) {
				const y = +m[1];
				const mo = +m[2];
				const d = +m[3];
				return validYmd(y, mo, d) ? daysFromCivil(y, mo, d) : null;
			}
		}
		if (typeof value === 'number' && Number.isInteger(value) && value >= 10_000_000 && value <= 99_999_999) {
			return this.parseDay(String(value));
		}
		// A date from an n8n expression ({{ $today }}, {{ $now.minus({ months: 1 }).startOf('month') }}) names
		// the calendar day it shows in its own zone, as the expression editor previews it, whatever this
		// calendar's zone: midnight 1 October in New York is 1 October here too.
		const dt = asDateTime(value);
		if (dt) return dt.isValid && withinRange(dt.toMillis()) && validYmd(dt.year, dt.month, dt.day) ? daysFromCivil(dt.year, dt.month, dt.day) : null;
		const ms = this.parse(value);
		return ms === null ? null : this.dayOf(ms);
	}

	private parseNumber(value: number): number | null {
		if (!Number.isFinite(value)) return null;
		if (Number.isInteger(value) && value >= 10_000_000 && value <= 99_999_999) {
			return this.parseString(String(value));
		}
		// Smaller numbers are far more likely epoch seconds or junk than a date in the early 1970s.
		return value >= MIN_EPOCH_MS && withinRange(value) ? value : null;
	}

	private parseString(s: string): number | null {
		if (s.length === 0) return null;
		let m = RE_ISO_DATE.exec(s) ?? RE_YMD_COMPACT.exec(s);
		if (m) return this.localToMs(+m[1], +m[2], +m[3]);
		if (RE_EPOCH_MS.test(s)) {
			// As for numbers: below 1e11 it is far more likely epoch seconds or junk than a 1970s date.
			const n = Number(s);
			return n >= MIN_EPOCH_MS && withinRange(n) ? n : null;
		}
		m = RE_CHINESE.exec(s) ?? RE_SLASH.exec(s);
		if (m) {
			return this.localToMs(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
		}
		if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return null;
		const spaced = RE_SPACED_OFFSET.exec(s);
		const iso = spaced ? `${spaced[1]}T${spaced[2]}${spaced[4] ?? 'Z'}` : s.replace(' ', 'T');
		if (RE_HAS_OFFSET.test(iso)) {
			if (!isRealOffset(iso)) return null;
			const dt = DateTime.fromISO(iso, { setZone: true });
			return dt.isValid && withinRange(dt.toMillis()) ? dt.toMillis() : null;
		}
		const dt = DateTime.fromISO(iso, { zone: this.zone });
		return dt.isValid && withinRange(dt.toMillis()) ? dt.toMillis() : null;
	}
}

/** The part of a luxon DateTime read here. */
interface DateTimeLike {
	isValid: boolean;
	year: number;
	month: number;
	day: number;
	toMillis(): number;
}

/**
 * A luxon DateTime, whichever copy of luxon made it: n8n's expressions ($now, $today, DateTime.fromISO)
 * make theirs with n8n's own luxon, so `instanceof` would miss them; luxon marks every DateTime with
 * `isLuxonDateTime` (its own DateTime.isDateTime reads the same mark).
 */
export function asDateTime(value: unknown): DateTimeLike | null {
	return value !== null && typeof value === 'object' && (value as { isLuxonDateTime?: unknown }).isLuxonDateTime === true ? (value as DateTimeLike) : null;
}

const MIN_MS = Date.UTC(MIN_YEAR, 0, 1);
const MIN_EPOCH_MS = 1e11;
const MAX_MS = Date.UTC(MAX_YEAR, 11, 31);
function withinRange(ms: number): boolean {
	return ms >= MIN_MS && ms <= MAX_MS;
}
