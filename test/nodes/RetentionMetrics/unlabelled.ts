/**
 * README's promise, checked on output items: every number carries a label. A number is labelled when the
 * labels object (of the item itself, or of the summary / model item that labels the items it comes with)
 * has its path ("scoring.recency") or its own name ("min" for scale.min, "size" for cohorts[].size). Also
 * used by the Customer Segments and Customer Lifetime Value tests.
 */
import type { IDataObject } from 'n8n-workflow';

/** Not numbers of the item: its labels and definitions, and the full-precision models a model item carries. */
const SKIPPED = new Set(['labels', 'definitions', 'purchaseModel', 'spendModel']);

/** Paths of the numbers of an item; a list of numbers is one number, a list of objects is walked as "list[]". */
export function numberPaths(json: unknown, prefix = ''): string[] {
	const out: string[] = [];
	if (json === null || typeof json !== 'object') return out;
	for (const [key, value] of Object.entries(json as IDataObject)) {
		if (prefix === '' && SKIPPED.has(key) && typeof value === 'object') continue;
		const path = prefix + key;
		if (typeof value === 'number' || (Array.isArray(value) && value.some((v) => typeof v === 'number'))) out.push(path);
		else if (Array.isArray(value)) for (const v of value) out.push(...numberPaths(v, `${path}[].`));
		else if (value && typeof value === 'object') out.push(...numberPaths(value, `${path}.`));
	}
	return [...new Set(out)];
}

/** The number paths of the items that `labels` does not label (sorted, each once). */
export function unlabelledNumbers(items: IDataObject[], labels: unknown): string[] {
	const known = (labels ?? {}) as Record<string, unknown>;
	const missing = new Set<string>();
	for (const item of items) {
		for (const path of numberPaths(item)) {
			const name = path.slice(path.lastIndexOf('.') + 1);
			if (!(path in known) && !(name in known)) missing.add(path);
		}
	}
	return [...missing].sort();
}

/** Every label is Chinese in 简体中文 (and the same keys as in English). */
export function expectChineseLabels(en: unknown, zh: unknown): void {
	const english = en as Record<string, string>;
	const chinese = zh as Record<string, string>;
	expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
	for (const [key, text] of Object.entries(chinese)) expect([key, /[\u4e00-\u9fff]/.test(text)]).toEqual([key, true]);
}
