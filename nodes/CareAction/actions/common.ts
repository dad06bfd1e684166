/** Parameters every operation shares: which ledger, and its name. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/fields';
import { mustBeOneOf, optionParameter } from '../../shared/node';
import type { LedgerBackendName } from '../ledger/types';

export const ledgerProperties: INodeProperties[] = [
	{
		displayName: 'Ledger',
		name: 'ledger',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Embedded',
				value: 'embedded',
				description:
					"Zero setup: n8n's own de-duplication store. Per workflow, rolling windows counted in quarter hours (may hold up to 15 min longer), exact only within one n8n process — see the docs.",
			},
			{
				name: 'PostgreSQL',
				value: 'postgres',
				description:
					'Exact caps and idempotency across executions and queue-mode workers; tables are created if missing. Needs a Retention Ledger credential.',
			},
			{
				name: 'Redis',
				value: 'redis',
				description:
					'Exact caps and idempotency across executions and queue-mode workers (single Redis, not Cluster). Needs a Retention Ledger credential.',
			},
		],
		default: 'embedded',
		description: 'Where decisions, opt-outs and outcomes are recorded. Flows that share a ledger share its caps.',
	},
	{
		displayName: 'Ledger Name',
		name: 'ledgerName',
		type: 'string',
		default: 'care_ledger',
		description:
			'Table prefix (PostgreSQL) or key prefix (Redis). Flows using the same name share caps, opt-outs and idempotency keys. Letters, digits and underscores.',
	},
];

export function ledgerName(value: unknown): string {
	const s = typeof value === 'string' ? value.trim() : '';
	return s === '' ? 'care_ledger' : s;
}

/**
 * The Ledger and Ledger Name of an operation, read before any item: a Ledger that is none of the options
 * ("Embedded" in a workflow's JSON) is refused naming it, instead of asking for a credential.
 */
export function ledgerParameters(ctx: IExecuteFunctions): { backend: LedgerBackendName; name: string } {
	return {
		backend: optionParameter<LedgerBackendName>(ctx, ledgerProperties, 'ledger'),
		name: ledgerName(ctx.getNodeParameter('ledgerName', 0, 'care_ledger')),
	};
}

/** What a customer can opt out of: every channel (*) or one that sends messages. */
const OPT_OUT_CHANNELS = ['*', 'email', 'sms', 'webhook', 'wecom'];

/**
 * The channel of an opt-out, in the form the ledger compares (lower case: "EMAIL" from an expression or a
 * provider webhook is "email"). CRM tasks and `none` send nothing to the customer: an opt-out reported
 * against one applies to every channel. Anything else is an item error naming the field and value, worded
 * as every options parameter words it ("must be one of …").
 */
export function optOutChannel(raw: unknown, itemIndex: number, field: string): string {
	const channel = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
	if (channel === 'crmtask' || channel === 'none') return '*';
	if (!OPT_OUT_CHANNELS.includes(channel)) throw new InputError(itemIndex, field, raw, mustBeOneOf(OPT_OUT_CHANNELS));
	return channel;
}

/** The topic of an opt-out, lower case like the playbook's topics ("Marketing" covers "marketing"); empty: every topic. */
export function optOutTopic(raw: unknown, itemIndex: number, field: string): string {
	if (raw === undefined || raw === null) return '*';
	if (typeof raw !== 'string' || raw.includes('\u0000')) throw new InputError(itemIndex, field, raw, 'is not a topic (text such as marketing, or *)');
	return raw.trim().toLowerCase() || '*';
}
