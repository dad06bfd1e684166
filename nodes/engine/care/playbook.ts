/**
 * Playbooks: ordered rules that map a customer (tier, score, segment, lifecycle stage, event type,
 * any field) to one care action. The first rule whose conditions all hold decides the action; the
 * action's priority decides between actions competing for the same customer under a frequency cap.
 */
import { z } from 'zod';

import { coerceBoolean, coerceNumber, describeValue, getField, maskValue } from '../../shared/fields';
import { CHANNELS, type Channel } from './types';
import { LOCALES, templateLocale, type LocalizedTemplates, type MessageTemplate } from './templates';

export const OPERATORS = [
	'equals',
	'notEquals',
	'in',
	'notIn',
	'greaterThan',
	'atLeast',
	'lessThan',
	'atMost',
	'contains',
	'exists',
	'notExists',
	'isTrue',
	'isFalse',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
	field: string;
	operator: Operator;
	value?: unknown;
}

export interface ApprovedTemplate {
	/** The provider's approved template id (Aliyun `SMS_123456789`, Tencent numeric id…). */
	templateId: string;
	/** Provider variable name → item field that fills it. */
	variables: Record<string, string>;
}

export interface CareActionSpec {
	name: string;
	channel: Channel;
	/** Consent topic (`marketing`, `service`, `billing`…); opt-outs can be per topic. */
	topic: string;
	/** Transactional messages (password reset, payment failed) are exempt from frequency caps. */
	transactional: boolean;
	/** Higher wins when several actions compete for one customer. */
	priority: number;
	/** Days before the same action may be decided again for the same customer (0 = none). */
	cooldownDays: number;
	templates: LocalizedTemplates;
	approvedTemplate?: ApprovedTemplate;
}

export interface CareRule {
	/** Shown in reasons: which rule chose the action. */
	name: string;
	/** All must hold; an empty list always matches (a catch-all at the end). */
	when: Condition[];
	action: CareActionSpec;
}

export interface Playbook {
	name: string;
	defaultLocale: string;
	rules: CareRule[];
}

const templateSchema = z.object({ subject: z.string().optional(), body: z.string() }).strict();

/**
 * Templates by locale. Keys are read with the normaliser of customers' locales (`zh_CN` → zh-CN, `en-US` →
 * en, `zh-HK` → zh-TW) and stored normalised, so that lookups and the SMS opt-out wording see one spelling.
 * Another language, text that is no language tag, and two keys for the same locale are refused.
 */
const templatesSchema = z
	.record(z.string(), templateSchema)
	.default({})
	.superRefine((templates, ctx) => {
		const seen = new Map<string, string>();
		for (const key of Object.keys(templates)) {
			const locale = templateLocale(key);
			if (!locale) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: [key],
					message: `${JSON.stringify(key)} is not a supported template language: use ${LOCALES.join(', ')} (zh_CN, zh-Hans, zh-HK, zh-Hant, en-US … are understood)`,
				});
				continue;
			}
			const other = seen.get(locale);
			if (other !== undefined) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: [key],
					message: `${JSON.stringify(other)} and ${JSON.stringify(key)} are both templates for ${locale}: keep one`,
				});
			} else seen.set(locale, key);
		}
	})
	.transform((templates) => {
		const out: Record<string, MessageTemplate> = {};
		for (const [key, template] of Object.entries(templates)) out[templateLocale(key)!] = template;
		return out;
	});

