import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * Where the shared ledger lives when it must be exact across parallel executions and queue-mode workers:
 * a PostgreSQL database or a Redis server. Care Action records its decisions there, and the Retention
 * Trigger claims event ids there (same ledger name → same tables or keys). A community node may only use credential types of
 * its own package (n8n's no-credential-reuse rule), so this mirrors the fields of n8n's built-in Postgres
 * and Redis credentials. It is checked by opening the ledger (the node's credential test), never by
 * sending the password anywhere else.
 */
export class RetentionLedgerApi implements ICredentialType {
	name = 'retentionLedgerApi';

	displayName = 'Retention Ledger API';

	documentationUrl = 'https://github.com/n8n-nodes-retention/n8n-nodes-retention#care-action';

	icon: Icon = { light: 'file:retentionLedgerApi.svg', dark: 'file:retentionLedgerApi.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Database',
			name: 'backend',
			type: 'options',
			options: [
				{ name: 'PostgreSQL', value: 'postgres' },
				{ name: 'Redis', value: 'redis' },
			],
			default: 'postgres',
		},
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost' },
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
			description: 'PostgreSQL usually 5432, Redis 6379',
		},
		{
			displayName: 'Database Name',
			name: 'database',
			type: 'string',
			default: 'postgres',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Database Number',
			name: 'redisDatabase',
			type: 'number',
			default: 0,
			displayOptions: { show: { backend: ['redis'] } },
		},
		{ displayName: 'User', name: 'user', type: 'string', default: '' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Require', value: 'require' },
				{ name: 'Verify Certificate', value: 'verify-full' },
			],
			default: 'disable',
		},
	];
}
