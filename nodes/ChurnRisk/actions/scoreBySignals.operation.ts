/** Score by Signals: a 0–100 churn-risk score from configurable signals, with reasons naming field and value. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	SIGNAL_DEFAULTS,
	readingProblem,
	referenceProblem,
	signalDefinitionProblem,
	scoreBySignals,
	type SignalDefinition,
	type SignalKind,
	type SignalReading,
} from '../../engine/churn/signals';
import type { ZonedCalendar } from '../../shared/dates';
import {
	InputError,
	coerceBoolean,
	coerceNumber,
	getField,
	isMissing,
	readAll,
	readOptionalNumber,
	type Json,
} from '../../shared/fields';
import { reportedScore } from '../../engine/churn/model';
import { booleanParameter, collectionOption, getCalendar, getLanguage, handleInputErrors, numbersFromText } from '../../shared/node';
import { finiteOnly, round } from '../../shared/numbers';
import { explain, outputFieldProperty, parameterError, readTiers, tierLabel, tierProperty, tierThresholdProblem } from './common';

const OP = 'scoreBySignals';
const show = { operation: [OP] };

const KIND_OPTIONS: Array<{ name: string; value: SignalKind; description: string }> = [
	{ name: 'Complaints or Tickets Rising', value: 'ticketsRising', description: 'Recent complaints or tickets, or their increase over the previous period' },
	{ name: 'Custom Numeric Field', value: 'custom', description: 'Any number, with the direction that means more risk' },
	{ name: 'Days Since Last Purchase', value: 'daysSincePurchase', description: 'Days since the last purchase ÷ the customer’s usual interval' },
	{ name: 'Failed Payments', value: 'failedPayments', description: 'Number of failed payments' },
	{ name: 'NPS Detractor', value: 'npsDetractor', description: 'Latest NPS answer (0–10); 0–6 is a detractor' },
	{ name: 'Renewal Due, Not Renewed', value: 'renewalDue', description: 'Renewal date (or days until it) without a renewal' },
	{ name: 'Usage or Login Drop', value: 'usageDrop', description: 'Recent usage against a baseline: share lost' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Signals',
		name: 'signals',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Signal',
		default: {},
		displayOptions: { show },
		description:
			'The signals to score. Thresholds left at 0 and 0 use the defaults of the signal type (see each field’s description).',
		options: [
			{
				displayName: 'Signal',
				name: 'signal',
				values: [
					{
						displayName: 'Alert Level',
						name: 'alertAt',
						type: 'number',
						typeOptions: { numberPrecision: 2 },
						default: 0,
						description:
							'Measure at which the signal counts fully. Defaults: 3 × usual interval; 0.7; 3 more tickets; 14 days to renewal; 3 failed payments; NPS 2.',
					},
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'lastPurchaseDate',
						description:
							'Main field: last purchase date or days since it; recent usage; recent tickets; renewal date or days until it; failed payments; NPS answer; or the custom number',
					},
					{
						displayName: 'Higher Is Riskier',
						name: 'higherIsRiskier',
						type: 'boolean',
						default: true,
						description: 'Whether a higher value means more risk (Custom Numeric Field only)',
					},
					{ displayName: 'Label', name: 'label', type: 'string', default: '', description: 'Name of a custom signal in the reasons' },
					{
						displayName: 'Reference Field',
						name: 'referenceField',
						type: 'string',
						default: '',
						placeholder: 'usualIntervalDays',
						description:
							'Second field: usual purchase interval in days (Days Since Last Purchase), baseline usage (Usage Drop, required), tickets in the previous period (Tickets Rising), renewed flag (Renewal Due). Leave empty when not used.',
					},
					{ displayName: 'Type', name: 'kind', type: 'options', options: KIND_OPTIONS, default: 'daysSincePurchase' },
					{
						displayName: 'Usual Interval (Days)',
						name: 'usualIntervalDays',
						type: 'number',
						default: 30,
						description: 'Days Since Last Purchase without a reference field: the usual interval for every customer',
					},
					{
						displayName: 'Warning Level',
						name: 'warnAt',
						type: 'number',
						typeOptions: { numberPrecision: 2 },
						default: 0,
						description:
							'Measure at which the signal starts to count (half its weight). Defaults: 1.5 × usual interval; 0.3 (30 % usage lost); 1 more ticket; 60 days to renewal; 1 failed payment; NPS 6.',
					},
					{ displayName: 'Weight', name: 'weight', type: 'number', default: 1, description: 'Relative importance of this signal' },
				],
			},
		],
	},
	{
		displayName: 'As-Of Date',
		name: 'asOfDate',
		type: 'string',
		default: '',
		placeholder: '2025-01-31',
		description: 'Day from which days since a purchase and days until a renewal are counted. Empty: today in the time zone.',
		displayOptions: { show },
	},
	tierProperty(OP),
	outputFieldProperty(OP),
];

interface SignalParameter {
	kind?: unknown;
	field: string;
	referenceField?: string;
	usualIntervalDays?: number;
	weight?: number;
	warnAt?: number;
	alertAt?: number;
	higherIsRiskier?: unknown;
	label?: string;
}

/** A signal's Type, one of KIND_OPTIONS: "recency" from an expression would fail deep inside the scoring. */
function signalKind(ctx: IExecuteFunctions, kind: unknown, s: number): SignalKind {
	return collectionOption<SignalKind>(ctx, description, 'signals.signal.kind', kind, `Signal ${s + 1}: `, 'Check the Signals parameter.');
}

