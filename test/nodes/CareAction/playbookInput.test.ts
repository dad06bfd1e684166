/**
 * Care Action › Decide through n8n's executor, on the defects of review A: consent specificity, template
 * locale keys, unreadable numbers in rule conditions, and condition values that do not suit the operator.
 */
import type { IDataObject } from 'n8n-workflow';

import { useInProcessDeduplication } from '../../harness/deduplication';
import { runNode } from '../../harness/workflow';
import { uniqueName } from './services';

const OUT = { email: 0, sms: 1, crmTask: 2, other: 3, holdout: 4, deferred: 5, suppressed: 6 };

function params(extra: IDataObject = {}, options: IDataObject = {}): IDataObject {
	return {
		operation: 'decide',
		ledger: 'embedded',
		ledgerName: uniqueName('pbinput'),
		campaign: 'june',
		useSendWindow: false,
		frequencyCaps: { caps: [] },
		decideOptions: { decisionTime: '2025-06-10T04:00:00Z', ...options },
		...extra,
	};
}
const custom = (rules: unknown[], defaultLocale = 'en') => ({
	playbookSource: 'custom',
	playbookJson: JSON.stringify({ name: 'p', defaultLocale, rules }),
});

type Care = { customerId: string; action: string | null; reasons: Array<{ code: string }>; message: IDataObject | null };
const care = (j: IDataObject) => j.care as unknown as Care;
const routed = (r: Awaited<ReturnType<typeof runNode>>) => {
	const out: Record<string, string[]> = {};
	for (const [name, o] of Object.entries(OUT)) {
		const items = r.json('Node', o);
		if (items.length) out[name] = items.map((j) => (j.care ? `${care(j).customerId}:${care(j).action ?? '-'}:${care(j).reasons.at(-1)!.code}` : `error ${String(j.itemIndex)}`));
	}
	return out;
};

beforeAll(async () => {
	await useInProcessDeduplication();
});

describe('consent: a channel yes does not override a topic no', () => {
	test('standard weMissYou (e-mail, marketing)', async () => {
		const base = { name: 'N', couponCode: 'C1', locale: 'en', daysSinceLastOrder: 120 };
		const r = await runNode('careAction', params({ campaign: 'c' }), [
			{ customerId: 'm1', ...base, consent: { marketing: false } },
			{ customerId: 'm2', ...base, consent: { email: true, sms: true, marketing: false } },
			{ customerId: 'm3', ...base, consent: { email: 'yes', '*': 'no' } },
			{ customerId: 'm4', ...base, consent: { email: { marketing: true }, marketing: false } },
		]);
		expect(r.error).toBeUndefined();
		expect(routed(r)).toEqual({
			email: ['m3:weMissYou:ruleMatched', 'm4:weMissYou:ruleMatched'],
			suppressed: ['m1:weMissYou:consentWithdrawn', 'm2:weMissYou:consentWithdrawn'],
		});
	});
});

