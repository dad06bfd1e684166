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

/** The labels of a table in one language, as a plain object for an output item. */
export function labelsFor<K extends string>(table: LabelTable<K>, keys: readonly K[], language: Language) {
	const out: Record<string, string> = {};
	for (const key of keys) out[key] = pick(table[key], language);
	return out;
}

export function isLanguage(value: unknown): value is Language {
	return value === 'en' || value === 'zh';
}
