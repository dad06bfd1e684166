/**
 * Hands each operation its items; every operation fills the node's single output.
 * Operation names are unique across resources, so the operation alone selects the code.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, singleOutput } from '../../shared/node';
import * as campaignUplift from './campaign/campaignUplift.operation';
import * as customerRetention from './subscription/customerRetention.operation';
import * as revenueRetention from './subscription/revenueRetention.operation';
import * as surveyScores from './survey/surveyScores.operation';
import * as cohortRetention from './transaction/cohortRetention.operation';
import * as purchaseBehaviour from './transaction/purchaseBehaviour.operation';

export const operations = { customerRetention, revenueRetention, purchaseBehaviour, cohortRetention, surveyScores, campaignUplift };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const routed = Object.fromEntries(Object.entries(operations).map(([name, op]) => [name, singleOutput(op)]));
	return await routeOperation(this, routed, { outputs: () => 1 });
}
