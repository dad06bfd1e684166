/**
 * The embedded ledger on n8n's de-duplication store (the harness's faithful port of n8n's
 * DeduplicationHelper: read the row, change it, write it back, no lock). Measures what the store
 * does under concurrent executions and shows what the ledger's per-process serialisation buys.
 */
import { DataDeduplicationService } from 'n8n-core';
import type { IDataObject, INode, Workflow } from 'n8n-workflow';

import { useInProcessDeduplication } from '../../harness/deduplication';
import { CAP, CUSTOMERS, EXECUTIONS, runParallel } from './concurrency';
import { uniqueName } from './services';

beforeAll(async () => {
	await useInProcessDeduplication();
});

describe("n8n's de-duplication store under concurrency (measured)", () => {
	it('8 concurrent checkProcessedAndRecord calls on the same 100 new keys: keys are reported new more than once', async () => {
		const service = DataDeduplicationService.getInstance();
		const context = { workflow: { id: uniqueName('wf') } as unknown as Workflow, node: { id: 'n' } as INode };
		const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
		// Create the row first, as a long-running workflow would have.
		await service.checkProcessedAndRecord(['seed'], 'workflow', context, { mode: 'entries' });
		const results = await Promise.all(
			Array.from({ length: 8 }, async () => await service.checkProcessedAndRecord(keys, 'workflow', context, { mode: 'entries' })),
		);
		const reportedNew = results.reduce((n, r) => n + r.new.length, 0);
		// Exactly-once would be 100. The unlocked read-modify-write lets every call see the old row.
		expect(reportedNew).toBe(800);
	});
});

describe('embedded ledger: look-up marks are taken back even after a store error', () => {
	const storeContext = (failures: { left: number }) =>
		({
			helpers: {
				checkProcessedAndRecord: async (items: string[], scope: 'workflow', options: IDataObject) =>
					await DataDeduplicationService.getInstance().checkProcessedAndRecord(items, scope, { workflow: { id: 'wf-back' } as unknown as Workflow }, options as never),
				removeProcessed: async (items: string[], scope: 'workflow', options: IDataObject) => {
					if (failures.left-- > 0) throw new Error('connection to n8n database lost');
					await DataDeduplicationService.getInstance().removeProcessed(items, scope, { workflow: { id: 'wf-back' } as unknown as Workflow }, options as never);
				},
			},
			getWorkflow: () => ({ id: 'wf-back' }),
		}) as never;
	const request = (key: string) => ({
		key,
		customer: 'c1',
		channel: 'email' as const,
		topic: 'marketing',
		action: 'tips',
		campaign: 'x',
		kind: 'send' as const,
		at: 1e12,
		countsTowardCap: true,
		limits: [],
		checkOptOut: true,
	});

	it('a passing error: the take-back is tried again, and no customer reads as opted out afterwards', async () => {
		const name = uniqueName('embback');
		const { openEmbeddedLedger } = await import('../../../nodes/CareAction/ledger/embedded');
		const first = await openEmbeddedLedger(storeContext({ left: 1 }), name).decide([request('k1')]);
		expect(first.map((v) => v.status)).toEqual(['granted']);
		// Before: the first call failed and left its look-up marks, so c1 read as opted out of everything.
		const later = await openEmbeddedLedger(storeContext({ left: 0 }), name).decide([request('k2')]);
		expect(later.map((v) => v.status)).toEqual(['granted']);
	});

	it('a lasting error fails the execution and says what may be left', async () => {
		const { openEmbeddedLedger } = await import('../../../nodes/CareAction/ledger/embedded');
		await expect(openEmbeddedLedger(storeContext({ left: 99 }), uniqueName('embback')).decide([request('k1')])).rejects.toThrow(
			/could not take back \d+ look-up mark\(s\) from n8n's de-duplication store after 3 attempts \(connection to n8n database lost\): customers of this batch may now read as already decided or opted out/,
		);
	});
});

describe('embedded ledger', () => {
	it('within one n8n process it is exact: 8 parallel executions, 1,000 customers, cap kept, keys unique', async () => {
		const { tally } = await runParallel('embedded', uniqueName('emb'), {});
		expect(tally.sendsPerCustomer.size).toBe(CUSTOMERS);
		expect([...tally.sendsPerCustomer.values()].every((c) => c === CAP)).toBe(true);
		expect(new Set(tally.keys).size).toBe(tally.keys.length);
		expect(tally.keys.length + tally.suppressed).toBe(CUSTOMERS * EXECUTIONS);
		// 8,000 decisions through n8n's own take-back algorithm (the harness mirrors it): 25–45 s here.
	}, 180_000);

	it('across processes (two copies of the module = two queues) it is not exact: measured over-sends', async () => {
		// Each isolated copy stands for one queue-mode worker: same store, separate serialisation.
		type Mod = typeof import('../../../nodes/CareAction/ledger/embedded');
		const copies: Mod[] = [];
		for (let i = 0; i < 2; i++) {
			jest.isolateModules(() => {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				copies.push(require('../../../nodes/CareAction/ledger/embedded') as Mod);
			});
		}
		const ctx = {
			helpers: {
				checkProcessedAndRecord: async (items: string[], scope: 'workflow', options: IDataObject) =>
					await DataDeduplicationService.getInstance().checkProcessedAndRecord(items, scope, { workflow: { id: 'wf-x' } as unknown as Workflow }, options as never),
				removeProcessed: async (items: string[], scope: 'workflow', options: IDataObject) =>
					await DataDeduplicationService.getInstance().removeProcessed(items, scope, { workflow: { id: 'wf-x' } as unknown as Workflow }, options as never),
			},
			getWorkflow: () => ({ id: 'wf-x' }),
		} as never;
		const name = uniqueName('embx');
		const request = (i: number, flow: number) => ({
			key: `${flow}-${i}`,
			customer: `c${i}`,
			channel: 'email' as const,
			topic: 'marketing',
			action: 'tips',
			campaign: `f${flow}`,
			kind: 'send' as const,
			at: 1e12,
			countsTowardCap: true,
			limits: [{ kind: 'frequencyCap' as const, match: { capOnly: true }, since: 1e12 - 86_400_000 + 1, until: 1e12 + 86_400_000, max: 1, label: '1/24h' }],
			checkOptOut: false,
		});
		// Two workers creating the store's row at the same moment: one of them fails, as in n8n
		// (the row's primary key is workflow id + context).
		const first = await Promise.allSettled(copies.map(async (m, flow) => await m.openEmbeddedLedger(ctx, name).decide([request(1000, flow)])));
		expect(first.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		// With the row in place, both "workers" decide for the same 50 customers at once.
		const verdicts = await Promise.all(
			copies.map(async (m, flow) => await m.openEmbeddedLedger(ctx, name).decide(Array.from({ length: 50 }, (_, i) => request(i, flow)))),
		);
		const granted = verdicts.flat().filter((v) => v.status === 'granted').length;
		// Exact would be 50 (cap 1 per customer); the two "workers" both grant: the documented limit.
		expect(granted).toBeGreaterThan(50);
	});
});
