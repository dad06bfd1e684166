import fc from 'fast-check';
import { DateTime } from 'luxon';

import { ZonedCalendar, civilFromDays, daysFromCivil, formatDay, formatWeek, weekOfDay } from '../../nodes/shared/dates';

const utc = new ZonedCalendar('UTC');
const shanghai = new ZonedCalendar('Asia/Shanghai');
const newYork = new ZonedCalendar('America/New_York');

describe('date formats', () => {
	test.each([
		['2025-01-18', '2025-01-18'],
		['20250118', '2025-01-18'],
		[20250118, '2025-01-18'],
		['2025年1月18日', '2025-01-18'],
		['2025年01月18日 10:30', '2025-01-18'],
		['2025年1月18日 10时30分', '2025-01-18'],
		['2025/1/18', '2025-01-18'],
		['2025-01-18T10:30:00Z', '2025-01-18'],
		['2025-01-18 10:30:00', '2025-01-18'],
		[Date.UTC(2025, 0, 18, 12), '2025-01-18'],
		[String(Date.UTC(2025, 0, 18, 12)), '2025-01-18'],
	])('%p is %s', (input, day) => {
		expect(formatDay(utc.parseDay(input)!)).toBe(day);
	});

	test('dates without an offset are read in the chosen zone; with an offset they are instants', () => {
		expect(shanghai.parse('2025-01-18')).toBe(Date.UTC(2025, 0, 17, 16));
		expect(shanghai.parse('2025年1月18日 08:00')).toBe(Date.UTC(2025, 0, 18, 0));
		expect(shanghai.parse('2025-01-18T23:30:00Z')).toBe(Date.UTC(2025, 0, 18, 23, 30));
		// 23:30 UTC is already the 19th in Shanghai (UTC+8).
		expect(formatDay(shanghai.parseDay('2025-01-18T23:30:00Z')!)).toBe('2025-01-19');
		expect(formatDay(shanghai.parseDay('2025-01-18T10:00:00+08:00')!)).toBe('2025-01-18');
	});

	test('a date-time with its offset or UTC after a space (Shopify, many shop exports) is that instant', () => {
		// 10:30 at UTC+8 is 02:30 UTC; 23:30 at UTC−5 is 04:30 UTC the next day.
		expect(newYork.parse('2025-01-18 10:30:45 +0800')).toBe(Date.UTC(2025, 0, 18, 2, 30, 45));
		expect(newYork.parse('2025-01-18 10:30:45 +08:00')).toBe(Date.UTC(2025, 0, 18, 2, 30, 45));
		expect(shanghai.parse('2025-01-18 23:30 -0500')).toBe(Date.UTC(2025, 0, 19, 4, 30));
		expect(shanghai.parse('2025-01-18 10:30:45 UTC')).toBe(Date.UTC(2025, 0, 18, 10, 30, 45));
		expect(shanghai.parse('2025-01-18T10:30:45.250 gmt')).toBe(Date.UTC(2025, 0, 18, 10, 30, 45, 250));
		expect(formatDay(shanghai.parseDay('2025-01-18 23:30:00 -0500')!)).toBe('2025-01-19');
		// the same checks as for ISO offsets: none that exists nowhere, no impossible time, no other words
		for (const bad of ['2025-01-18 10:30:45 +9999', '2025-01-18 25:30:45 +0800', '2025-01-18 10:30:45 CET', '2025-01-18 10:30:45 +08', '2025-01-18 10:30:45 +0800 extra']) {
			expect(shanghai.parse(bad)).toBeNull();
		}
	});

	test('offsets that exist nowhere, and epoch text below 1e11, are not dates', () => {
		for (const bad of ['2024-06-01T10:00:00+99:99', '2024-06-01T10:00:00+25:00', '2024-06-01T10:00:00+14:30', '2024-06-01T10:00:00-12:30', '2024-06-01T10:00:00+05:60', '-1000000000000', '1700000000']) {
			expect(shanghai.parse(bad)).toBeNull();
		}
		// The extremes that exist: Kiribati (+14:00) and Baker Island (−12:00); Nepal's +05:45.
		expect(shanghai.parse('2024-06-01T10:00:00+14:00')).toBe(Date.UTC(2024, 4, 31, 20));
		expect(shanghai.parse('2024-06-01T10:00:00-12:00')).toBe(Date.UTC(2024, 5, 1, 22));
		expect(shanghai.parse('2024-06-01T10:00:00+0545')).toBe(Date.UTC(2024, 5, 1, 4, 15));
	});

	test('local midnight across a DST change', () => {
		// 2025-03-09: New York springs forward at 02:00; midnight is still EST (UTC−5).
		expect(newYork.parse('2025-03-09')).toBe(Date.UTC(2025, 2, 9, 5));
		expect(newYork.parse('2025-03-10')).toBe(Date.UTC(2025, 2, 10, 4));
		expect(formatDay(newYork.dayOf(Date.UTC(2025, 2, 10, 3, 59)))).toBe('2025-03-09');
		expect(formatDay(newYork.dayOf(Date.UTC(2025, 2, 10, 4, 0)))).toBe('2025-03-10');
	});

	test.each(['', 'abc', '2025-02-30', '2025-13-01', '20251399', '2025年2月30日', '1737158400', 1737158400, 12.5, NaN, Infinity, {}, [], true, null, undefined, '18/01/2025', '1850-01-01'])(
		'%p is refused',
		(input) => {
			expect(utc.parse(input)).toBeNull();
			expect(utc.parseDay(input)).toBeNull();
		},
	);

	test('a luxon DateTime (what n8n expressions such as {{ $today }} give) is its instant, and its own calendar day', () => {
		// Midnight 1 October in New York is 04:00 UTC, and 30 September 16:00 UTC from Shanghai's midnight.
		const newYorkMidnight = DateTime.fromISO('2026-10-01T00:00:00', { zone: 'America/New_York' });
		const shanghaiMidnight = DateTime.fromISO('2026-10-01T00:00:00', { zone: 'Asia/Shanghai' });
		expect(utc.parse(newYorkMidnight)).toBe(Date.UTC(2026, 9, 1, 4));
		expect(utc.parse(shanghaiMidnight)).toBe(Date.UTC(2026, 8, 30, 16));
		for (const dt of [newYorkMidnight, shanghaiMidnight]) {
			expect(formatDay(utc.parseDay(dt)!)).toBe('2026-10-01');
			expect(formatDay(newYork.parseDay(dt)!)).toBe('2026-10-01');
		}
		// a copy made by another luxon (n8n's own) carries the same mark, and is read the same way
		const foreign = { isLuxonDateTime: true, isValid: true, year: 2026, month: 10, day: 1, toMillis: () => Date.UTC(2026, 9, 1, 4) };
		expect(formatDay(shanghai.parseDay(foreign)!)).toBe('2026-10-01');
		expect(shanghai.parse(foreign)).toBe(Date.UTC(2026, 9, 1, 4));
		// invalid or out-of-range ones are refused like any other bad date
		for (const bad of [DateTime.fromISO('2025-02-30'), DateTime.fromISO('1850-01-01'), new Date(NaN), new Date('1850-01-01')]) {
			expect(utc.parse(bad)).toBeNull();
			expect(utc.parseDay(bad)).toBeNull();
		}
	});

	test('unknown time zones are refused at construction', () => {
		expect(() => new ZonedCalendar('Mars/Olympus')).toThrow(/Unknown time zone/);
	});
});

