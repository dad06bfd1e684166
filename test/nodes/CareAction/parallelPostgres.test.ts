import { Client } from 'pg';

import { customerHash } from '../../../nodes/engine/care/decide';
import { CAP, CUSTOMERS, EXECUTIONS, runParallel } from './concurrency';
import { PG, uniqueName } from './services';

const prefix = uniqueName('pgp');

describe('PostgreSQL ledger under 8 parallel executions (real WorkflowExecute)', () => {
	let db: Client;
	beforeAll(async () => {
		db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
		await db.connect();
	});
	afterAll(async () => {
		for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${prefix}_${t}`);
		await db.end();
	});

	it('no customer above the cap, no idempotency key twice, every customer served up to the cap', async () => {
		const { tally } = await runParallel('postgres', prefix, PG);
		const counts = [...tally.sendsPerCustomer.values()];
		expect(tally.sendsPerCustomer.size).toBe(CUSTOMERS);
		// 4 flows want each customer, the cap allows 2: exactly 2 each, never more.
		expect(counts.every((c) => c === CAP)).toBe(true);
		expect(new Set(tally.keys).size).toBe(tally.keys.length);
		expect(tally.keys.length + tally.suppressed).toBe(CUSTOMERS * EXECUTIONS);

		// The ledger agrees with the outputs.
		const rows = await db.query(`SELECT customer, count(*)::int AS n FROM ${prefix}_decisions GROUP BY customer`);
		expect(rows.rows.length).toBe(CUSTOMERS);
		expect(rows.rows.every((r: { n: number }) => r.n === CAP)).toBe(true);
		const one = await db.query(`SELECT count(*)::int AS n FROM ${prefix}_decisions WHERE customer = $1`, [customerHash('cust-7')]);
		expect(one.rows[0].n).toBe(CAP);
		// Raw customer ids are never stored.
		const raw = await db.query(`SELECT count(*)::int AS n FROM ${prefix}_decisions WHERE customer LIKE 'cust-%'`);
		expect(raw.rows[0].n).toBe(0);
	});
});
