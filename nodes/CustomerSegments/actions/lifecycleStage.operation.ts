/** Lifecycle Stage: new / active / at risk / dormant / lost / reactivated against each customer's own rhythm. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { DEFAULT_LIFECYCLE, STAGES, lifecycleStages, type CustomerStage, type LifecycleSettings } from '../../engine/segments/lifecycle';
import { defaultAsOfDay, purchaseHistory } from '../../engine/segments/transactions';
import { formatDay } from '../../shared/dates';
import { describeValue } from '../../shared/fields';
import { labelsFor, pick, type Language } from '../../shared/i18n';
import { dayParameter, getCalendar, getLanguage, handleInputErrors, numbersFromText, toItems } from '../../shared/node';
import { percent, round } from '../../shared/numbers';
import { formatIssues, validate } from '../../shared/validation';
import { DEFINITIONS, LABELS, LIFECYCLE_LIMITS, STAGE_LABELS, STAGE_NUMBER_LABELS, lifecycleWarningText, stageLabel, stageReason } from '../labels';
import { asOfProperty, customerPairs, dayFormatter, flatPairs, readTransactions, transactionFields, transactionProperties } from './common';

const OP = 'lifecycleStage';

/** The stage thresholds, as one collection; the RFM operation shows the same one when stages are added. */
export function lifecycleOptionsProperty(show: NonNullable<INodeProperties['displayOptions']>['show']): INodeProperties {
	return {
		displayName: 'Lifecycle Options',
		name: 'lifecycleOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Active Up To (× Usual Interval)',
				name: 'activeUpTo',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 1.5, // DEFAULT_LIFECYCLE.activeUpTo
				description: 'A customer is active while the days since the last purchase are at most this multiple of their usual interval',
			},
			{
				displayName: 'At Risk Up To (× Usual Interval)',
				name: 'atRiskUpTo',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 3, // DEFAULT_LIFECYCLE.atRiskUpTo
				description: 'Beyond the active limit and up to this multiple: at risk. A comeback after a longer gap counts as reactivated.',
			},
			{
				displayName: 'Default Interval (Days)',
				name: 'defaultIntervalDays',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30, // DEFAULT_LIFECYCLE.defaultIntervalDays
				description: 'Usual interval used when no customer bought on two different days',
			},
			{
				displayName: 'Dormant Up To (× Usual Interval)',
				name: 'dormantUpTo',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 6, // DEFAULT_LIFECYCLE.dormantUpTo
				description: 'Beyond the at-risk limit and up to this multiple: dormant; beyond it: lost',
			},
			{
				displayName: 'New Customer Window (Days)',
				name: 'newCustomerDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30, // DEFAULT_LIFECYCLE.newCustomerDays
				description: 'A customer whose first purchase is at most this many days before the as-of date is new',
			},
		],
	};
}

export const description: INodeProperties[] = [
	...transactionProperties([OP]),
	asOfProperty([OP]),
	lifecycleOptionsProperty({ operation: [OP] }),
];

/** A limit or interval: Infinity (an expression's 1 / 0) would reach the output as null and "Infinity days". */
const positive = z.number().finite('must be a finite number').positive('must be above 0');

const settingsSchema = z
	.object({
		newCustomerDays: z.number().int('must be a whole number of days').min(0, 'must not be negative'),
		activeUpTo: positive,
		atRiskUpTo: positive,
		dormantUpTo: positive,
		defaultIntervalDays: positive,
	})
	.refine((s) => s.activeUpTo < s.atRiskUpTo && s.atRiskUpTo < s.dormantUpTo, {
		message: 'the limits must increase: active < at risk < dormant',
		path: ['atRiskUpTo'],
	});

export function lifecycleSettings(ctx: IExecuteFunctions, asOfDay: number): LifecycleSettings {
	const options = numbersFromText(ctx.getNodeParameter('lifecycleOptions', 0, {}) as Partial<LifecycleSettings>);
	const given: Record<string, unknown> = { ...DEFAULT_LIFECYCLE, ...options };
	const checked = validate(settingsSchema, given);
	if (!checked.ok) {
		// Name the value given with each problem ("Expected number, received string" alone does not say which).
		const issues = checked.issues.map((i) => (i.field in given ? { ...i, message: `${i.message} (got ${describeValue(given[i.field])})` } : i));
		throw new NodeOperationError(ctx.getNode(), `Lifecycle Options: ${formatIssues(issues)}`);
	}
	return { ...checked.value, asOfDay };
}