describe('calendar arithmetic', () => {
	test('civil ↔ day numbers round-trip for any date 1900–2200', () => {
		fc.assert(
			fc.property(fc.integer({ min: daysFromCivil(1900, 1, 1), max: daysFromCivil(2200, 12, 31) }), (day) => {
				const { year, month, day: d } = civilFromDays(day);
				expect(daysFromCivil(year, month, d)).toBe(day);
				expect(new Date(day * 86400000).toISOString().slice(0, 10)).toBe(formatDay(day));
			}),
		);
	});

	test.each([
		['2025-01-01', '2025-W01'],
		['2024-12-30', '2025-W01'],
		['2021-01-03', '2020-W53'],
		['2026-12-31', '2026-W53'],
		['2025-06-16', '2025-W25'],
	])('ISO week of %s is %s', (date, week) => {
		expect(formatWeek(weekOfDay(utc.parseDay(date)!))).toBe(week);
	});
});

describe('local days where the clocks change at a UTC half hour', () => {
	// Tehran moved from +03:30 to +04:30 at local midnight 2021-03-22 = 2021-03-21T20:30Z: one UTC hour
	// holds two offsets, so which instant is read first must not decide the other's day.
	test('Asia/Tehran: 23:45 local stays on 21 March whatever was read before it', () => {
		const before = Date.parse('2021-03-21T20:15:00Z');
		const after = Date.parse('2021-03-21T20:45:00Z');
		const tehran = new ZonedCalendar('Asia/Tehran');
		expect(formatDay(tehran.dayOf(after))).toBe('2021-03-22');
		expect(formatDay(tehran.dayOf(before))).toBe('2021-03-21');
		const again = new ZonedCalendar('Asia/Tehran');
		expect(formatDay(again.dayOf(before))).toBe('2021-03-21');
		expect(formatDay(again.dayOf(after))).toBe('2021-03-22');
	});

	/** UTC hours, 2005–2024, within which the zone's offset changes (found with luxon: days, then hours). */
	function changingHours(zone: string): number[] {
		const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
		const hours: number[] = [];
		for (let d = Date.parse('2005-01-01T00:00:00Z') / 86_400_000; d < Date.parse('2025-01-01T00:00:00Z') / 86_400_000; d++) {
			if (offset(d * 86_400_000) === offset((d + 1) * 86_400_000)) continue;
			for (let h = d * 24; h < d * 24 + 25; h++) {
				if (offset(h * 3_600_000) !== offset(h * 3_600_000 + 3_599_999)) hours.push(h);
			}
		}
		return hours;
	}

	test.each(['Asia/Tehran', 'America/St_Johns', 'Australia/Lord_Howe'])(
		'%s: instants in the hours when the offset changes, read in any order, get luxon’s local day',
		(zone) => {
			const hours = changingHours(zone);
			expect(hours.length).toBeGreaterThan(0);
			fc.assert(
				fc.property(fc.constantFrom(...hours), fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 2, maxLength: 20 }), (hour, minutes) => {
					const calendar = new ZonedCalendar(zone);
					for (const m of minutes) {
						const ms = hour * 3_600_000 + m * 60_000;
						expect(formatDay(calendar.dayOf(ms))).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
					}
				}),
				{ numRuns: 200 },
			);
		},
	);
});
