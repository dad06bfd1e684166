import type { DecideSettings } from '../../../nodes/engine/care/decide';
import type { CareActionSpec, Playbook } from '../../../nodes/engine/care/playbook';

export function settings(overrides: Partial<DecideSettings> = {}): DecideSettings {
	return {
		now: Date.UTC(2025, 5, 10, 4, 0), // 12:00 in Shanghai
		campaign: 'june-care',
		period: 'day',
		fallbackZone: 'Asia/Shanghai',
		window: { startMinute: 9 * 60, endMinute: 21 * 60 },
		holdoutShare: 0,
		caps: [{ channel: '*', max: 2, windowHours: 24 }],
		wecomMonthlyLimit: 4,
		smsMode: 'text',
		smsOptOutSuffix: 'auto',
		consentField: 'consent',
		unsubscribedField: 'unsubscribed',
		requireExplicitConsent: false,
		language: 'en',
		...overrides,
	};
}

export function action(overrides: Partial<CareActionSpec> = {}): CareActionSpec {
	return {
		name: 'tips',
		channel: 'email',
		topic: 'marketing',
		transactional: false,
		priority: 10,
		cooldownDays: 0,
		templates: { en: { subject: 'Hi {{name}}', body: '<p>Hi {{name}}</p>' }, 'zh-CN': { subject: '{{name}}您好', body: '{{name}}您好' } },
		...overrides,
	};
}

export function playbookOf(...actions: Array<{ when?: Playbook['rules'][number]['when']; action: CareActionSpec }>): Playbook {
	return {
		name: 'test',
		defaultLocale: 'en',
		rules: actions.map((a, i) => ({ name: `rule ${i}`, when: a.when ?? [], action: a.action })),
	};
}
