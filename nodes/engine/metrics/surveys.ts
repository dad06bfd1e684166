/**
 * Survey scores: NPS, CSAT and CES (metrics.md, "Survey scores").
 *
 * - NPS = % promoters − % detractors on a 0–10 scale (promoters 9–10, detractors 0–6); passives count in the
 *   denominator. Reported as an integer from −100 to +100, halves rounded away from zero (−12.5 → −13);
 *   the unrounded value is kept as `npsExact`.
 * - CSAT = responses at or above the "satisfied" threshold (top-2-box: 4–5 on 1–5) / all responses × 100.
 * - CES 2.0 = mean agreement with "the company made it easy to handle my issue" on 1–7, and the % who agree
 *   (5–7). Older 1–5 variants are reversed (low = easy), so the direction is an explicit setting.
 */

import type { Language } from '../../shared/i18n';

import { noteText } from './notes';

export type SurveyKind = 'nps' | 'csat' | 'ces';
export type SurveyClass = 'promoter' | 'passive' | 'detractor' | 'satisfied' | 'notSatisfied' | 'easy' | 'neutral' | 'difficult';

export interface SurveyConfig {
	kind: SurveyKind;
	scaleMin: number;
	scaleMax: number;
	/** NPS: lowest promoter score (9). CSAT: lowest satisfied score (4). CES: threshold of "easy" (5). */
	positiveThreshold: number;
	/** NPS: highest detractor score (6). CES: threshold of "difficult" (3 on 1–7). Unused for CSAT. */
	negativeThreshold: number;
	/** CES only: true when a higher score means less effort (CES 2.0). */
	higherIsBetter: boolean;
}

export const SURVEY_DEFAULTS: Record<SurveyKind, SurveyConfig> = {
	nps: { kind: 'nps', scaleMin: 0, scaleMax: 10, positiveThreshold: 9, negativeThreshold: 6, higherIsBetter: true },
	csat: { kind: 'csat', scaleMin: 1, scaleMax: 5, positiveThreshold: 4, negativeThreshold: 3, higherIsBetter: true },
	ces: { kind: 'ces', scaleMin: 1, scaleMax: 7, positiveThreshold: 5, negativeThreshold: 3, higherIsBetter: true },
};

/**
 * The thresholds a survey uses when none is given, from its scale: NPS 9 / 6 (its 0–10 scale is part of
 * the definition); CSAT satisfied ≥ max − 1, the top two boxes (4 on 1–5, 9 on 1–10), but never the lowest
 * answer (a thumbs-up/down 0–1 scale: satisfied = 1, not everyone); CES "easy" the top
 * and "difficult" the bottom k = ⌊(max − min) / 3⌋ points of the scale (≥ 5 / ≤ 3 on 1–7, ≥ 4 / ≤ 2 on
 * 1–5), mirrored when a lower answer means less effort (≤ 3 / ≥ 5 on 1–7). `scale` holds the numbers given
 * (checked finite by the caller); a threshold given is kept as given.
 */
export function surveyConfig(kind: SurveyKind, scale: Partial<Omit<SurveyConfig, 'kind'>>): SurveyConfig {
	const config: SurveyConfig = { ...SURVEY_DEFAULTS[kind], kind };
	for (const key of ['scaleMin', 'scaleMax', 'positiveThreshold', 'negativeThreshold', 'higherIsBetter'] as const) {
		if (scale[key] !== undefined) (config as unknown as Record<string, unknown>)[key] = scale[key];
	}
	const { scaleMin: min, scaleMax: max } = config;
	let positive = config.positiveThreshold;
	let negative = config.negativeThreshold;
	if (kind === 'csat') positive = Math.max(max - 1, Math.min(min + 1, max));
	if (kind === 'ces') {
		const k = Math.floor((max - min) / 3);
		positive = config.higherIsBetter ? max - k : min + k;
		negative = config.higherIsBetter ? min + k : max - k;
	}
	if (scale.positiveThreshold === undefined) config.positiveThreshold = positive;
	if (scale.negativeThreshold === undefined) config.negativeThreshold = negative;
	return config;
}

