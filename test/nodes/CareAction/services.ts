/** Connection settings of the real services these tests use, and unique names per test run. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** Retention Ledger credentials (credentials/RetentionLedgerApi.credentials.ts) for the local services. */
export const PG: ICredentialDataDecryptedObject = {
	backend: 'postgres',
	host: '127.0.0.1',
	port: 5432,
	database: 'test',
	user: 'postgres',
	password: '',
	ssl: 'disable',
};
export const REDIS: ICredentialDataDecryptedObject = {
	backend: 'redis',
	host: '127.0.0.1',
	port: 6379,
	redisDatabase: 0,
	user: '',
	password: '',
	ssl: 'disable',
};

/** What runNode needs to give the node a Retention Ledger credential. */
export function ledgerCredentials(credential: ICredentialDataDecryptedObject) {
	return {
		credentials: { retentionLedgerApi: credential },
		nodeCredentials: { retentionLedgerApi: { id: '1', name: 'ledger' } },
	};
}

let n = 0;
/** A table/key prefix no other test file or run uses. */
export function uniqueName(kind: string): string {
	return `care_${kind}_${process.pid}_${Date.now().toString(36)}_${++n}`;
}

export const pgSettings = (tablePrefix: string, batchSize?: number) => ({
	host: String(PG.host),
	port: Number(PG.port),
	database: String(PG.database),
	user: String(PG.user),
	ssl: 'disable' as const,
	tablePrefix,
	batchSize,
});

export const redisSettings = (keyPrefix: string, batchSize?: number) => ({
	host: String(REDIS.host),
	port: Number(REDIS.port),
	keyPrefix,
	batchSize,
});
