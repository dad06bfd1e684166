/** The Retention Trigger's parameters. Names are read by ./settings.ts. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { timeZoneProperty } from '../shared/node';
import { EVENT_TYPES, type EventType } from '../engine/trigger/events';
import { DEFAULT_SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECONDS } from '../engine/trigger/signature';

const EVENT_TYPE_LABELS: Record<EventType, { name: string; description: string }> = {
	complaint: { name: 'Complaint (投诉)', description: 'A complaint was filed; data: summary, severity, channel, category, orderId' },
	cancellation_request: {
		name: 'Cancellation Request (退订申请)',
		description: 'The customer asked to cancel; data: reason, subscriptionId, plan, effectiveAt',
	},
	payment_failed: {
		name: 'Payment Failed (扣款失败)',
		description: 'A payment failed; data: amount, currency, invoiceId, failureReason, attempt, nextRetryAt',
	},
	nps_response: { name: 'NPS Response (NPS 评分)', description: 'An NPS answer arrived; data: score 0–10, comment, surveyId' },
	usage_drop: {
		name: 'Usage Drop (使用量下降)',
		description: 'Usage fell; data: metric, previousValue, currentValue, period',
	},
	renewal_due: { name: 'Renewal Due (即将续费)', description: 'A renewal is coming; data: renewalDate, plan, amount, currency' },
	custom: { name: 'Custom (自定义)', description: 'Any other event; data: any object' },
};

const eventTypeOptions: INodePropertyOptions[] = EVENT_TYPES.map((type) => ({ value: type, ...EVENT_TYPE_LABELS[type] }));

const signed = { signing: ['signed'] };
const generic = { preset: ['generic'] };
const jiandaoyun = { preset: ['jiandaoyun'] };

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: 'retention-events',
		required: true,
		description:
			'The URL path the sender posts to: the production URL is your n8n address followed by /webhook/ and this path. Use a different path for each Retention Trigger.',
	},
	{
		displayName: 'Sender',
		name: 'preset',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Generic JSON Sender',
				value: 'generic',
				description: 'Your own system posts the JSON event described in the documentation, signed with HMAC-SHA256',
			},
			{
				name: 'Jiandaoyun Data Push (简道云数据推送)',
				value: 'jiandaoyun',
				description: 'A Jiandaoyun form pushes its records; its own signature is checked, and a repeated push (same signed body) is recognised',
			},
		],
		default: 'generic',
	},
	{
		displayName: 'Signing',
		name: 'signing',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Require a Valid Signature', value: 'signed', description: 'Only requests signed with your secret start the workflow' },
			{ name: 'No Signature (Testing Only)', value: 'unsigned', description: 'Anyone who knows the URL can start the workflow' },
		],
		default: 'signed',
	},
	{
		displayName:
			'Warning: without a signature, anyone who finds this URL can start your care workflow with made-up customers and events. Use this only for a first test, never in production.',
		name: 'unsignedWarning',
		type: 'notice',
		default: '',
		displayOptions: { show: { signing: ['unsigned'] } },
	},
	{
		displayName: 'Signature Format',
		name: 'signatureFormat',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Header With Timestamp and Signature',
				value: 'combined',
				description: 'Timestamp and HMAC-SHA256 in one header, as in X-Retention-Signature: t=1737168000,v1=5f2b…',
			},
			{
				name: 'Two Headers: Signature and Timestamp',
				value: 'separate',
				description: 'The hex HMAC-SHA256 in one header, the Unix timestamp in another',
			},
		],
		default: 'combined',
		displayOptions: { show: { ...signed, ...generic } },
	},
	{
		displayName: 'Signature Header',
		name: 'signatureHeader',
		type: 'string',
		default: DEFAULT_SIGNATURE_HEADER,
		description: 'Name of the header that carries the signature (upper or lower case does not matter)',
		displayOptions: { show: { ...signed, ...generic } },
	},
	{
		displayName: 'Timestamp Key',
		name: 'timestampKey',
		type: 'string',
		default: 't',
		description: 'Key of the timestamp inside the signature header (t in t=…,v1=…)',
		displayOptions: { show: { ...signed, ...generic, signatureFormat: ['combined'] } },
	},
	{
		displayName: 'Signature Key',
		name: 'signatureKey',
		type: 'string',
		default: 'v1',
		description: 'Key of the signature inside the signature header (v1 in t=…,v1=…); it may appear several times',
		displayOptions: { show: { ...signed, ...generic, signatureFormat: ['combined'] } },
	},
	{
		displayName: 'Timestamp Header',
		name: 'timestampHeader',
		type: 'string',
		default: 'X-Retention-Timestamp',
		description: 'Name of the header that carries the Unix timestamp in seconds',
		displayOptions: { show: { ...signed, ...generic, signatureFormat: ['separate'] } },
	},
	{
		displayName: 'Tolerance (Seconds)',
		name: 'toleranceSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 86400 },
		default: DEFAULT_TOLERANCE_SECONDS,
		description:
			'How far the signed timestamp may be from this server\'s clock. Older requests are refused as possible replays.',
		displayOptions: { show: signed },
	},
	{
		displayName: 'Event Types Accepted',
		name: 'eventTypes',
		type: 'multiOptions',
		options: eventTypeOptions,
		default: [...EVENT_TYPES],
		description: 'Events of other types are refused with 400',
		displayOptions: { show: generic },
	},
	{
		displayName: 'Event Type of This Form',
		name: 'jiandaoyunEventType',
		type: 'options',
		options: eventTypeOptions,
		default: 'complaint',
		description:
			'Every record this form pushes becomes an event of this type. Give the form fields the aliases the type uses (for NPS: score, comment).',
		displayOptions: { show: jiandaoyun },
	},
	{
		displayName: 'Customer ID Field',
		name: 'jiandaoyunCustomerIdField',
		type: 'string',
		default: 'customer_id',
		description: 'Alias (or _widget_ ID) of the form field that holds the customer ID',
		displayOptions: { show: jiandaoyun },
	},
	{
		displayName: 'Pushes That Start the Workflow',
		name: 'jiandaoyunOperations',
		type: 'multiOptions',
		options: [
			{ name: 'New Record', value: 'data_create', description: 'Jiandaoyun push data_create' },
			{ name: 'Record Changed', value: 'data_update', description: 'Jiandaoyun push data_update' },
			{ name: 'Record Deleted', value: 'data_remove', description: 'Jiandaoyun push data_remove' },
			{ name: 'Record Restored', value: 'data_recover', description: 'Jiandaoyun push data_recover' },
		],
		default: ['data_create'],
		description: 'Other pushes are answered 200 and ignored',
		displayOptions: { show: jiandaoyun },
	},
	{
		displayName: 'Max Body Size (KB)',
		name: 'maxBodyKilobytes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 16384 },
		default: 256,
		description: 'Larger requests are refused with 413 before anything else is read',
	},
	{
		displayName: 'Ignore Repeated Events',
		name: 'deduplicate',
		type: 'boolean',
		default: true,
		description:
			'Whether an event ID that was already accepted is answered 200 (duplicate) without starting the workflow again. Senders retry, so keep this on.',
	},
	{
		displayName: 'Repeated Events',
		name: 'repeatedEvents',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Workflow Storage (Best Effort, One Process)',
				value: 'workflowStorage',
				description:
					"Zero setup: accepted event IDs are kept in this workflow's own storage (the last 10,000, for 30 days). Best effort, on one n8n process only.",
			},
			{
				name: 'Shared Ledger (PostgreSQL or Redis, Exact)',
				value: 'sharedLedger',
				description:
					'Exact under simultaneous requests, across n8n processes and in queue mode; the care ledger shared with Care Action. Needs a Retention Ledger credential.',
			},
		],
		default: 'workflowStorage',
		description: 'Where accepted event IDs are remembered to recognise a repeated event',
		displayOptions: { show: { deduplicate: [true] } },
	},
	{
		displayName:
			"This workflow's storage is saved by n8n after answering: a copy arriving within moments of the first, or on another n8n process, can start again. For exactly once, choose Shared Ledger.",
		name: 'deduplicationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { deduplicate: [true], repeatedEvents: ['workflowStorage'] } },
	},
	{
		displayName: 'Ledger Name',
		name: 'ledgerName',
		type: 'string',
		default: 'care_ledger',
		description:
			'Table prefix (PostgreSQL) or key prefix (Redis). The same name as in Care Action uses the same ledger. Letters, digits and underscores.',
		displayOptions: { show: { deduplicate: [true], repeatedEvents: ['sharedLedger'] } },
	},
	{
		...timeZoneProperty,
		description:
			'IANA time zone in which dates without an offset (2025-01-18 10:30, 2025年1月18日) are read. Empty: the workflow time zone.',
	},
];
