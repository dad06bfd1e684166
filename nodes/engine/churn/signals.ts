/**
 * Score by Signals: a transparent 0–100 churn-risk score from rules an operations team can read.
 *
 * Each signal turns one or two fields of a customer into a measure (for example "days since the last
 * purchase ÷ the customer's usual interval"), and the measure into a severity between 0 and 1 with two
 * thresholds: below the warning level 0; at the warning level ½, rising linearly to 1 at the alert level;
 * 1 beyond it (mirrored when lower values are riskier).
 *
 *   score = 100 × Σ weight × severity / Σ weight        (sums over the signals that have data)
 *
 * A signal whose field is missing for a customer is left out of both sums and reported ("ignored and
 * reported, not treated as zero"): the score then rests on the signals that do have data, and `coverage`
 * says which share of the total weight that was. Each signal's points = 100 × severity × weight / Σ weight,
 * so the points of the reasons add up to the score exactly.
 */
import type { Language } from '../../shared/i18n';

import { checkTierThresholds, reportedScore, tierOf, type Tier, type TierThresholds } from './model';
import { missingSignalText, noScoreText, signalReasonText } from './reasonText';

export type SignalKind =
	| 'daysSincePurchase'
	| 'usageDrop'
	| 'ticketsRising'
	| 'renewalDue'
	| 'failedPayments'
	| 'npsDetractor'
	| 'custom';

export interface SignalDefinition {
	kind: SignalKind;
	/** Field of the main input (last purchase date or days, recent usage, tickets, renewal date, …). */
	field: string;
	/**
	 * Field of the second input: the usual purchase interval (daysSincePurchase), the baseline usage
	 * (usageDrop), the tickets of the previous window (ticketsRising), the "renewed" flag (renewalDue).
	 */
	referenceField?: string;
	/** daysSincePurchase without a reference field: one usual interval in days for every customer. */
	usualIntervalDays?: number;
	weight: number;
	/** Measure at which the signal starts to count (severity ½). */
	warnAt: number;
	/** Measure at which the signal counts fully (severity 1). */
	alertAt: number;
	/** Only for custom signals: does a higher value mean more risk? Other kinds have a fixed direction. */
	higherIsRiskier?: boolean;
	/** Only for custom signals: the name shown in reasons (default: the field name). */
	label?: string;
}

/** Default thresholds per kind, on the kind's measure. */
export const SIGNAL_DEFAULTS: Record<Exclude<SignalKind, 'custom'>, { warnAt: number; alertAt: number; higherIsRiskier: boolean }> = {
	// × the usual interval: 1.5 intervals without a purchase is late, 3 is lapsed
	daysSincePurchase: { warnAt: 1.5, alertAt: 3, higherIsRiskier: true },
	// share of the baseline usage lost
	usageDrop: { warnAt: 0.3, alertAt: 0.7, higherIsRiskier: true },
	// complaints or tickets more than in the previous window (or in the window, without a previous count)
	ticketsRising: { warnAt: 1, alertAt: 3, higherIsRiskier: true },
	// days until the renewal date; negative when it has passed
	renewalDue: { warnAt: 60, alertAt: 14, higherIsRiskier: false },
	failedPayments: { warnAt: 1, alertAt: 3, higherIsRiskier: true },
	// NPS answers 0–6 are detractors (Reichheld 2003; metrics.md "Survey scores")
	npsDetractor: { warnAt: 6, alertAt: 2, higherIsRiskier: false },
};

export function directionOf(definition: SignalDefinition): boolean {
	return definition.kind === 'custom' ? definition.higherIsRiskier ?? true : SIGNAL_DEFAULTS[definition.kind].higherIsRiskier;
}

/** One customer's inputs for one signal, already read from the item by the adapter. */
export interface SignalReading {
	/** The main input as a number (days, count, score…), or null when the field is missing. */
	value: number | null;
	/** The field's value as the item gave it (a date string, say), for the reason text. */
	shown?: unknown;
	/** The second input (number, or the renewed flag), or null when missing. */
	reference?: number | boolean | null;
	referenceShown?: unknown;
}

export interface SignalReason {
	signal: SignalKind;
	field: string;
	/** The field's value as given. */
	value: unknown;
	referenceField?: string;
	referenceValue?: unknown;
	/** The signal's measure (ratio, share dropped, increase, days, count, score). */
	measure: number;
	/** 0–1, from the thresholds. */
	severity: number;
	/** Points of the 0–100 score this signal accounts for. */
	points: number;
	text: string;
}

