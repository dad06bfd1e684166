/**
 * Send windows in the customer's own time zone ("only between 09:00 and 21:00 their time").
 *
 * Times are wall-clock minutes in the customer's zone, computed with luxon, so daylight-saving days
 * (23 or 25 hours long) are handled by the zone rules rather than by adding 24 h. A window may cross
 * midnight (20:00–02:00). When a window opens at a wall-clock time that does not exist that day
 * (02:30 on a spring-forward night), it opens at the first existing minute after it.
 */
import { DateTime, type Zone } from 'luxon';

export interface SendWindow {
	/** Minutes after local midnight when sending may start (inclusive). */
	startMinute: number;
	/** Minutes after local midnight when sending must stop (exclusive). Equal to start = always open. */
	endMinute: number;
}

/** `HH:mm` → minutes after midnight, or null when it is not a time of day. */
export function parseClock(text: string): number | null {
	const m = /^\s*(\d{1,2})[:：](\d{2})\s*$/.exec(text);
	if (!m) return null;
	const h = +m[1];
	const min = +m[2];
	if (h > 24 || min > 59 || (h === 24 && min !== 0)) return null;
	return h * 60 + min;
}

export function localMinute(ms: number, zone: string): number {
	const dt = DateTime.fromMillis(ms, { zone });
	return dt.hour * 60 + dt.minute;
}

export function isInWindow(minute: number, window: SendWindow): boolean {
	const { startMinute: s, endMinute: e } = window;
	if (s === e) return true;
	if (s < e) return minute >= s && minute < e;
	return minute >= s || minute < e; // crosses midnight
}

/** The first instant in (before, after] with the offset of `after`: where a spring-forward gap ends. */
function gapEnd(zone: Zone, before: number, after: number): number {
	const offsetAfter = zone.offset(after);
	let lo = before;
	let hi = after;
	while (hi - lo > 1000) {
		const mid = lo + Math.floor((hi - lo) / 2);
		if (zone.offset(mid) === offsetAfter) hi = mid;
		else lo = mid;
	}
	return Math.ceil(hi / 1000) * 1000;
}

/**
 * The first instant at or after `now` when the window is open in `zone`: `now` itself when open,
 * otherwise the next local opening time.
 */
export function nextSendTime(now: number, zone: string, window: SendWindow): number {
	const local = DateTime.fromMillis(now, { zone });
	const minute = local.hour * 60 + local.minute;
	if (isInWindow(minute, window)) return now;
	// Closed: the next opening is today's start if it is still ahead, otherwise tomorrow's.
	const dayOffset = minute < window.startMinute ? 0 : 1;
	const day = local.startOf('day').plus({ days: dayOffset });
	const opening = DateTime.fromObject(
		{
			year: day.year,
			month: day.month,
			day: day.day,
			hour: Math.floor(window.startMinute / 60) % 24,
			minute: window.startMinute % 60,
		},
		{ zone },
	);
	// luxon moves a non-existent wall time (inside a spring-forward gap) forward by the whole gap (02:30 →
	// 03:30 in New York); the window opens at the first minute after the gap instead: the transition.
	let ms = opening.toMillis();
	const shiftedBy = opening.hour * 60 + opening.minute - (window.startMinute % 1440);
	if (opening.day === day.day && shiftedBy > 0) return Math.max(now, gapEnd(opening.zone, ms - shiftedBy * 60_000, ms));
	// A wall time that happens twice (fall-back night) has two instants, and which one luxon returns depends
	// on the machine's own date. Take the earliest instant after now that shows the opening time: the first
	// occurrence, unless it has passed (at 01:10 of the repeated hour, a 01:30 opening is the second 01:30).
	let best = Number.POSITIVE_INFINITY;
	for (const shift of [-3_600_000, -1_800_000, 0, 1_800_000, 3_600_000]) {
		const t = ms + shift;
		const wall = DateTime.fromMillis(t, { zone });
		if (t > now && wall.day === opening.day && wall.hour * 60 + wall.minute === window.startMinute % 1440 && t < best) best = t;
	}
	if (best !== Number.POSITIVE_INFINITY) ms = best;
	return ms > now ? ms : now;
}
