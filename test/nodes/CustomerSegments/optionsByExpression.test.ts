/**
 * Customer Segments: the options the review of dfe2e9a left to the shared code — Label Language and the
 * operation — set to none of their options, through n8n's WorkflowExecute (the node's own options are in
 * review.test.ts). Before, "ZH" gave English labels silently and a stored operation "constructor" failed
 * with "Cannot read properties of undefined (reading 'call')".
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';

const tx = [
	{ customerId: 'a', date: '2025-01-01', amount: 100 },
	{ customerId: 'b', date: '2025-01-03', amount: 40 },
];
const e = (value: string) => `={{ ${JSON.stringify(value)} }}`;

test.each<[IDataObject, string]>([
	[{ operation: 'rfm', language: e('ZH') }, 'Label Language must be one of "en", "zh" (got "ZH")'],
	[{ operation: 'lifecycleStage', language: e('Chinese') }, 'Label Language must be one of "en", "zh" (got "Chinese")'],
	[{ operation: 'constructor' }, 'Operation must be one of "rfm", "lifecycleStage" (got "constructor")'],
])('%j is refused naming the parameter, the values allowed and the value', async (parameters, message) => {
	const result = await runNode('customerSegments', { timeZone: 'UTC', ...parameters }, tx);
	expect(result.error?.message).toBe(message);
});

test('"zh" from an expression gives Chinese labels', async () => {
	const result = await runNode('customerSegments', { operation: 'rfm', timeZone: 'UTC', language: e('zh') }, tx);
	expect(result.error).toBeUndefined();
	expect(result.json('Node', 0)[0].segmentLabel).toMatch(/[\u4e00-\u9fff]/);
});
