/**
 * Where the trigger remembers accepted event ids.
 *
 * - The shared care ledger (PostgreSQL / Redis, see CareAction/ledger, opened with the Retention Ledger
 *   credential by `openLedgerFromCredential`): `claimOnce` is atomic, so it is exact under simultaneous
 *   requests, across n8n processes and in queue mode.
 * - Otherwise the workflow's static data. n8n gives webhook methods no access to its de-duplication
 *   table (`checkProcessedAndRecord` exists only for executing nodes, not in n8n-core 2.41's
 *   WebhookContext), and static data is saved after the webhook call, last writer wins: a redelivery
 *   handled before the previous save completes is not recognised. Best effort only.
 */
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import { openLedgerFromCredential } from '../CareAction/ledger';
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

/** The shared ledger chosen in the node: its Retention Ledger credential and the ledger name. */
export interface SharedLedger {
	credential: ICredentialDataDecryptedObject;
	/** Table prefix (PostgreSQL) or key prefix (Redis), as Care Action's Ledger Name. */
	name: string;
}

/** Opens the shared ledger exactly as Care Action does (same credential mapping, same tables/keys). */
export async function openTriggerLedger(ledger: SharedLedger): Promise<CareLedger> {
	return await openLedgerFromCredential(ledger.credential, ledger.name);
}

/**
 * Claims in the shared ledger, in a namespace per workflow and trigger node. The connection is opened
 * only when a request has passed every other check (forged or malformed requests never reach the
 * database), and closed by `close()` at the end of the request.
 */
export function sharedLedgerClaims(open: () => Promise<CareLedger>, namespace: string) {
	let ledger: CareLedger | undefined;
	return {
		async claim(key: string): Promise<boolean> {
			ledger ??= await open();
			const fresh = await ledger.claimOnce(namespace, [key]);
			return fresh.includes(key);
		},
		async close(): Promise<void> {
			await ledger?.close();
		},
	};
}