/** The limits the stages were judged by, as the summaries report them (labelled by LIFECYCLE_LIMITS). */
export function lifecycleLimits(settings: LifecycleSettings): Omit<LifecycleSettings, 'asOfDay'> {
	const { newCustomerDays, activeUpTo, atRiskUpTo, dormantUpTo, defaultIntervalDays } = settings;
	return { newCustomerDays, activeUpTo, atRiskUpTo, dormantUpTo, defaultIntervalDays };
}

/** The stage fields of a per-customer item (also added to RFM items). */
export function stageFields(c: CustomerStage, settings: LifecycleSettings, language: Language) {
	return {
		stage: c.stage,
		stageLabel: c.stage === null ? null : stageLabel(c.stage, language),
		stageReason: stageReason(c, settings, language),
		daysSinceLastPurchase: c.daysSinceLastPurchase,
		usualIntervalDays: c.usualIntervalDays === null ? null : round(c.usualIntervalDays, 4),
		intervalSource: c.intervalSource,
		intervalRatio: c.ratio === null ? null : round(c.ratio, 4),
		purchaseDays: c.purchaseDays,
		comebackGapDays: c.comebackGapDays,
		previousIntervalDays: c.previousIntervalDays === null ? null : round(c.previousIntervalDays, 4),
	};
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const calendar = getCalendar(this);
	const language = getLanguage(this);
	const fields = transactionFields(this);
	const givenAsOf = dayParameter(this, calendar, 'asOfDate', 'As-Of Date', false);
	const read = readTransactions(this, items, fields, calendar);
	const customersOut = handleInputErrors(this, read.errors);
	const knownAsOf = givenAsOf ?? defaultAsOfDay(read.tx);
	const asOfDay = knownAsOf ?? 0; // no transaction: nothing is staged, the day is not used
	const settings = lifecycleSettings(this, asOfDay);
	const result = lifecycleStages(purchaseHistory(read.tx, asOfDay), settings);
	const pairs = customerPairs(read.tx.customer, read.itemOfRow, read.tx.customerCount, items.length);

	// Built directly, as the RFM customer items are: every number is a count or went through round().
	const dateOf = dayFormatter();
	for (const c of result.customers) {
		customersOut.push({
			json: {
				customerId: read.ids[c.customer],
				...stageFields(c, settings, language),
				firstPurchaseDate: c.firstPurchaseDay === null ? null : dateOf(c.firstPurchaseDay),
				lastPurchaseDate: c.lastPurchaseDay === null ? null : dateOf(c.lastPurchaseDay),
			},
			pairedItem: pairs[c.customer],
		});
	}

	// One summary item per stage, in the order of STAGES.
	const staged = result.customers.filter((c) => c.stage !== null);
	const warnings = result.warnings.map((w) => lifecycleWarningText(w, language));
	const membersOf = STAGES.map((stage) => staged.filter((c) => c.stage === stage));
	const thresholds = lifecycleLimits(settings);
	// The summary's numbers, its settings' and those of the customer items.
	const labels = labelsFor(
		LABELS,
		[
			'customers',
			'customerShare',
			'meanDaysSinceLastPurchase',
			'meanUsualIntervalDays',
			'populationIntervalDays',
			...LIFECYCLE_LIMITS,
			...STAGE_NUMBER_LABELS,
		],
		language,
	);
	const summary = STAGES.map((stage, s) => {
		const members = membersOf[s];
		const mean = (pickValue: (c: CustomerStage) => number) =>
			members.length ? round(members.reduce((s, c) => s + pickValue(c), 0) / members.length, 4) : null;
		return {
			stage,
			stageLabel: pick(STAGE_LABELS[stage], language),
			customers: members.length,
			customerShare: percent(members.length, staged.length),
			meanDaysSinceLastPurchase: mean((c) => c.daysSinceLastPurchase!),
			meanUsualIntervalDays: mean((c) => c.usualIntervalDays!),
			asOfDate: knownAsOf === null ? null : formatDay(knownAsOf),
			populationIntervalDays: result.populationIntervalDays === null ? null : round(result.populationIntervalDays, 4),
			settings: thresholds,
			warnings,
			labels,
			definitions: { stage: pick(DEFINITIONS.stage, language), customerShare: pick(DEFINITIONS.stageShare, language) },
		};
	});
	const summaryItems = toItems(
		summary,
		(i) => flatPairs(membersOf[i].map((c) => pairs[c.customer])),
	);
	return [customersOut, summaryItems];
}
