/**
 * Where the trigger remembers accepted event ids.
 *
 * - The shared care ledger (PostgreSQL / Redis, see CareAction/ledger): `claimOnce` is atomic, so it
 *   is exact under simultaneous requests, across n8n processes and in queue mode.
 * - Otherwise the workflow's static data. n8n gives webhook methods no access to its de-duplication
 *   table (`checkProcessedAndRecord` exists only for executing nodes, not in n8n-core 2.41's
 *   WebhookContext), and static data is saved after the webhook call, last writer wins: a redelivery
 *   handled before the previous save completes is not recognised. Best effort only.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { openPostgresLedger } from '../CareAction/ledger/postgres';
import { openRedisLedger } from '../CareAction/ledger/redis';
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

export interface LedgerConnection {
	backend: 'postgres' | 'redis';
	host: string;
	/** 0: the backend's usual port. */
	port: number;
	database: string;
	user: string;
	password: string;
	ssl: 'disable' | 'require' | 'verify-full';
	ledgerName: string;
}

export async function openTriggerLedger(c: LedgerConnection): Promise<CareLedger> {
	if (c.backend === 'postgres') {
		return await openPostgresLedger({
			host: c.host,
			port: c.port || 5432,
			database: c.database || 'postgres',
			user: c.user || 'postgres',
			password: c.password || undefined,
			ssl: c.ssl,
			tablePrefix: c.ledgerName,
		});
	}
	return await openRedisLedger({
		host: c.host,
		port: c.port || 6379,
		database: c.database === '' ? 0 : Number(c.database),
		user: c.user || undefined,
		password: c.password || undefined,
		ssl: c.ssl !== 'disable',
		keyPrefix: c.ledgerName,
	});
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