describe('template locale keys are normalised', () => {
	test('zh_CN and en-US templates: en-US and en customers get English', async () => {
		const pb = custom(
			[{ name: 'all', when: [], action: { name: 'tips', channel: 'email', templates: { zh_CN: { subject: '您好 {{name}}', body: '<p>您好 {{name}}</p>' }, 'en-US': { subject: 'Hello {{name}}', body: '<p>Hello {{name}}</p>' } } } }],
			'zh-CN',
		);
		const r = await runNode('careAction', params(pb), [
			{ customerId: 'e1', name: 'Ann', locale: 'en-US' },
			{ customerId: 'e2', name: 'Bob', locale: 'en' },
			{ customerId: 'e3', name: '王芳', locale: 'zh_CN' },
		]);
		expect(r.json('Node', OUT.email).map((j) => care(j).message)).toEqual([
			{ locale: 'en', subject: 'Hello Ann', body: '<p>Hello Ann</p>' },
			{ locale: 'en', subject: 'Hello Bob', body: '<p>Hello Bob</p>' },
			{ locale: 'zh-CN', subject: '您好 王芳', body: '<p>您好 王芳</p>' },
		]);
	});

	test('a zh_CN SMS template gets 回T退订, not the English suffix', async () => {
		const pb = custom([{ name: 'all', when: [], action: { name: 'bday', channel: 'sms', templates: { zh_CN: { body: '【小店】{{name}}，生日快乐！' } } } }], 'zh-CN');
		const r = await runNode('careAction', params(pb), [{ customerId: 's1', name: '王芳', locale: 'zh-CN' }]);
		expect(r.error).toBeUndefined();
		expect(care(r.json('Node', OUT.sms)[0]).message).toMatchObject({ locale: 'zh-CN', body: '【小店】王芳，生日快乐！ 回T退订' });
	});

	test.each<[IDataObject, string]>([
		[{ zh_CN: { body: 'a' }, 'zh-CN': { body: 'b' } }, 'Playbook Rules: rules.0.action.templates.zh-CN: "zh_CN" and "zh-CN" are both templates for zh-CN: keep one'],
		[{ french: { body: 'a' } }, 'Playbook Rules: rules.0.action.templates.french: "french" is not a supported template language: use zh-CN, zh-TW, en (zh_CN, zh-Hans, zh-HK, zh-Hant, en-US … are understood)'],
	])('%j is refused when the playbook is read', async (templates, message) => {
		const r = await runNode('careAction', params(custom([{ name: 'all', when: [], action: { name: 'a', channel: 'sms', templates } }])), [{ customerId: 's1', name: 'x' }]);
		expect(r.error?.message).toBe(message);
	});
});

describe('unreadable numbers and yes/no in rule conditions are item errors', () => {
	const common = { name: 'N', couponCode: 'C1', product: 'P', brand: 'B', renewalDate: '2025-06-20', locale: 'en' };
	const input = [
		{ customerId: 'a1', npsScore: '3分', ...common },
		{ customerId: 'a2', npsScore: 'three', ...common },
		{ customerId: 'a3', daysToRenewal: '7 days', ...common },
		{ customerId: 'a4', daysSinceLastOrder: '120天', ...common },
		{ customerId: 'a5', isBirthday: 'maybe', ...common },
		{ customerId: 'a6', npsScore: 3, ...common },
		{ customerId: 'a7', daysSinceLastOrder: '1,200', ...common },
		{ customerId: 'a8', npsScore: '3分', daysSinceLastOrder: 120, ...common },
		{ customerId: 'a9', npsScore: null, daysToRenewal: '', ...common },
	];
	const nps = (i: number, v: string) => `Item ${i}: field "npsScore" is not a number, so the condition "npsScore atMost 6" of rule "NPS detractor" cannot be checked (value: ${JSON.stringify(v)})`;

	test('without Continue On Fail the node fails naming item, field and value', async () => {
		const r = await runNode('careAction', params({ campaign: 'c' }), input);
		expect(r.error?.message).toBe(nps(0, '3分'));
		const detractor = await runNode('careAction', params({ campaign: 'c' }), [input[7]]);
		expect(detractor.error?.message).toBe(nps(0, '3分'));
	});

	test('with Continue On Fail each bad item is an error item; the detractor is not sent the marketing e-mail', async () => {
		const r = await runNode('careAction', params({ campaign: 'c' }), input, { onError: 'continueRegularOutput' });
		expect(r.error).toBeUndefined();
		expect(r.json('Node', OUT.email)).toEqual([]);
		expect(routed(r).crmTask).toEqual(['a6:serviceFollowUp:ruleMatched']);
		const suppressed = r.json('Node', OUT.suppressed);
		expect(suppressed.filter((j) => !j.care).map((j) => [j.itemIndex, j.field, j.value, j.error])).toEqual([
			[0, 'npsScore', '3分', nps(0, '3分')],
			[1, 'npsScore', 'three', nps(1, 'three')],
			[2, 'daysToRenewal', '7 days', 'Item 2: field "daysToRenewal" is not a number, so the condition "daysToRenewal atLeast 0" of rule "Renewal due" cannot be checked (value: "7 days")'],
			[3, 'daysSinceLastOrder', '120天', 'Item 3: field "daysSinceLastOrder" is not a number, so the condition "daysSinceLastOrder atLeast 90" of rule "Dormant customer" cannot be checked (value: "120天")'],
			[4, 'isBirthday', 'maybe', 'Item 4: field "isBirthday" is not true or false (true/false, yes/no, 1/0, 是/否), so the condition "isBirthday isTrue" of rule "Birthday" cannot be checked (value: "maybe")'],
			[6, 'daysSinceLastOrder', '1,200', 'Item 6: field "daysSinceLastOrder" is not a number, so the condition "daysSinceLastOrder atLeast 90" of rule "Dormant customer" cannot be checked (value: "1,200")'],
			[7, 'npsScore', '3分', nps(7, '3分')],
		]);
		// Missing values are not bad values: the customer simply matches no rule, as before.
		expect(suppressed.filter((j) => j.care).map((j) => `${care(j).customerId}:${care(j).reasons.at(-1)!.code}`)).toEqual(['a9:noRuleMatched']);
	});

	test('a value that may be a phone number is masked', async () => {
		const r = await runNode('careAction', params({ campaign: 'c' }), [{ customerId: 'p1', npsScore: '+86 138 0013 8000', ...common }], { onError: 'continueRegularOutput' });
		const [error] = r.json('Node', OUT.suppressed);
		expect(JSON.stringify(error)).not.toMatch(/0013/);
		expect(error).toMatchObject({ itemIndex: 0, field: 'npsScore', value: null });
	});
});

