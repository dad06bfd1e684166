/**
 * Why an item went where it went, as a code (for filters and reports) and a sentence in the user's
 * language (for people reading the execution or a CRM task).
 */
import type { Bilingual, Language } from '../../shared/i18n';

export type ReasonCode =
	| 'ruleMatched'
	| 'noRuleMatched'
	| 'channelNone'
	| 'unsubscribed'
	| 'consentWithdrawn'
	| 'consentMissing'
	| 'optedOutInLedger'
	| 'frequencyCap'
	| 'cooldown'
	| 'channelLimit'
	| 'alreadyDecided'
	| 'holdout'
	| 'quietHours'
	| 'transactionalExempt';

export interface Reason {
	code: ReasonCode;
	text: string;
}

type Params = Record<string, string | number>;

const TEXTS: Record<ReasonCode, Bilingual> = {
	ruleMatched: { en: 'Rule "{rule}" matched: action {action} by {channel}', zh: '命中规则「{rule}」：通过 {channel} 执行 {action}' },
	noRuleMatched: { en: 'No playbook rule matched this customer', zh: '没有任何规则适用于该客户' },
	channelNone: { en: 'The action has no channel: recorded only', zh: '该动作没有发送渠道：仅记录' },
	unsubscribed: { en: 'The customer has unsubscribed from everything (field "{field}")', zh: '客户已退订全部消息（字段「{field}」）' },
	consentWithdrawn: { en: 'No consent for {channel} / {topic} (field "{field}")', zh: '客户未同意接收 {channel} / {topic} 消息（字段「{field}」）' },
	consentMissing: { en: 'Explicit consent for {channel} / {topic} is required and missing (field "{field}")', zh: '需要客户明确同意 {channel} / {topic}，但未找到（字段「{field}」）' },
	optedOutInLedger: { en: 'The customer opted out of {channel} / {topic} (recorded in the ledger)', zh: '客户已退订 {channel} / {topic}（记录于台账）' },
	frequencyCap: { en: 'Frequency cap reached: {count} {channel} message(s) {window} (cap {cap})', zh: '已达频次上限：{window}已有 {count} 条 {channel} 消息（上限 {cap}）' },
	cooldown: { en: 'Action {action} was already decided within {window} of this one (cooldown)', zh: '冷却期内：本次前后 {window} 内已有 {action}' },
	channelLimit: { en: 'Channel limit reached: {count} {channel} message(s) this calendar month (limit {cap})', zh: '已达渠道上限：本自然月已有 {count} 条 {channel} 消息（上限 {cap}）' },
	alreadyDecided: { en: 'Already decided earlier (idempotency key {key}, planned {at}); not sent again', zh: '此前已决定过（幂等键 {key}，计划时间 {at}），不会重复发送' },
	holdout: { en: 'In the control group of campaign "{campaign}" ({share}% held out): no message, recorded for uplift', zh: '属于活动「{campaign}」的对照组（{share}% 不发送）：不发消息，仅记录用于效果评估' },
	quietHours: { en: 'Outside the send window {window} in {zone}: held until {sendAt}', zh: '不在发送时段 {window}（{zone}）内：推迟到 {sendAt}' },
	transactionalExempt: { en: 'Transactional: not limited by frequency caps', zh: '事务性消息：不受频次上限限制' },
};

export function reason(code: ReasonCode, language: Language, params: Params = {}): Reason {
	const template = TEXTS[code][language] ?? TEXTS[code].en;
	return { code, text: template.replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? `{${k}}`)) };
}

/**
 * The same few sentences recur for thousands of customers (same rule, same zone): format each once
 * per execution. A cache: create one per execution, never at module level.
 */
export class ReasonTexts {
	private readonly texts = new Map<string, string>();

	get(code: ReasonCode, language: Language, params: Params = {}): Reason {
		const id = `${code}\u0000${language}\u0000${Object.values(params).join('\u0000')}`;
		let text = this.texts.get(id);
		if (text === undefined) {
			text = reason(code, language, params).text;
			this.texts.set(id, text);
		}
		return { code, text };
	}
}
