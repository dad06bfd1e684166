/**
 * What every node adapter shares: turning input problems into n8n errors or error items
 * (continueOnFail), the language and time-zone parameters, and pairedItem lists.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyCollection,
	type IPairedItemData,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { ZonedCalendar, isValidTimeZone } from './dates';
import { InputError, coerceNumber, describeValue, isMissing } from './fields';
import type { Language } from './i18n';
import { finiteOnly } from './numbers';

/** A NodeOperationError naming the item, the field and the value where the problem is an input error. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof InputError) {
		return new NodeOperationError(node, error.message, {
			itemIndex: error.itemIndex,
			description: `Check the field "${error.field}" of item ${error.itemIndex}, or the field-name parameter that points to it.`,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, itemIndex === undefined ? {} : { itemIndex });
}

/** An error item for "Continue On Fail": it keeps the link to its input item. */
export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	const json: Record<string, unknown> = {
		error: error instanceof Error ? error.message : String(error),
		itemIndex,
	};
	if (error instanceof InputError) {
		json.field = error.field;
		if (!error.sensitive) json.value = error.value === undefined ? null : finiteOnly(error.value);
	}
	return { json: json as INodeExecutionData['json'], pairedItem: { item: itemIndex } };
}

/**
 * Input errors collected while reading items: with Continue On Fail they become error items (returned),
 * otherwise the first one fails the node.
 */
export function handleInputErrors(ctx: IExecuteFunctions, errors: InputError[]): INodeExecutionData[] {
	if (errors.length === 0) return [];
	if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), errors[0]);
	return errors.map((e) => errorItem(e, e.itemIndex));
}

/**
 * Nothing left to compute because every item was refused. With Continue On Fail the refused items keep
 * their error items ({@link routeOperation} outputs them before this error's own item); otherwise the
 * node fails with this message.
 */
export class AllItemsRefusedError extends NodeOperationError {
	constructor(
		node: INode,
		message: string,
		readonly errorItems: INodeExecutionData[],
	) {
		super(node, message);
	}
}

/** Fails with {@link AllItemsRefusedError} when no item could be read (`what`: "transactions", …). */
export function requireUsableItems(ctx: IExecuteFunctions, count: number, what: string, errorItems: INodeExecutionData[]): void {
	if (count > 0) return;
	const message = errorItems.length
		? `No valid ${what} to work on: all ${errorItems.length} items were refused (see their error items)`
		: `No valid ${what} to work on`;
	throw new AllItemsRefusedError(ctx.getNode(), message, errorItems);
}

/** pairedItem for an aggregate output item: it came from all these input items. */
export function pairedAll(itemIndexes: ArrayLike<number>): IPairedItemData[] {
	const out: IPairedItemData[] = new Array(itemIndexes.length);
	for (let i = 0; i < itemIndexes.length; i++) out[i] = { item: itemIndexes[i] };
	return out;
}

export const languageProperty: INodeProperties = {
	displayName: 'Label Language',
	name: 'language',
	type: 'options',
	options: [
		{ name: 'English', value: 'en' },
		{ name: 'Simplified Chinese (简体中文)', value: 'zh' },
	],
	default: 'en',
	description: 'Language of the labels, definitions and reasons written into the output',
};

export const timeZoneProperty: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'string',
	default: '',
	placeholder: 'Asia/Shanghai',
	description:
		'IANA time zone in which dates without an offset are read and days, weeks and months are counted. Empty: the workflow time zone.',
};

/** The Label Language: "en" or "zh" exactly ("ZH" or "fr" from an expression is refused, not read as English). */
export function getLanguage(ctx: IExecuteFunctions): Language {
	return optionParameter<Language>(ctx, [languageProperty], 'language');
}

/** The calendar of the node's time-zone parameter (or the workflow's zone). */
export function getCalendar(ctx: IExecuteFunctions, zoneParameter?: unknown): ZonedCalendar {
	const raw = zoneParameter ?? ctx.getNodeParameter('timeZone', 0, '');
	const zone = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : ctx.getTimezone();
	if (!isValidTimeZone(zone)) {
		throw new NodeOperationError(ctx.getNode(), `Time Zone "${zone}" is not an IANA time zone`, {
			description: 'Use a name such as Asia/Shanghai, Europe/Berlin or UTC.',
		});
	}
	return new ZonedCalendar(zone);
}

/** Wraps plain results as output items, scrubbing non-finite numbers. */
export function toItems(
	rows: ReadonlyArray<Record<string, unknown>>,
	pairedItem: (row: number) => IPairedItemData | IPairedItemData[],
): INodeExecutionData[] {
	return rows.map((json, i) => ({
		json: finiteOnly(json) as INodeExecutionData['json'],
		pairedItem: pairedItem(i),
	}));
}