const actionSchema = z
	.object({
		name: z.string().min(1),
		channel: z.enum(CHANNELS as [Channel, ...Channel[]]),
		// Topics compare without regard to case or spaces: an opt-out from "Marketing" covers "marketing".
		topic: z
			.string()
			.trim()
			.min(1)
			.transform((t) => t.toLowerCase())
			.default('marketing'),
		transactional: z.boolean().default(false),
		priority: z.number().finite().default(0),
		cooldownDays: z.number().finite().min(0).max(36_500, 'must be at most 36,500 days (100 years)').default(0),
		templates: templatesSchema,
		approvedTemplate: z
			.object({ templateId: z.string().min(1), variables: z.record(z.string(), z.string().min(1)) })
			.strict()
			.optional(),
	})
	.strict()
	.superRefine((a, ctx) => {
		// An approvedTemplate (provider template id + variables) stands in for the text of SMS actions only, and
		// only when SMS Mode is Approved Template (checked by the node: smsModeProblem in ./decide.ts). Any other
		// channel renders "templates": without them its item would go out with no message at all.
		if (needsText(a.channel) && Object.keys(a.templates).length === 0 && !(a.channel === 'sms' && a.approvedTemplate)) {
			const article = a.channel === 'email' ? 'an' : 'a';
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['templates'],
				message:
					`action ${JSON.stringify(a.name)}: ${article} ${a.channel} action needs "templates"` +
					(a.approvedTemplate ? ' ("approvedTemplate" is used only by SMS actions when SMS Mode is Approved Template)' : ''),
			});
		}
	});

/** Whether an action on this channel carries a message text (a webhook or `none` action need not). */
export function needsText(channel: Channel): boolean {
	return channel !== 'none' && channel !== 'webhook';
}

const NUMERIC_OPERATORS: ReadonlySet<Operator> = new Set(['greaterThan', 'atLeast', 'lessThan', 'atMost']);
const LIST_OPERATORS: ReadonlySet<Operator> = new Set(['in', 'notIn']);
const NO_VALUE_OPERATORS: ReadonlySet<Operator> = new Set(['exists', 'notExists', 'isTrue', 'isFalse']);

const isScalar = (v: unknown): boolean =>
	(typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';

const given = (v: unknown) => (v === undefined ? 'no value' : describeValue(v));

/** Why a condition's value does not suit its operator, or undefined when it does. */
function conditionValueProblem(c: { operator: Operator; value?: unknown }): string | undefined {
	const v = c.value;
	if (NUMERIC_OPERATORS.has(c.operator)) {
		return typeof coerceNumber(v) === 'number' ? undefined : `needs a number as "value", e.g. 90 (got ${given(v)})`;
	}
	if (LIST_OPERATORS.has(c.operator)) {
		if (!Array.isArray(v) || v.length === 0) return `needs a list as "value", e.g. ["vip", "gold"] (got ${given(v)})`;
		return v.every(isScalar) ? undefined : `needs a list of texts, numbers or true/false (got ${given(v)})`;
	}
	if (NO_VALUE_OPERATORS.has(c.operator)) {
		return v === undefined || v === null ? undefined : `takes no "value" (got ${given(v)}); remove it`;
	}
	// equals, notEquals, contains: one label, number or true/false.
	if (isScalar(v)) return undefined;
	if (Array.isArray(v)) return `needs one text, number or true/false as "value", not a list (for a list use "${c.operator === 'notEquals' ? 'notIn' : 'in'}")`;
	if (typeof v === 'string') return `needs a non-empty "value" (to test for an empty field use "notExists")`;
	return `needs one text, number or true/false as "value" (got ${given(v)})`;
}

export const playbookSchema = z
	.object({
		name: z.string().min(1).default('Playbook'),
		// The language of customers without a usable locale: one of the template languages, stored normalised.
		defaultLocale: z
			.string()
			.default('zh-CN')
			.superRefine((key, ctx) => {
				if (!templateLocale(key)) {
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						message: `${JSON.stringify(key)} is not a supported template language: use ${LOCALES.join(', ')} (zh_CN, zh-Hans, zh-HK, zh-Hant, en-US … are understood)`,
					});
				}
			})
			.transform((key) => templateLocale(key) ?? key),
		rules: z
			.array(
				z
					.object({
						name: z.string().min(1),
						when: z
							.array(
								z
									.object({ field: z.string().min(1), operator: z.enum(OPERATORS), value: z.unknown().optional() })
									.strict(),
							)
							.default([]),
						action: actionSchema,
					})
					.strict()
					.superRefine((rule, ctx) => {
						rule.when.forEach((c, i) => {
							const problem = conditionValueProblem(c);
							if (problem) {
								ctx.addIssue({
									code: z.ZodIssueCode.custom,
									path: ['when', i, 'value'],
									message: `rule ${JSON.stringify(rule.name)}, condition ${i + 1} (${c.field} ${c.operator}) ${problem}`,
								});
							}
						});
					}),
			)
			.min(1),
	})
	.strict();

