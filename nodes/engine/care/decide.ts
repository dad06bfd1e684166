/**
 * Decide: one customer item → one care decision, in two steps.
 *
 * 1. `planDecision` (pure, per item): playbook rule, consent from the item, control group, template,
 *    send window, and the ledger request carrying the idempotency key and the count limits.
 * 2. The ledger applies all requests atomically (see ./limits.ts), in priority order.
 * 3. `finishDecision` turns plan + ledger verdict into the output item.
 */
import { DateTime } from 'luxon';

import { MS_PER_DAY, MS_PER_HOUR } from '../../shared/dates';
import { coerceBoolean, getField } from '../../shared/fields';
import type { Language } from '../../shared/i18n';
import { isHeldOut, ledgerHash } from './controlGroup';
import { itemValueError, matchRule, needsText, type CareActionSpec, type Playbook } from './playbook';
import { reason, ReasonTexts, type Reason } from './reasons';
import { defaultOptOutSuffix, smsLength, withOptOutSuffix, type SmsLength } from './sms';
import { nextSendTime, type SendWindow } from './quietHours';
import { renderMessage, TemplateCache, valueText } from './templates';
import type { CareOutput, Channel, CountLimit, DecisionRequest, DecisionVerdict } from './types';

export type IdempotencyPeriod = 'day' | 'week' | 'month' | 'campaign';

export interface FrequencyCap {
	/** A channel, or `*` for all channels together. */
	channel: Channel | '*';
	max: number;
	/** Rolling window length (ignored when `calendarDay`). */
	windowHours: number;
	/** Count per calendar day in the customer's time zone instead of a rolling window. */
	calendarDay?: boolean;
}

function capLabel(cap: FrequencyCap): string {
	return cap.calendarDay ? `${cap.max}/day` : `${cap.max}/${cap.windowHours}h`;
}

export interface DecideSettings {
	now: number;
	campaign: string;
	period: IdempotencyPeriod;
	fallbackZone: string;
	/** null = send at any hour. */
	window: SendWindow | null;
	holdoutShare: number;
	caps: FrequencyCap[];
	/** WeCom: at most this many customer messages per calendar month (WeCom's rule: 4). */
	wecomMonthlyLimit: number;
	smsMode: 'text' | 'approvedTemplate';
	/** `auto` = by locale (回T退订 / Reply STOP…), '' = none, anything else = that text. */
	smsOptOutSuffix: string;
	consentField: string;
	unsubscribedField: string;
	requireExplicitConsent: boolean;
	language: Language;
}

export interface CustomerInput {
	customerId: string;
	zone: string;
	locale?: string;
	data: Record<string, unknown>;
}

export interface RenderedCare {
	locale?: string;
	subject?: string;
	body?: string;
	templateId?: string;
	variables?: Record<string, string>;
	sms?: SmsLength;
}

export interface CareDecision {
	output: CareOutput;
	customerId: string;
	campaign: string;
	rule: string | null;
	action: string | null;
	channel: Channel | null;
	topic: string | null;
	priority: number | null;
	message: RenderedCare | null;
	idempotencyKey: string | null;
	/** ISO instant the message may go out (Deferred items: when the send window opens). */
	sendAt: string | null;
	timeZone: string;
	reasons: Reason[];
}

/**
 * Facts that depend only on the decision time and the customer's zone (the period of the idempotency
 * key, when the send window next opens, the WeCom month): computed once per zone and run instead of
 * once per customer, because time-zone arithmetic is the slowest part of a decision. Create one per
 * execution (it is a cache; never share it at module level).
 */
export class DecideContext {
	private readonly byZone = new Map<string, ZoneFacts>();
	private readonly suffixes = new Map<string, string>();
	readonly templates = new TemplateCache();
	readonly reasons = new ReasonTexts();

	/** The customer-independent half of idempotency keys, hashed once per action and period. */
	keySuffix(campaign: string, action: string, period: string): string {
		const id = `${campaign}\u0000${action}\u0000${period}`;
		let suffix = this.suffixes.get(id);
		if (suffix === undefined) {
			suffix = keySuffix(campaign, action, period);
			this.suffixes.set(id, suffix);
		}
		return suffix;
	}

