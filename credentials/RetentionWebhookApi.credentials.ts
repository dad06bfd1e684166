import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The signing secret(s) of the Retention Trigger. Two fields so a secret can be replaced without
 * losing events: put the new secret in "Current", the old one in "Previous", switch the sender over,
 * then clear "Previous". The secrets never leave n8n: they only verify incoming signatures, so the
 * credential is checked locally by the node (testedBy) rather than against a remote service.
 *
 * Only the secrets: the database where repeated events are detected exactly (PostgreSQL or Redis) is
 * the Retention Ledger credential shared with Care Action, chosen in the node's "Repeated Events"
 * parameter, so a database is configured once for both nodes.
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
				'Only while replacing the secret: the old one (at least 16 characters), still accepted until every sender uses the current one. Leave empty otherwise.',
		},
	];
}
