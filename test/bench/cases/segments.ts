/**
 * Customer Segments benchmark: 1,000,000 deterministic synthetic transactions of 100,000 customers, RFM
 * scores + 11-segment map + lifecycle stages, through n8n's real WorkflowExecute (the test harness).
 */
import { runNode } from '../../harness/workflow';
import { syntheticTransactions } from '../synthetic';
import type { BenchCase } from '../types';

process.env.N8N_USER_FOLDER ??= require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'n8n-bench-'));
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-retention-bench';

const N = 1_000_000;
const CUSTOMERS = 100_000;

const PARAMETERS = { operation: 'rfm', orderIdField: 'orderId', addLifecycleStage: true, timeZone: 'UTC' };

async function prepare() {
	// Warm-up on 1,000 rows: loads and compiles the package's node modules and n8n's lazy parts once, as in a
	// running n8n instance, so that the timed run measures the work on a million rows, not module loading.
	const warm = await runNode('customerSegments', PARAMETERS, syntheticTransactions(1000, 100, 7) as never);
	if (warm.error) throw warm.error;
	// Items already wrapped as n8n items, so that the timed part is the node, not the wrapping.
	const items = syntheticTransactions(N, CUSTOMERS).map((json, i) => ({ json: json as unknown as Record<string, unknown>, pairedItem: { item: i } }));
	// Collect the garbage of building the input now (run.mjs passes --expose-gc), not inside the timed run.
	(globalThis as { gc?: () => void }).gc?.();
	return items;
}

export const cases: BenchCase[] = [
	{
		name: 'segments.rfm.1m',
		n: N,
		targetSeconds: 1.5,
		targetRssMb: 1536,
		prepare,
		async run(prepared) {
			const result = await runNode('customerSegments', PARAMETERS, prepared as Awaited<ReturnType<typeof prepare>>);
			if (result.error) throw result.error;
			const customers = result.output('Node', 0);
			const summary = result.output('Node', 1);
			if (customers.length !== CUSTOMERS) throw new Error(`expected ${CUSTOMERS} customer items, got ${customers.length}`);
			if (summary.length !== 11) throw new Error(`expected 11 segment items, got ${summary.length}`);
			if (typeof customers[0].json.segment !== 'string' || typeof customers[0].json.stage !== 'string') {
				throw new Error('customer items lack a segment or a stage');
			}
		},
	},
];
