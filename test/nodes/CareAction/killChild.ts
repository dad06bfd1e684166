/**
 * Child process for killed.test.ts: decides for many customers with the PostgreSQL ledger in small
 * batches, until the parent kills it with SIGKILL somewhere in the middle.
 * Usage: node --import tsx killChild.ts <tablePrefix> <customers>
 */
import '../../harness/env';

import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { PG } from './services';

async function main() {
	const [prefix, count] = process.argv.slice(2);
	const input = Array.from({ length: Number(count) }, (_, i) => ({ customerId: `cust-${i}`, name: `N${i}`, product: 'Shop' }));
	const r = await runNode('careAction', decideParams('postgres', prefix, 'killed', { decideOptions: { ledgerBatchSize: 50 } }), input, {
		credentials: { postgres: PG },
		nodeCredentials: { postgres: { id: '1', name: 'postgres' } },
	});
	process.stdout.write(r.error ? `error ${r.error.message}\n` : 'finished\n');
}

void main();
