/** Hands each operation its items; every operation returns the items of the node's single output. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pairedAll, toNodeError } from '../../shared/node';
import * as campaignUplift from './campaignUplift.operation';
import * as cohortRetention from './cohortRetention.operation';
import * as customerRetention from './customerRetention.operation';
import * as purchaseBehaviour from './purchaseBehaviour.operation';
import * as revenueRetention from './revenueRetention.operation';
import * as surveyScores from './surveyScores.operation';

export const operations = { customerRetention, revenueRetention, purchaseBehaviour, cohortRetention, surveyScores, campaignUplift };
export type Operation = keyof typeof operations;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const op = operations[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	try {
		return [await op.execute.call(this, items)];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error);
		// A problem with the parameters (not with one item) concerns the whole input.
		if (this.continueOnFail()) {
			return [[{ json: { error: nodeError.message }, pairedItem: pairedAll(items.map((_, i) => i)) }]];
		}
		throw nodeError;
	}
}
