import fc from 'fast-check';
import { DateTime, Settings } from 'luxon';

import { isInWindow, localMinute, nextSendTime, parseClock } from '../../../nodes/engine/care/quietHours';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const iso = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISO();
const win = (a: string, b: string) => ({ startMinute: parseClock(a)!, endMinute: parseClock(b)! });

describe('send window in the customer zone', () => {
	it('parses clock times', () => {
		expect(parseClock('09:00')).toBe(540);
		expect(parseClock('21：30')).toBe(1290);
		expect(parseClock('24:00')).toBe(1440);
		expect(parseClock('25:00')).toBeNull();
		expect(parseClock('9')).toBeNull();
	});

	it('03:00 in Shanghai is held to 09:00 the same day; 21:30 to 09:00 the next day', () => {
		const w = win('09:00', '21:00');
		expect(iso(nextSendTime(at('2025-06-10T03:00', 'Asia/Shanghai'), 'Asia/Shanghai', w), 'Asia/Shanghai')).toBe(
			'2025-06-10T09:00:00.000+08:00',
		);
		expect(iso(nextSendTime(at('2025-06-10T21:30', 'Asia/Shanghai'), 'Asia/Shanghai', w), 'Asia/Shanghai')).toBe(
			'2025-06-11T09:00:00.000+08:00',
		);
		const open = at('2025-06-10T20:59', 'Asia/Shanghai');
		expect(nextSendTime(open, 'Asia/Shanghai', w)).toBe(open);
		// The end is exclusive.
		expect(nextSendTime(at('2025-06-10T21:00', 'Asia/Shanghai'), 'Asia/Shanghai', w)).toBe(at('2025-06-11T09:00', 'Asia/Shanghai'));
	});

	it('the same instant is open for one customer and closed for another (their own zone)', () => {
		const now = Date.UTC(2025, 5, 10, 2, 0); // 10:00 Shanghai, 04:00 Berlin, 22:00 New York (previous day)
		const w = win('09:00', '21:00');
		expect(nextSendTime(now, 'Asia/Shanghai', w)).toBe(now);
		expect(iso(nextSendTime(now, 'Europe/Berlin', w), 'UTC')).toBe('2025-06-10T07:00:00.000Z');
		expect(iso(nextSendTime(now, 'America/New_York', w), 'UTC')).toBe('2025-06-10T13:00:00.000Z');
	});

	it('windows crossing midnight (20:00–02:00)', () => {
		const w = win('20:00', '02:00');
		expect(isInWindow(23 * 60, w)).toBe(true);
		expect(isInWindow(60, w)).toBe(true);
		expect(isInWindow(2 * 60, w)).toBe(false);
		const z = 'Asia/Shanghai';
		const oneAm = at('2025-06-10T01:00', z);
		expect(nextSendTime(oneAm, z, w)).toBe(oneAm);
		expect(iso(nextSendTime(at('2025-06-10T03:00', z), z, w), z)).toBe('2025-06-10T20:00:00.000+08:00');
	});

	it('across the spring-forward night the next opening is 23 hours later, not 24', () => {
		// Berlin, 2025-03-30: clocks go 02:00 → 03:00.
		const z = 'Europe/Berlin';
		const next = nextSendTime(at('2025-03-29T21:30', z), z, win('09:00', '21:00'));
		expect(iso(next, z)).toBe('2025-03-30T09:00:00.000+02:00');
		expect(next - at('2025-03-29T09:00', z)).toBe(23 * 3_600_000);
	});

	it('an opening time inside the DST gap opens at the first existing minute after it', () => {
		// New York, 2025-03-09: 02:00–03:00 does not exist.
		const z = 'America/New_York';
		const next = nextSendTime(at('2025-03-09T01:00', z), z, win('02:30', '06:00'));
		// Not 03:30 (luxon's shift by the whole gap): at 03:00 EDT the window is already open.
		expect(iso(next, z)).toBe('2025-03-09T03:00:00.000-04:00');
		// Lord Howe skips 02:00–02:30 (a half-hour gap); Santiago skips 00:00–01:00 (midnight).
		expect(iso(nextSendTime(at('2025-10-05T01:00', 'Australia/Lord_Howe'), 'Australia/Lord_Howe', win('02:15', '21:00')), 'Australia/Lord_Howe')).toBe(
			'2025-10-05T02:30:00.000+11:00',
		);
		expect(iso(nextSendTime(at('2025-09-06T23:00', 'America/Santiago'), 'America/Santiago', win('00:30', '21:00')), 'America/Santiago')).toBe(
			'2025-09-07T01:00:00.000-03:00',
		);
	});

	it('on the fall-back night the repeated hour opens once, at its first occurrence', () => {
		// New York, 2025-11-02: 01:00–02:00 happens twice (EDT then EST).
		const z = 'America/New_York';
		const next = nextSendTime(at('2025-11-02T00:10', z), z, win('01:30', '05:00'));
		expect(iso(next, 'UTC')).toBe('2025-11-02T05:30:00.000Z'); // 01:30 EDT
	});

	it('inside the repeated hour, an opening already passed once is the second one — whatever the machine date', () => {
		// luxon resolves a wall time that happens twice with the offset of the machine's current date.
		const realNow = Settings.now;
		try {
			for (const machineDate of [Date.UTC(2025, 5, 1), Date.UTC(2025, 10, 15)]) {
				Settings.now = () => machineDate;
				// New York 2025-11-02, 06:10Z = 01:10 EST (second pass); 01:30 EDT (05:30Z) has passed.
				expect(iso(nextSendTime(Date.parse('2025-11-02T06:10:00Z'), 'America/New_York', win('01:30', '06:00')), 'UTC')).toBe('2025-11-02T06:30:00.000Z');
				// Before both: the first 01:30 (EDT).
				expect(iso(nextSendTime(Date.parse('2025-11-02T04:10:00Z'), 'America/New_York', win('01:30', '06:00')), 'UTC')).toBe('2025-11-02T05:30:00.000Z');
				// Santiago 2025-04-06: midnight falls back to 23:00; 03:05Z is 23:05 (second pass), closed until 23:30.
				expect(iso(nextSendTime(Date.parse('2025-04-06T03:05:00Z'), 'America/Santiago', win('23:30', '07:00')), 'UTC')).toBe('2025-04-06T03:30:00.000Z');
			}
		} finally {
			Settings.now = realNow;
		}
	});

	it('property: the result is never earlier than now, is inside the window, and nothing earlier was open', () => {
		const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }),
				fc.constantFrom(...zones),
				fc.integer({ min: 0, max: 1439 }),
				fc.integer({ min: 0, max: 1439 }),
				(now, zone, s, e) => {
					fc.pre(s !== e);
					// Whole-minute instants, as the window is in minutes.
					const t = Math.floor(now / 60_000) * 60_000;
					const w = { startMinute: s, endMinute: e };
					const next = nextSendTime(t, zone, w);
					expect(next).toBeGreaterThanOrEqual(t);
					expect(next - t).toBeLessThanOrEqual(26 * 3_600_000);
					expect(isInWindow(localMinute(next, zone), w)).toBe(true);
					if (next > t) expect(isInWindow(localMinute(next - 60_000, zone), w)).toBe(false);
					for (let u = t; u < next; u += 10 * 60_000) expect(isInWindow(localMinute(u, zone), w)).toBe(false);
				},
			),
			{ numRuns: 500 },
		);
	});
});
