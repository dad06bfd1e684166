/**
 * Playbooks as read from JSON: template keys normalised (or refused), condition values checked against
 * their operator, and item values a condition cannot read refused instead of silently not matching.
 */
import { planDecision } from '../../../nodes/engine/care/decide';
import { ItemValueError, matchRule, playbookSchema, STANDARD_PLAYBOOK, type Playbook } from '../../../nodes/engine/care/playbook';
import { formatIssues, validate } from '../../../nodes/shared/validation';
import { settings } from './fixtures';

const tpl = { en: { subject: 'S', body: 'B {{name}}' } };
const rule = (when: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'r1', when, action: { name: 'a', channel: 'email', templates: tpl, ...extra } });
const read = (rules: unknown[], defaultLocale = 'en') => {
	const v = validate(playbookSchema, { name: 'p', defaultLocale, rules });
	return v.ok ? { playbook: v.value as Playbook } : { error: formatIssues(v.issues) };
};

describe('the playbook default locale', () => {
	it('is normalised like template keys (zh_CN → zh-CN) and refused when it is no template language', () => {
		expect(read([rule([])], 'zh_CN').playbook!.defaultLocale).toBe('zh-CN');
		expect(read([rule([])], 'EN-us').playbook!.defaultLocale).toBe('en');
		expect(read([rule([])], 'francais').error).toMatch(/defaultLocale: "francais" is not a supported template language: use zh-CN, zh-TW, en/);
	});
});

describe('template keys are normalised when the playbook is read', () => {
	it('zh_CN / en-US / zh-HK become zh-CN / en / zh-TW', () => {
		const { playbook, error } = read([
			rule([], { templates: { zh_CN: { body: '简' }, 'en-US': { body: 'en' }, 'zh-HK': { body: '繁' } } }),
		]);
		expect(error).toBeUndefined();
		expect(Object.keys(playbook!.rules[0].action.templates).sort()).toEqual(['en', 'zh-CN', 'zh-TW']);
	});

	it('an en-US template serves en customers; a zh_CN SMS gets the Chinese opt-out wording', () => {
		const { playbook } = read([rule([], { templates: { zh_CN: { subject: '您好', body: '您好 {{name}}' }, 'en-US': { subject: 'Hi', body: 'Hello {{name}}' } } })], 'zh-CN');
		const s = settings({ window: null, caps: [] });
		for (const locale of ['en-US', 'en']) {
			const d = planDecision({ customerId: 'e', zone: 'Asia/Shanghai', locale, data: { name: 'Ann' } }, playbook!, s).decision;
			expect(d.message).toMatchObject({ locale: 'en', body: 'Hello Ann' });
		}
		const sms = read([rule([], { channel: 'sms', templates: { zh_CN: { body: '【小店】{{name}}，生日快乐！' } } })], 'zh-CN').playbook!;
		const d = planDecision({ customerId: 's', zone: 'Asia/Shanghai', locale: 'zh-CN', data: { name: '王芳' } }, sms, s).decision;
		expect(d.message).toMatchObject({ locale: 'zh-CN', body: '【小店】王芳，生日快乐！ 回T退订' });
	});

	it.each<[Record<string, unknown>, RegExp]>([
		[{ zh_CN: { body: 'a' }, 'zh-CN': { body: 'b' } }, /rules\.0\.action\.templates\.zh-CN: "zh_CN" and "zh-CN" are both templates for zh-CN: keep one/],
		[{ en: { body: 'a' }, 'EN-us': { body: 'b' } }, /"en" and "EN-us" are both templates for en/],
		[{ fr: { body: 'a' } }, /rules\.0\.action\.templates\.fr: "fr" is not a supported template language: use zh-CN, zh-TW, en/],
		[{ english: { body: 'a' } }, /"english" is not a supported template language/],
		[{ 'zh CN!': { body: 'a' } }, /"zh CN!" is not a supported template language/],
		[{ '': { body: 'a' } }, /"" is not a supported template language/],
	])('%j is refused', (templates, message) => {
		expect(read([rule([], { templates })]).error).toMatch(message);
	});

	it('the standard playbook reads back unchanged', () => {
		const v = validate(playbookSchema, STANDARD_PLAYBOOK);
		expect(v.ok && v.value).toEqual(STANDARD_PLAYBOOK);
	});
});

