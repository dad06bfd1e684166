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
	rows: number[];
}

/** The total first, then one group per distinct value in order of first appearance. */
export function partition(groupKeys: string[] | undefined, rowCount: number): Group[] {
	const all = Array.from({ length: rowCount }, (_, i) => i);
	const groups: Group[] = [{ key: TOTAL, rows: all }];
	if (!groupKeys) return groups;
	const byKey = new Map<string, number[]>();
	for (let i = 0; i < rowCount; i++) {
		let list = byKey.get(groupKeys[i]);
		if (!list) byKey.set(groupKeys[i], (list = []));
		list.push(i);
	}
	for (const [key, rows] of byKey) groups.push({ key, rows });
	return groups;
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
