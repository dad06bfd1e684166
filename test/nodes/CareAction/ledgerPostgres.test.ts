/** PostgreSQL ledger against the real server at 127.0.0.1:5432: fails (never skips) when it is down. */
import { Client } from 'pg';

import { lockNamespace, openPostgresLedger } from '../../../nodes/CareAction/ledger/postgres';
import { ledgerConformance, request } from './conformance';
import { pgSettings, PG, uniqueName } from './services';

const prefix = uniqueName('pgc');
const client = () => new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });

describe('PostgreSQL ledger', () => {
	ledgerConformance(async () => await openPostgresLedger(pgSettings(prefix, 3)));

	afterAll(async () => {
		const c = client();
		await c.connect();
		for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await c.query(`DROP TABLE IF EXISTS ${prefix}_${t}`);
		await c.end();
	});

	it('prune neither waits for a decision batch holding every customer lock nor touches its new rows', async () => {
		const own = uniqueName('pgl');
		const ledger = await openPostgresLedger(pgSettings(own));
		const c = client();
		await c.connect();
		try {
			await ledger.decide([request({ key: 'o-1', customer: 'o', at: Date.UTC(2020, 0, 1) })]);
			// As a Decide batch does: every lock bucket of the ledger, then an insert, not yet committed.
			await c.query('BEGIN');
			await c.query('SELECT count(pg_advisory_xact_lock($1, b)) FROM generate_series(0, 1023) AS b', [lockNamespace(own)]);
			await c.query(
				`INSERT INTO ${own}_decisions (key, customer, channel, topic, action, campaign, kind, at, counts_cap, decided_at)
				 VALUES ('n-1', 'n', 'email', 'm', 'a', 'c', 'send', $1, true, $1)`,
				[Date.UTC(2019, 0, 1)],
			);
			// The test's 10-second limit fails it if prune waits for the open transaction.
			expect(await ledger.prune(Date.UTC(2021, 0, 1))).toEqual({ decisions: 1, outcomes: 0, eventIds: 0 });
			await c.query('COMMIT');
			const left = await c.query(`SELECT key FROM ${own}_decisions`);
			expect(left.rows).toEqual([{ key: 'n-1' }]);
		} finally {
			await c.query('ROLLBACK').catch(() => undefined);
			for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await c.query(`DROP TABLE IF EXISTS ${own}_${t}`);
			await c.end();
			await ledger.close();
		}
	}, 10_000);

	it('refuses a table prefix that could inject SQL', async () => {
		await expect(openPostgresLedger(pgSettings('x; DROP TABLE y'))).rejects.toThrow(/Table prefix/);
	});
});
