/** Output names of the Care Action node, in English and Simplified Chinese. */
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
