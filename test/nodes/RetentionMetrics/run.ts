/** Runs the Retention Metrics node with the resource the editor would store for the operation. */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';

const RESOURCE: Record<string, string> = {
	customerRetention: 'subscription',
	revenueRetention: 'subscription',
	purchaseBehaviour: 'transaction',
	cohortRetention: 'transaction',
	surveyScores: 'survey',
	campaignUplift: 'campaign',
};

export function runMetrics(params: IDataObject, ...rest: Parameters<typeof runNode> extends [unknown, unknown, ...infer R] ? R : never) {
	return runNode('retentionMetrics', { resource: RESOURCE[params.operation as string], ...params }, ...rest);
}
