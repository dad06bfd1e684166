/** Parameters and output shaping shared by the Retention Metrics operations. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ZonedCalendar } from '../../shared/dates';
import { getField, isMissing, type Json } from '../../shared/fields';
import { labelsFor, pick, type Language } from '../../shared/i18n';
import { DEFINITIONS, LABELS, type DefinitionKey, type LabelKey } from '../labels';

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

export function fieldProperty(
	operation: string,
	name: string,
	displayName: string,
	defaultField: string,
	description: string,
	required = true,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: defaultField,
		required,
		description,
		displayOptions: { show: { operation: [operation] } },
	};
}

/** The value of the group-by field as a group key; a missing value is its own group. */
export function groupValue(json: Json, field: string): string {
	const value = getField(json, field);
	if (isMissing(value)) return '(empty)';
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

/**
 * Dense indexes for (customer, key) pairs — e.g. order ids, which belong to one customer — without a global
 * map over every distinct key: rows are bucketed by customer and compared within the bucket.
 */
export function indexWithinCustomer(customer: Int32Array, keys: ReadonlyArray<string | undefined>, customerCount: number): { index: Int32Array; count: number } {
	const n = customer.length;
	const start = new Int32Array(customerCount + 1);
	for (let r = 0; r < n; r++) start[customer[r] + 1]++;
	for (let c = 0; c < customerCount; c++) start[c + 1] += start[c];
	const fill = start.slice(0, customerCount);
	const rowsByCustomer = new Int32Array(n);
	for (let r = 0; r < n; r++) rowsByCustomer[fill[customer[r]]++] = r;
	const index = new Int32Array(n).fill(-1);
	let count = 0;
	for (let c = 0; c < customerCount; c++) {
		const from = start[c];
		const to = start[c + 1];
		if (to - from <= 16) {
			for (let a = from; a < to; a++) {
				const ra = rowsByCustomer[a];
				const key = keys[ra];
				if (key === undefined) continue;
				let found = -1;
				for (let b = from; b < a; b++) {
					if (keys[rowsByCustomer[b]] === key) {
						found = index[rowsByCustomer[b]];
						break;
					}
				}
				index[ra] = found >= 0 ? found : count++;
			}
		} else {
			const seen = new Map<string, number>();
			for (let a = from; a < to; a++) {
				const ra = rowsByCustomer[a];
				const key = keys[ra];
				if (key === undefined) continue;
				let id = seen.get(key);
				if (id === undefined) seen.set(key, (id = count++));
				index[ra] = id;
			}
		}
	}
	return { index, count };
}

export function scopeFields(groupField: string, key: string | null) {
	return key === TOTAL
		? { scope: 'total', groupField: groupField || null, group: null }
		: { scope: 'group', groupField, group: key };
}

/** Labels and definitions of an output item, in the chosen language. */
export function explain(language: Language, labelKeys: LabelKey[], definitionKeys: DefinitionKey[]) {
	const definitions: Record<string, string> = {};
	for (const key of definitionKeys) definitions[key] = pick(DEFINITIONS[key], language);
	return { labels: labelsFor(LABELS, labelKeys, language), definitions };
}

/** A date parameter (period start/end, as-of) as a local day number. */
export function dayParameter(
	ctx: IExecuteFunctions,
	calendar: ZonedCalendar,
	name: string,
	displayName: string,
	required: boolean,
): number | undefined {
	const value = ctx.getNodeParameter(name, 0, '') as unknown;
	if (isMissing(value)) {
		if (!required) return undefined;
		throw new NodeOperationError(ctx.getNode(), `The parameter "${displayName}" is required`);
	}
	const day = calendar.parseDay(value);
	if (day === null) {
		throw new NodeOperationError(ctx.getNode(), `The parameter "${displayName}" is not a date: ${JSON.stringify(value)}`, {
			description: 'Use 2025-01-31, 20250131, 2025年1月31日 or epoch milliseconds.',
		});
	}
	return day;
}

/** Maps identifiers to dense indexes 0…n−1 (one per execution, never shared). */
export class IdIndex {
	private readonly index = new Map<string, number>();
	readonly ids: string[] = [];

	of(id: string): number {
		let i = this.index.get(id);
		if (i === undefined) {
			i = this.ids.length;
			this.index.set(id, i);
			this.ids.push(id);
		}
		return i;
	}

	get size(): number {
		return this.ids.length;
	}
}
