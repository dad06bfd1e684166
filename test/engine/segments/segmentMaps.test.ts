import {
	ELEVEN_SEGMENT_CODES,
	NAMED_SEGMENTS,
	TEN_SEGMENT_RULES,
	allCodes,
	codeIndex,
	customSegmentMap,
	elevenSegmentMap,
	tenSegmentMap,
	type SegmentMap,
} from '../../../nodes/engine/segments/segmentMaps';

const segmentOf = (map: SegmentMap, code: string) =>
	map.segments[map.segmentOfCode[codeIndex(+code[0], +code[1], +code[2], map.scale)]];

describe('the 11-segment map (metrics.md)', () => {
	it('lists every one of the 125 codes exactly once', () => {
		const seen = new Map<string, string[]>();
		for (const [segment, codes] of Object.entries(ELEVEN_SEGMENT_CODES)) {
			for (const code of codes) seen.set(code, [...(seen.get(code) ?? []), segment]);
		}
		const expected: string[] = [];
		for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) expected.push(`${r}${f}${m}`);
		expect([...seen.keys()].sort()).toEqual(expected);
		for (const [code, segments] of seen) expect([code, segments.length]).toEqual([code, 1]);
	});

	it('has the segment sizes of metrics.md', () => {
		expect(Object.fromEntries(NAMED_SEGMENTS.map((s) => [s, ELEVEN_SEGMENT_CODES[s].length]))).toEqual({
			champions: 7,
			loyal: 8,
			potentialLoyalist: 24,
			newCustomers: 7,
			promising: 16,
			needAttention: 8,
			aboutToSleep: 8,
			atRisk: 22,
			cannotLoseThem: 8,
			hibernating: 11,
			lost: 6,
		});
	});

	it('looks codes up', () => {
		const map = elevenSegmentMap();
		expect(segmentOf(map, '555')).toBe('champions');
		expect(segmentOf(map, '543')).toBe('loyal');
		expect(segmentOf(map, '311')).toBe('newCustomers');
		expect(segmentOf(map, '513')).toBe('promising');
		expect(segmentOf(map, '155')).toBe('cannotLoseThem');
		expect(segmentOf(map, '231')).toBe('aboutToSleep');
		expect(segmentOf(map, '111')).toBe('lost');
		expect(allCodes(5).every((c) => segmentOf(map, c) !== undefined)).toBe(true);
	});
});

describe('the 10-segment R+F map', () => {
	it('matches every R+F pair with exactly one rule', () => {
		for (let r = 1; r <= 5; r++) {
			for (let f = 1; f <= 5; f++) {
				const hits = TEN_SEGMENT_RULES.filter((rule) => rule.pattern.test(`${r}${f}`));
				expect([`${r}${f}`, hits.length]).toEqual([`${r}${f}`, 1]);
			}
		}
	});

	it('ignores M and follows the regexes of metrics.md', () => {
		const map = tenSegmentMap();
		for (const m of ['1', '3', '5']) {
			expect(segmentOf(map, `11${m}`)).toBe('hibernating');
			expect(segmentOf(map, `24${m}`)).toBe('atRisk');
			expect(segmentOf(map, `15${m}`)).toBe('cannotLoseThem');
			expect(segmentOf(map, `32${m}`)).toBe('aboutToSleep');
			expect(segmentOf(map, `33${m}`)).toBe('needAttention');
			expect(segmentOf(map, `44${m}`)).toBe('loyal');
			expect(segmentOf(map, `41${m}`)).toBe('promising');
			expect(segmentOf(map, `51${m}`)).toBe('newCustomers');
			expect(segmentOf(map, `53${m}`)).toBe('potentialLoyalist');
			expect(segmentOf(map, `55${m}`)).toBe('champions');
		}
		expect(map.segments).not.toContain('lost');
	});
});

describe('a user-defined map', () => {
	const codes27: string[] = [];
	for (let r = 1; r <= 3; r++) for (let f = 1; f <= 3; f++) for (let m = 1; m <= 3; m++) codes27.push(`${r}${f}${m}`);

	it('accepts code → segment for a 1–3 scale', () => {
		const input = Object.fromEntries(codes27.map((c) => [c, c[0] === '3' ? 'Best' : 'Rest']));
		const result = customSegmentMap(input, 3);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.map.segments).toEqual(['Rest', 'Best']);
		expect(segmentOf(result.map, '311')).toBe('Best');
		expect(segmentOf(result.map, '233')).toBe('Rest');
	});

	it('accepts segment → codes', () => {
		const result = customSegmentMap({ High: codes27.filter((c) => c > '200'), Low: codes27.filter((c) => c < '200') }, 3);
		expect(result.ok && segmentOf(result.map, '111')).toBe('Low');
		expect(result.ok && segmentOf(result.map, '333')).toBe('High');
	});

	it('reports missing, doubled and invalid codes', () => {
		const result = customSegmentMap({ A: ['111', '112', '999'], B: ['112'] }, 3);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems[0]).toBe('not a code of the 1–3 scale: "999"');
		expect(result.problems[1]).toBe('codes given more than once: 112 ("A" and "B")');
		expect(result.problems[2]).toMatch(/^codes with no segment: 113, 121, .* \(25 in all\)$/);
	});

	it('refuses shapes that are not maps', () => {
		expect(customSegmentMap([], 5)).toMatchObject({ ok: false });
		expect(customSegmentMap({}, 5)).toEqual({ ok: false, problems: ['the map is empty'] });
		expect(customSegmentMap({ A: 'not a list' }, 5)).toMatchObject({ ok: false, problems: [expect.stringMatching(/^A: /)] });
		expect(customSegmentMap({ '555': '' }, 5)).toMatchObject({ ok: false, problems: ['555: segment name is empty'] });
	});

	it('the 11-segment table itself passes as a user map', () => {
		const result = customSegmentMap(ELEVEN_SEGMENT_CODES, 5);
		expect(result.ok).toBe(true);
		const eleven = elevenSegmentMap();
		if (result.ok) for (const c of allCodes(5)) expect(segmentOf(result.map, c)).toBe(segmentOf(eleven, c));
	});
});
