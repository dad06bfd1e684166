/**
 * Message templates: `{{field}}` / `{{nested.field}}` placeholders filled from the customer's item.
 *
 * No code runs inside a template (no expressions, no helpers): a placeholder is a field path and
 * nothing else, so a template pasted by an operator cannot do anything but insert values. A placeholder
 * whose value is missing is an error for that item — a message reading "Dear ," is worse than none.
 */
import get from 'lodash/get';

export type Locale = 'zh-CN' | 'zh-TW' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];

export interface MessageTemplate {
	subject?: string;
	body: string;
}

/** Templates of one action, by locale (`zh-CN`, `zh-TW`, `en`). */
export type LocalizedTemplates = Partial<Record<string, MessageTemplate>>;

export class TemplateError extends Error {
	constructor(
		readonly placeholder: string,
		readonly reason: 'missing' | 'notText' | 'syntax' | 'noTemplate',
		message: string,
	) {
		super(message);
		this.name = 'TemplateError';
	}
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FIELD_PATH = /^[\p{L}\p{N}_$][\p{L}\p{N}_$-]*(?:\.[\p{L}\p{N}_$][\p{L}\p{N}_$-]*|\[\d+\])*$/u;

/** Field lookup: an exact key first (`first name`), then a dotted path (`customer.name`). */
function lookup(data: Record<string, unknown>, path: string): unknown {
	if (Object.prototype.hasOwnProperty.call(data, path)) return data[path];
	return path.includes('.') || path.includes('[') ? get(data, path) : undefined;
}

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** The placeholders of a template, in order of appearance (for validation and approved templates). */
export function placeholdersOf(template: string): string[] {
	const out: string[] = [];
	for (const m of template.matchAll(PLACEHOLDER)) out.push(m[1]);
	return out;
}

/** The text of one value for a message, or a TemplateError naming the placeholder. */
export function valueText(data: Record<string, unknown>, path: string): string {
	// A key that exists as written (`first name`) is a field; anything else must look like a field path.
	if (!Object.prototype.hasOwnProperty.call(data, path) && !FIELD_PATH.test(path)) {
		throw new TemplateError(path, 'syntax', `placeholder "{{${path}}}" is not a field name (only field names, no code)`);
	}
	const value = lookup(data, path);
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw new TemplateError(path, 'missing', `placeholder "{{${path}}}" has no value in this item`);
	}
	if (typeof value === 'string') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) {
			throw new TemplateError(path, 'notText', `placeholder "{{${path}}}" is not a finite number`);
		}
		return String(value);
	}
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	throw new TemplateError(path, 'notText', `placeholder "{{${path}}}" holds a list or object, not text`);
}

/** A template split once into literal text and field paths, so that filling it needs no parsing. */
export interface CompiledTemplate {
	/** Literal text around the fields: `literals.length === fields.length + 1`. */
	literals: string[];
	fields: string[];
}

export function compileTemplate(template: string): CompiledTemplate {
	// Unbalanced braces are a typo the operator should see rather than a literal "{{" in a message.
	const stripped = template.replace(PLACEHOLDER, '');
	if (stripped.includes('{{') || stripped.includes('}}')) {
		throw new TemplateError('{{', 'syntax', 'template has an unclosed "{{" or a stray "}}"');
	}
	const literals: string[] = [];
	const fields: string[] = [];
	let last = 0;
	for (const m of template.matchAll(PLACEHOLDER)) {
		// {{{name}}} (Mustache's unescaped form) would leave its outer braces in the message ("Hi {Lee}"): refused
		// like a stray "{{". Only a brace before the placeholder counts: one after it closes CSS in an e-mail's
		// <style> (.btn{color:{{brand}}}), and "{" never opens a CSS block right before a value.
		if (template[(m.index ?? 0) - 1] === '{') {
			throw new TemplateError(m[1], 'syntax', `placeholder "{{${m[1]}}}" has a stray "{" or "}" next to it: write {{${m[1]}}}`);
		}
		literals.push(template.slice(last, m.index));
		fields.push(m[1]);
		last = (m.index ?? 0) + m[0].length;
	}
	literals.push(template.slice(last));
	return { literals, fields };
}

export function fillCompiled(t: CompiledTemplate, data: Record<string, unknown>, html: boolean): string {
	let out = t.literals[0];
	for (let i = 0; i < t.fields.length; i++) {
		const text = valueText(data, t.fields[i]);
		out += (html ? escapeHtml(text) : text) + t.literals[i + 1];
	}
	return out;
}

/** Fills the placeholders; `html` escapes the inserted values (not the template's own markup). */
export function fill(template: string, data: Record<string, unknown>, html = false): string {
	return fillCompiled(compileTemplate(template), data, html);
}

/**
 * Compiled templates and locale choices of one execution (thousands of customers share a handful of
 * templates). A cache: create one per execution, never at module level.
 */
export class TemplateCache {
	private readonly compiled = new Map<string, CompiledTemplate>();
	private readonly choices = new Map<LocalizedTemplates, Map<string, { locale: string; template: MessageTemplate }>>();

	compile(template: string): CompiledTemplate {
		let c = this.compiled.get(template);
		if (!c) {
			c = compileTemplate(template);
			this.compiled.set(template, c);
		}
		return c;
	}

