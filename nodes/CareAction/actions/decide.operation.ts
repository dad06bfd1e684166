/**
 * Decide: each customer item → one care action (or a reasoned non-action), routed to one of seven
 * outputs. Reads parameters, validates the playbook, asks the engine for a plan per item, lets the
 * ledger apply caps and idempotency atomically in priority order, and shapes the items.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { asDateTime, isValidTimeZone } from '../../shared/dates';
import { describeValue, getField, InputError, isMissing, readId, type Json } from '../../shared/fields';
import {
	booleanParameter,
	collectionOption,
	errorItem,
	getLanguage,
	numbersFromText,
	oneOfParameter,
	optionParameter,
	readBooleanParameter,
	toNodeError,
	wholeNumberParameter,
} from '../../shared/node';
import { formatIssues, parseJsonParameter, validate } from '../../shared/validation';
import {
	DecideContext,
	finishDecision,
	ledgerOrder,
	planDecision,
	smsModeProblem,
	type DecideSettings,
	type FrequencyCap,
	type IdempotencyPeriod,
	type Plan,
} from '../../engine/care/decide';
import { itemValueError, ItemValueError, matchRule, playbookSchema, STANDARD_PLAYBOOK, type Playbook } from '../../engine/care/playbook';
import { parseClock } from '../../engine/care/quietHours';
import { TemplateError } from '../../engine/care/templates';
import { CARE_OUTPUTS, CHANNELS, type Channel, type DecisionVerdict } from '../../engine/care/types';
import { openLedger } from '../ledger';
import { ledgerParameters } from './common';

const show = { show: { operation: ['decide'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Customer ID Field',
		name: 'customerIdField',
		type: 'string',
		default: 'customerId',
		required: true,
		displayOptions: show,
		description: 'Field holding the customer ID; nested fields are written with dots (customer.key)',
	},
	{
		displayName: 'Playbook',
		name: 'playbookSource',
		type: 'options',
		noDataExpression: true,
		displayOptions: show,
		options: [
			{
				name: 'Standard Care Playbook',
				value: 'standard',
				description:
					'High-value at risk → outreach task; NPS detractor → service follow-up; renewal due → reminder; birthday → coupon; dormant → we miss you; low usage → tips',
			},
			{ name: 'Custom (JSON)', value: 'custom', description: 'Your own rules; start from the standard one shown in the field' },
		],
		default: 'standard',
	},
	{
		displayName: 'Playbook Rules (JSON)',
		name: 'playbookJson',
		type: 'json',
		default: JSON.stringify(STANDARD_PLAYBOOK, null, 2),
		displayOptions: { show: { operation: ['decide'], playbookSource: ['custom'] } },
		description:
			'Ordered rules: the first rule whose conditions all hold gives the action. Templates use {{field}} placeholders; no code runs.',
	},
	{
		displayName: 'Campaign Key',
		name: 'campaign',
		type: 'string',
		default: 'care',
		required: true,
		displayOptions: show,
		description:
			'Names this flow in the ledger; part of the idempotency key and of the control-group hash. Change it to start a new campaign.',
	},
	{
		displayName: 'Send At Most Once Per',
		name: 'idempotencyPeriod',
		type: 'options',
		displayOptions: show,
		options: [
			{ name: 'Day', value: 'day', description: 'Same customer + campaign + action at most once per local day' },
			{ name: 'Week', value: 'week' },
			{ name: 'Month', value: 'month' },
			{ name: 'Campaign', value: 'campaign', description: 'At most once for the whole campaign' },
		],
		default: 'day',
		description: 'The period in the idempotency key: re-runs and retries within it never send twice',
	},
	{
		displayName: 'Control Group (%)',
		name: 'holdoutPercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 50, numberPrecision: 2 },
		default: 0,
		displayOptions: show,
		description:
			'Share of customers held out (no message) so that uplift can be measured; chosen by a stable hash of customer ID + campaign key. 5–10 % is common.',
	},
	{
		displayName: 'Send Window',
		name: 'useSendWindow',
		type: 'boolean',
		default: true,
		displayOptions: show,
		description: "Whether to hold messages outside the send window (in each customer's time zone) and route them to Deferred",
	},
	{
		displayName: 'Window Opens',
		name: 'windowStart',
		type: 'string',
		default: '09:00',
		displayOptions: { show: { operation: ['decide'], useSendWindow: [true] } },
		description: "Local time (HH:mm) in the customer's time zone",
	},
	{
		displayName: 'Window Closes',
		name: 'windowEnd',
		type: 'string',
		default: '21:00',
		displayOptions: { show: { operation: ['decide'], useSendWindow: [true] } },
		description: 'Local time (HH:mm); earlier than the opening time means the window crosses midnight',
	},
	{
		displayName: 'Frequency Caps',
		name: 'frequencyCaps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		displayOptions: show,
		default: {
			caps: [
				{ channel: 'email', maxMessages: 1, windowHours: 16 },
				{ channel: 'sms', maxMessages: 1, windowHours: 24 },
				{ channel: '*', maxMessages: 3, windowHours: 168 },
			],
		},
		description:
			'Per customer, counted across every flow that shares the ledger. Transactional actions are exempt. When actions compete, higher priority wins.',
		options: [
			{
				name: 'caps',
				displayName: 'Cap',
				values: [
					{
						displayName: 'Channel',
						name: 'channel',
						type: 'options',
						options: [
							{ name: 'All Channels Together', value: '*' },
							{ name: 'Email', value: 'email' },
							{ name: 'SMS', value: 'sms' },
							{ name: 'Webhook', value: 'webhook' },
							{ name: 'WeCom', value: 'wecom' },
						],
						default: '*',
					},
					{
						displayName: 'Max Messages',
						name: 'maxMessages',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1,
					},
					{
						displayName: 'Window (Hours)',
						name: 'windowHours',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 24,
						description: 'Length of the rolling window; not used for calendar days',
					},
					{
						displayName: 'Window Type',
						name: 'windowType',
						type: 'options',
						options: [
							{
								name: 'Calendar Day (Customer Time Zone)',
								value: 'calendarDay',
								description: "From the customer's local midnight to the next",
							},
							{ name: 'Rolling Hours', value: 'rolling', description: 'The last N hours before the send' },
						],
						default: 'rolling',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'decideOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Consent Field',
				name: 'consentField',
				type: 'string',
				default: 'consent',
				description:
					'Field with consent per channel and topic, e.g. {"sms": false, "email:marketing": true}, or one yes/no for everything',
			},
			{
				displayName: 'Decision Time',
				name: 'decisionTime',
				type: 'string',
				default: '',
				description: 'ISO instant with its UTC offset to decide as of, e.g. 2025-06-10T20:00:00+08:00 (for replays and tests). Empty: now.',
			},
			{
				displayName: 'Fallback Locale',
				name: 'fallbackLocale',
				type: 'options',
				options: [
					{ name: 'Playbook Default', value: '' },
					{ name: 'Simplified Chinese', value: 'zh-CN', description: 'Locale zh-CN' },
					{ name: 'Traditional Chinese', value: 'zh-TW', description: 'Locale zh-TW' },
					{ name: 'English', value: 'en' },
				],
				default: '',
			},
			{
				displayName: 'Fallback Time Zone',
				name: 'fallbackTimeZone',
				type: 'string',
				default: 'Asia/Shanghai',
				description: 'Used when an item has no (valid) time zone',
			},
			{
				displayName: 'Ledger Batch Size',
				name: 'ledgerBatchSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5000,
				description:
					'Decisions per ledger transaction (PostgreSQL) or script (Redis). Larger is faster; each batch is committed on its own, so an interrupted run keeps every finished batch.',
			},
			{
				displayName: 'Locale Field',
				name: 'localeField',
				type: 'string',
				default: 'locale',
				description: 'Field with the customer language: zh-CN, zh-TW or en (zh_CN, zh-Hant, zh-HK are understood)',
			},
			{
				displayName: 'Require Explicit Consent',
				name: 'requireExplicitConsent',
				type: 'boolean',
				default: false,
				description: 'Whether non-transactional messages need a yes in the consent field (otherwise only a no stops them)',
			},
			{
				displayName: 'SMS Mode',
				name: 'smsMode',
				type: 'options',
				options: [
					{ name: 'Text', value: 'text', description: 'Render the SMS text from the template' },
					{
						name: 'Approved Template',
						value: 'approvedTemplate',
						description: 'Providers such as Aliyun: output the approved template ID and its variables only',
					},
				],
				default: 'text',
			},
			{
				displayName: 'SMS Opt-Out Suffix',
				name: 'smsOptOutSuffix',
				type: 'string',
				default: 'auto',
				description: '"auto": 回T退订 / 回T退訂 / Reply STOP to opt out by locale (not on transactional SMS); empty: none; or your own text',
			},
			{
				displayName: 'Time Zone Field',
				name: 'timeZoneField',
				type: 'string',
				default: 'timeZone',
				description: "Field with the customer's IANA time zone (e.g. Asia/Shanghai)",
			},
			{
				displayName: 'Unsubscribed Field',
				name: 'unsubscribedField',
				type: 'string',
				default: 'unsubscribed',
				description: 'Field that, when true, stops every message to the customer',
			},
			{
				displayName: 'WeCom Messages Per Month',
				name: 'wecomMonthlyLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 4,
				description: "WeCom allows 4 customer messages per customer per calendar month from one company; 0 = don't check",
			},
		],
	},
];

interface DecideOptions {
	consentField?: string;
	/** Text, or a DateTime / Date when set by an expression. */
	decisionTime?: unknown;
	fallbackTimeZone?: string;
	fallbackLocale?: unknown;
	ledgerBatchSize?: number;
	localeField?: string;
	requireExplicitConsent?: unknown;
	smsMode?: unknown;
	smsOptOutSuffix?: string;
	timeZoneField?: string;
	unsubscribedField?: string;
	wecomMonthlyLimit?: number;
}