/** Problems with the configuration itself (thresholds outside the scale, crossed thresholds). */
export function checkSurveyConfig(config: SurveyConfig): string | undefined {
	const { scaleMin, scaleMax, positiveThreshold: pos, negativeThreshold: neg } = config;
	if (!(scaleMin < scaleMax)) return `the scale minimum (${scaleMin}) must be below the maximum (${scaleMax})`;
	if (pos < scaleMin || pos > scaleMax) return `the positive threshold ${pos} is outside the scale ${scaleMin}–${scaleMax}`;
	if (config.kind === 'csat') return undefined;
	if (neg < scaleMin || neg > scaleMax) return `the negative threshold ${neg} is outside the scale ${scaleMin}–${scaleMax}`;
	const better = config.kind === 'nps' || config.higherIsBetter;
	if (better ? neg >= pos : neg <= pos) {
		return `the thresholds overlap: ${better ? `negative (${neg}) must be below positive (${pos})` : `negative (${neg}) must be above positive (${pos})`}`;
	}
	return undefined;
}

export function classifyResponse(score: number, config: SurveyConfig): SurveyClass {
	const { positiveThreshold: pos, negativeThreshold: neg } = config;
	switch (config.kind) {
		case 'nps':
			return score >= pos ? 'promoter' : score <= neg ? 'detractor' : 'passive';
		case 'csat':
			return score >= pos ? 'satisfied' : 'notSatisfied';
		case 'ces':
			if (config.higherIsBetter) return score >= pos ? 'easy' : score <= neg ? 'difficult' : 'neutral';
			return score <= pos ? 'easy' : score >= neg ? 'difficult' : 'neutral';
	}
}

export interface SurveySummary {
	kind: SurveyKind;
	responses: number;
	counts: Partial<Record<SurveyClass, number>>;
	/** Shares of each class, in percent. */
	shares: Partial<Record<SurveyClass, number | null>>;
	meanScore: number | null;
	/** NPS (integer), CSAT % or CES % easy; null without responses. */
	score: number | null;
	/** NPS before rounding. */
	scoreExact: number | null;
	note?: string;
}

const CLASSES: Record<SurveyKind, SurveyClass[]> = {
	nps: ['promoter', 'passive', 'detractor'],
	csat: ['satisfied', 'notSatisfied'],
	ces: ['easy', 'neutral', 'difficult'],
};

/**
 * NPS as an integer from the counts: 100 × (promoters − detractors) / responses, halves rounded away from
 * zero (12.5 → 13, −12.5 → −13), so the sign never biases it. Done in whole numbers: in floating point
 * 23 / 40 × 100 is 57.49999999999999 and would round down.
 */
export function roundNps(difference: number, responses: number): number {
	const magnitude = Math.floor((200 * Math.abs(difference) + responses) / (2 * responses));
	// + 0 turns −0 (a small negative score rounded to zero) into 0.
	return (difference < 0 ? -magnitude : magnitude) + 0;
}

export function surveySummary(scores: ArrayLike<number>, config: SurveyConfig, language: Language = 'en'): SurveySummary {
	const classes = CLASSES[config.kind];
	const counts: Partial<Record<SurveyClass, number>> = {};
	for (const c of classes) counts[c] = 0;
	let sum = 0;
	for (let i = 0; i < scores.length; i++) {
		counts[classifyResponse(scores[i], config)]! += 1;
		sum += scores[i];
	}
	const n = scores.length;
	const shares: Partial<Record<SurveyClass, number | null>> = {};
	for (const c of classes) shares[c] = n === 0 ? null : (counts[c]! / n) * 100;
	if (n === 0) {
		return { kind: config.kind, responses: 0, counts, shares, meanScore: null, score: null, scoreExact: null, note: noteText('noResponses', language) };
	}
	let exact: number;
	if (config.kind === 'nps') exact = ((counts.promoter! - counts.detractor!) / n) * 100;
	else if (config.kind === 'csat') exact = (counts.satisfied! / n) * 100;
	else exact = (counts.easy! / n) * 100;
	return {
		kind: config.kind,
		responses: n,
		counts,
		shares,
		meanScore: sum / n,
		score: config.kind === 'nps' ? roundNps(counts.promoter! - counts.detractor!, n) : exact,
		scoreExact: exact,
	};
}
