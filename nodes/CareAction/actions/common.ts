/** Parameters every operation shares: which ledger, and its name. */
import type { INodeProperties } from 'n8n-workflow';

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
					"Zero setup: n8n's own de-duplication store. Per workflow, fixed time buckets, exact only within one n8n process — see the docs.",
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
