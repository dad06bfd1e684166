import fc from 'fast-check';

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
