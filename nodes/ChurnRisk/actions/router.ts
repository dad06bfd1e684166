/** Hands each operation its items; every operation fills the node's single output. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, singleOutput } from '../../shared/node';
import * as scoreBySignals from './scoreBySignals.operation';
import * as scoreWithModel from './scoreWithModel.operation';
import * as trainModel from './trainModel.operation';

export const operations = { scoreBySignals, trainModel, scoreWithModel };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const routed = Object.fromEntries(Object.entries(operations).map(([name, op]) => [name, singleOutput(op)]));
	return await routeOperation(this, routed, { outputs: () => 1 });
}