/**
 * Number parameters set by an expression can arrive as text ("0.1"): numeric text becomes a number, any
 * other value is left as it is for the parameter's check to refuse with the value named.
 */
export function numbersFromText<T extends object>(values: T): T {
	const out: Record<string, unknown> = { ...(values as Record<string, unknown>) };
	for (const [key, value] of Object.entries(out)) {
		if (typeof value !== 'string') continue;
		const n = coerceNumber(value);
		if (typeof n === 'number') out[key] = n;
	}
	return out as T;
}

/**
 * A whole-number parameter within its range, or `fail` with one sentence naming the parameter and the
 * value given: every node words these checks the same way, and NaN or Infinity are named as such.
 */
export function wholeNumberParameter(label: string, value: unknown, min: number, max: number, fail: (message: string) => never): number {
	if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
	return fail(`${label} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (got ${describeValue(value)})`);
}

/**
 * A true/false parameter, or `fail` naming the parameter and the value. An expression may give it as text
 * (`{{ $json.flag }}` from a sheet: "false"), which as a JavaScript value would read as true: "true" and
 * "false" (any case) are read as such; anything else is refused rather than guessed. Missing: `fallback`.
 */
export function booleanParameter(label: string, value: unknown, fallback: boolean, fail: (message: string) => never): boolean {
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	return fail(`${label} must be true or false (got ${describeValue(value)})`);
}

/** "must be one of "a", "b"": why a value is refused where a parameter offers these values (options). */
export function mustBeOneOf(allowed: readonly unknown[]): string {
	return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
}

/**
 * `value` when it is one of `allowed`, or `fail` with the one sentence every options parameter uses:
 * `Revenue Basis must be one of "net", "gross" (got "Gross")`. `ignoreCase` only where other cases are
 * documented aliases ("EMAIL" for a cap channel): the allowed spelling is returned.
 */
export function oneOfParameter<T>(label: string, allowed: readonly T[], value: unknown, fail: (message: string) => never, ignoreCase = false): T {
	const text = ignoreCase && typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	const at = allowed.findIndex((v) => v === value || (text !== undefined && typeof v === 'string' && v.toLowerCase() === text));
	if (at >= 0) return allowed[at];
	return fail(`${label} ${mustBeOneOf(allowed)} (got ${describeValue(value)})`);
}

/**
 * The options (or multiOptions) property at `path` in `properties` (an operation's description): a
 * parameter's name, or a path into a collection ("trainOptions.classWeighting") or into a fixedCollection
 * ("frequencyCaps.caps.channel").
 */
export function optionsProperty(properties: readonly INodeProperties[], path: string): INodeProperties {
	const [name, ...inner] = path.split('.');
	const property = properties.find(
		(p) => p.name === name && (inner.length > 0 ? p.type === 'collection' || p.type === 'fixedCollection' : p.type === 'options' || p.type === 'multiOptions'),
	);
	if (property && inner.length === 0) return property;
	if (property?.type === 'collection') return optionsProperty(property.options as INodeProperties[], inner.join('.'));
	if (property?.type === 'fixedCollection') {
		const [group, ...rest] = inner;
		const values = (property.options as INodePropertyCollection[]).find((g) => g.name === group)?.values ?? [];
		return optionsProperty(values, rest.join('.'));
	}
	throw new Error(`"${path}" is not an options parameter of this operation`);
}

/**
 * A value of the options property at `path` (see optionsProperty), checked against the property's own
 * options, or `fail` naming the parameter, the values allowed and the value given. An expression can give
 * any text ("days" for "purchaseDays", "Gross" for "gross"), which would otherwise be taken for another
 * option or fail deep inside. Missing (an option left out of a collection): the property's default. A
 * multiOptions value is a list (one value alone is a list of one), each value checked.
 */
export function checkOption<T>(properties: readonly INodeProperties[], path: string, value: unknown, fail: (message: string) => never): T {
	const property = optionsProperty(properties, path);
	const allowed = (property.options ?? []).flatMap((option) => ('value' in option ? [option.value] : []));
	const given: unknown = value === undefined ? property.default : value;
	if (property.type !== 'multiOptions') return oneOfParameter(property.displayName, allowed, given, fail) as T;
	return (Array.isArray(given) ? given : [given]).map((v: unknown) => oneOfParameter(property.displayName, allowed, v, fail)) as T;
}

/**
 * An option read from inside a collection or fixedCollection (Options, Tree Options, a frequency cap, a
 * signal), checked by checkOption; a wrong one fails the node, its message after `prefix` ("Signal 1: "),
 * with `hint` as the error's description.
 */
export function collectionOption<T>(
	ctx: IExecuteFunctions,
	properties: readonly INodeProperties[],
	path: string,
	value: unknown,
	prefix = '',
	hint?: string,
): T {
	return checkOption<T>(properties, path, value, (message) => {
		throw new NodeOperationError(ctx.getNode(), `${prefix}${message}`, hint ? { description: hint } : {});
	});
}

