/**
 * The embedded ledger through n8n's de-duplication service (the harness store), on the shared
 * conformance cases. Its one documented difference: it remembers counts only through the limits a
 * decision carried (slot keys), so a decision recorded without a cooldown does not count toward a later
 * one — in the node every decision of an action carries the same limits, so this does not arise — and
 * it does not know when a duplicate key was first decided (the store keeps hashes only).
 */
import { DataDeduplicationService } from 'n8n-core';
import type { IDataObject, Workflow } from 'n8n-workflow';

import { openEmbeddedLedger } from '../../../nodes/CareAction/ledger/embedded';
import { useInProcessDeduplication } from '../../harness/deduplication';
import { ledgerConformance, request } from './conformance';
import { uniqueName } from './services';

/** What the embedded ledger needs of an execution context, for one workflow. */
function contextOf(workflowId: string) {
	const workflow = { id: workflowId } as unknown as Workflow;
	return {
		helpers: {
			checkProcessedAndRecord: async (items: string[], scope: 'workflow', options: IDataObject) =>
				await DataDeduplicationService.getInstance().checkProcessedAndRecord(items, scope, { workflow }, options as never),
			removeProcessed: async (items: string[], scope: 'workflow', options: IDataObject) =>
				await DataDeduplicationService.getInstance().removeProcessed(items, scope, { workflow }, options as never),
		},
		getWorkflow: () => ({ id: workflowId }),
	} as never;
}

const workflowId = uniqueName('wf');
const workflow = { id: workflowId } as unknown as Workflow;
const ctx = contextOf(workflowId);

beforeAll(async () => {
	await useInProcessDeduplication();
	// Create the store's row first: concurrent first writers fail in n8n (see embedded.test.ts).
	await DataDeduplicationService.getInstance().checkProcessedAndRecord(['seed'], 'workflow', { workflow }, { mode: 'entries' });
});

const name = uniqueName('embc');
describe('Embedded ledger', () => {
	ledgerConformance(async () => openEmbeddedLedger(ctx, name), {
		countsOnlyCarriedLimits: true,
		knowsPreviousAt: false,
		prunesByAge: false,
	});
});

describe('Embedded ledger, full', () => {
	it('an opt-out recorded first still holds after a million later keys (n8n is not asked to drop old keys)', async () => {
		const ledger = openEmbeddedLedger(contextOf(uniqueName('wf-full')), uniqueName('embf'));
		await ledger.optOut([{ customer: 'first', channel: '*', topic: '*', at: 0 }]);
		const keys = Array.from({ length: 1_000_001 }, (_, i) => `e${i}`);
		expect(await ledger.claimOnce('bulk', keys)).toHaveLength(keys.length);
		const [verdict] = await ledger.decide([request({ key: 'first-1', customer: 'first' })]);
		expect(verdict.status).toBe('optedOut');
	}, 60_000);
});
