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
import type { IWebhookFunctions } from 'n8n-workflow';

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