	choose(templates: LocalizedTemplates, requested: string | undefined, fallback: string) {
		let byLocale = this.choices.get(templates);
		if (!byLocale) {
			byLocale = new Map();
			this.choices.set(templates, byLocale);
		}
		const id = `${requested ?? ''}\u0000${fallback}`;
		let choice = byLocale.get(id);
		if (!choice) {
			choice = chooseTemplate(templates, requested, fallback);
			byLocale.set(id, choice);
		}
		return choice;
	}
}

/**
 * The locales to try for a customer, best first: the exact locale, its relatives (a Traditional
 * Chinese reader is better served by Simplified Chinese than by English; Hong Kong and Macau read
 * Traditional), then the playbook's default, then English.
 */
export function localeChain(requested: string | undefined, fallback: string): string[] {
	const chain: string[] = [];
	const add = (l: string) => {
		if (!chain.includes(l)) chain.push(l);
	};
	const r = normaliseLocale(requested);
	if (r) {
		add(r);
		if (r.startsWith('zh')) {
			add(r === 'zh-CN' ? 'zh-TW' : r === 'zh-TW' ? 'zh-CN' : 'zh-TW');
			add('zh-CN');
		}
	}
	add(normaliseLocale(fallback) ?? 'en');
	add('en');
	return chain;
}

/** Maps common spellings (`zh_CN`, `zh-Hans`, `zh-HK`, `EN-us`) onto the three supported locales. */
export function normaliseLocale(value: string | undefined): string | undefined {
	if (!value) return undefined;
	const v = value.trim().replace(/_/g, '-').toLowerCase();
	if (v === '') return undefined;
	if (v.startsWith('zh')) {
		// The script says how the text is written and wins over the region: zh-Hans-HK reads Simplified,
		// zh-Hant-CN Traditional. Without a script, Taiwan, Hong Kong and Macau read Traditional.
		// (POSIX spellings keep an encoding or modifier after the tag: zh_TW.UTF-8, zh_CN@pinyin.)
		const subtags = v.split(/[.@]/)[0].split('-').slice(1);
		if (subtags.includes('hans')) return 'zh-CN';
		if (subtags.includes('hant')) return 'zh-TW';
		if (subtags.some((t) => t === 'tw' || t === 'hk' || t === 'mo')) return 'zh-TW';
		return 'zh-CN';
	}
	if (v.startsWith('en')) return 'en';
	return v;
}

/** A language tag as playbooks spell it: `zh-CN`, `zh_CN`, `zh-Hant-TW`, `en-US`, `EN`. */
const LANGUAGE_TAG = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/i;

/**
 * The supported locale a template key stands for, read with the same normaliser as customers' locales
 * (`zh_CN`, `zh-Hans` → zh-CN; `zh-HK`, `zh-Hant` → zh-TW; `en-US`, `EN` → en), or undefined for any
 * other language and for text that is not a language tag at all.
 */
export function templateLocale(key: string): Locale | undefined {
	const m = LANGUAGE_TAG.exec(key.trim());
	if (!m || !['zh', 'en'].includes(m[1].toLowerCase())) return undefined;
	const locale = normaliseLocale(key);
	return LOCALES.find((l) => l === locale);
}

/**
 * The template for a customer: keys are compared as normalised locales, so templates keyed `zh_CN` or
 * `en-US` (an engine caller's own playbook) serve zh-CN and en customers, and the locale returned is always
 * the normalised one (it picks the SMS opt-out wording). A key spelled exactly as the locale wins over
 * another spelling of it. (Playbooks read by the node have their keys normalised already.)
 */
export function chooseTemplate(
	templates: LocalizedTemplates,
	requested: string | undefined,
	fallback: string,
): { locale: string; template: MessageTemplate } {
	const byLocale = new Map<string, MessageTemplate>();
	for (const [key, t] of Object.entries(templates)) {
		if (t === undefined) continue;
		const locale = normaliseLocale(key) ?? key;
		if (!byLocale.has(locale) || key === locale) byLocale.set(locale, t);
	}
	for (const locale of localeChain(requested, fallback)) {
		const t = byLocale.get(locale);
		if (t) return { locale, template: t };
	}
	const first = byLocale.entries().next();
	if (!first.done) return { locale: first.value[0], template: first.value[1] };
	throw new TemplateError('', 'noTemplate', 'the action has no template');
}

export interface RenderedMessage {
	locale: string;
	subject?: string;
	body: string;
}

/** Renders the best template for the customer's locale. */
export function renderMessage(
	templates: LocalizedTemplates,
	data: Record<string, unknown>,
	options: { locale?: string; fallbackLocale: string; htmlBody: boolean },
	cache: TemplateCache = new TemplateCache(),
): RenderedMessage {
	const { locale, template } = cache.choose(templates, options.locale, options.fallbackLocale);
	const out: RenderedMessage = { locale, body: fillCompiled(cache.compile(template.body), data, options.htmlBody) };
	// Subjects are plain text headers: never HTML-escaped, and on one line — a line break from a customer
	// field ("Lee\r\nBcc: …") could add a header in a sender that does not check.
	if (template.subject !== undefined) {
		out.subject = fillCompiled(cache.compile(template.subject), data, false).replace(/[\r\n\u2028\u2029]+/g, ' ');
	}
	return out;
}
