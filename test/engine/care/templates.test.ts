import { chooseTemplate, fill, localeChain, renderMessage, templateLocale, TemplateError } from '../../../nodes/engine/care/templates';
import { defaultOptOutSuffix, smsLength, withOptOutSuffix } from '../../../nodes/engine/care/sms';

describe('templates', () => {
	const data = { name: '王小明', plan: { name: 'Pro', price: 99 }, 'first name': 'Ann', html: '<b>&"x"</b>' };

	it('fills flat, nested and spaced field names', () => {
		expect(fill('Hi {{name}}, {{ plan.name }} costs {{plan.price}}', data)).toBe('Hi 王小明, Pro costs 99');
		expect(fill('{{first name}}', data)).toBe('Ann');
	});

	it('escapes inserted values for HTML but not the template markup', () => {
		expect(fill('<p>{{html}}</p>', data, true)).toBe('<p>&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</p>');
		expect(fill('{{html}}', data, false)).toBe('<b>&"x"</b>');
	});

	it('a missing or empty placeholder is an error naming it, never an empty hole', () => {
		expect(() => fill('Dear {{surname}},', data)).toThrow(TemplateError);
		expect(() => fill('Dear {{surname}},', data)).toThrow('placeholder "{{surname}}" has no value');
		expect(() => fill('{{x}}', { x: '  ' })).toThrow(/has no value/);
		expect(() => fill('{{x}}', { x: null })).toThrow(/has no value/);
		expect(() => fill('{{plan}}', data)).toThrow(/list or object/);
	});

	it('runs no code: expressions are refused as placeholders', () => {
		expect(() => fill("{{constructor.constructor('return 1')()}}", data)).toThrow(/not a field name/);
		expect(() => fill('{{ name + 1 }}', data)).toThrow(/not a field name/);
		expect(() => fill('Hi {{name}', data)).toThrow(/unclosed/);
	});

	it('falls back through related locales, then the default, then English', () => {
		expect(localeChain('zh-HK', 'en')).toEqual(['zh-TW', 'zh-CN', 'en']);
		expect(localeChain('zh_CN', 'en')).toEqual(['zh-CN', 'zh-TW', 'en']);
		expect(localeChain('fr', 'zh-CN')).toEqual(['fr', 'zh-CN', 'en']);
		expect(localeChain(undefined, 'zh-CN')).toEqual(['zh-CN', 'en']);
		const t = { 'zh-CN': { body: '简' }, en: { body: 'en' } };
		expect(chooseTemplate(t, 'zh-TW', 'en').locale).toBe('zh-CN');
		expect(chooseTemplate(t, 'de', 'en').locale).toBe('en');
		expect(chooseTemplate({ 'zh-TW': { body: '繁' } }, 'en', 'en').locale).toBe('zh-TW');
	});

	it('template keys are compared as normalised locales, and the locale returned is the normalised one', () => {
		const t = { zh_CN: { body: '简' }, 'en-US': { body: 'en' } };
		expect(chooseTemplate(t, 'en-US', 'zh-CN')).toEqual({ locale: 'en', template: { body: 'en' } });
		expect(chooseTemplate(t, 'en', 'zh-CN')).toEqual({ locale: 'en', template: { body: 'en' } });
		expect(chooseTemplate(t, 'zh-Hans', 'en')).toEqual({ locale: 'zh-CN', template: { body: '简' } });
		expect(chooseTemplate({ 'zh_Hant_TW': { body: '繁' } }, 'de', 'de').locale).toBe('zh-TW');
		// Two spellings of one locale (only possible for engine callers): the exact key wins.
		expect(chooseTemplate({ en_GB: { body: 'gb' }, en: { body: 'en' } }, 'en', 'en').template.body).toBe('en');
	});

	it('templateLocale reads template keys like customer locales, and knows only the three locales', () => {
		expect(['zh-CN', 'zh_CN', 'ZH-cn', 'zh-Hans', 'zh', 'zh-Hans-CN'].map(templateLocale)).toEqual(Array(6).fill('zh-CN'));
		expect(['zh-TW', 'zh_HK', 'zh-Hant', 'zh-MO', 'zh_Hant_TW'].map(templateLocale)).toEqual(Array(5).fill('zh-TW'));
		expect(['en', 'EN', 'en-US', 'en_GB'].map(templateLocale)).toEqual(Array(4).fill('en'));
		expect(['fr', 'de-DE', 'english', 'zhx', 'enx-US', '', ' ', 'zh CN', 'en-', '*'].map(templateLocale)).toEqual(Array(10).fill(undefined));
	});

	it('renders subject as plain text and body as HTML when asked', () => {
		const m = renderMessage({ en: { subject: 'For {{html}}', body: '{{html}}' } }, data, { fallbackLocale: 'en', htmlBody: true });
		expect(m.subject).toBe('For <b>&"x"</b>');
		expect(m.body).toBe('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
	});
});

describe('subject lines', () => {
	it('a line break in a customer field cannot start another header', () => {
		const data = { name: 'Lee\r\nBcc: evil@example.com', note: 'a\nb' };
		const m = renderMessage({ en: { subject: 'We miss you, {{name}}', body: '{{note}}' } }, data, { fallbackLocale: 'en', htmlBody: false });
		expect(m.subject).toBe('We miss you, Lee Bcc: evil@example.com');
		expect(m.body).toBe('a\nb'); // bodies keep their lines
	});
});

describe('SMS length', () => {
	it('GSM-7: 160 in one message, 153 per segment after that', () => {
		expect(smsLength('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
		expect(smsLength('a'.repeat(161)).segments).toBe(2);
		expect(smsLength('a'.repeat(306)).segments).toBe(2);
		expect(smsLength('a'.repeat(307)).segments).toBe(3);
	});

	it('extension characters take two septets', () => {
		expect(smsLength('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
		expect(smsLength('€'.repeat(80) + 'a').segments).toBe(2);
		expect(smsLength('{}').units).toBe(4);
	});

	it('any Chinese character makes the whole message UCS-2: 70, then 67 per segment', () => {
		expect(smsLength('中'.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
		expect(smsLength('中'.repeat(71)).segments).toBe(2);
		expect(smsLength('中'.repeat(134)).segments).toBe(2);
		expect(smsLength('中'.repeat(135)).segments).toBe(3);
		expect(smsLength('a'.repeat(69) + '中').segments).toBe(1);
		// An emoji is two UTF-16 units: billing counts units, a person counts one character.
		expect(smsLength('😀')).toMatchObject({ characters: 1, units: 2 });
	});

	it('opt-out suffix by locale, appended once', () => {
		expect(defaultOptOutSuffix('zh-CN')).toBe('回T退订');
		expect(withOptOutSuffix('【店】生日快乐', '回T退订')).toBe('【店】生日快乐 回T退订');
		expect(withOptOutSuffix('【店】生日快乐 回T退订', '回T退订')).toBe('【店】生日快乐 回T退订');
		expect(withOptOutSuffix('Hi', '')).toBe('Hi');
	});
});

describe('review: locale script subtags and stray braces', () => {
	it('the script subtag wins over the region: zh-Hans-HK / -TW / -MO read Simplified, zh-Hant-CN Traditional', () => {
		expect(['zh-Hans-HK', 'zh-Hans-TW', 'zh-Hans-MO', 'zh_Hans_HK', 'ZH-HANS-hk'].map(templateLocale)).toEqual(Array(5).fill('zh-CN'));
		expect(['zh-Hant-CN', 'zh-Hant-SG', 'zh-HK', 'zh-MO', 'zh-TW'].map(templateLocale)).toEqual(Array(5).fill('zh-TW'));
		const t = { 'zh-CN': { body: '简体' }, 'zh-TW': { body: '繁體' } };
		expect(chooseTemplate(t, 'zh-Hans-HK', 'en')).toEqual({ locale: 'zh-CN', template: { body: '简体' } });
		expect(chooseTemplate(t, 'zh-Hant-CN', 'en')).toEqual({ locale: 'zh-TW', template: { body: '繁體' } });
	});

	it('a single brace before a placeholder ({{{name}}}) is refused like a stray {{ or }}; one after it closes CSS', () => {
		expect(fill('<style>.btn{color:{{brand}}}</style>', { brand: 'red' })).toBe('<style>.btn{color:red}</style>');
		for (const t of ['Hi {{{name}}}', 'Hi {{{name}}', '<p>{{{ name }}}</p>']) {
			expect(() => fill(t, { name: 'Lee' })).toThrow(TemplateError);
			expect(() => fill(t, { name: 'Lee' })).toThrow('placeholder "{{name}}" has a stray "{" or "}" next to it: write {{name}}');
		}
		// Braces that do not touch a placeholder are text.
		expect(fill('{ {{name}} } {x}', { name: 'Lee' })).toBe('{ Lee } {x}');
	});
});