export interface MissingSignal {
	signal: SignalKind;
	field: string;
	/** Why the signal could not be computed. */
	reason: 'missing' | 'referenceMissing' | 'referenceNotPositive';
	text: string;
}

export interface SignalScore {
	/** 0–100, or null when no signal had data. */
	score: number | null;
	tier: Tier | null;
	/** Why score is null. */
	scoreReason?: string;
	/** Reasons with points > 0, largest first. */
	reasons: SignalReason[];
	/** Signals left out for this customer (not counted as zero). */
	missingSignals: MissingSignal[];
	/** Share of the total signal weight that had data (0–1). */
	coverage: number;
}

export const DEFAULT_SCORE_TIERS: TierThresholds = { medium: 25, high: 50, critical: 75 };

/** Weights are relative; the bound keeps Σ weight and 100 × weight finite. */
export const MAX_WEIGHT = 1_000_000;

/**
 * Why a signal's main value is impossible for its kind (undefined when it is fine): the adapter turns it
 * into an item error naming the field and value, instead of scoring nonsense (an NPS answer of 42).
 */
export function readingProblem(kind: SignalKind, value: number): string | undefined {
	switch (kind) {
		case 'npsDetractor':
			return value >= 0 && value <= 10 ? undefined : 'is not an NPS answer (0 to 10)';
		case 'daysSincePurchase':
			return value >= 0 ? undefined : 'is after the As-Of Date (a last purchase cannot be in the future)';
		case 'usageDrop':
		case 'ticketsRising':
		case 'failedPayments':
			return value >= 0 ? undefined : 'must not be negative (it is a count or an amount of usage)';
		default:
			return undefined;
	}
}

/**
 * Why a signal's second value is impossible (undefined when fine): a negative usual interval or baseline
 * usage or previous ticket count, or an interval too small to divide by. A baseline or interval of 0
 * leaves the signal out instead (documented: no ratio can be computed).
 */
export function referenceProblem(kind: SignalKind, value: number): string | undefined {
	if (kind === 'daysSincePurchase') {
		if (value < 0) return 'must not be negative (it is a number of days)';
		if (value > 0 && value < 1e-6) return 'is too small to be a number of days between purchases';
		return undefined;
	}
	// Baseline usage and the previous period's tickets are the same kind of figure as the main value.
	if (kind === 'usageDrop' || kind === 'ticketsRising') return readingProblem(kind, value);
	return undefined;
}

export function checkSignalDefinitions(definitions: readonly SignalDefinition[]): void {
	if (definitions.length === 0) throw new Error('Add at least one signal');
	definitions.forEach((d, i) => {
		const where = `Signal ${i + 1} (${d.kind}${d.field ? `, field "${d.field}"` : ''})`;
		if (!d.field || !d.field.trim()) throw new Error(`${where}: the field name is empty`);
		if (!(typeof d.weight === 'number' && d.weight > 0 && d.weight <= MAX_WEIGHT)) {
			throw new Error(`${where}: the weight must be a number above 0, at most ${MAX_WEIGHT.toLocaleString('en-US')} (got ${JSON.stringify(d.weight)})`);
		}
		for (const [name, v] of [['warning level', d.warnAt], ['alert level', d.alertAt]] as const) {
			if (!(typeof v === 'number' && Number.isFinite(v))) throw new Error(`${where}: the ${name} must be a number (got ${JSON.stringify(v)})`);
		}
		const higher = directionOf(d);
		if (higher ? d.alertAt < d.warnAt : d.alertAt > d.warnAt) {
			throw new Error(
				`${where}: the alert level must be ${higher ? 'at or above' : 'at or below'} the warning level (warning ${d.warnAt}, alert ${d.alertAt})`,
			);
		}
		if (d.kind === 'daysSincePurchase' && !d.referenceField && !(d.usualIntervalDays !== undefined && d.usualIntervalDays > 0)) {
			throw new Error(`${where}: give a usual-interval field or a usual interval in days above 0`);
		}
		if (d.kind === 'usageDrop' && !d.referenceField) throw new Error(`${where}: a baseline usage field is required`);
	});
}