/**
 * A value an item holds that the engine cannot read: a rule's number or true/false that is neither, a
 * consent that is neither yes nor no. An error for that item, naming the field (the node adds the item
 * index) — never a guess, and never a silent "does not match" that lets the customer fall through to a
 * lower rule. `value` is left out (undefined) when the reason already shows it masked.
 */
export class ItemValueError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		reason: string,
	) {
		super(reason);
		this.name = 'ItemValueError';
	}
}

/** Text that may be an e-mail address or a phone number, or a list or object that may hold one. */
function mayIdentify(v: unknown): boolean {
	if (v !== null && typeof v === 'object') return true;
	return typeof v === 'string' && (v.includes('@') || (v.match(/\d/g)?.length ?? 0) >= 7);
}

/**
 * An {@link ItemValueError} for a value an item holds: one that may be a phone number or e-mail address (any
 * field can be in a condition, a consent or an unsubscribe flag) is shown masked in the reason and left out.
 */
export function itemValueError(field: string, value: unknown, reason: string): ItemValueError {
	return mayIdentify(value)
		? new ItemValueError(field, undefined, `${reason} (value: ${maskValue(value)})`)
		: new ItemValueError(field, value, reason);
}

function unreadable(c: Condition, v: unknown, what: string, rule: string | undefined): ItemValueError {
	const limit = NUMERIC_OPERATORS.has(c.operator)
		? ` ${asNumber(c.value) ?? String(c.value)}`
		: c.operator === 'isTrue' || c.operator === 'isFalse'
			? ''
			: ` ${JSON.stringify(c.value)}`;
	const where = `the condition "${c.field} ${c.operator}${limit}"${rule === undefined ? '' : ` of rule ${JSON.stringify(rule)}`}`;
	return itemValueError(c.field, v, `is not ${what}, so ${where} cannot be checked`);
}

const TRUE_OR_FALSE = 'true or false (true/false, yes/no, 1/0, 是/否)';

function asNumber(v: unknown): number | undefined {
	const n = coerceNumber(v);
	return typeof n === 'number' ? n : undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
	// A condition written with true/false reads the item's value as isTrue does: "yes", 1, "是" are true.
	if (typeof b === 'boolean') return coerceBoolean(a) === b;
	const na = asNumber(a);
	const nb = asNumber(b);
	if (na !== undefined && nb !== undefined) return na === nb;
	if (typeof a === 'boolean') return String(a) === String(b ?? '').trim().toLowerCase();
	// Tier and segment labels come from other tools with varying case: compare case-insensitively.
	return String(a ?? '').trim().toLowerCase() === String(b ?? '').trim().toLowerCase();
}

function present(v: unknown): boolean {
	return !(v === undefined || v === null || (typeof v === 'string' && v.trim() === ''));
}

function listOf(c: Condition): unknown[] {
	// playbookSchema refuses such a condition; an engine caller's own playbook must not mis-target either.
	if (!Array.isArray(c.value)) throw new Error(`condition "${c.field} ${c.operator}" needs a list as its value`);
	return c.value;
}

/**
 * Whether a condition holds for an item. A missing field (absent, null, empty text) simply does not
 * satisfy a comparison; a present value that is not a number (numeric operators, and equals/notEquals/
 * in/notIn written with JSON numbers) or not true/false (isTrue, isFalse) throws an {@link ItemValueError}:
 * "3分" is not "no NPS score".
 */
