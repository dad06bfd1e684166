/**
 * Opens the ledger backend chosen in the node, for one execution, with the connection details of the
 * package's Retention Ledger credential (community nodes may not reuse n8n's built-in Postgres/Redis
 * credentials, so that credential mirrors their fields). The Retention Trigger opens the same ledger
 * with the same credential through `openLedgerFromCredential`.
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
} from 'n8n-workflow';

import { openEmbeddedLedger } from './embedded';
import { checkPostgres, checkPrefix, openPostgresLedger } from './postgres';
import { checkKeyPrefix, checkRedis, openRedisLedger } from './redis';
import type { CareLedger, LedgerBackendName, PostgresSettings, RedisSettings } from './types';

export const LEDGER_CREDENTIAL = 'retentionLedgerApi';

function text(v: unknown, fallback = ''): string {
	return typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v);
}

export function credentialBackend(c: ICredentialDataDecryptedObject): 'postgres' | 'redis' {
	return c.backend === 'redis' ? 'redis' : 'postgres';
}

/** Throws when the backend of this credential could never use the ledger name (the check it applies on opening). */
export function checkLedgerName(c: ICredentialDataDecryptedObject, name: string): void {
	if (credentialBackend(c) === 'redis') checkKeyPrefix(name);
	else checkPrefix(name);
}

function postgresSettings(c: ICredentialDataDecryptedObject): Omit<PostgresSettings, 'tablePrefix'> {
	return {
		host: text(c.host, 'localhost'),
		port: Number(c.port ?? 5432),
		database: text(c.database, 'postgres'),
		user: text(c.user, 'postgres') || 'postgres',
		password: text(c.password) || undefined,
		ssl: text(c.ssl, 'disable'),
	};
}

function redisSettings(c: ICredentialDataDecryptedObject): Omit<RedisSettings, 'keyPrefix'> {
	const ssl = text(c.ssl, 'disable');
	return {
		host: text(c.host, 'localhost'),
		port: Number(c.port ?? 6379),
		password: text(c.password) || undefined,
		user: text(c.user) || undefined,
		database: Number(c.redisDatabase ?? 0),
		ssl: ssl !== 'disable',
		verifyCertificate: ssl === 'verify-full',
	};
}

/**
 * Opens the ledger `name` (table prefix in PostgreSQL, key prefix in Redis) in the database a Retention
 * Ledger credential describes. The only place that maps the credential's fields to a connection.
 */
export async function openLedgerFromCredential(
	c: ICredentialDataDecryptedObject,
	name: string,
	batchSize?: number,
): Promise<CareLedger> {
	return credentialBackend(c) === 'postgres'
		? await openPostgresLedger({ ...postgresSettings(c), tablePrefix: name, batchSize })
		: await openRedisLedger({ ...redisSettings(c), keyPrefix: name, batchSize });
}

export async function openLedger(
	ctx: IExecuteFunctions,
	backend: LedgerBackendName,
	name: string,
	batchSize?: number,
): Promise<CareLedger> {
	if (backend === 'embedded') return openEmbeddedLedger(ctx, name);
	const c = await ctx.getCredentials(LEDGER_CREDENTIAL);
	if (credentialBackend(c) !== backend) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Retention Ledger credential is for ${credentialBackend(c) === 'redis' ? 'Redis' : 'PostgreSQL'}, but Ledger is set to ${backend === 'redis' ? 'Redis' : 'PostgreSQL'}`,
			{ description: 'Choose the matching Ledger option, or a credential for that database.' },
		);
	}
	try {
		return await openLedgerFromCredential(c, name, batchSize);
	} catch (error) {
		// Say which ledger could not be reached; credentials are never echoed. (n8n rewords some
		// connection errors in the message, so the details are repeated in the description.)
		const detail = `Cannot open the ${backend} ledger "${name}": ${(error as Error).message}`;
		throw new NodeOperationError(ctx.getNode(), detail, {
			description: `${detail}. Check the Retention Ledger credential (host, port, database, user) and that the server is running.`,
		});
	}
}

/** The credential test n8n runs from the credential dialog: log in and run one harmless command. */
export async function testLedgerCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const c = credential.data ?? {};
	try {
		if (credentialBackend(c) === 'redis') await checkRedis(redisSettings(c));
		else await checkPostgres(postgresSettings(c));
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