function readDefinitions(ctx: IExecuteFunctions): SignalDefinition[] {
	const raw = (ctx.getNodeParameter('signals', 0, {}) as { signal?: SignalParameter[] }).signal ?? [];
	const definitions = raw.map((given, s): SignalDefinition => {
		const p = { ...numbersFromText(given), kind: signalKind(ctx, given.kind, s) };
		const useDefaults = p.kind !== 'custom' && !p.warnAt && !p.alertAt;
		const defaults = p.kind === 'custom' ? undefined : SIGNAL_DEFAULTS[p.kind];
		return {
			kind: p.kind,
			field: (p.field ?? '').trim(),
			referenceField: p.referenceField?.trim() || undefined,
			usualIntervalDays: p.usualIntervalDays,
			weight: p.weight ?? 1,
			warnAt: useDefaults && defaults ? defaults.warnAt : p.warnAt ?? 0,
			alertAt: useDefaults && defaults ? defaults.alertAt : p.alertAt ?? 0,
			higherIsRiskier:
				p.kind === 'custom'
					? booleanParameter(`Signal ${s + 1}: Higher Is Riskier`, p.higherIsRiskier, true, (m) => {
							throw parameterError(ctx, m, 'Check the Signals parameter.');
						})
					: undefined,
			label: p.label?.trim() || undefined,
		};
	});
	// "Left at 0 and 0" means the signal type's defaults (see the Signals help); a custom field has none, and
	// 0 / 0 would make every value at or beyond 0 a full alert.
	const bare = definitions.findIndex((d) => d.kind === 'custom' && d.warnAt === 0 && d.alertAt === 0);
	if (bare >= 0) {
		throw parameterError(
			ctx,
			`Signal ${bare + 1} (custom, field "${definitions[bare].field}"): set its Warning Level and Alert Level — a custom field has no default levels, and 0 and 0 would score every value at or beyond 0 as an alert`,
			'Check the Signals parameter.',
		);
	}
	const problem = signalDefinitionProblem(definitions);
	if (problem) throw parameterError(ctx, problem, 'Check the Signals parameter.');
	return definitions;
}

/** Most days a day count may say (100 years): beyond it the number is a date code, not a duration. */
const MAX_DAYS = 36_500;

/**
 * A field holding either a number of days or a date: numbers up to 36,500 are days, larger ones below
 * 10,000,000 are refused (spreadsheet date serials), a YYYYMMDD date is an 8-digit number; anything else
 * must parse as a date and is turned into days from the as-of day.
 */
function readDaysOrDate(json: Json, field: string, itemIndex: number, calendar: ZonedCalendar, asOf: number, sign: 1 | -1): number | null {
	const value = getField(json, field);
	if (isMissing(value)) return null;
	const n = coerceNumber(value);
	if (typeof n === 'number' && Math.abs(n) <= MAX_DAYS) return n;
	if (typeof n === 'number' && Math.abs(n) < 10_000_000) {
		// 45,700 "days" is a spreadsheet date serial number (2025-02-13), not 125 years.
		throw new InputError(itemIndex, field, value, `is more than ${MAX_DAYS.toLocaleString('en-US')} days (100 years); a spreadsheet date serial number? Give a date or a number of days`);
	}
	const day = calendar.parseDay(value);
	if (day === null) throw new InputError(itemIndex, field, value, 'is neither a number of days nor a date');
	return sign * (asOf - day);
}

/**
 * A number, or null when missing. true/false count as 1/0 only where a flag makes sense (a custom field);
 * an NPS answer, a count or a usage figure of `true` is a mistake, not 1.
 */
function readNumberOrNull(json: Json, field: string, itemIndex: number, flagsAllowed: boolean): number | null {
	const value = getField(json, field);
	if (typeof value === 'boolean') {
		if (flagsAllowed) return value ? 1 : 0;
		throw new InputError(itemIndex, field, value, 'is true/false, not a number');
	}
	return readOptionalNumber(json, field, itemIndex) ?? null;
}