function readPlaybook(ctx: IExecuteFunctions): Playbook {
	if (optionParameter<'standard' | 'custom'>(ctx, description, 'playbookSource') === 'standard') return STANDARD_PLAYBOOK;
	const parsed = parseJsonParameter(ctx.getNodeParameter('playbookJson', 0));
	if (!parsed.ok) throw new NodeOperationError(ctx.getNode(), `Playbook Rules: ${formatIssues(parsed.issues)}`);
	const raw = parsed.value;
	const checked = validate(playbookSchema, raw);
	if (!checked.ok) {
		throw new NodeOperationError(ctx.getNode(), `Playbook Rules: ${formatIssues(checked.issues)}`, {
			description: 'Fix the playbook JSON; the standard playbook shown in the field is a valid example.',
		});
	}
	return checked.value as Playbook;
}

/**
 * A day (UTC midnight, as JavaScript reads it) or a time with its UTC offset: without one, Date.parse would
 * read the time in the n8n server's own zone, and a replay would decide differently on another machine.
 */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** An ISO instant as Decision Time takes it, or NaN: Date.parse alone rolls 2025-02-30 over to March 2. */
function isoInstant(text: string): number {
	const m = ISO_INSTANT.exec(text);
	if (!m) return NaN;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	// Day 0 of the next month is the last day of this one.
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return NaN;
	return Date.parse(text);
}
/** 9999-12-31: later instants overflow date arithmetic (JavaScript dates end in 275760). */
const MAX_INSTANT_MS = 253_402_300_799_999;
/**
 * Channels a frequency cap may name. CRM tasks (for staff) and `none` actions (recorded only) send the
 * customer nothing and are never counted toward caps, so a cap on them is refused rather than ignored.
 */