/** checkOption of a node parameter, read through `read(fallback)`; a wrong value fails the node naming it. */
function readOption<T>(node: INode, properties: readonly INodeProperties[], name: string, read: (fallback: unknown) => unknown): T {
	return checkOption<T>(properties, name, read(optionsProperty(properties, name).default), (message) => {
		throw new NodeOperationError(node, message);
	});
}

/** The value of an options parameter (of the first item), checked by checkOption; a wrong one fails the node. */
export function optionParameter<T extends string>(ctx: IExecuteFunctions, properties: readonly INodeProperties[], name: string): T {
	return readOption<T>(ctx.getNode(), properties, name, (fallback) => ctx.getNodeParameter(name, 0, fallback));
}

/** optionParameter for a trigger's webhook(), which reads parameters without an item. */
export function webhookOptionParameter<T>(ctx: IWebhookFunctions, properties: readonly INodeProperties[], name: string): T {
	return readOption<T>(ctx.getNode(), properties, name, (fallback) => ctx.getNodeParameter(name, fallback));
}

/** A true/false node parameter (see booleanParameter); a bad value fails the node naming it. */
export function readBooleanParameter(ctx: IExecuteFunctions, name: string, label: string, fallback: boolean): boolean {
	return booleanParameter(label, ctx.getNodeParameter(name, 0, fallback), fallback, (message) => {
		throw new NodeOperationError(ctx.getNode(), message);
	});
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

/** One operation of a node: its parameters and its execute (see actions/<op>.operation.ts). */
export interface OperationModule<R> {
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<R>;
}

export interface RouteOptions {
	/** How many outputs the node has for an operation (the failed-input item goes to the last). */
	outputs: (operation: string) => number;
	/** Output index for the error item of a whole-input failure under Continue On Fail (default 0). */
	failedOutput?: (operation: string) => number;
	/** Turns engine errors of a node into clearer node errors (default: toNodeError). */
	describe?: (node: INode, error: unknown) => NodeOperationError;
}

/**
 * Runs the selected operation. A failure that concerns the whole input (a bad parameter, an unreachable
 * ledger, a model that cannot be used) fails the node, or with Continue On Fail becomes one error item
 * paired with every input item. Item-level problems are handled inside the operations.
 */
export async function routeOperation(
	ctx: IExecuteFunctions,
	operations: Record<string, OperationModule<INodeExecutionData[][]>>,
	options: RouteOptions,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	// Own names only: a stored "constructor" or "toString" is no operation (it would fail as "reading 'call'").
	const operation = oneOfParameter('Operation', Object.keys(operations), ctx.getNodeParameter('operation', 0), (message) => {
		throw new NodeOperationError(ctx.getNode(), message);
	});
	const op = operations[operation];
	try {
		return pairEmptySummaries(await op.execute.call(ctx, items), items.length);
	} catch (error) {
		const nodeError = (options.describe ?? toNodeError)(ctx.getNode(), error);
		if (!ctx.continueOnFail()) throw nodeError;
		const outputs: INodeExecutionData[][] = Array.from({ length: options.outputs(operation) }, () => []);
		if (error instanceof AllItemsRefusedError) outputs[options.failedOutput?.(operation) ?? 0].push(...error.errorItems);
		outputs[options.failedOutput?.(operation) ?? 0].push({
			json: { error: nodeError.message },
			pairedItem: pairedAll(items.map((_, i) => i)),
		});
		return outputs;
	}
}

/**
 * A summary of no input items (a segment nobody is in, a report when every item was refused) is a
 * statement about the whole input: it is paired with every input item. n8n treats an empty pairedItem
 * list as missing, and `$('Node').item` would fail on it.
 */
function pairEmptySummaries(outputs: INodeExecutionData[][], inputCount: number): INodeExecutionData[][] {
	for (const output of outputs) {
		for (const item of output) {
			if (Array.isArray(item.pairedItem) && item.pairedItem.length === 0) item.pairedItem = pairedAll(Array.from({ length: inputCount }, (_, i) => i));
		}
	}
	return outputs;
}

/** Adapts an operation that fills a single output (returns its items) to {@link routeOperation}. */
export function singleOutput(op: OperationModule<INodeExecutionData[]>): OperationModule<INodeExecutionData[][]> {
	return {
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return [await op.execute.call(this, items)];
		},
	};
}

/**
 * A string parameter naming the item field that holds something (customer id, date, amount…), shown for
 * the given operations (and, optionally, further display conditions).
 */
export function fieldProperty(
	operations: string[],
	name: string,
	displayName: string,
	defaultField: string,
	description: string,
	required = true,
	extraShow: Record<string, string[]> = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: defaultField,
		required,
		description,
		displayOptions: { show: { operation: operations, ...extraShow } },
	};
}
