/** Hands each operation its items; every operation returns [customer or report items, model item]. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ClvInputError, ModelNotUsableError } from '../../engine/clv/model';
import { pairedAll, toNodeError } from '../../shared/node';
import * as fitPredict from './fitPredict.operation';
import * as predictWithModel from './predictWithModel.operation';
import * as validate from './validate.operation';

export const operations = { fitPredict, predictWithModel, validate };
export type Operation = keyof typeof operations;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const op = operations[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	try {
		return await op.execute.call(this, items);
	} catch (error) {
		const nodeError =
			error instanceof ModelNotUsableError
				? new NodeOperationError(this.getNode(), `The model cannot be used: ${error.message}`)
				: error instanceof ClvInputError
					? new NodeOperationError(this.getNode(), error.message)
					: toNodeError(this.getNode(), error);
		// A problem with the parameters, the model or the data as a whole concerns the whole input.
		if (this.continueOnFail()) {
			return [[{ json: { error: nodeError.message }, pairedItem: pairedAll(items.map((_, i) => i)) }], []];
		}
		throw nodeError;
	}
}
