/**
 * How refund rows are recognised in transactions, written once for every node that reads orders
 * (Retention Metrics' Purchase Behaviour and Cohort Retention, Customer Segments' RFM): negative amounts, a status field with
 * refund values, or no refunds at all (then a negative amount is an item error).
 */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InputError, getField, readNumber, type Json, type NumberRule } from './fields';
import { optionParameter } from './node';

export type RefundMode = 'negativeAmounts' | 'statusField' | 'none';

export interface RefundRule {
	mode: RefundMode;
	statusField: string;
	statuses: Set<string>;
}

/**
 * The Refunds, Status Field and Refund Status Values parameters, shown where `show` says. `activity`: for
 * rows that need no amount (Cohort Retention counts activity): "no refunds" is the default and reads no
 * amount, and negative amounts come with their own Amount Field.
 */
export function refundProperties(show: NonNullable<IDisplayOptions['show']>, activity = false): INodeProperties[] {
	const negative = { name: 'Negative Amounts Are Refunds', value: 'negativeAmounts' };
	const status = { name: 'A Status Field Marks Refunds', value: 'statusField' };
	const mode = { displayName: 'Refunds', name: 'refunds', type: 'options' as const, displayOptions: { show } };
	const purchases: INodeProperties = {
		...mode,
		options: [negative, status, { name: 'No Refunds in the Data (Negative Amount Is an Error)', value: 'none' }],
		default: 'negativeAmounts',
		description: 'How refund rows are recognised. A refund never counts as a purchase.',
	};
	const activityRows: INodeProperties = {
		...mode,
		options: [{ name: 'No Refund Rows in the Data (Every Row Is Activity)', value: 'none' }, negative, status],
		default: 'none',
		description: 'How refund rows are recognised. A refund row is not activity: it neither starts a cohort nor keeps a customer retained.',
	};
	return [
		activity ? activityRows : purchases,
		...(activity
			? [
					{
						displayName: 'Amount Field',
						name: 'amountField',
						type: 'string' as const,
						default: 'amount',
						required: true,
						description: 'Field holding the amount; a negative amount marks a refund row',
						displayOptions: { show: { ...show, refunds: ['negativeAmounts'] } },
					},
				]
			: []),
		{
			displayName: 'Status Field',
			name: 'statusField',
			type: 'string',
			default: 'status',
			required: true,
			description: 'Field whose value marks a refund row',
			displayOptions: { show: { ...show, refunds: ['statusField'] } },
		},
		{
			displayName: 'Refund Status Values',
			name: 'refundStatuses',
			type: 'string',
			default: 'refunded,refund,cancelled,退款',
			description: 'Status values that mark a refund, separated by commas (，、 and semicolons work too); case-insensitive',
			displayOptions: { show: { ...show, refunds: ['statusField'] } },
		},
	];
}

/** Revenue Basis: whether refunds are netted out of revenue or left out of it, shown where `show` says. */
export function revenueBasisProperty(show: NonNullable<IDisplayOptions['show']>): INodeProperties {
	return {
		displayName: 'Revenue Basis',
		name: 'revenueBasis',
		type: 'options',
		options: [
			{ name: 'Net of Refunds', value: 'net' },
			{ name: 'Gross (Refunds Left Out)', value: 'gross' },
		],
		default: 'net',
		displayOptions: { show },
	};
}

/**
 * Separators of the Refund Status Values list: commas, and what a Chinese keyboard types for them (，、),
 * and semicolons. A list typed as "已退款，退款" is two values; read as one, no row would match it and every
 * refund would silently count as a purchase.
 */
const STATUS_SEPARATORS = /[,，、;；]/;

export function readRefundRule(ctx: IExecuteFunctions): RefundRule {
	const mode = optionParameter<RefundMode>(ctx, refundProperties({}), 'refunds');
	if (mode !== 'statusField') return { mode, statusField: '', statuses: new Set() };
	const statusField = ctx.getNodeParameter('statusField', 0) as string;
	const statuses = new Set(
		String(ctx.getNodeParameter('refundStatuses', 0, '') ?? '')
			.split(STATUS_SEPARATORS)
			.map((s) => s.trim().toLowerCase())
			.filter(Boolean),
	);
	if (statuses.size === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Refund Status Values is empty: list the status values that mark a refund (e.g. refunded, 退款)');
	}
	return { mode, statusField, statuses };
}

/**
 * A row's amount and whether the row is a refund. Negative amounts are allowed only where they can be
 * refunds: every row in negative-amounts mode (negative = refund), refund rows in status mode (exports
 * often write a refund as `status: refunded, amount: -30`; its size is what was refunded), none otherwise.
 */
export function readAmount(json: Json, field: string, itemIndex: number, rule: RefundRule): { amount: number; refund: boolean } {
	if (rule.mode === 'negativeAmounts') {
		const amount = readNumber(json, field, itemIndex);
		return { amount, refund: amount < 0 };
	}
	const refund = isRefundByStatus(json, itemIndex, rule);
	const limits: NumberRule = refund ? {} : { min: 0 };
	return { amount: readNumber(json, field, itemIndex, limits), refund };
}

/** Whether the item's status marks it as a refund (status-field mode only). */
export function isRefundByStatus(json: Json, itemIndex: number, rule: RefundRule): boolean {
	if (rule.mode !== 'statusField') return false;
	const status = getField(json, rule.statusField);
	if (status !== undefined && status !== null && typeof status !== 'string') {
		throw new InputError(itemIndex, rule.statusField, status, 'is not text');
	}
	return typeof status === 'string' && rule.statuses.has(status.trim().toLowerCase());
}

/**
 * Whether an activity row (Cohort Retention: no amount needed otherwise) is a refund: its amount is
 * negative (negative-amounts mode, `amountField`) or its status marks one; never in "no refunds" mode.
 */
export function isRefundRow(json: Json, itemIndex: number, rule: RefundRule, amountField: string): boolean {
	if (rule.mode === 'negativeAmounts') return readNumber(json, amountField, itemIndex) < 0;
	return isRefundByStatus(json, itemIndex, rule);
}
