/**
 * Segment maps: which named segment an R-F-M score code belongs to.
 *
 * - The 11 named segments by exact code (../shared/docs/metrics.md, RFM): all 125 codes of the 1–5 scale,
 *   each listed exactly once. This is the default.
 * - The widely copied 10-segment map on the two-digit R+F string (monetary ignored), same source.
 * - A user-defined map: code → segment, or segment → list of codes; every code of the chosen scale must
 *   belong to exactly one segment, otherwise the map is refused with the missing / doubled / invalid codes.
 *
 * A map is a lookup table indexed by (r − 1)·k² + (f − 1)·k + (m − 1) holding a segment index.
 */
import { z } from 'zod';

import { validate } from '../../shared/validation';
import type { Scale } from './scoring';

export const NAMED_SEGMENTS = [
	'champions',
	'loyal',
	'potentialLoyalist',
	'newCustomers',
	'promising',
	'needAttention',
	'aboutToSleep',
	'atRisk',
	'cannotLoseThem',
	'hibernating',
	'lost',
] as const;

export type NamedSegment = (typeof NAMED_SEGMENTS)[number];

/** The 11 segments by exact R-F-M code, copied from metrics.md in its order. */
export const ELEVEN_SEGMENT_CODES: Readonly<Record<NamedSegment, readonly string[]>> = {
	champions: ['555', '554', '544', '545', '454', '455', '445'],
	loyal: ['543', '444', '435', '355', '354', '345', '344', '335'],
	potentialLoyalist: [
		'553', '551', '552', '541', '542', '533', '532', '531', '452', '451', '442', '441', '431', '453', '433',
		'432', '423', '353', '352', '351', '342', '341', '333', '323',
	],
	newCustomers: ['512', '511', '422', '421', '412', '411', '311'],
	promising: [
		'525', '524', '523', '522', '521', '515', '514', '513', '425', '424', '413', '414', '415', '315', '314', '313',
	],
	needAttention: ['535', '534', '443', '434', '343', '334', '325', '324'],
	aboutToSleep: ['331', '321', '312', '221', '213', '231', '241', '251'],
	atRisk: [
		'255', '254', '245', '244', '253', '252', '243', '242', '235', '234', '225', '224', '153', '152', '145', '143',
		'142', '135', '134', '133', '125', '124',
	],
	cannotLoseThem: ['155', '154', '144', '214', '215', '115', '114', '113'],
	hibernating: ['332', '322', '233', '232', '223', '222', '132', '123', '122', '212', '211'],
	lost: ['111', '112', '121', '131', '141', '151'],
};

/**
 * The 10-segment R+F map, as regular expressions on the two-digit string R then F (metrics.md). The rules
 * do not overlap, so the order does not matter; the tests check that every R+F pair matches exactly one.
 */
export const TEN_SEGMENT_RULES: ReadonlyArray<{ segment: NamedSegment; pattern: RegExp }> = [
	{ segment: 'hibernating', pattern: /^[1-2][1-2]$/ },
	{ segment: 'atRisk', pattern: /^[1-2][3-4]$/ },
	{ segment: 'cannotLoseThem', pattern: /^[1-2]5$/ },
	{ segment: 'aboutToSleep', pattern: /^3[1-2]$/ },
	{ segment: 'needAttention', pattern: /^33$/ },
	{ segment: 'loyal', pattern: /^[3-4][4-5]$/ },
	{ segment: 'promising', pattern: /^41$/ },
	{ segment: 'newCustomers', pattern: /^51$/ },
	{ segment: 'potentialLoyalist', pattern: /^[4-5][2-3]$/ },
	{ segment: 'champions', pattern: /^5[4-5]$/ },
];

export type SegmentMapKind = 'elevenSegments' | 'tenSegments' | 'custom';

export interface SegmentMap {
	kind: SegmentMapKind;
	scale: Scale;
	/** Segment names (keys of the named segments, or the user's own names), in display order. */
	segments: string[];
	/** Segment index per code, indexed by {@link codeIndex}. */
	segmentOfCode: Int16Array;
}

export function codeIndex(r: number, f: number, m: number, scale: number): number {
	return ((r - 1) * scale + (f - 1)) * scale + (m - 1);
}

/** Every code of a scale as a 3-character string, in ascending order ("111" … "kkk"). */
export function allCodes(scale: Scale): string[] {
	const codes: string[] = [];
	for (let r = 1; r <= scale; r++) for (let f = 1; f <= scale; f++) for (let m = 1; m <= scale; m++) codes.push(`${r}${f}${m}`);
	return codes;
}