describe('condition values must suit their operator', () => {
	it.each<[unknown, RegExp]>([
		[{ field: 'segment', operator: 'notIn', value: 'vip' }, /^rules\.0\.when\.0\.value: rule "r1", condition 1 \(segment notIn\) needs a list as "value", e\.g\. \["vip", "gold"\] \(got "vip"\)$/],
		[{ field: 'segment', operator: 'in', value: [] }, /condition 1 \(segment in\) needs a list/],
		[{ field: 'segment', operator: 'in', value: ['vip', { x: 1 }] }, /needs a list of texts, numbers or true\/false/],
		[{ field: 'days', operator: 'atLeast', value: 'ninety' }, /^rules\.0\.when\.0\.value: rule "r1", condition 1 \(days atLeast\) needs a number as "value", e\.g\. 90 \(got "ninety"\)$/],
		[{ field: 'days', operator: 'lessThan' }, /condition 1 \(days lessThan\) needs a number as "value", e\.g\. 90 \(got no value\)/],
		[{ field: 'days', operator: 'greaterThan', value: true }, /needs a number/],
		[{ field: 'tier', operator: 'equals', value: ['a', 'b'] }, /needs one text, number or true\/false as "value", not a list \(for a list use "in"\)/],
		[{ field: 'tier', operator: 'notEquals', value: ['a'] }, /for a list use "notIn"/],
		[{ field: 'tier', operator: 'equals' }, /needs one text, number or true\/false as "value" \(got no value\)/],
		[{ field: 'tier', operator: 'equals', value: '' }, /needs a non-empty "value"/],
		[{ field: 'tags', operator: 'contains', value: null }, /condition 1 \(tags contains\) needs one text/],
		[{ field: 'flag', operator: 'isTrue', value: false }, /condition 1 \(flag isTrue\) takes no "value" \(got false\); remove it/],
	])('%j is refused', (condition, message) => {
		expect(read([rule([condition])]).error).toMatch(message);
	});

	it('names the rule and the condition among several', () => {
		const error = read([rule([]), { ...rule([{ field: 'a', operator: 'exists' }, { field: 'n', operator: 'atMost', value: 'six' }]), name: 'Detractor' }]).error;
		expect(error).toBe('rules.1.when.1.value: rule "Detractor", condition 2 (n atMost) needs a number as "value", e.g. 90 (got "six")');
	});

	it('numeric text is accepted as a number', () => {
		const { playbook, error } = read([rule([{ field: 'days', operator: 'atLeast', value: '90' }])]);
		expect(error).toBeUndefined();
		expect(matchRule(playbook!, { days: 120 })?.index).toBe(0);
		expect(matchRule(playbook!, { days: 30 })).toBeUndefined();
	});
});

