/**
 * Record Outcome: what happened after a decision (sent, delivered, failed, opened, clicked, converted,
 * opted out, bounced), stored against its idempotency key. Repeated reports (webhook retries) are
 * recognised (`isNew: false`); "opted out" also records the opt-out so later decisions respect it.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customerHash } from '../../engine/care/decide';
import { OUTCOME_EVENTS, type OptOutRecord, type OutcomeEvent, type OutcomeRecord } from '../../engine/care/types';
import { ZonedCalendar } from '../../shared/dates';
import { getField, InputError, isMissing, readAll, readId, readOptionalDate, readString, type Json } from '../../shared/fields';
import { handleInputErrors, optionParameter } from '../../shared/node';
import { openLedger } from '../ledger';
import { ledgerParameters, optOutChannel, optOutTopic } from './common';

const show = { show: { operation: ['recordOutcome'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Idempotency Key Field',
		name: 'idempotencyKeyField',
		type: 'string',
		default: 'care.idempotencyKey',
		required: true,
		displayOptions: show,
		description: 'Field with the idempotency key the Decide operation gave the item',
	},
	{
		displayName: 'Outcome',
		name: 'outcome',
		type: 'options',
		displayOptions: show,
		options: [
			{ name: 'Bounced', value: 'bounced' },
			{ name: 'Clicked', value: 'clicked' },
			{ name: 'Converted', value: 'converted' },
			{ name: 'Delivered', value: 'delivered' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'From a Field', value: 'fromField' },
			{ name: 'Opened', value: 'opened' },
			{ name: 'Opted Out', value: 'optedOut' },
			{ name: 'Sent', value: 'sent' },
		],
		default: 'sent',
	},
	{
		displayName: 'Outcome Field',
		name: 'outcomeField',
		type: 'string',
		default: 'outcome',
		displayOptions: { show: { operation: ['recordOutcome'], outcome: ['fromField'] } },
		description: 'Field with one of: sent, delivered, failed, opened, clicked, converted, optedOut, bounced',
	},
	{
		displayName: 'Occurred At Field',
		name: 'occurredAtField',
		type: 'string',
		default: '',
		displayOptions: show,
		description: 'Field with when it happened (any accepted date form). Empty: now.',
	},
];

const EVENT_BY_WORD = new Map<string, OutcomeEvent>(OUTCOME_EVENTS.map((e) => [e.toLowerCase(), e]));
EVENT_BY_WORD.set('optout', 'optedOut');
EVENT_BY_WORD.set('unsubscribed', 'optedOut');

function readEvent(json: Json, field: string, itemIndex: number): OutcomeEvent {
	const raw = readString(json, field, itemIndex);
	const event = EVENT_BY_WORD.get(raw.toLowerCase().replace(/[\s_-]/g, ''));
	if (!event) throw new InputError(itemIndex, field, raw, `is not an outcome (${OUTCOME_EVENTS.join(', ')})`);
	return event;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { backend, name } = ledgerParameters(this);
	const keyField = String(this.getNodeParameter('idempotencyKeyField', 0, 'care.idempotencyKey'));
	// Exactly one of the options: "Opened" or "field" would be stored as an outcome no report knows.
	const fixed = optionParameter<OutcomeEvent | 'fromField'>(this, description, 'outcome');
	const outcomeField = String(this.getNodeParameter('outcomeField', 0, 'outcome'));
	const atField = String(this.getNodeParameter('occurredAtField', 0, '')).trim();
	const calendar = new ZonedCalendar('UTC');
	const now = Date.now();

	const read = readAll(items, (json, i) => {
		const key = readId(json, keyField, i);
		const event = fixed === 'fromField' ? readEvent(json, outcomeField, i) : fixed;
		const at = atField ? readOptionalDate(json, atField, i, calendar) ?? now : now;
		let optOut: OptOutRecord | undefined;
		if (event === 'optedOut') {
			// The opt-out applies to the channel and topic of the decision the item came from.
			const customer = getField(json, 'care.customerId');
			const channel = getField(json, 'care.channel');
			if (isMissing(customer) || isMissing(channel)) {
				throw new InputError(i, 'care.customerId', undefined, 'and care.channel are needed to record an opt-out (pass the Decide item through)');
			}
			// Compared as Opt Out stores them: "Email"/"Marketing" from a provider's webhook match the playbook.
			optOut = {
				customer: customerHash(readId(json, 'care.customerId', i)),
				channel: optOutChannel(channel, i, 'care.channel'),
				topic: optOutTopic(getField(json, 'care.topic'), i, 'care.topic'),
				at,
			};
		}
		return { outcome: { key, event, at } as OutcomeRecord, optOut };
	});
	const errorItems = handleInputErrors(this, read.errors);

	const out: INodeExecutionData[] = [];
	if (read.rows.length > 0) {
		const ledger = await openLedger(this, backend, name);
		try {
			const results = await ledger.recordOutcomes(read.rows.map((r) => r.outcome));
			const optOuts = read.rows.map((r) => r.optOut).filter((o): o is OptOutRecord => o !== undefined);
			if (optOuts.length > 0) await ledger.optOut(optOuts);
			read.rows.forEach((r, j) => {
				const i = read.itemIndexes[j];
				out.push({
					json: {
						...(items[i].json as IDataObject),
						careOutcome: {
							idempotencyKey: r.outcome.key,
							outcome: r.outcome.event,
							at: new Date(r.outcome.at).toISOString(),
							knownDecision: results[j].known,
							isNew: results[j].isNew,
						},
					},
					pairedItem: { item: i },
				});
			});
		} finally {
			await ledger.close();
		}
	}
	return [[...out, ...errorItems]];
}