describe('condition values that do not suit the operator are refused when the playbook is read', () => {
	const tpl = { en: { subject: 'S', body: 'B {{name}}' } };
	test.each<[IDataObject, string]>([
		[
			{ field: 'segment', operator: 'notIn', value: 'vip' },
			'Playbook Rules: rules.0.when.0.value: rule "not VIP", condition 1 (segment notIn) needs a list as "value", e.g. ["vip", "gold"] (got "vip")',
		],
		[
			{ field: 'days', operator: 'atLeast', value: 'ninety' },
			'Playbook Rules: rules.0.when.0.value: rule "not VIP", condition 1 (days atLeast) needs a number as "value", e.g. 90 (got "ninety")',
		],
	])('%j', async (condition, message) => {
		const pb = custom([{ name: 'not VIP', when: [condition], action: { name: 'promo', channel: 'email', templates: tpl } }]);
		const r = await runNode('careAction', params(pb), [{ customerId: 'v1', segment: 'vip', days: 400, name: 'V' }]);
		expect(r.error?.message).toBe(message);
		expect(r.json('Node', OUT.email)).toEqual([]);
	});

	test('numeric text and real lists still work', async () => {
		const pb = custom([
			{ name: 'not VIP', when: [{ field: 'segment', operator: 'notIn', value: ['vip'] }, { field: 'days', operator: 'atLeast', value: '90' }], action: { name: 'promo', channel: 'email', templates: tpl } },
		]);
		const r = await runNode('careAction', params(pb), [
			{ customerId: 'v1', segment: 'VIP', days: 400, name: 'V' },
			{ customerId: 'v2', segment: 'gold', days: 400, name: 'G' },
		]);
		expect(routed(r)).toEqual({ email: ['v2:promo:ruleMatched'], suppressed: ['v1:-:noRuleMatched'] });
	});
});

