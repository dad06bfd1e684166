/** Hands each operation its items. Decide fills seven outputs; the other operations fill the first. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../shared/node';
import * as decide from './decide.operation';
import * as optOut from './optOut.operation';
import * as prune from './prune.operation';
import * as recordOutcome from './recordOutcome.operation';

export const operations = { decide, recordOutcome, optOut, prune };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// A failed Decide (bad parameters, unreachable ledger) goes to the Suppressed output, its last.
	return await routeOperation(this, operations, {
		outputs: (operation) => (operation === 'decide' ? 7 : 1),
		failedOutput: (operation) => (operation === 'decide' ? 6 : 0),
	});
}
