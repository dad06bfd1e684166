/** Hands each operation its items. Decide fills seven outputs; the other operations fill the first. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { pairedAll, toNodeError } from '../../shared/node';
import * as decide from './decide.operation';
import * as optOut from './optOut.operation';
import * as recordOutcome from './recordOutcome.operation';

export const operations = { decide, recordOutcome, optOut };
export type Operation = keyof typeof operations;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const op = operations[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	try {
		return await op.execute.call(this, items);
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error);
		// A problem with the parameters or the ledger (not with one item) concerns the whole input.
		if (this.continueOnFail()) {
			const failed: INodeExecutionData[] = [{ json: { error: nodeError.message }, pairedItem: pairedAll(items.map((_, i) => i)) }];
			return operation === 'decide' ? [[], [], [], [], [], [], failed] : [failed];
		}
		throw nodeError;
	}
}
