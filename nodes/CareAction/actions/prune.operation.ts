/**
 * Prune Ledger: forgets what a PostgreSQL or Redis ledger recorded more than N days ago, so that a
 * ledger used for years stays small. Removed: decisions (and the cap history they made), outcomes, and
 * the event IDs the Retention Trigger keeps to drop repeated webhooks. Kept: opt-outs, always.
 *
 * What forgetting means: a decision older than N days no longer makes a retry a duplicate, nor counts
 * toward a cap or cooldown; so N should exceed the longest cap window and the longest "Send At Most
 * Once Per" period in use ("Campaign" keys are forgotten too). Each input item runs one prune (usually
 * one item from a Schedule Trigger); the cut-off is taken from the time the item is handled.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MS_PER_DAY } from '../../shared/dates';
import { InputError, readAll } from '../../shared/fields';
import { pick, type Bilingual, type Language } from '../../shared/i18n';
import { getLanguage, handleInputErrors, numbersFromText } from '../../shared/node';
import { openLedger } from '../ledger';
import type { PruneResult } from '../ledger/types';
import { ledgerParameters } from './common';

export const DEFAULT_KEEP_DAYS = 400;
/** A century: beyond it the cut-off date would leave the range dates can be written in. */
const MAX_KEEP_DAYS = 36_500;

const show = { show: { operation: ['prune'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Keep Records For (Days)',
		name: 'keepDays',
		type: 'number',
		default: DEFAULT_KEEP_DAYS,
		typeOptions: { minValue: 1, maxValue: MAX_KEEP_DAYS, numberPrecision: 0 },
		displayOptions: show,
		description:
			'Decisions, outcomes and webhook event IDs older than this are removed; opt-outs are always kept. Make it longer than your longest frequency-cap window and "Send At Most Once Per" period.',
	},
	{
		displayName:
			'Forgotten decisions no longer block a repeat: a customer can get the same campaign again once its decision is older than the days kept.',
		name: 'pruneNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
];

function summary(r: PruneResult, before: string, language: Language): string {
	const text: Bilingual = {
		en: `Removed ${r.decisions} decisions, ${r.outcomes} outcomes and ${r.eventIds} webhook event IDs recorded before ${before}; opt-outs are kept.`,
		zh: `已删除 ${before} 之前记录的 ${r.decisions} 条触达决定、${r.outcomes} 条结果和 ${r.eventIds} 个 Webhook 事件 ID；退订记录保留。`,
	};
	return pick(text, language);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { backend, name } = ledgerParameters(this);
	const language = getLanguage(this);

	const read = readAll(items, (_json, i) => {
		const { keepDays } = numbersFromText({ keepDays: this.getNodeParameter('keepDays', i, DEFAULT_KEEP_DAYS) as unknown });
		if (typeof keepDays !== 'number' || !Number.isInteger(keepDays) || keepDays < 1 || keepDays > MAX_KEEP_DAYS) {
			throw new InputError(i, 'Keep Records For (Days)', keepDays, `must be a whole number of days, at least 1 (at most ${MAX_KEEP_DAYS})`);
		}
		return keepDays;
	});
	const errorItems = handleInputErrors(this, read.errors);

	const out: INodeExecutionData[] = [];
	if (read.rows.length > 0) {
		const ledger = await openLedger(this, backend, name);
		try {
			for (let j = 0; j < read.rows.length; j++) {
				const keepDays = read.rows[j];
				const before = Date.now() - keepDays * MS_PER_DAY;
				const removed = await ledger.prune(before);
				const beforeIso = new Date(before).toISOString();
				const i = read.itemIndexes[j];
				out.push({
					json: {
						...(items[i].json as IDataObject),
						ledgerPrune: {
							backend,
							ledger: name,
							keepDays,
							removedBefore: beforeIso,
							removed: { ...removed },
							summary: summary(removed, beforeIso.slice(0, 10), language),
						},
					},
					pairedItem: { item: i },
				});
			}
		} finally {
			await ledger.close();
		}
	}
	return [[...out, ...errorItems]];
}
