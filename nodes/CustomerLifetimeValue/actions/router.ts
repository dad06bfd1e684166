/** Hands each operation its items; every operation returns [customer or report items, model item]. */
import { NodeOperationError, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';

import { ClvInputError, ModelNotUsableError } from '../../engine/clv/model';
import { routeOperation, toNodeError } from '../../shared/node';
import * as fitPredict from './fitPredict.operation';
import * as predictWithModel from './predictWithModel.operation';
import * as validate from './validate.operation';

export const operations = { fitPredict, predictWithModel, validate };

function describe(node: INode, error: unknown): NodeOperationError {
	if (error instanceof ModelNotUsableError) return new NodeOperationError(node, `The model cannot be used: ${error.message}`);
	if (error instanceof ClvInputError) return new NodeOperationError(node, error.message);
	return toNodeError(node, error);
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations, { outputs: () => 2, describe });
}
