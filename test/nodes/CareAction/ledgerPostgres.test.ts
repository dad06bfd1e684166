/** PostgreSQL ledger against the real server at 127.0.0.1:5432: fails (never skips) when it is down. */
import { Client } from 'pg';

import { openPostgresLedger } from '../../../nodes/CareAction/ledger/postgres';
import { ledgerConformance } from './conformance';
import { pgSettings, PG, uniqueName } from './services';

const prefix = uniqueName('pgc');

describe('PostgreSQL ledger', () => {
	ledgerConformance(async () => await openPostgresLedger(pgSettings(prefix, 3)));

	afterAll(async () => {
		const c = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
		await c.connect();
		for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await c.query(`DROP TABLE IF EXISTS ${prefix}_${t}`);
		await c.end();
	});

	it('refuses a table prefix that could inject SQL', async () => {
		await expect(openPostgresLedger(pgSettings('x; DROP TABLE y'))).rejects.toThrow(/Table prefix/);
	});
});
