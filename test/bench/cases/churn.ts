/**
 * Churn Risk benchmarks (issue 5): training on 100,000 customers × 40 fields (30 numbers, 10 categories)
 * through the real n8n WorkflowExecute (harness), and scoring 1,000,000 customers with the engine's
 * scorer (probability, tier, top-3 reasons per customer; 1M n8n items would not fit the executor's memory
 * the way n8n holds execution data, see users.md "scale"); and scoring 100,000 customers through the
 * executor, reasons as text included, to show what the n8n item layer adds (a shallow copy of every
 * 42-field item alone costs about 0.5 s per 100,000 here; the scoring itself about 0.1 s).
 */
import '../../harness/env';

import type { IDataObject } from 'n8n-workflow';

import type { FeatureValue } from '../../../nodes/engine/churn/encoding';
import { makeScorer, trainChurnModel, type Algorithm, type ChurnModel, type TreeReasonMethod } from '../../../nodes/engine/churn/model';
import { normal, seededRandom } from '../../../nodes/shared/random';
import { runNode } from '../../harness/workflow';
import type { BenchCase } from '../types';

const NUMERIC = 30;
const CATEGORICAL = 10;
const LEVELS = ['a', 'b', 'c', 'd'];
const numericFields = Array.from({ length: NUMERIC }, (_, j) => `n${j}`);
const categoricalFields = Array.from({ length: CATEGORICAL }, (_, j) => `c${j}`);

/** Customers with churn from a known logistic model (a few strong fields, many weak). */
function customerRows(n: number, seed: number): { rows: FeatureValue[][]; labels: Uint8Array } {
	const random = seededRandom(seed);
	const rows: FeatureValue[][] = new Array(n);
	const labels = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		const row: FeatureValue[] = new Array(NUMERIC + CATEGORICAL);
		let eta = -1;
		for (let j = 0; j < NUMERIC; j++) {
			const v = normal(random);
			row[j] = Math.round(v * 1000) / 1000;
			eta += (j < 5 ? 0.6 : 0.05) * (j % 2 ? -v : v);
		}
		for (let j = 0; j < CATEGORICAL; j++) {
			const k = Math.floor(random() * LEVELS.length);
			row[NUMERIC + j] = LEVELS[k];
			if (j < 2) eta += k === 0 ? 0.5 : 0;
		}
		rows[i] = row;
		labels[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
	}
	return { rows, labels };
}

function customerItems(n: number, seed: number): IDataObject[] {
	const { rows, labels } = customerRows(n, seed);
	return rows.map((row, i) => {
		const item: IDataObject = { customerId: `C${i}`, churned: labels[i] === 1 };
		numericFields.forEach((f, j) => (item[f] = row[j] as number));
		categoricalFields.forEach((f, j) => (item[f] = row[NUMERIC + j] as string));
		return item;
	});
}

const trainParameters = {
	operation: 'trainModel',
	labelField: 'churned',
	numericFields: numericFields.join(','),
	categoricalFields: categoricalFields.join(','),
};

function trainCase(name: string, algorithm: string, targetSeconds: number): BenchCase {
	return {
		name,
		n: 100_000,
		targetSeconds,
		targetRssMb: 2048,
		prepare: () => customerItems(100_000, 7),
		async run(prepared) {
			const result = await runNode('churnRisk', { ...trainParameters, algorithm }, prepared as IDataObject[]);
			if (result.error) throw result.error;
			const model = result.json('Node')[0] as { type?: string };
			if (model.type !== 'churnRiskModel') throw new Error('no model item');
		},
	};
}

/** The model the scoring cases use: trained (untimed) on 20,000 other customers. */
function modelOn20k(algorithm: Algorithm): ChurnModel {
	const train = customerRows(20_000, 3);
	return trainChurnModel(train.rows, train.labels, {
		algorithm,
		features: [
			...numericFields.map((field) => ({ field, type: 'numeric' as const })),
			...categoricalFields.map((field) => ({ field, type: 'categorical' as const })),
		],
	});
}

/** The engine's scorer (probability, tier, top-3 reasons) on `n` rows, with a model trained on 20,000. */
function scoreCase(name: string, n: number, targetSeconds: number, targetRssMb: number, algorithm: Algorithm, treeReasons?: TreeReasonMethod): BenchCase {
	return {
		name,
		n,
		targetSeconds,
		targetRssMb,
		prepare: () => ({ model: modelOn20k(algorithm), rows: customerRows(n, 11).rows }),
		async run(prepared) {
			const { model, rows } = prepared as { model: ChurnModel; rows: FeatureValue[][] };
			const score = makeScorer(model, { maxReasons: 3, treeReasons });
			let high = 0;
			for (let i = 0; i < rows.length; i++) if (score(rows[i], i).tier !== 'low') high++;
			if (high === 0) throw new Error('no customer above the low tier');
		},
	};
}

export const cases: BenchCase[] = [
	trainCase('churn.train.lr.100k', 'logisticRegression', 2),
	trainCase('churn.train.gbt.100k', 'gradientBoosting', 15),
	{
		name: 'churn.score.node.100k',
		n: 100_000,
		targetSeconds: 5,
		targetRssMb: 2048,
		prepare: () => ({ model: modelOn20k('logisticRegression'), items: customerItems(100_000, 13) }),
		async run(prepared) {
			const { model, items } = prepared as { model: ChurnModel; items: IDataObject[] };
			const result = await runNode('churnRisk', { operation: 'scoreWithModel', model: model as unknown as IDataObject }, items);
			if (result.error) throw result.error;
			if (result.output('Node').length !== items.length) throw new Error('not every customer was scored');
		},
	},
	scoreCase('churn.score.1m', 1_000_000, 3, 3072, 'logisticRegression'),
	// TreeSHAP reasons (Score with Model > Tree Reasons) on a gradient-boosted model: exact Shapley values
	// for every field of every customer, top-3 reasons kept.
	scoreCase('churn.score.treeshap.100k', 100_000, 10, 2048, 'gradientBoosting', 'treeShap'),
];
