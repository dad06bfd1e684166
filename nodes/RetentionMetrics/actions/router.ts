/**
 * Hands each operation its items; every operation returns the items of the node's single output.
 * Operation names are unique across resources, so the operation alone selects the code.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pairedAll, toNodeError } from '../../shared/node';
import * as campaignUplift from './campaign/campaignUplift.operation';
import * as customerRetention from './subscription/customerRetention.operation';
import * as revenueRetention from './subscription/revenueRetention.operation';
import * as surveyScores from './survey/surveyScores.operation';
import * as cohortRetention from './transaction/cohortRetention.operation';
import * as purchaseBehaviour from './transaction/purchaseBehaviour.operation';

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