function indexOfCode(code: string, scale: number): number {
	return codeIndex(+code[0], +code[1], +code[2], scale);
}

export function elevenSegmentMap(): SegmentMap {
	const segmentOfCode = new Int16Array(125).fill(-1);
	NAMED_SEGMENTS.forEach((segment, s) => {
		for (const code of ELEVEN_SEGMENT_CODES[segment]) segmentOfCode[indexOfCode(code, 5)] = s;
	});
	return { kind: 'elevenSegments', scale: 5, segments: [...NAMED_SEGMENTS], segmentOfCode };
}

export function tenSegmentMap(): SegmentMap {
	const segments = TEN_SEGMENT_RULES.map((rule) => rule.segment);
	const segmentOfCode = new Int16Array(125).fill(-1);
	for (const code of allCodes(5)) {
		const rf = code.slice(0, 2);
		segmentOfCode[indexOfCode(code, 5)] = TEN_SEGMENT_RULES.findIndex((rule) => rule.pattern.test(rf));
	}
	return { kind: 'tenSegments', scale: 5, segments, segmentOfCode };
}

const codeToSegmentSchema = z.record(z.string(), z.string().trim().min(1, 'segment name is empty'));
const segmentToCodesSchema = z.record(
	z.string().trim().min(1, 'segment name is empty'),
	z.array(z.union([z.string(), z.number()])).min(1, 'lists no codes'),
);

const CODE_KEY = /^\d{3}$/;

export type CustomMapResult = { ok: true; map: SegmentMap } | { ok: false; problems: string[] };

function listCodes(codes: string[]): string {
	return codes.length <= 20 ? codes.join(', ') : `${codes.slice(0, 20).join(', ')} … (${codes.length} in all)`;
}

/**
 * Reads a user map, given either as `{ "555": "VIP", "554": "VIP", … }` (code → segment) or as
 * `{ "VIP": ["555", "554"], … }` (segment → codes), and checks that each of the scale's k³ codes belongs to
 * exactly one segment.
 */
export function customSegmentMap(input: unknown, scale: Scale): CustomMapResult {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) {
		return { ok: false, problems: ['the map must be a JSON object: {"555": "Champions", …} or {"Champions": ["555", …], …}'] };
	}
	const keys = Object.keys(input);
	if (keys.length === 0) return { ok: false, problems: ['the map is empty'] };
	const pairs: Array<{ code: string; segment: string }> = [];
	if (keys.every((k) => CODE_KEY.test(k))) {
		const parsed = validate(codeToSegmentSchema, input);
		if (!parsed.ok) return { ok: false, problems: parsed.issues.map((i) => `${i.field}: ${i.message}`) };
		for (const [code, segment] of Object.entries(parsed.value)) pairs.push({ code, segment: segment.trim() });
	} else {
		const parsed = validate(segmentToCodesSchema, input);
		if (!parsed.ok) return { ok: false, problems: parsed.issues.map((i) => `${i.field}: ${i.message}`) };
		for (const [segment, codes] of Object.entries(parsed.value)) {
			for (const code of codes) pairs.push({ code: String(code).trim(), segment: segment.trim() });
		}
	}

	const problems: string[] = [];
	const segments: string[] = [];
	const segmentIndex = new Map<string, number>();
	const segmentOfCode = new Int16Array(scale ** 3).fill(-1);
	const invalid: string[] = [];
	const doubled: string[] = [];
	const digit = new RegExp(`^[1-${scale}]{3}$`);
	for (const { code, segment } of pairs) {
		if (!digit.test(code)) {
			invalid.push(`"${code}"`);
			continue;
		}
		let s = segmentIndex.get(segment);
		if (s === undefined) {
			s = segments.length;
			segments.push(segment);
			segmentIndex.set(segment, s);
		}
		const at = indexOfCode(code, scale);
		const previous = segmentOfCode[at];
		if (previous !== -1) {
			doubled.push(previous === s ? `${code} (twice in "${segment}")` : `${code} ("${segments[previous]}" and "${segment}")`);
			continue;
		}
		segmentOfCode[at] = s;
	}
	if (invalid.length) problems.push(`not a code of the 1–${scale} scale: ${listCodes(invalid)}`);
	if (doubled.length) problems.push(`codes given more than once: ${listCodes(doubled)}`);
	const missing = allCodes(scale).filter((code) => segmentOfCode[indexOfCode(code, scale)] === -1);
	if (missing.length) problems.push(`codes with no segment: ${listCodes(missing)}`);
	if (problems.length) return { ok: false, problems };
	return { ok: true, map: { kind: 'custom', scale, segments, segmentOfCode } };
}