export function conditionHolds(data: Record<string, unknown>, c: Condition, rule?: string): boolean {
	const v = getField(data, c.field);
	switch (c.operator) {
		case 'exists':
			return present(v);
		case 'notExists':
			return !present(v);
		case 'isTrue':
		case 'isFalse': {
			const b = coerceBoolean(v);
			if (b === null) throw unreadable(c, v, TRUE_OR_FALSE, rule);
			return b === (c.operator === 'isTrue');
		}
		case 'equals':
		case 'notEquals':
		case 'in':
		case 'notIn': {
			const listed = c.operator === 'in' || c.operator === 'notIn' ? listOf(c) : [c.value];
			// A condition written with numbers (value 10, not "10") compares numbers: "10分" cannot be checked
			// against it rather than silently being some other label.
			if (present(v) && listed.length > 0 && listed.every((x) => typeof x === 'number') && asNumber(v) === undefined) {
				throw unreadable(c, v, 'a number', rule);
			}
			// Written with true/false (value true, not "true"), it reads true/false like isTrue: "maybe" cannot be
			// checked against it rather than silently differing from it.
			if (present(v) && listed.length > 0 && listed.every((x) => typeof x === 'boolean') && coerceBoolean(v) === null) {
				throw unreadable(c, v, TRUE_OR_FALSE, rule);
			}
			const found = present(v) && listed.some((x) => sameValue(v, x));
			return c.operator === 'equals' || c.operator === 'in' ? found : !found;
		}
		case 'contains':
			if (Array.isArray(v)) return v.some((x) => sameValue(x, c.value));
			return typeof v === 'string' && v.toLowerCase().includes(String(c.value ?? '').toLowerCase());
		default: {
			const x = coerceNumber(v);
			if (x === undefined) return false;
			if (x === null) throw unreadable(c, v, 'a number', rule);
			const y = asNumber(c.value);
			if (y === undefined) throw new Error(`condition "${c.field} ${c.operator}" needs a number as its value`);
			if (c.operator === 'greaterThan') return x > y;
			if (c.operator === 'atLeast') return x >= y;
			if (c.operator === 'lessThan') return x < y;
			return x <= y;
		}
	}
}

/**
 * The first rule whose conditions all hold, with its index; undefined when none does. Throws an
 * {@link ItemValueError} when a condition it has to check cannot read the item's value.
 */
export function matchRule(playbook: Playbook, data: Record<string, unknown>): { rule: CareRule; index: number } | undefined {
	for (let i = 0; i < playbook.rules.length; i++) {
		const rule = playbook.rules[i];
		if (rule.when.every((c) => conditionHolds(data, c, rule.name))) return { rule, index: i };
	}
	return undefined;
}

/**
 * The ready-made playbook from the source articles. Field names are those the package's other nodes
 * write (or a CRM export maps to): `valueTier`, `riskTier`, `npsScore`, `daysToRenewal`, `isBirthday`,
 * `daysSinceLastOrder`, `usageLevel`, `name`, `couponCode`, `renewalDate`. Copy it, then edit.
 */
