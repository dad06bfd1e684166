/**
 * Child process for killed.test.ts: decides for many customers with the PostgreSQL ledger in small
 * batches, until the parent kills it with SIGKILL somewhere in the middle.
 * Usage: node --import tsx killChild.ts <postgres|redis> <ledger name> <customers>
 */
import '../../harness/env';

import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { ledgerCredentials, PG, REDIS } from './services';

async function main() {
	const [backend, prefix, count] = process.argv.slice(2) as ['postgres' | 'redis', string, string];
	const input = Array.from({ length: Number(count) }, (_, i) => ({ customerId: `cust-${i}`, name: `N${i}`, product: 'Shop' }));
	const r = await runNode('careAction', decideParams(backend, prefix, 'killed', { decideOptions: { ledgerBatchSize: 50 } }), input, {
		...ledgerCredentials(backend === 'postgres' ? PG : REDIS),
	});
	process.stdout.write(r.error ? `error ${r.error.message}\n` : 'finished\n');
}

void main();
