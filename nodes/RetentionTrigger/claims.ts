/**
 * Where the trigger remembers accepted event ids.
 *
 * n8n gives webhook methods no access to its de-duplication table (`checkProcessedAndRecord` exists
 * only for nodes that execute, not in `IWebhookFunctions` — n8n-core 2.41 WebhookContext), so the
 * embedded store here is the workflow's static data, which n8n saves after each production webhook
 * call. It is exact for one instance taking requests one at a time; concurrent copies of an event can
 * both pass (static data is last-writer-wins). A shared ledger (PostgreSQL / Redis) closes that gap:
 * {@link ledgerClaims} adapts the care ledger's atomic `claimOnce` to the trigger.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { openLedger } from '../CareAction/ledger';
import type { CareLedger } from '../CareAction/ledger/types';
import type { DeliveryClaims } from '../engine/trigger/admission';
import { claimDelivery, recentDeliveriesIn } from '../engine/trigger/recentDeliveries';

export function workflowClaims(ctx: IWebhookFunctions, nowMs: number): DeliveryClaims {
	return {
		async claim(key) {
			const staticData = ctx.getWorkflowStaticData('node');
			return claimDelivery(recentDeliveriesIn(staticData), key, nowMs);
		},
	};
}

/** The care ledger's claimOnce as trigger claims, in a namespace of its own per workflow and node. */
export function ledgerClaims(ledger: CareLedger, namespace: string): DeliveryClaims {
	return {
		async claim(key) {
			const fresh = await ledger.claimOnce(namespace, [key]);
			return fresh.includes(key);
		},
	};
}

export type ServerLedger = 'postgres' | 'redis';

/**
 * Claims in the shared PostgreSQL / Redis ledger. The connection is opened only when a request has
 * passed every other check (rejected requests never reach the database) and closed by `close()`.
 */
export function sharedLedgerClaims(ctx: IWebhookFunctions, backend: ServerLedger, ledgerName: string) {
	let ledger: CareLedger | undefined;
	const namespace = `retention-trigger:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	return {
		async claim(key: string) {
			// openLedger reads only the postgres / redis credential from its context for these two
			// backends, which a webhook context provides; the embedded backend is never asked for here.
			ledger ??= await openLedger(ctx as unknown as IExecuteFunctions, backend, ledgerName);
			return await ledgerClaims(ledger, namespace).claim(key);
		},
		async close() {
			await ledger?.close();
		},
	};
}