export const STANDARD_PLAYBOOK: Playbook = {
	name: 'Standard care playbook',
	defaultLocale: 'zh-CN',
	rules: [
		{
			name: 'High-value customer at risk',
			when: [
				{ field: 'valueTier', operator: 'in', value: ['high', 'vip'] },
				{ field: 'riskTier', operator: 'equals', value: 'high' },
			],
			action: {
				name: 'personalOutreach',
				channel: 'crmTask',
				topic: 'service',
				transactional: false,
				priority: 90,
				cooldownDays: 14,
				templates: {
					'zh-CN': { subject: '高价值客户流失风险：{{name}}', body: '请在 2 个工作日内电话联系 {{name}}，了解近期使用情况并提供帮助。' },
					'zh-TW': { subject: '高價值客戶流失風險：{{name}}', body: '請在 2 個工作日內電話聯繫 {{name}}，了解近期使用情況並提供協助。' },
					en: { subject: 'High-value customer at risk: {{name}}', body: 'Call {{name}} within 2 working days: ask how things are going and offer help.' },
				},
			},
		},
		{
			name: 'NPS detractor',
			when: [{ field: 'npsScore', operator: 'atMost', value: 6 }],
			action: {
				name: 'serviceFollowUp',
				channel: 'crmTask',
				topic: 'service',
				transactional: false,
				priority: 85,
				cooldownDays: 30,
				templates: {
					'zh-CN': { subject: 'NPS 低分回访：{{name}}', body: '{{name}} 的 NPS 评分为 {{npsScore}}，请回访了解不满意的原因并记录。' },
					'zh-TW': { subject: 'NPS 低分回訪：{{name}}', body: '{{name}} 的 NPS 評分為 {{npsScore}}，請回訪了解不滿意的原因並記錄。' },
					en: { subject: 'NPS detractor follow-up: {{name}}', body: '{{name}} gave an NPS score of {{npsScore}}. Call to understand why and log it.' },
				},
			},
		},
		{
			name: 'Renewal due',
			when: [
				{ field: 'daysToRenewal', operator: 'atLeast', value: 0 },
				{ field: 'daysToRenewal', operator: 'atMost', value: 14 },
			],
			action: {
				name: 'renewalReminder',
				channel: 'email',
				topic: 'service',
				transactional: false,
				priority: 70,
				cooldownDays: 7,
				templates: {
					'zh-CN': { subject: '您的服务将于 {{renewalDate}} 到期', body: '<p>{{name}}，您好：</p><p>您的服务将于 {{renewalDate}} 到期，续费后可继续使用全部功能。</p>' },
					'zh-TW': { subject: '您的服務將於 {{renewalDate}} 到期', body: '<p>{{name}}，您好：</p><p>您的服務將於 {{renewalDate}} 到期，續費後可繼續使用全部功能。</p>' },
					en: { subject: 'Your plan renews on {{renewalDate}}', body: '<p>Hi {{name}},</p><p>Your plan is due for renewal on {{renewalDate}}.</p>' },
				},
			},
		},
		{
			name: 'Birthday',
			when: [{ field: 'isBirthday', operator: 'isTrue' }],
			action: {
				name: 'birthdayCoupon',
				channel: 'sms',
				topic: 'marketing',
				transactional: false,
				priority: 50,
				cooldownDays: 300,
				templates: {
					'zh-CN': { body: '【{{brand}}】{{name}}，生日快乐！送您生日券 {{couponCode}}，7 天内有效。' },
					'zh-TW': { body: '【{{brand}}】{{name}}，生日快樂！送您生日券 {{couponCode}}，7 天內有效。' },
					en: { body: '{{brand}}: Happy birthday, {{name}}! Your coupon {{couponCode}} is valid for 7 days.' },
				},
			},
		},
		{
			name: 'Dormant customer',
			when: [{ field: 'daysSinceLastOrder', operator: 'atLeast', value: 90 }],
			action: {
				name: 'weMissYou',
				channel: 'email',
				topic: 'marketing',
				transactional: false,
				priority: 40,
				cooldownDays: 30,
				templates: {
					'zh-CN': { subject: '{{name}}，好久不见', body: '<p>{{name}}，我们想念您！使用优惠码 {{couponCode}} 回来看看。</p>' },
					'zh-TW': { subject: '{{name}}，好久不見', body: '<p>{{name}}，我們想念您！使用優惠碼 {{couponCode}} 回來看看。</p>' },
					en: { subject: 'We miss you, {{name}}', body: '<p>We miss you, {{name}}! Come back with code {{couponCode}}.</p>' },
				},
			},
		},
		{
			name: 'Low usage',
			when: [{ field: 'usageLevel', operator: 'equals', value: 'low' }],
			action: {
				name: 'featureTips',
				channel: 'email',
				topic: 'marketing',
				transactional: false,
				priority: 20,
				cooldownDays: 14,
				templates: {
					'zh-CN': { subject: '3 个小技巧，让 {{product}} 更好用', body: '<p>{{name}}，您好：这里有 3 个常用功能，帮您节省时间。</p>' },
					'zh-TW': { subject: '3 個小技巧，讓 {{product}} 更好用', body: '<p>{{name}}，您好：這裡有 3 個常用功能，幫您節省時間。</p>' },
					en: { subject: '3 tips to get more from {{product}}', body: '<p>Hi {{name}}, here are 3 features that save time.</p>' },
				},
			},
		},
	],
};