function readReading(d: SignalDefinition, json: Json, itemIndex: number, calendar: ZonedCalendar, asOf: number): SignalReading {
	const shown = getField(json, d.field);
	let value: number | null;
	if (d.kind === 'daysSincePurchase') value = readDaysOrDate(json, d.field, itemIndex, calendar, asOf, 1);
	else if (d.kind === 'renewalDue') value = readDaysOrDate(json, d.field, itemIndex, calendar, asOf, -1);
	else value = readNumberOrNull(json, d.field, itemIndex, d.kind === 'custom');
	const problem = value === null ? undefined : readingProblem(d.kind, value);
	if (problem) throw new InputError(itemIndex, d.field, shown, problem);
	const reading: SignalReading = { value, shown: shown === undefined ? null : shown };
	if (d.referenceField) {
		const ref = getField(json, d.referenceField);
		reading.referenceShown = ref === undefined ? null : ref;
		if (d.kind === 'renewalDue') {
			const b = coerceBoolean(ref);
			if (b === null) throw new InputError(itemIndex, d.referenceField, ref, 'is not true or false');
			reading.reference = b ?? null;
		} else {
			reading.reference = readNumberOrNull(json, d.referenceField, itemIndex, false);
			const refProblem = reading.reference === null ? undefined : referenceProblem(d.kind, reading.reference);
			if (refProblem) throw new InputError(itemIndex, d.referenceField, ref, refProblem);
		}
	}
	return reading;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const definitions = readDefinitions(this);
	const language = getLanguage(this);
	const calendar = getCalendar(this);
	const tiers = readTiers(this);
	const tierProblem = tierThresholdProblem(tiers);
	if (tierProblem) throw parameterError(this, tierProblem, 'Check the Tier Thresholds parameter.');
	const outputField = (this.getNodeParameter('outputField', 0, 'churnRisk') as string).trim() || 'churnRisk';
	const overwritten = definitions.find((d) => d.field === outputField || d.referenceField === outputField);
	if (overwritten) {
		throw parameterError(
			this,
			`The Output Field "${outputField}" is also a field a signal reads (${overwritten.kind}); the score would overwrite the customer's value`,
			'Choose another Output Field name.',
		);
	}
	const asOfRaw = this.getNodeParameter('asOfDate', 0, '') as string;
	let asOf: number;
	if (isMissing(asOfRaw)) {
		asOf = calendar.dayOf(Date.now());
	} else {
		const day = calendar.parseDay(asOfRaw);
		if (day === null) throw parameterError(this, `The parameter "As-Of Date" is not a date: ${JSON.stringify(asOfRaw)}`);
		asOf = day;
	}

	const { rows, itemIndexes, errors } = readAll(items, (json, i) =>
		definitions.map((d) => readReading(d, json, i, calendar, asOf)),
	);
	const out = handleInputErrors(this, errors);
	const scores = scoreBySignals(definitions, rows, { tiers, language });
	// The labels of the numbers and the definition used, one shared object for every customer.
	const explained = explain(language, ['score', 'tier', 'reasons', 'value', 'referenceValue', 'measure', 'severity', 'points', 'missingSignals', 'coverage'], ['signalScore']);
	scores.forEach((s, r) => {
		const i = itemIndexes[r];
		const result = {
			score: s.score === null ? null : reportedScore(s.score),
			tier: s.tier,
			tierLabel: tierLabel(s.tier, language),
			...(s.scoreReason ? { scoreReason: s.scoreReason } : {}),
			reasonText: s.reasons.map((r) => r.text).join(language === 'zh' ? '；' : '; '),
			reasons: s.reasons.map((r) => ({
				signal: r.signal,
				field: r.field,
				value: r.value,
				...(r.referenceField ? { referenceField: r.referenceField, referenceValue: r.referenceValue } : {}),
				measure: round(r.measure, 4),
				severity: round(r.severity, 4),
				points: round(r.points, 2),
				text: r.text,
			})),
			missingSignals: s.missingSignals,
			coverage: round(s.coverage, 4),
			method: 'signals',
		};
		out.push({ json: { ...items[i].json, [outputField]: { ...finiteOnly(result), ...explained } } as INodeExecutionData['json'], pairedItem: { item: i } });
	});
	// Keep the input order when Continue On Fail mixed error items in.
	return out.sort((a, b) => pairedIndex(a) - pairedIndex(b));
}

function pairedIndex(item: INodeExecutionData): number {
	const p = item.pairedItem;
	return typeof p === 'object' && p !== null && !Array.isArray(p) ? p.item : 0;
}
