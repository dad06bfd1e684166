/** Output names and the labels of the Care Action node's items, in English and Simplified Chinese. */
import type { LabelTable } from '../shared/i18n';
import type { CareOutput } from '../engine/care/types';

export const OUTPUT_LABELS: LabelTable<CareOutput> = {
	email: { en: 'Email', zh: '邮件' },
	sms: { en: 'SMS', zh: '短信' },
	crmTask: { en: 'CRM Task', zh: 'CRM 任务' },
	other: { en: 'Other (WeCom, Webhook, None)', zh: '其他（企业微信、Webhook、无）' },
	holdout: { en: 'Holdout', zh: '对照组' },
	deferred: { en: 'Deferred', zh: '延后发送' },
	suppressed: { en: 'Suppressed', zh: '已拦截' },
};

export const FIELD_LABELS = {
	care: { en: 'Care decision', zh: '关怀决策' },
	output: { en: 'Where the item went', zh: '去向' },
	idempotencyKey: {
		en: 'Idempotency key: customer + campaign + action + period; pass it to the sender and to Record Outcome',
		zh: '幂等键：客户 + 活动 + 动作 + 周期；请传给发送节点和「记录结果」',
	},
	sendAt: { en: 'Earliest send time in the customer time zone', zh: '客户时区内的最早发送时间' },
	reasons: { en: 'Why (codes and sentences)', zh: '原因（代码与说明）' },
} satisfies LabelTable;
