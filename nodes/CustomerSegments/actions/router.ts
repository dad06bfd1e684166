/** Hands each operation its items; every operation fills two outputs: customers and summary. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../shared/node';
import * as lifecycleStage from './lifecycleStage.operation';
import * as rfm from './rfm.operation';

export const operations = { rfm, lifecycleStage };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations, { outputs: () => 2 });
}
