/**
 * 8 executions in parallel, through the real n8n WorkflowExecute, deciding for the same 1,000
 * customers. Executions 0–3 and 4–7 run the same four flows (campaign keys), as when a schedule fires
 * twice on a multi-instance setup; every flow wants to e-mail every customer, the ledger allows
 * 2 e-mails per customer per 24 h across flows.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { STANDARD_PLAYBOOK } from '../../../nodes/engine/care/playbook';
import { runNode, type RunResult } from '../../harness/workflow';
import { ledgerCredentials } from './services';

export const CUSTOMERS = 1000;
export const CAP = 2;
export const EXECUTIONS = 8;
const OUT_EMAIL = 0;
const OUT_SUPPRESSED = 6;

export const simplePlaybook = JSON.stringify({
	name: 'one rule',
	defaultLocale: 'en',
	rules: [
		{
			name: 'everyone',
			when: [],
			action: { name: 'tips', channel: 'email', priority: 1, templates: STANDARD_PLAYBOOK.rules[5].action.templates },
		},
	],
});

export function decideParams(ledger: string, ledgerName: string, campaign: string, extra: IDataObject = {}): IDataObject {
	return {
		operation: 'decide',
		ledger,
		ledgerName,
		campaign,
		playbookSource: 'custom',
		playbookJson: simplePlaybook,
		useSendWindow: false,
		frequencyCaps: { caps: [{ channel: '*', maxMessages: CAP, windowHours: 24 }] },
		decideOptions: { decisionTime: '2025-06-10T04:00:00Z', ledgerBatchSize: 100, ...((extra.decideOptions as IDataObject) ?? {}) },
		...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'decideOptions')),
	};
}

export const customers = () =>
	Array.from({ length: CUSTOMERS }, (_, i) => ({ customerId: `cust-${i}`, name: `N${i}`, product: 'Shop' }));

export interface Tally {
	sendsPerCustomer: Map<string, number>;
	keys: string[];
	suppressed: number;
}

export async function runParallel(
	ledger: 'postgres' | 'redis' | 'embedded',
	ledgerName: string,
	credentials: IDataObject,
): Promise<{ results: RunResult[]; tally: Tally }> {
	const results = await Promise.all(
		Array.from({ length: EXECUTIONS }, async (_, k) =>
			await runNode('careAction', decideParams(ledger, ledgerName, `flow-${k % 4}`), customers(), {
				...(ledger === 'embedded' ? {} : ledgerCredentials(credentials as ICredentialDataDecryptedObject)),
			}),
		),
	);
	const tally: Tally = { sendsPerCustomer: new Map(), keys: [], suppressed: 0 };
	for (const r of results) {
		if (r.error) throw r.error;
		for (const j of r.json('Node', OUT_EMAIL)) {
			const id = String(j.customerId);
			tally.sendsPerCustomer.set(id, (tally.sendsPerCustomer.get(id) ?? 0) + 1);
			tally.keys.push(String((j.care as IDataObject).idempotencyKey));
		}
		tally.suppressed += r.json('Node', OUT_SUPPRESSED).length;
	}
	return { results, tally };
}