	facts(now: number, zone: string, s: DecideSettings): ZoneFacts {
		const id = `${now}|${zone}`;
		let f = this.byZone.get(id);
		if (!f) {
			const windowAt = s.window ? nextSendTime(now, zone, s.window) : now;
			const bounds = new Map<string, [number, number]>();
			f = {
				period: periodLabel(s.period, now, zone),
				windowPeriod: periodLabel(s.period, windowAt, zone),
				windowAt,
				windowAtIso: DateTime.fromMillis(windowAt, { zone }).toISO() ?? '',
				nowIso: DateTime.fromMillis(now, { zone }).toISO() ?? '',
				periodBounds: (at: number, unit: 'day' | 'month') => {
					// Only two instants occur per zone (now and the window opening): cache them.
					const id = `${unit}${at}`;
					let b = bounds.get(id);
					if (b === undefined) {
						b = calendarBounds(at, unit, zone);
						bounds.set(id, b);
					}
					return b;
				},
			};
			this.byZone.set(id, f);
		}
		return f;
	}
}

interface ZoneFacts {
	/** The idempotency period of now, and of the window opening (a deferred send is keyed by its send day). */
	period: string;
	windowPeriod: string;
	windowAt: number;
	windowAtIso: string;
	nowIso: string;
	/** The customer's calendar day or month holding `at`: [start, end). */
	periodBounds(at: number, unit: 'day' | 'month'): [number, number];
}

export type Plan =
	| { kind: 'final'; decision: CareDecision }
	| { kind: 'ledger'; decision: CareDecision; request: DecisionRequest; spec: CareActionSpec };

function periodLabel(period: IdempotencyPeriod, now: number, zone: string): string {
	const dt = DateTime.fromMillis(now, { zone });
	if (period === 'day') return dt.toFormat('yyyy-LL-dd');
	if (period === 'week') return dt.toFormat("kkkk-'W'WW");
	if (period === 'month') return dt.toFormat('yyyy-LL');
	return 'campaign';
}

/**
 * customer + campaign + action + period, hashed so that the key never shows a phone number. The key
 * starts with the customer's ledger hash, so a ledger can find a key's customer without another index.
 */
export function idempotencyKey(customerId: string, campaign: string, action: string, period: string): string {
	return `${customerHash(customerId)}-${keySuffix(campaign, action, period)}`;
}

function keySuffix(campaign: string, action: string, period: string): string {
	return ledgerHash('care', campaign, action, period).slice(0, 16);
}

/** How the ledger names a customer: a hash, never the raw id (often a phone number or e-mail). */
export function customerHash(customerId: string): string {
	return ledgerHash('customer', customerId);
}

/**
 * Consent words beyond the package's true/false vocabulary (coerceBoolean: true/false, yes/no, 1/0, t/f,
 * y/n, 是/否…), compared trimmed and lower-cased. Opt-out and opt-in phrases mean "no" and "yes" as consent,
 * and the other way round in an unsubscribe flag.
 */
const OPTED_OUT_WORDS = new Set(['unsubscribed', 'unsubscribe', 'optout', 'opt-out', 'opt_out', 'opt out', 'optedout', 'opted_out', 'opted-out', 'opted out', '退订', '已退订', '取消订阅']);
const OPTED_IN_WORDS = new Set(['subscribed', 'optin', 'opt-in', 'opt_in', 'opt in', 'optedin', 'opted_in', 'opted-in', 'opted in', '订阅', '已订阅']);
const REFUSED_WORDS = new Set(['off', 'none', 'declined', 'denied', 'refused', 'withdrawn', 'revoked', 'disabled', '不', '拒绝', '不同意', '已取消']);
const GRANTED_WORDS = new Set(['on', 'granted', 'given', 'accepted', 'agreed', 'enabled', '同意', '已同意']);

/**
 * Why a consent or unsubscribe value the item holds is refused when it is neither a clear yes nor a clear
 * no ("maybe", {"email": "later"}) — a guess of "yes" would message someone who may have opted out. Thrown
 * as an ItemValueError, which the node turns into an item error naming the item, the field and the value
 * (masked when it may be a phone number or e-mail address: the fields are the user's choice, and an
 * Unsubscribed Field pointing at `phone` is one typo away).
 */
const NEITHER_YES_NOR_NO = 'is neither yes nor no (true/false, yes/no, 1/0, opted in/out, 同意/拒绝 …)';

/**
 * 'on', 'off', or undefined when the value is missing; anything else is an ItemValueError. In an
 * unsubscribe flag (`optedOutMeans` 'on') "unsubscribed" / "opted out" mean yes, as consent they mean no.
 */