describe('item values a condition cannot read are item errors', () => {
	const catchOf = (data: Record<string, unknown>, playbook: Playbook = STANDARD_PLAYBOOK) => {
		try {
			matchRule(playbook, data);
		} catch (error) {
			return error as ItemValueError;
		}
		return undefined;
	};

	it.each<[Record<string, unknown>, string, unknown, string]>([
		[{ npsScore: '3分' }, 'npsScore', '3分', 'is not a number, so the condition "npsScore atMost 6" of rule "NPS detractor" cannot be checked'],
		[{ npsScore: 'three' }, 'npsScore', 'three', 'is not a number, so the condition "npsScore atMost 6" of rule "NPS detractor" cannot be checked'],
		[{ daysToRenewal: '7 days' }, 'daysToRenewal', '7 days', 'is not a number, so the condition "daysToRenewal atLeast 0" of rule "Renewal due" cannot be checked'],
		[{ daysSinceLastOrder: '120天' }, 'daysSinceLastOrder', '120天', 'is not a number, so the condition "daysSinceLastOrder atLeast 90" of rule "Dormant customer" cannot be checked'],
		[{ daysSinceLastOrder: '1,200' }, 'daysSinceLastOrder', '1,200', 'is not a number, so the condition "daysSinceLastOrder atLeast 90" of rule "Dormant customer" cannot be checked'],
		[{ isBirthday: 'maybe' }, 'isBirthday', 'maybe', 'is not true or false (true/false, yes/no, 1/0, 是/否), so the condition "isBirthday isTrue" of rule "Birthday" cannot be checked'],
		// A detractor with an unreadable score must not fall through to the marketing e-mail below.
		[{ npsScore: '3分', daysSinceLastOrder: 120 }, 'npsScore', '3分', 'is not a number, so the condition "npsScore atMost 6" of rule "NPS detractor" cannot be checked'],
		[{ npsScore: Number.NaN }, 'npsScore', Number.NaN, 'is not a number, so the condition "npsScore atMost 6" of rule "NPS detractor" cannot be checked'],
	])('%j', (data, field, value, message) => {
		const error = catchOf(data);
		expect(error).toBeInstanceOf(ItemValueError);
		expect(error).toMatchObject({ field, message });
		expect(error!.value).toEqual(value);
	});

	it('a value that may be a phone number or e-mail address is masked', () => {
		const error = catchOf({ npsScore: '+86 138 0013 8000' })!;
		expect(error.value).toBeUndefined();
		expect(error.message).toBe('is not a number, so the condition "npsScore atMost 6" of rule "NPS detractor" cannot be checked (value: "+8••••••••00")');
		expect(catchOf({ npsScore: 'lee@example.com' })!.message).not.toContain('lee@example');
		expect(catchOf({ npsScore: { phone: '13800138000' } })!.message).toMatch(/\(value: an object, not shown\)$/);
	});

	it('missing values (absent, null, empty) still simply do not match', () => {
		for (const v of [undefined, null, '', '  ']) {
			expect(matchRule(STANDARD_PLAYBOOK, { npsScore: v, daysToRenewal: v, isBirthday: v, daysSinceLastOrder: v })).toBeUndefined();
		}
		expect(matchRule(STANDARD_PLAYBOOK, { npsScore: null, daysSinceLastOrder: '120' })?.rule.action.name).toBe('weMissYou');
	});

	it('readable words and numbers still match as before', () => {
		expect(matchRule(STANDARD_PLAYBOOK, { npsScore: ' 3 ' })?.rule.action.name).toBe('serviceFollowUp');
		for (const yes of [true, 1, 'yes', 'Y', '是', 'TRUE']) expect(matchRule(STANDARD_PLAYBOOK, { isBirthday: yes })?.rule.action.name).toBe('birthdayCoupon');
		for (const no of [false, 0, 'no', '否']) expect(matchRule(STANDARD_PLAYBOOK, { isBirthday: no })).toBeUndefined();
	});

	it('equals / notEquals / in / notIn written with numbers compare numbers: an unreadable value is an item error', () => {
		const playbook = read([
			rule([{ field: 'level', operator: 'equals', value: 10 }]),
			{ ...rule([{ field: 'visits', operator: 'notIn', value: [0, 1] }]), name: 'r2' },
		]).playbook!;
		const errorOf = (data: Record<string, unknown>) => catchOf(data, playbook);
		expect(errorOf({ level: '10分' })).toMatchObject({ field: 'level', value: '10分', message: 'is not a number, so the condition "level equals 10" of rule "r1" cannot be checked' });
		expect(errorOf({ level: 9, visits: '1次' })).toMatchObject({ field: 'visits', message: 'is not a number, so the condition "visits notIn [0,1]" of rule "r2" cannot be checked' });
		expect(errorOf({ level: true })).toMatchObject({ field: 'level', value: true });
		// Readable numbers, numeric text and missing values behave as before.
		expect(matchRule(playbook, { level: ' 10 ' })?.rule.name).toBe('r1');
		expect(matchRule(playbook, { level: 10.0, visits: 0 })?.rule.name).toBe('r1');
		expect(matchRule(playbook, { level: 9, visits: '2' })?.rule.name).toBe('r2');
		expect(matchRule(playbook, { level: 9, visits: 1 })).toBeUndefined();
		expect(matchRule(playbook, { level: null })?.rule.name).toBe('r2');
		// Written as text, a value is a label: "10分" simply is not "10".
		const labels = read([rule([{ field: 'level', operator: 'in', value: ['10', 'gold'] }])]).playbook!;
		expect(matchRule(labels, { level: '10分' })).toBeUndefined();
		expect(matchRule(labels, { level: 'Gold' })?.rule.name).toBe('r1');
	});

	it('an unreadable value a decision does not need is not checked', () => {
		// The first rule matches: the NPS score is never read.
		expect(matchRule(STANDARD_PLAYBOOK, { valueTier: 'vip', riskTier: 'high', npsScore: '3分' })?.rule.action.name).toBe('personalOutreach');
	});
});