const UNCAPPED_CHANNELS: ReadonlyArray<Channel> = ['crmTask', 'none'];
const CAP_CHANNELS: ReadonlyArray<Channel | '*'> = ['*', ...CHANNELS.filter((ch) => !UNCAPPED_CHANNELS.includes(ch))];
const MAX_CAP_MESSAGES = 10_000;
const MAX_CAP_HOURS = 24 * 36_500;
/** Requests per ledger round trip: the loops stepping through a batch need a whole number above 0. */
const MAX_BATCH = 100_000;

function readSettings(ctx: IExecuteFunctions, options: DecideOptions): DecideSettings {
	const node = ctx.getNode();
	const fallbackZone = (options.fallbackTimeZone ?? 'Asia/Shanghai').trim() || 'Asia/Shanghai';
	if (!isValidTimeZone(fallbackZone)) {
		throw new NodeOperationError(node, `Fallback Time Zone "${fallbackZone}" is not an IANA time zone`);
	}
	let now = Date.now();
	const given: unknown = options.decisionTime;
	if (!isMissing(given)) {
		// An ISO instant (2025-06-10T12:00:00Z); Date.parse alone would take "1" as 2001-01-01. An n8n date
		// expression ({{ $now }}, DateTime.fromISO(…)) gives a DateTime, which is its instant.
		const dt = asDateTime(given);
		if (dt) now = dt.isValid ? dt.toMillis() : NaN;
		else if (given instanceof Date) now = given.getTime();
		else now = typeof given === 'string' ? isoInstant(given.trim()) : NaN;
		if (!(Number.isFinite(now) && Math.abs(now) <= MAX_INSTANT_MS)) {
			throw new NodeOperationError(node, `Decision Time ${describeValue(given)} is not an ISO instant with its UTC offset such as 2025-06-10T12:00:00Z or 2025-06-10T20:00:00+08:00 (years 1970–9999)`);
		}
	}
	let window: DecideSettings['window'] = null;
	if (readBooleanParameter(ctx, 'useSendWindow', 'Send Window', true)) {
		const clock = (name: string, label: string, fallback: string) => {
			const raw = ctx.getNodeParameter(name, 0, fallback);
			const minute = parseClock(String(raw));
			if (minute === null || minute >= 1440) {
				throw new NodeOperationError(node, `${label} must be a time of day such as 09:00 or 21:00 (got ${JSON.stringify(raw)})`);
			}
			return minute;
		};
		window = { startMinute: clock('windowStart', 'Window Opens', '09:00'), endMinute: clock('windowEnd', 'Window Closes', '21:00') };
	}
	const givenHoldout = ctx.getNodeParameter('holdoutPercent', 0, 0);
	const holdoutPercent = Number(givenHoldout);
	if (!(holdoutPercent >= 0 && holdoutPercent <= 50)) {
		throw new NodeOperationError(node, `Control Group (%) must be between 0 and 50 (got ${describeValue(givenHoldout)})`);
	}
	const capsParam = ctx.getNodeParameter('frequencyCaps', 0, {}) as {
		caps?: Array<{ channel: unknown; maxMessages: unknown; windowHours: unknown; windowType?: string }>;
	};
	const caps: FrequencyCap[] = (capsParam.caps ?? []).map((given, k) => {
		const c = numbersFromText(given);
		const where = `Frequency cap ${k + 1}`;
		const named = typeof c.channel === 'string' ? c.channel.trim().toLowerCase() : undefined;
		const uncapped = UNCAPPED_CHANNELS.find((ch) => ch.toLowerCase() === named);
		if (uncapped) {
			throw new NodeOperationError(
				node,
				`${where}: Channel "${uncapped}" cannot be capped: CRM tasks and "none" actions send the customer nothing and are not counted (space them with the action's cooldown); use one of ${CAP_CHANNELS.join(', ')}`,
			);
		}
		// Any case, as before: "EMAIL" caps e-mail (nastyInput: "a cap channel in another case counts as that channel").
		const channel = oneOfParameter('Channel', CAP_CHANNELS, c.channel, (m) => {
			throw new NodeOperationError(node, `${where}: ${m}`);
		}, true);
		const max = wholeNumberParameter('Max Messages', c.maxMessages, 1, MAX_CAP_MESSAGES, (m) => {
			throw new NodeOperationError(node, `${where}: ${m}`);
		});
		if (!(typeof c.windowHours === 'number' && c.windowHours > 0 && c.windowHours <= MAX_CAP_HOURS)) {
			throw new NodeOperationError(node, `${where}: Window (Hours) must be above 0 and at most ${MAX_CAP_HOURS.toLocaleString('en-US')} (100 years) (got ${describeValue(c.windowHours)})`);
		}
		const windowType = collectionOption<'calendarDay' | 'rolling'>(ctx, description, 'frequencyCaps.caps.windowType', c.windowType, `${where}: `);
		return {
			channel,
			max,
			windowHours: c.windowHours,
			...(windowType === 'calendarDay' ? { calendarDay: true } : {}),
		};
	});
	const campaign = String(ctx.getNodeParameter('campaign', 0, 'care')).trim();
	if (campaign === '') throw new NodeOperationError(node, 'Campaign Key must not be empty');
	const period = optionParameter<IdempotencyPeriod>(ctx, description, 'idempotencyPeriod');
	const givenWecom = numbersFromText({ n: options.wecomMonthlyLimit ?? 4 }).n;
	const wecomMonthlyLimit = wholeNumberParameter('WeCom Messages Per Month', givenWecom, 0, 1000, (m) => {
		throw new NodeOperationError(node, m);
	});
	return {
		now,
		campaign,
		period,
		fallbackZone,
		window,
		holdoutShare: holdoutPercent / 100,
		caps,
		wecomMonthlyLimit,
		smsMode: collectionOption<DecideSettings['smsMode']>(ctx, description, 'decideOptions.smsMode', options.smsMode),
		smsOptOutSuffix: options.smsOptOutSuffix ?? 'auto',
		consentField: options.consentField ?? 'consent',
		unsubscribedField: options.unsubscribedField ?? 'unsubscribed',
		requireExplicitConsent: booleanParameter('Require Explicit Consent', options.requireExplicitConsent, false, (m) => {
			throw new NodeOperationError(node, m);
		}),
		language: getLanguage(ctx),
	};
}

