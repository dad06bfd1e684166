/** Parameters and output shaping shared by the Retention Metrics operations. */
import type { INodeProperties } from 'n8n-workflow';

import { getField, isMissing, toNfc, type Json } from '../../shared/fields';

import { explainWith, pick, type Language } from '../../shared/i18n';
import { DEFINITIONS, EMPTY_GROUP, LABELS, type DefinitionKey, type LabelKey } from '../labels';

export const TOTAL = null;

export function groupByProperty(operation: string): INodeProperties {
	return {
		displayName: 'Group By Field',
		name: 'groupBy',
		type: 'string',
		default: '',
		placeholder: 'plan',
		description:
			'Optional field whose value splits the items into groups (plan, country, channel…): one output item per group, plus the total',
		displayOptions: { show: { operation: [operation] } },
	};
}

/**
 * The value of the group-by field as a group key; a missing value is its own group, named in the label
 * language. Text is trimmed and in one Unicode form, so "pro" and "pro " (or two encodings of "é") are one group.
 */
export function groupValue(json: Json, field: string, language: Language): string {
	const value = getField(json, field);
	if (isMissing(value)) return pick(EMPTY_GROUP, language);
	if (typeof value === 'string') return toNfc(value.trim());
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export interface Group {
	/** null for the total. */
	key: string | null;
	/** Positions in the parsed rows. */
	rows: Int32Array;
}

/** The total first, then one group per distinct value in order of first appearance. */
export function partition(groupKeys: ArrayLike<string> | undefined, rowCount: number): Group[] {
	const all = new Int32Array(rowCount);
	for (let i = 0; i < rowCount; i++) all[i] = i;
	const groups: Group[] = [{ key: TOTAL, rows: all }];
	if (!groupKeys) return groups;
	const byKey = new Map<string, number[]>();
	for (let i = 0; i < rowCount; i++) {
		let list = byKey.get(groupKeys[i]);
		if (!list) byKey.set(groupKeys[i], (list = []));
		list.push(i);
	}
	for (const [key, rows] of byKey) groups.push({ key, rows: Int32Array.from(rows) });
	return groups;
}

/**
 * The customers of a group's rows numbered 0 … count − 1 in order of first appearance. Per-customer work is
 * then sized to the group, not to every customer of the input: 1,000 groups of 100,000 customers would
 * otherwise allocate and scan 100 million customer slots.
 */
export function groupCustomers(customerOfRow: (row: number) => number, rows: Int32Array): { customer: Int32Array; count: number } {
	const local = new Map<number, number>();
	const customer = new Int32Array(rows.length);
	for (let i = 0; i < rows.length; i++) {
		const global = customerOfRow(rows[i]);
		let c = local.get(global);
		if (c === undefined) local.set(global, (c = local.size));
		customer[i] = c;
	}
	return { customer, count: local.size };
}

/** The values of a column at the group's rows (the column itself for the total). */
export function gather<T extends Int32Array | Float64Array>(column: T, group: Group): T {
	if (group.key === TOTAL) return column;
	const out = new (column.constructor as new (n: number) => T)(group.rows.length);
	for (let i = 0; i < group.rows.length; i++) out[i] = column[group.rows[i]];
	return out;
}

/** Item indexes of a group's rows. */
export function itemsOf(itemIndexes: Int32Array, group: Group): Int32Array {
	return gather(itemIndexes, group);
}


export function scopeFields(groupField: string, key: string | null) {
	return key === TOTAL
		? { scope: 'total', groupField: groupField || null, group: null }
		: { scope: 'group', groupField, group: key };
}

/** Labels and definitions of an output item, in the chosen language. */
export function explain(language: Language, labelKeys: LabelKey[], definitionKeys: DefinitionKey[]) {
	return explainWith(LABELS, DEFINITIONS, language, labelKeys, definitionKeys);
}