describe('review: equals / notEquals / in written with true or false read the field like isTrue', () => {
	const catchOf = (playbook: Playbook, data: Record<string, unknown>) => {
		try {
			matchRule(playbook, data);
		} catch (error) {
			return error as ItemValueError;
		}
		return undefined;
	};
	const notVip = read([{ ...rule([{ field: 'vip', operator: 'notEquals', value: true }]), name: 'not VIP' }]).playbook!;

	it('yes / 1 / 是 are true and no / 0 / 否 false: a VIP is not "notEquals true"', () => {
		for (const yes of [true, 'true', 'yes', 'Y', 1, '1', '是', ' TRUE ']) expect(matchRule(notVip, { vip: yes })).toBeUndefined();
		for (const no of [false, 'false', 'no', 'n', 0, '0', '否']) expect(matchRule(notVip, { vip: no })?.rule.name).toBe('not VIP');
		// Missing: notEquals holds, as for every other value.
		expect(matchRule(notVip, { vip: null })?.rule.name).toBe('not VIP');
		const isVip = read([rule([{ field: 'vip', operator: 'equals', value: true }])]).playbook!;
		expect(matchRule(isVip, { vip: '是' })?.rule.name).toBe('r1');
		const inList = read([rule([{ field: 'vip', operator: 'in', value: [false] }])]).playbook!;
		expect(matchRule(inList, { vip: 'N' })?.rule.name).toBe('r1');
		expect(matchRule(inList, { vip: 'yes' })).toBeUndefined();
	});

	it('a value that is neither is an item error naming field, value and rule', () => {
		expect(catchOf(notVip, { vip: 'maybe' })).toMatchObject({
			field: 'vip',
			value: 'maybe',
			message: 'is not true or false (true/false, yes/no, 1/0, 是/否), so the condition "vip notEquals true" of rule "not VIP" cannot be checked',
		});
		const inList = read([rule([{ field: 'vip', operator: 'notIn', value: [true] }])]).playbook!;
		expect(catchOf(inList, { vip: 2 })).toMatchObject({ field: 'vip', value: 2 });
		// A phone number is masked, as for the other conditions.
		expect(catchOf(notVip, { vip: '13800138000' })!.message).toMatch(/\(value: "13•+00"\)$/);
	});
});

describe('review: approvedTemplate stands in for templates only where it is used', () => {
	const approved = { templateId: 'SMS_1', variables: { n: 'name' } };
	it.each(['email', 'crmTask', 'wecom'])('a %s action with only an approvedTemplate is refused, naming the action', (channel) => {
		const error = read([{ name: 'r', when: [], action: { name: 'promo', channel, approvedTemplate: approved } }]).error;
		expect(error).toBe(
			`rules.0.action.templates: action "promo": ${channel === 'email' ? 'an' : 'a'} ${channel} action needs "templates" ("approvedTemplate" is used only by SMS actions when SMS Mode is Approved Template)`,
		);
	});

	it('an SMS action may have only an approvedTemplate (checked against the SMS Mode by the node)', () => {
		expect(read([{ name: 'r', when: [], action: { name: 'code', channel: 'sms', approvedTemplate: approved } }]).error).toBeUndefined();
	});
});
