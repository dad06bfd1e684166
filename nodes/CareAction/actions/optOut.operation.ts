/**
 * Opt Out: records that a customer does not want messages on a channel (or any) and topic (or any).
 * With a reply-text field, only replies that mean "unsubscribe" count: TD, T, N, 退订 (China's SMS
 * convention), STOP, UNSUBSCRIBE — so an SMS-reply webhook can be wired straight in.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customerHash } from '../../engine/care/decide';
import type { OptOutRecord } from '../../engine/care/types';
import { getField, readAll, readId } from '../../shared/fields';
import { handleInputErrors } from '../../shared/node';
import { openLedger } from '../ledger';
import { ledgerParameters, optOutChannel, optOutTopic } from './common';

const show = { show: { operation: ['optOut'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Customer ID Field',
		name: 'optOutCustomerIdField',
		type: 'string',
		default: 'customerId',
		required: true,
		displayOptions: show,
	},
	{
		displayName: 'Channel',
		name: 'optOutChannel',
		type: 'options',
		displayOptions: show,
		options: [
			{ name: 'All Channels', value: '*' },
			{ name: 'Email', value: 'email' },
			{ name: 'SMS', value: 'sms' },
			{ name: 'Webhook', value: 'webhook' },
			{ name: 'WeCom', value: 'wecom' },
		],
		default: '*',
	},
	{
		displayName: 'Topic',
		name: 'optOutTopic',
		type: 'string',
		default: '*',
		displayOptions: show,
		description: 'Consent topic such as marketing or service; * = every topic',
	},
	{
		displayName: 'Reply Text Field',
		name: 'replyTextField',
		type: 'string',
		default: '',
		displayOptions: show,
		description:
			'Optional: field with an SMS reply. Only TD, T, N, 退订, STOP, UNSUBSCRIBE (any case) opt out; other replies pass with optedOut false.',
	},
];

const OPT_OUT_WORDS = new Set(['td', 't', 'n', '退订', '退訂', 'stop', 'unsubscribe', 'stopall', 'cancel', 'end', 'quit']);

export function isOptOutReply(text: unknown): boolean {
	return typeof text === 'string' && OPT_OUT_WORDS.has(text.trim().toLowerCase());
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { backend, name } = ledgerParameters(this);
	const idField = String(this.getNodeParameter('optOutCustomerIdField', 0, 'customerId'));
	const replyField = String(this.getNodeParameter('replyTextField', 0, '')).trim();
	const now = Date.now();
	const read = readAll(items, (json, i) => {
		const customerId = readId(json, idField, i);
		const channel = optOutChannel(this.getNodeParameter('optOutChannel', i, '*'), i, 'Channel');
		const topic = optOutTopic(this.getNodeParameter('optOutTopic', i, '*'), i, 'Topic');
		const applies = replyField === '' || isOptOutReply(getField(json, replyField));
		return { record: { customer: customerHash(customerId), channel, topic, at: now } as OptOutRecord, applies };
	});
	const errorItems = handleInputErrors(this, read.errors);
	const toRecord = read.rows.filter((r) => r.applies).map((r) => r.record);
	if (toRecord.length > 0) {
		const ledger = await openLedger(this, backend, name);
		try {
			await ledger.optOut(toRecord);
		} finally {
			await ledger.close();
		}
	}
	const out = read.rows.map((r, j) => {
		const i = read.itemIndexes[j];
		return {
			json: {
				...(items[i].json as IDataObject),
				optOut: { optedOut: r.applies, channel: r.record.channel, topic: r.record.topic },
			},
			pairedItem: { item: i },
		};
	});
	return [[...out, ...errorItems]];
}
