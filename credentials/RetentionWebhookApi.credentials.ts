import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The signing secret(s) of the Retention Trigger. Two fields so a secret can be replaced without
 * losing events: put the new secret in "Current", the old one in "Previous", switch the sender over,
 * then clear "Previous". The secrets never leave n8n: they only verify incoming signatures, so the
 * credential is checked locally by the node (testedBy) rather than against a remote service.
 *
 * Optionally it also names the shared care ledger (PostgreSQL or Redis, the same database and ledger
 * name as in Care Action) where accepted event ids are claimed atomically. The connection lives here
 * because a community node may only use credential types of its own package.
 */
export class RetentionWebhookApi implements ICredentialType {
	name = 'retentionWebhookApi';

	displayName = 'Retention Webhook Signing API';

	documentationUrl = 'https://github.com/n8n-nodes-retention/n8n-nodes-retention/blob/main/README.md#retention-trigger';

	icon: Icon = { light: 'file:retentionWebhookApi.svg', dark: 'file:retentionWebhookApi.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Current Signing Secret',
			name: 'currentSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret the sender signs with (at least 16 characters). Generate one with: openssl rand -hex 32.',
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while replacing the secret: the old one, still accepted until every sender uses the current one. Leave empty otherwise.',
		},
		{
			displayName: 'Repeated Events Ledger',
			name: 'ledgerBackend',
			type: 'options',
			options: [
				{ name: 'None (Workflow Storage, Best Effort)', value: 'none' },
				{ name: 'PostgreSQL', value: 'postgres' },
				{ name: 'Redis', value: 'redis' },
			],
			default: 'none',
			description:
				'Where accepted event IDs are remembered. PostgreSQL or Redis (the care ledger shared with Care Action) is exact under simultaneous requests and in queue mode.',
		},
		{
			displayName: 'Host',
			name: 'ledgerHost',
			type: 'string',
			default: 'localhost',
			displayOptions: { show: { ledgerBackend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'Port',
			name: 'ledgerPort',
			type: 'number',
			default: 0,
			description: '0: the usual port (5432 for PostgreSQL, 6379 for Redis)',
			displayOptions: { show: { ledgerBackend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'Database',
			name: 'ledgerDatabase',
			type: 'string',
			default: '',
			description: 'PostgreSQL: database name (empty: postgres). Redis: database number (empty: 0).',
			displayOptions: { show: { ledgerBackend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'User',
			name: 'ledgerUser',
			type: 'string',
			default: '',
			displayOptions: { show: { ledgerBackend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'Password',
			name: 'ledgerPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { ledgerBackend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'SSL',
			name: 'ledgerSsl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Require', value: 'require' },
				{ name: 'Verify Certificate', value: 'verify-full' },
			],
			default: 'disable',
			displayOptions: { show: { ledgerBackend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'Ledger Name',
			name: 'ledgerName',
			type: 'string',
			default: 'care_ledger',
			description:
				'Table prefix (PostgreSQL) or key prefix (Redis): the same name as in Care Action uses the same ledger. Letters, digits and underscores.',
			displayOptions: { show: { ledgerBackend: ['postgres', 'redis'] } },
		},
	];
}
