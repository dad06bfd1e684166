/** Record Outcome and Opt Out through the real WorkflowExecute, with the PostgreSQL ledger. */
import { Client } from 'pg';
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { decideParams } from './concurrency';
import { testLedgerCredential } from '../../../nodes/CareAction/ledger';
import { ledgerCredentials, PG, REDIS, uniqueName } from './services';

const prefix = uniqueName('pgo');
const creds = ledgerCredentials(PG);
const ledger = { ledger: 'postgres', ledgerName: prefix };

afterAll(async () => {
	const db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
	await db.connect();
	for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${prefix}_${t}`);
	await db.end();
});

describe('Care Action › Record Outcome and Opt Out', () => {
	it('an SMS reply "TD" opts the customer out; other replies do not; the next Decide respects it', async () => {
		const r = await runNode(
			'careAction',
			{ operation: 'optOut', ...ledger, optOutChannel: 'email', optOutTopic: '*', replyTextField: 'reply' },
			[
				{ customerId: 'a', reply: ' td ' },
				{ customerId: 'b', reply: '谢谢' },
				{ customerId: 'c', reply: '退订' },
			],
			creds,
		);
		expect(r.error).toBeUndefined();
		expect(r.json('Node').map((j) => (j.optOut as IDataObject).optedOut)).toEqual([true, false, true]);

		const d = await runNode('careAction', decideParams('postgres', prefix, 'after-optout'), [
			{ customerId: 'a', name: 'A', product: 'P' },
			{ customerId: 'b', name: 'B', product: 'P' },
			{ customerId: 'c', name: 'C', product: 'P' },
		], creds);
		expect(d.json('Node', 0).map((j) => j.customerId)).toEqual(['b']);
		const suppressed = d.json('Node', 6);
		expect(suppressed.map((j) => j.customerId)).toEqual(['a', 'c']);
		expect(((suppressed[0].care as IDataObject).reasons as IDataObject[]).at(-1)!.code).toBe('optedOutInLedger');
	});

	it('outcomes attach to decisions; repeats are flagged; "opted out" stops later sends on that channel', async () => {
		const d = await runNode('careAction', decideParams('postgres', prefix, 'outcomes'), [
			{ customerId: 'x1', name: 'X', product: 'P' },
			{ customerId: 'x2', name: 'Y', product: 'P' },
		], creds);
		const sent = d.json('Node', 0);
		expect(sent).toHaveLength(2);

		const r = await runNode(
			'careAction',
			{ operation: 'recordOutcome', ...ledger, outcome: 'fromField', outcomeField: 'status' },
			[
				{ ...sent[0], status: 'delivered' },
				{ ...sent[0], status: 'delivered' },
				{ ...sent[1], status: 'Opted Out' },
				{ care: { idempotencyKey: 'nobody-123' }, status: 'sent' },
			],
			creds,
		);
		expect(r.error).toBeUndefined();
		expect(r.json('Node').map((j) => j.careOutcome)).toEqual([
			expect.objectContaining({ outcome: 'delivered', knownDecision: true, isNew: true }),
			expect.objectContaining({ outcome: 'delivered', knownDecision: true, isNew: false }),
			expect.objectContaining({ outcome: 'optedOut', knownDecision: true, isNew: true }),
			expect.objectContaining({ outcome: 'sent', knownDecision: false, isNew: false }),
		]);

		const next = await runNode('careAction', decideParams('postgres', prefix, 'later-campaign'), [
			{ customerId: 'x1', name: 'X', product: 'P' },
			{ customerId: 'x2', name: 'Y', product: 'P' },
		], creds);
		expect(next.json('Node', 0).map((j) => j.customerId)).toEqual(['x1']);
		expect(next.json('Node', 6).map((j) => j.customerId)).toEqual(['x2']);
	});

	it('an unknown outcome word is an item error naming the field', async () => {
		const r = await runNode('careAction', { operation: 'recordOutcome', ...ledger, outcome: 'fromField', outcomeField: 'status' }, [
			{ care: { idempotencyKey: 'k-1' }, status: 'exploded' },
		], creds);
		expect(r.error?.message).toMatch(/^Item 0: field "status" is not an outcome/);
	});
});

describe('Care Action › priority under a cap with the PostgreSQL ledger', () => {
	it('the higher-priority action wins the slot even when listed last and batches are tiny', async () => {
		const playbook = JSON.stringify({
			name: 'competing',
			defaultLocale: 'en',
			rules: [
				{ name: 'tips', when: [{ field: 'kind', operator: 'equals', value: 'tips' }], action: { name: 'tips', channel: 'email', priority: 10, templates: { en: { body: 'tips {{name}}' } } } },
				{ name: 'renewal', when: [{ field: 'kind', operator: 'equals', value: 'renewal' }], action: { name: 'renewal', channel: 'sms', priority: 70, templates: { en: { body: 'renew {{name}}' } } } },
			],
		});
		const input = ['p1', 'p2', 'p3', 'p4'].flatMap((id) => [
			{ customerId: id, name: id, kind: 'tips' },
			{ customerId: id, name: id, kind: 'renewal' },
		]);
		const r = await runNode(
			'careAction',
			{
				...decideParams('postgres', prefix, 'priority', { decideOptions: { ledgerBatchSize: 1 } }),
				playbookJson: playbook,
				frequencyCaps: { caps: [{ channel: '*', maxMessages: 1, windowHours: 24 }] },
			},
			input,
			creds,
		);
		expect(r.error).toBeUndefined();
		expect(r.json('Node', 1).map((j) => j.customerId)).toEqual(['p1', 'p2', 'p3', 'p4']); // SMS renewal
		expect(r.json('Node', 0)).toEqual([]); // no tips e-mail
		const reasons = r.json('Node', 6).map((j) => ((j.care as IDataObject).reasons as IDataObject[]).at(-1)!.code);
		expect(reasons).toEqual(['frequencyCap', 'frequencyCap', 'frequencyCap', 'frequencyCap']);
	});
});

describe('Care Action › Retention Ledger credential', () => {
	it('a credential for Redis with Ledger set to PostgreSQL is refused with a clear message', async () => {
		const r = await runNode('careAction', decideParams('postgres', prefix, 'mismatch'), [{ customerId: 'm', name: 'M', product: 'P' }], ledgerCredentials(REDIS));
		expect(r.error?.message).toBe('The Retention Ledger credential is for Redis, but Ledger is set to PostgreSQL');
	});

	it('an unreachable server names the ledger, never the password', async () => {
		const r = await runNode('careAction', decideParams('postgres', prefix, 'down'), [{ customerId: 'm', name: 'M', product: 'P' }], ledgerCredentials({ ...PG, port: 1, password: 's3cret-pw' }));
		// n8n words connection refusals itself; our text stays in the description.
		const e = r.error as Error & { description?: string };
		expect(e.description).toMatch(new RegExp(`^Cannot open the postgres ledger "${prefix}": .*ECONNREFUSED`));
		expect(JSON.stringify({ m: e.message, d: e.description })).not.toContain('s3cret-pw');
	});

	it('the credential test logs in to PostgreSQL and Redis and reports failures', async () => {
		const test = async (data: IDataObject) =>
			await testLedgerCredential.call({} as never, { id: '1', name: 'ledger', type: 'retentionLedgerApi', data } as never);
		expect(await test(PG)).toEqual({ status: 'OK', message: 'Connection successful' });
		expect(await test(REDIS)).toEqual({ status: 'OK', message: 'Connection successful' });
		expect((await test({ ...PG, port: 1 })).status).toBe('Error');
		expect((await test({ ...REDIS, port: 1 })).status).toBe('Error');
	});
});
