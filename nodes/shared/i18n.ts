/**
 * Labels in English and Simplified Chinese. Each node keeps its own table of labels and definitions
 * (one place per node); this file holds the shape and the lookup.
 */
export type Language = 'en' | 'zh';

export interface Bilingual {
	en: string;
	zh: string;
}

export type LabelTable<K extends string = string> = Record<K, Bilingual>;

export function pick(text: Bilingual, language: Language): string {
	return text[language] ?? text.en;
}

/** A sentence in one language with its `{name}` parameters filled in (unknown names stay as they are). */
export function pickFilled(text: Bilingual, language: Language, params: Record<string, string | number> = {}): string {
	return pick(text, language).replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The labels of a table in one language, as a plain object for an output item. */
export function labelsFor<K extends string>(table: LabelTable<K>, keys: readonly K[], language: Language) {
	const out: Record<string, string> = {};
	for (const key of keys) out[key] = pick(table[key], language);
	return out;
}

/**
 * The `labels` and `definitions` of an output item: each node passes its own tables, so a number's label
 * and the definition used are always found next to it, in the chosen language.
 */
export function explainWith<L extends string, D extends string>(
	labels: LabelTable<L>,
	definitions: LabelTable<D>,
	language: Language,
	labelKeys: readonly L[],
	definitionKeys: readonly D[],
): { labels: Record<string, string>; definitions: Record<string, string> } {
	const defined: Record<string, string> = {};
	for (const key of definitionKeys) defined[key] = pick(definitions[key], language);
	return { labels: labelsFor(labels, labelKeys, language), definitions: defined };
}