/** The first problem with the definitions, as a sentence, or undefined. */
export function signalDefinitionProblem(definitions: readonly SignalDefinition[]): string | undefined {
	try {
		checkSignalDefinitions(definitions);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** 0 below the warning level, ½ at it, linear to 1 at the alert level, 1 beyond. */
export function severityOf(measure: number, warnAt: number, alertAt: number, higherIsRiskier: boolean): number {
	const m = higherIsRiskier ? measure : -measure;
	const warn = higherIsRiskier ? warnAt : -warnAt;
	const alert = higherIsRiskier ? alertAt : -alertAt;
	if (m < warn) return 0;
	if (m >= alert) return 1;
	return 0.5 + (0.5 * (m - warn)) / (alert - warn);
}

type Measured = { measure: number } | { missing: MissingSignal['reason'] };

/** The measure of one signal for one customer. */
export function measureOf(definition: SignalDefinition, reading: SignalReading): Measured {
	if (reading.value === null || reading.value === undefined) return { missing: 'missing' };
	const value = reading.value;
	const reference = reading.reference;
	switch (definition.kind) {
		case 'daysSincePurchase': {
			const interval = definition.referenceField ? reference : definition.usualIntervalDays;
			if (interval === null || interval === undefined || typeof interval === 'boolean') return { missing: 'referenceMissing' };
			if (!(interval > 0)) return { missing: 'referenceNotPositive' };
			return { measure: value / interval };
		}
		case 'usageDrop': {
			if (reference === null || reference === undefined || typeof reference === 'boolean') return { missing: 'referenceMissing' };
			// A zero baseline has no share to lose: the drop is undefined, not 0 % or 100 %.
			if (!(reference > 0)) return { missing: 'referenceNotPositive' };
			return { measure: (reference - value) / reference };
		}
		case 'ticketsRising': {
			if (!definition.referenceField) return { measure: value };
			if (reference === null || reference === undefined || typeof reference === 'boolean') return { missing: 'referenceMissing' };
			return { measure: value - reference };
		}
		case 'renewalDue':
			// Renewed already: no renewal risk, however near the date (measure pushed past the warning level).
			if (reference === true) return { measure: Number.MAX_SAFE_INTEGER };
			return { measure: value };
		default:
			return { measure: value };
	}
}

/** Scores customers; `readings[c][s]` is customer c's reading for signal s. */
export function scoreBySignals(
	definitions: readonly SignalDefinition[],
	readings: ReadonlyArray<readonly SignalReading[]>,
	options: { tiers?: TierThresholds; language?: Language } = {},
): SignalScore[] {
	checkSignalDefinitions(definitions);
	const tiers = options.tiers ?? DEFAULT_SCORE_TIERS;
	checkTierThresholds(tiers, 100);
	const language = options.language ?? 'en';
	const totalWeight = definitions.reduce((s, d) => s + d.weight, 0);
	return readings.map((customer) => {
		const missingSignals: MissingSignal[] = [];
		const found: Array<{ s: number; measure: number; severity: number }> = [];
		let availableWeight = 0;
		definitions.forEach((d, s) => {
			const reading = customer[s] ?? { value: null };
			const m = measureOf(d, reading);
			if ('missing' in m) {
				const field = m.missing === 'missing' ? d.field : d.referenceField ?? d.field;
				missingSignals.push({ signal: d.kind, field, reason: m.missing, text: missingSignalText(d, field, m.missing, language) });
				return;
			}
			availableWeight += d.weight;
			found.push({ s, measure: m.measure, severity: severityOf(m.measure, d.warnAt, d.alertAt, directionOf(d)) });
		});
		const coverage = totalWeight > 0 ? availableWeight / totalWeight : 0;
		if (availableWeight === 0) {
			return {
				score: null,
				tier: null,
				scoreReason: noScoreText(missingSignals, language),
				reasons: [],
				missingSignals,
				coverage,
			};
		}
		let score = 0;
		const reasons: SignalReason[] = [];
		for (const { s, measure, severity } of found) {
			const points = 100 * severity * (definitions[s].weight / availableWeight);
			score += points;
			if (points <= 0) continue;
			const d = definitions[s];
			const reading = customer[s];
			const reason: SignalReason = {
				signal: d.kind,
				field: d.field,
				value: reading.shown ?? reading.value,
				measure,
				severity,
				points,
				text: '',
			};
			if (d.referenceField) {
				reason.referenceField = d.referenceField;
				reason.referenceValue = reading.referenceShown ?? reading.reference ?? null;
			}
			reason.text = signalReasonText(d, reason, reading, language);
			reasons.push(reason);
		}
		reasons.sort((a, b) => b.points - a.points);
		// Guard against 100.00000000000001 from float sums.
		score = Math.min(100, Math.max(0, score));
		return { score, tier: tierOf(reportedScore(score), tiers), reasons, missingSignals, coverage };
	});
}
