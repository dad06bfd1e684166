import { runNode } from '../../harness/workflow';
import { syntheticTransactions } from '../synthetic';
import type { BenchCase } from '../types';

process.env.N8N_USER_FOLDER ??= require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'n8n-bench-'));
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-retention-bench';

const N = 1_000_000;
const CUSTOMERS = 100_000;

async function expectSuccess(promise: ReturnType<typeof runNode>, minItems: number) {
	const result = await promise;
	if (result.error) throw result.error;
	const n = result.output('Node').length;
	if (n < minItems) throw new Error(`expected at least ${minItems} output items, got ${n}`);
}

export const cases: BenchCase[] = [
	{
		name: 'metrics.cohort.1m',
		n: N,
		targetSeconds: 2,
		targetRssMb: 1536,
		prepare: () => syntheticTransactions(N, CUSTOMERS),
		run: (input) =>
			expectSuccess(
				runNode('retentionMetrics', { operation: 'cohortRetention', timeZone: 'UTC', granularity: 'month', maxPeriods: 12 }, input as never),
				2,
			),
	},
	{
		name: 'metrics.purchase.1m',
		n: N,
		targetSeconds: 2,
		targetRssMb: 1536,
		prepare: () => syntheticTransactions(N, CUSTOMERS),
		run: (input) =>
			expectSuccess(runNode('retentionMetrics', { operation: 'purchaseBehaviour', timeZone: 'UTC', orderIdField: 'orderId' }, input as never), 1),
	},
];