/** The item error of an engine ItemValueError (its value already masked when it may identify someone). */
function itemError(itemIndex: number, error: ItemValueError): InputError {
	return new InputError(itemIndex, error.field, error.value, error.message);
}

/** The plan of one item, or an InputError naming the item, field and problem (returned, not thrown). */
function planItem(
	json: Json,
	itemIndex: number,
	playbook: Playbook,
	settings: DecideSettings,
	fields: { id: string; zone: string; locale: string },
	context: DecideContext,
	validZones: Map<string, boolean>,
): Plan | InputError {
	let customerId: string;
	try {
		customerId = readId(json, fields.id, itemIndex);
	} catch (error) {
		return error as InputError;
	}
	const rawZone = getField(json, fields.zone);
	let zone = settings.fallbackZone;
	if (!isMissing(rawZone)) {
		// Zone checks build an Intl formatter: remember the answer per zone for this execution.
		const name = typeof rawZone === 'string' ? rawZone.trim() : '';
		let valid = validZones.get(name);
		if (valid === undefined) {
			valid = name !== '' && isValidTimeZone(name);
			validZones.set(name, valid);
		}
		// Masked as playbook values are when it may be a phone number or e-mail (a Time Zone Field on the wrong column).
		if (!valid) return itemError(itemIndex, itemValueError(fields.zone, rawZone, 'is not an IANA time zone such as Asia/Shanghai'));
		zone = name;
	}
	const rawLocale = getField(json, fields.locale);
	const locale = typeof rawLocale === 'string' && rawLocale.trim() !== '' ? rawLocale : undefined;
	try {
		return planDecision({ customerId, zone, locale, data: json }, playbook, settings, context);
	} catch (error) {
		if (error instanceof ItemValueError) return itemError(itemIndex, error);
		if (error instanceof TemplateError) {
			const action = matchRule(playbook, json)?.rule.action.name ?? '?';
			return new InputError(
				itemIndex,
				error.placeholder || '(template)',
				undefined,
				`is needed by the template of action "${action}": ${error.message}`,
			);
		}
		return new InputError(itemIndex, '(playbook)', undefined, (error as Error).message);
	}
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('decideOptions', 0, {}) as DecideOptions;
	// Read before any item: a wrong Ledger fails the node even when no item reaches the ledger.
	const { backend, name } = ledgerParameters(this);
	const base = readPlaybook(this);
	// "" is the playbook's own default; "fr" or "zh_CN" are none of the options (they bypassed the playbook's check).
	const fallbackLocale = collectionOption<string>(this, description, 'decideOptions.fallbackLocale', options.fallbackLocale);
	// A copy: the standard playbook is shared by every execution and must never change.
	const playbook: Playbook = fallbackLocale ? { ...base, defaultLocale: fallbackLocale } : base;
	const settings = readSettings(this, options);
	const smsProblem = smsModeProblem(playbook, settings.smsMode);
	if (smsProblem) {
		throw new NodeOperationError(this.getNode(), `Playbook Rules: ${smsProblem}`, {
			description: 'Add "templates" to the action, or set Options → SMS Mode to Approved Template.',
		});
	}
	const givenBatch = numbersFromText({ n: options.ledgerBatchSize as unknown }).n;
	const batchSize =
		givenBatch === undefined
			? undefined
			: wholeNumberParameter('Ledger Batch Size', givenBatch, 1, MAX_BATCH, (m) => {
					throw new NodeOperationError(this.getNode(), m);
				});
	const fields = {
		id: String(this.getNodeParameter('customerIdField', 0, 'customerId')),
		zone: options.timeZoneField ?? 'timeZone',
		locale: options.localeField ?? 'locale',
	};

	const outputs: INodeExecutionData[][] = CARE_OUTPUTS.map(() => []);
	const suppressedIndex = CARE_OUTPUTS.indexOf('suppressed');
	const plans: Array<Plan | undefined> = new Array(items.length);
	const context = new DecideContext();
	const validZones = new Map<string, boolean>();
	for (let i = 0; i < items.length; i++) {
		const plan = planItem(items[i].json as Json, i, playbook, settings, fields, context, validZones);
		if (plan instanceof InputError) {
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), plan);
			outputs[suppressedIndex].push(errorItem(plan, i));
		} else plans[i] = plan;
	}

	const planned = plans.map((p, i) => ({ p, i })).filter((x): x is { p: Plan; i: number } => x.p !== undefined);
	const order = ledgerOrder(planned.map((x) => x.p));
	const verdicts = new Map<number, DecisionVerdict>();
	if (order.length > 0) {
		const ledger = await openLedger(this, backend, name, batchSize);
		try {
			const requests = order.map((j) => (planned[j].p as Extract<Plan, { kind: 'ledger' }>).request);
			const result = await ledger.decide(requests);
			order.forEach((j, k) => verdicts.set(planned[j].i, result[k]));
		} finally {
			await ledger.close();
		}
	}

	for (const { p, i } of planned) {
		const decision = finishDecision(p, verdicts.get(i), settings);
		// The decision holds only strings, finite counts and the playbook's validated priorities.
		const json = { ...(items[i].json as IDataObject), care: decision as unknown as IDataObject };
		outputs[CARE_OUTPUTS.indexOf(decision.output)].push({ json, pairedItem: { item: i } });
	}
	return outputs;
}
