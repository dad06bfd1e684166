/**
 * care.decide.postgres.100k: 100,000 customers through the Care Action node's Decide operation (real
 * n8n WorkflowExecute, standard-like playbook, caps, send window, 10 % holdout) with the PostgreSQL
 * ledger at 127.0.0.1:5432, in batches of 5,000 decisions per transaction. A fresh table prefix per run.
 */
import '../../harness/env';

import { Client } from 'pg';

import { decideParams } from '../../nodes/CareAction/concurrency';
import { ledgerCredentials, PG, uniqueName } from '../../nodes/CareAction/services';
import { runNode } from '../../harness/workflow';
import type { BenchCase } from '../types';

const N = 100_000;

async function dropTables(prefix: string): Promise<void> {
	const db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
	await db.connect();
	for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${prefix}_${t}`);
	await db.end();
}

export const cases: BenchCase[] = [
	{
		name: 'care.decide.postgres.100k',
		n: N,
		targetSeconds: 10,
		targetRssMb: 2048,
		prepare() {
			return {
				prefix: uniqueName('bench'),
				input: Array.from({ length: N }, (_, i) => ({
					customerId: `cust-${i}`,
					name: `Customer ${i}`,
					product: 'Shop',
					timeZone: i % 3 === 0 ? 'Asia/Shanghai' : i % 3 === 1 ? 'Europe/Berlin' : 'America/New_York',
					locale: i % 2 ? 'zh-CN' : 'en',
				})),
			};
		},
		async run(prepared) {
			const { prefix, input } = prepared as { prefix: string; input: Array<Record<string, unknown>> };
			try {
				const r = await runNode(
					'careAction',
					decideParams('postgres', prefix, 'bench', {
						useSendWindow: true,
						holdoutPercent: 10,
						decideOptions: { ledgerBatchSize: 5000 },
					}),
					input,
					ledgerCredentials(PG),
				);
				if (r.error) throw r.error;
				const decided = [0, 1, 2, 3, 4, 5, 6].reduce((n, o) => n + r.output('Node', o).length, 0);
				if (decided !== N) throw new Error(`expected ${N} decisions, got ${decided}`);
			} finally {
				await dropTables(prefix);
			}
		},
	},
];