describe('review: what the node accepted silently', () => {
	const approved = { templateId: 'SMS_1', variables: { n: 'name' } };

	test('an SMS action with only an approvedTemplate is refused in SMS Mode Text, naming it; used in Approved Template mode', async () => {
		const pb = custom([{ name: 'r', when: [], action: { name: 'code', channel: 'sms', approvedTemplate: approved } }]);
		const text = await runNode('careAction', params(pb), [{ customerId: 'x1', name: 'Z' }]);
		expect(text.error?.message).toBe(
			'Playbook Rules: rules.0.action.templates: action "code": an sms action needs "templates" when SMS Mode is Text ("approvedTemplate" is used only when SMS Mode is Approved Template)',
		);
		expect(text.json('Node', OUT.sms)).toEqual([]);
		const tpl = await runNode('careAction', params(pb, { smsMode: 'approvedTemplate' }), [{ customerId: 'x1', name: 'Z' }]);
		expect(tpl.error).toBeUndefined();
		expect(care(tpl.json('Node', OUT.sms)[0]).message).toEqual({ templateId: 'SMS_1', variables: { n: 'Z' } });
	});

	test('an e-mail action with only an approvedTemplate is refused when the playbook is read', async () => {
		const pb = custom([{ name: 'r', when: [], action: { name: 'promo', channel: 'email', approvedTemplate: approved } }]);
		const r = await runNode('careAction', params(pb), [{ customerId: 'x1', name: 'Z' }]);
		expect(r.error?.message).toBe(
			'Playbook Rules: rules.0.action.templates: action "promo": an email action needs "templates" ("approvedTemplate" is used only by SMS actions when SMS Mode is Approved Template)',
		);
		expect(r.json('Node', OUT.email)).toEqual([]);
	});

	test('"vip notEquals true": yes / 1 / 是 are VIPs (no promo); "maybe" is an item error', async () => {
		const tpl = { en: { subject: 'S', body: 'B {{name}}' } };
		const pb = custom([{ name: 'not VIP', when: [{ field: 'vip', operator: 'notEquals', value: true }], action: { name: 'promo', channel: 'email', templates: tpl } }]);
		const input = ['yes', 1, '是', 'no', 'maybe'].map((vip, i) => ({ customerId: `v${i}`, name: 'N', vip }));
		const r = await runNode('careAction', params(pb), input, { onError: 'continueRegularOutput' });
		expect(routed(r)).toEqual({ email: ['v3:promo:ruleMatched'], suppressed: ['error 4', 'v0:-:noRuleMatched', 'v1:-:noRuleMatched', 'v2:-:noRuleMatched'] });
		expect(r.json('Node', OUT.suppressed)[0]).toMatchObject({
			field: 'vip',
			value: 'maybe',
			error: 'Item 4: field "vip" is not true or false (true/false, yes/no, 1/0, 是/否), so the condition "vip notEquals true" of rule "not VIP" cannot be checked (value: "maybe")',
		});
	});

	test('locale zh-Hans-HK / -TW / -MO gets the Simplified template', async () => {
		const pb = custom([{ name: 'r', when: [], action: { name: 'm', channel: 'sms', templates: { 'zh-CN': { body: '简体' }, 'zh-TW': { body: '繁體' } } } }]);
		const r = await runNode('careAction', params(pb), ['zh-Hans-HK', 'zh-Hans-TW', 'zh-Hans-MO', 'zh-HK'].map((locale, i) => ({ customerId: `l${i}`, locale })));
		expect(r.json('Node', OUT.sms).map((j) => care(j).message!.body)).toEqual(['简体 回T退订', '简体 回T退订', '简体 回T退订', '繁體 回T退訂']);
	});

	test('a transactional SMS gets no custom opt-out suffix either', async () => {
		const pb = custom([{ name: 'r', when: [], action: { name: 'otp', channel: 'sms', transactional: true, templates: { 'zh-CN': { body: '付款失败' } } } }], 'zh-CN');
		const r = await runNode('careAction', params(pb, { smsOptOutSuffix: '拒收请回复R' }), [{ customerId: 'u' }]);
		expect(care(r.json('Node', OUT.sms)[0]).message!.body).toBe('付款失败');
	});

	test('{{{name}}} is refused, never rendered as "Hi {Lee}"', async () => {
		const pb = custom([{ name: 'r', when: [], action: { name: 'a', channel: 'email', templates: { en: { subject: 'Hi {{{name}}}', body: '<p>{{{name}}}</p>' } } } }]);
		const r = await runNode('careAction', params(pb), [{ customerId: 'u', name: 'Lee' }]);
		expect(r.error?.message).toBe('Item 0: field "name" is needed by the template of action "a": placeholder "{{name}}" has a stray "{" or "}" next to it: write {{name}}');
		expect(r.json('Node', OUT.email)).toEqual([]);
	});
});