function yesNo(v: unknown, field: string, optedOutMeans: 'on' | 'off' = 'off'): 'on' | 'off' | undefined {
	if (typeof v === 'string') {
		const w = v.trim().toLowerCase();
		if (OPTED_OUT_WORDS.has(w)) return optedOutMeans;
		if (OPTED_IN_WORDS.has(w)) return optedOutMeans === 'on' ? 'off' : 'on';
		if (REFUSED_WORDS.has(w)) return 'off';
		if (GRANTED_WORDS.has(w)) return 'on';
	}
	const b = coerceBoolean(v);
	if (b === undefined) return undefined;
	if (b === null) throw itemValueError(field, v, NEITHER_YES_NOR_NO);
	return b ? 'on' : 'off';
}

/** The entry of a consent object for a key, whatever its case ("EMAIL", "Email", "email"). */
function entry(c: Record<string, unknown>, key: string): unknown {
	if (Object.prototype.hasOwnProperty.call(c, key)) return c[key];
	const lower = key.toLowerCase();
	for (const k of Object.keys(c)) if (k.trim().toLowerCase() === lower) return c[k];
	return undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Consent from the item: a global unsubscribe flag and a `consent` value — one yes/no for everything, or
 * an object per channel and topic. The most specific entry decides: channel and topic ("email:marketing",
 * or {"email": {"marketing": …}}) over channel alone ("email", or {"email": {"*": …}}) or topic alone
 * ("marketing"), over "*" / "all". Between entries equally specific a no wins: {"email": true,
 * "marketing": false} stops marketing e-mail (and marketing on every channel), keeps service e-mail.
 * Keys match whatever their case; dotted field paths (`flags.unsubscribed`) are read like every other field.
 */
function consentReason(input: CustomerInput, spec: CareActionSpec, s: DecideSettings): Reason | undefined {
	if (spec.channel === 'crmTask' || spec.channel === 'none') return undefined; // tasks for staff, not messages
	if (s.unsubscribedField && yesNo(getField(input.data, s.unsubscribedField), s.unsubscribedField, 'on') === 'on') {
		return reason('unsubscribed', s.language, { field: s.unsubscribedField });
	}
	const consent = s.consentField ? getField(input.data, s.consentField) : undefined;
	const params = { channel: spec.channel, topic: spec.topic, field: s.consentField };
	let explicit: 'on' | 'off' | undefined;
	if (isPlainObject(consent)) {
		const field = s.consentField!;
		const byChannel = entry(consent, spec.channel);
		// Entries by specificity, most specific first; each level's entries are equally specific.
		const levels: Array<Array<[string, unknown]>> = isPlainObject(byChannel)
			? [
					[
						[`${spec.channel}:${spec.topic}`, entry(consent, `${spec.channel}:${spec.topic}`)],
						[`${spec.channel}.${spec.topic}`, entry(byChannel, spec.topic)],
					],
					[
						[`${spec.channel}.*`, entry(byChannel, '*') ?? entry(byChannel, 'all')],
						[spec.topic, entry(consent, spec.topic)],
					],
				]
			: [
					[[`${spec.channel}:${spec.topic}`, entry(consent, `${spec.channel}:${spec.topic}`)]],
					[
						[spec.channel, byChannel],
						[spec.topic, entry(consent, spec.topic)],
					],
				];
		levels.push([['*', entry(consent, '*') ?? entry(consent, 'all')]]);
		for (const level of levels) {
			for (const [key, value] of level) {
				if (isPlainObject(value)) throw itemValueError(`${field}.${key}`, value, NEITHER_YES_NOR_NO);
				const said = yesNo(value, `${field}.${key}`);
				// Every entry of the level is read (a "maybe" beside a yes is still refused); a no wins.
				if (said !== undefined && explicit !== 'off') explicit = said;
			}
			if (explicit !== undefined) break;
		}
	} else if (s.consentField) {
		explicit = yesNo(consent, s.consentField); // a plain yes/no applies to everything
	}
	if (explicit === 'off') return reason('consentWithdrawn', s.language, params);
	if (s.requireExplicitConsent && !spec.transactional && explicit !== 'on') {
		return reason('consentMissing', s.language, params);
	}
	return undefined;
}

function outputOf(channel: Channel): CareOutput {
	if (channel === 'email') return 'email';
	if (channel === 'sms') return 'sms';
	if (channel === 'crmTask') return 'crmTask';
	return 'other';
}

function formatWindow(w: SendWindow): string {
	const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
	return `${f(w.startMinute)}–${f(w.endMinute)}`;
}

function hoursText(hours: number, language: Language): string {
	if (hours % 24 === 0) return language === 'zh' ? `${hours / 24} 天` : `${hours / 24} day(s)`;
	return language === 'zh' ? `${hours} 小时` : `${hours} h`;
}

/**
 * Why a playbook cannot be used with this SMS Mode, or undefined: in Text mode every SMS action needs
 * templates (its approvedTemplate is used only in Approved Template mode). Checked by the node once, before
 * any item, naming the action — an SMS item with no text must never reach a sender.
 */
export function smsModeProblem(playbook: Playbook, smsMode: DecideSettings['smsMode']): string | undefined {
	if (smsMode !== 'text') return undefined;
	for (let i = 0; i < playbook.rules.length; i++) {
		const a = playbook.rules[i].action;
		if (a.channel === 'sms' && Object.keys(a.templates).length === 0) {
			return (
				`rules.${i}.action.templates: action ${JSON.stringify(a.name)}: an sms action needs "templates" when SMS Mode is Text` +
				(a.approvedTemplate ? ' ("approvedTemplate" is used only when SMS Mode is Approved Template)' : '')
			);
		}
	}
	return undefined;
}

/** Renders the message of an action; throws TemplateError for a missing placeholder. */
export function renderCare(
	input: CustomerInput,
	spec: CareActionSpec,
	s: DecideSettings,
	defaultLocale: string,
	cache: TemplateCache = new TemplateCache(),
): RenderedCare | null {
	if (spec.channel === 'sms' && s.smsMode === 'approvedTemplate') {
		if (!spec.approvedTemplate) throw new Error(`action "${spec.name}" has no approvedTemplate (template id + variables)`);
		const variables: Record<string, string> = {};
		for (const [name, field] of Object.entries(spec.approvedTemplate.variables)) variables[name] = valueText(input.data, field);
		return { templateId: spec.approvedTemplate.templateId, variables };
	}
	if (Object.keys(spec.templates).length === 0) {
		// A webhook or `none` action carries no text; any other one without templates would go out empty.
		if (!needsText(spec.channel)) return null;
		throw new Error(`action "${spec.name}" has no "templates" for its ${spec.channel} message`);
	}
	const m = renderMessage(spec.templates, input.data, {
		locale: input.locale,
		fallbackLocale: defaultLocale,
		htmlBody: spec.channel === 'email',
	}, cache);
	const out: RenderedCare = { locale: m.locale, body: m.body };
	if (m.subject !== undefined) out.subject = m.subject;
	if (spec.channel === 'sms') {
		// Transactional SMS (a payment failed, a code) carry no opt-out wording, automatic or custom.
		const suffix = spec.transactional ? '' : s.smsOptOutSuffix === 'auto' ? defaultOptOutSuffix(m.locale) : s.smsOptOutSuffix;
		out.body = withOptOutSuffix(m.body, suffix);
		out.sms = smsLength(out.body);
	}
	return out;
}

/** Step 1: everything that needs no ledger. Throws TemplateError / Error for item errors. */
export function planDecision(
	input: CustomerInput,
	playbook: Playbook,
	s: DecideSettings,
	context: DecideContext = new DecideContext(),
): Plan {
	const facts = context.facts(s.now, input.zone, s);
	const base: CareDecision = {
		output: 'suppressed',
		customerId: input.customerId,
		campaign: s.campaign,
		rule: null,
		action: null,
		channel: null,
		topic: null,
		priority: null,
		message: null,
		idempotencyKey: null,
		sendAt: null,
		timeZone: input.zone,
		reasons: [],
	};
	const match = matchRule(playbook, input.data);
	if (!match) return { kind: 'final', decision: { ...base, reasons: [reason('noRuleMatched', s.language)] } };
	const spec = match.rule.action;
	const decision: CareDecision = {
		...base,
		rule: match.rule.name,
		action: spec.name,
		channel: spec.channel,
		topic: spec.topic,
		priority: spec.priority,
		reasons: [context.reasons.get('ruleMatched', s.language, { rule: match.rule.name, action: spec.name, channel: spec.channel })],
	};
	const consent = consentReason(input, spec, s);
	if (consent) return { kind: 'final', decision: { ...decision, output: 'suppressed', reasons: [...decision.reasons, consent] } };

	const customer = customerHash(input.customerId);
	const keyOf = (period: string) => `${customer}-${context.keySuffix(s.campaign, spec.name, period)}`;
	const key = keyOf(facts.period);
	decision.idempotencyKey = key;
	const request: DecisionRequest = {
		key,
		customer,
		channel: spec.channel,
		topic: spec.topic,
		action: spec.name,
		campaign: s.campaign,
		kind: 'send',
		at: s.now,
		countsTowardCap: !spec.transactional && spec.channel !== 'none' && spec.channel !== 'crmTask',
		limits: [],
		checkOptOut: spec.channel !== 'crmTask' && spec.channel !== 'none',
	};

	// Template errors surface before anything is recorded: a broken message must not use up a slot. A customer
	// of the control group is checked the same way: held out only when they would otherwise have been sent.
	const message = renderCare(input, spec, s, playbook.defaultLocale, context.templates);

	// "Once per day" means per day of sending: held at 23:00 for 09:00 tomorrow, it is tomorrow's send.
	const deferred = spec.channel !== 'crmTask' && spec.channel !== 'none' && s.window !== null && facts.windowAt !== s.now;
	const at = deferred ? facts.windowAt : s.now;
	decision.idempotencyKey = request.key = keyOf(deferred ? facts.windowPeriod : facts.period);
	request.at = at;
	request.limits = limitsFor(spec, at, input.zone, s, facts.periodBounds);

	if (isHeldOut(input.customerId, s.campaign, s.holdoutShare)) {
		// The holdout stands for the send it replaces: the same key, planned instant and limits, so that ledger
		// opt-outs, cooldowns and caps decide whether the customer would have been sent. The ledger counts it
		// toward the action's cooldown only (it was decided), never toward a cap (nothing was sent).
		request.kind = 'holdout';
		request.countsTowardCap = false;
		decision.output = 'holdout';
		decision.reasons.push(context.reasons.get('holdout', s.language, { campaign: s.campaign, share: Math.round(s.holdoutShare * 10000) / 100 }));
		return { kind: 'ledger', decision, request, spec };
	}

	decision.message = message;
	decision.sendAt = deferred ? facts.windowAtIso : facts.nowIso;
	decision.output = deferred ? 'deferred' : outputOf(spec.channel);
	if (deferred) {
		decision.reasons.push(
			context.reasons.get('quietHours', s.language, { window: formatWindow(s.window!), zone: input.zone, sendAt: facts.windowAtIso }),
		);
	}
	if (spec.transactional) decision.reasons.push(reason('transactionalExempt', s.language));
	return { kind: 'ledger', decision, request, spec };
}

/** The customer's calendar day or month holding `at`, as [start, end) (23 or 25 hours on DST days). */
function calendarBounds(at: number, unit: 'day' | 'month', zone: string): [number, number] {
	const start = DateTime.fromMillis(at, { zone }).startOf(unit);
	return [start.toMillis(), start.plus(unit === 'day' ? { days: 1 } : { months: 1 }).toMillis()];
}

export function limitsFor(
	spec: CareActionSpec,
	at: number,
	zone: string,
	s: DecideSettings,
	periodBounds: (at: number, unit: 'day' | 'month') => [number, number] = (t, unit) => calendarBounds(t, unit, zone),
): CountLimit[] {
	const limits: CountLimit[] = [];
	if (!spec.transactional && spec.channel !== 'none' && spec.channel !== 'crmTask') {
		for (const cap of s.caps) {
			if (cap.channel !== '*' && cap.channel !== spec.channel) continue;
			// A calendar day runs from the customer's local midnight to the next (sends planned for another
			// day do not count). A rolling window reaches its hours to either side of this send, in whole
			// milliseconds: sends planned for later count when they go out within it, not however far off.
			const day = cap.calendarDay ? periodBounds(at, 'day') : undefined;
			limits.push({
				kind: 'frequencyCap',
				match: { ...(cap.channel === '*' ? {} : { channel: cap.channel }), capOnly: true },
				since: day ? day[0] : Math.ceil(at - cap.windowHours * MS_PER_HOUR + 1),
				max: cap.max,
				label: capLabel(cap),
				...(day ? { calendar: true, until: day[1] } : { until: Math.floor(at + cap.windowHours * MS_PER_HOUR) }),
			});
		}
	}
	if (spec.cooldownDays > 0) {
		limits.push({
			kind: 'cooldown',
			match: { action: spec.name },
			since: Math.ceil(at - spec.cooldownDays * MS_PER_DAY + 1),
			until: Math.floor(at + spec.cooldownDays * MS_PER_DAY),
			max: 1,
			label: `${spec.cooldownDays}d`,
		});
	}
	if (spec.channel === 'wecom' && s.wecomMonthlyLimit > 0) {
		// WeCom counts per calendar month; the customer's zone decides where the month starts.
		const [monthStart, monthEnd] = periodBounds(at, 'month');
		limits.push({
			kind: 'channelLimit',
			match: { channel: 'wecom' },
			since: monthStart,
			until: monthEnd,
			calendar: true,
			max: s.wecomMonthlyLimit,
			label: `${s.wecomMonthlyLimit}/month`,
		});
	}
	return limits;
}

/** Step 3: the ledger's verdict turns a plan into the final decision. */
export function finishDecision(plan: Plan, verdict: DecisionVerdict | undefined, s: DecideSettings): CareDecision {
	if (plan.kind === 'final') return plan.decision;
	const d = plan.decision;
	// A plan that went to the ledger must come back with its verdict: without one nothing was recorded,
	// and sending anyway would bypass idempotency, caps and opt-outs.
	if (!verdict) throw new Error(`The ledger gave no verdict for decision ${d.idempotencyKey ?? '?'}; nothing was sent`);
	if (verdict.status === 'granted') return d;
	let r: Reason;
	if (verdict.status === 'duplicate') {
		r = reason('alreadyDecided', s.language, {
			key: d.idempotencyKey ?? '',
			// UTC is enough here and cheap: a re-run may report 100,000 of these.
			// The embedded ledger keeps hashes only, not when a key was decided.
			at: verdict.previousAt === undefined ? (s.language === 'zh' ? '未记录' : 'not recorded') : new Date(verdict.previousAt).toISOString(),
		});
	} else if (verdict.status === 'optedOut') {
		r = reason('optedOutInLedger', s.language, { channel: d.channel ?? '', topic: d.topic ?? '' });
	} else {
		const limit = verdict.limit!;
		if (limit.kind === 'cooldown') {
			r = reason('cooldown', s.language, { action: d.action ?? '', window: hoursText(plan.spec.cooldownDays * 24, s.language) });
		} else if (limit.kind === 'channelLimit') {
			r = reason('channelLimit', s.language, { count: verdict.count ?? 0, channel: d.channel ?? '', cap: limit.max });
		} else {
			const cap = s.caps.find((c) => capLabel(c) === limit.label);
			const zh = s.language === 'zh';
			const window = cap?.calendarDay
				? zh
					? '客户当地今天'
					: "on the customer's calendar day"
				: zh
					? `本次发送前后 ${hoursText(cap?.windowHours ?? 0, s.language)}内`
					: `within ${hoursText(cap?.windowHours ?? 0, s.language)} of this send`;
			r = reason('frequencyCap', s.language, {
				count: verdict.count ?? 0,
				channel: limit.match.channel ?? (zh ? '全部渠道' : 'all-channel'),
				window,
				cap: limit.max,
			});
		}
	}
	// A customer of the control group who is not recorded now — stopped by a guardrail (would not have been
	// sent: not held out either), or already decided under this key (a re-run; the earlier decision stands) —
	// is not reported as held out by this run.
	const kept = plan.request.kind === 'holdout' ? d.reasons.filter((x) => x.code !== 'holdout') : d.reasons;
	return { ...d, output: 'suppressed', message: null, sendAt: null, reasons: [...kept, r] };
}

/** Order in which plans go to the ledger: higher priority first, then input order. */
export function ledgerOrder(plans: ReadonlyArray<Plan>): number[] {
	const idx: number[] = [];
	for (let i = 0; i < plans.length; i++) if (plans[i].kind === 'ledger') idx.push(i);
	const prio = (i: number) => {
		const p = plans[i];
		return p.kind === 'ledger' ? p.spec.priority : 0;
	};
	return idx.sort((a, b) => prio(b) - prio(a) || a - b);
}
