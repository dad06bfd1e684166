/** Opens the ledger backend chosen in the node, for one execution. */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { openEmbeddedLedger } from './embedded';
import { openPostgresLedger } from './postgres';
import { openRedisLedger } from './redis';
import type { CareLedger, LedgerBackendName } from './types';

function text(v: unknown, fallback = ''): string {
	return typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v);
}

export async function openLedger(
	ctx: IExecuteFunctions,
	backend: LedgerBackendName,
	name: string,
	batchSize?: number,
): Promise<CareLedger> {
	try {
		return await open(ctx, backend, name, batchSize);
	} catch (error) {
		// Say which ledger could not be reached; credentials are never echoed.
		throw new NodeOperationError(ctx.getNode(), `Cannot open the ${backend} ledger "${name}": ${(error as Error).message}`, {
			description:
				backend === 'embedded'
					? undefined
					: `Check the ${backend === 'postgres' ? 'Postgres' : 'Redis'} credential (host, port, database, user) and that the server is running.`,
		});
	}
}

async function open(ctx: IExecuteFunctions, backend: LedgerBackendName, name: string, batchSize?: number): Promise<CareLedger> {
	if (backend === 'postgres') {
		const c = await ctx.getCredentials('postgres');
		return await openPostgresLedger({
			host: text(c.host, 'localhost'),
			port: Number(c.port ?? 5432),
			database: text(c.database, 'postgres'),
			user: text(c.user, 'postgres'),
			password: text(c.password) || undefined,
			ssl: typeof c.ssl === 'string' || typeof c.ssl === 'boolean' ? c.ssl : 'disable',
			allowUnauthorizedCerts: c.allowUnauthorizedCerts === true,
			tablePrefix: name,
			batchSize,
		});
	}
	if (backend === 'redis') {
		const c = await ctx.getCredentials('redis');
		return await openRedisLedger({
			host: text(c.host, 'localhost'),
			port: Number(c.port ?? 6379),
			password: text(c.password) || undefined,
			user: text(c.user) || undefined,
			database: Number(c.database ?? 0),
			ssl: c.ssl === true,
			keyPrefix: name,
			batchSize,
		});
	}
	return openEmbeddedLedger(ctx, name);
}
