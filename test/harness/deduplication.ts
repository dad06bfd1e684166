/**
 * An in-process stand-in for the n8n server's data de-duplication store, registered through
 * n8n-core's DataDeduplicationService, so that `this.helpers.checkProcessedAndRecord` works in the
 * harness exactly as it reaches the store in n8n.
 *
 * It mirrors n8n 2.x's DeduplicationHelper (packages/cli/src/deduplication/deduplication-helper.ts)
 * for mode `entries`: one row per (workflow id, context) holding a list of MD5/base64 value hashes;
 * every call reads the row, changes the list in memory and writes it back, without a lock. The
 * read and the write are separate awaits (as the two database round trips are), so executions that
 * run concurrently interleave the way they do against n8n's database — including lost updates and
 * the unique-key failure when two executions create the same row at once.
 */
import { createHash } from 'crypto';
import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

interface Row {
	mode: string;
	data: string[];
}

/** One database round trip: lets other executions run in between, as a real query does. */
const roundTrip = async () => await new Promise<void>((resolve) => setImmediate(resolve));

export class InProcessDeduplicator implements IDataDeduplicator {
	/** Rows by `workflowId|context`, stored as JSON like the database column. */
	readonly rows = new Map<string, string>();
	/** Calls by kind, for tests that count round trips. */
	readonly calls = { checkProcessedAndRecord: 0, removeProcessed: 0 };

	private rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		const context = scope === 'node' ? `n:${contextData.node?.id ?? ''}` : '';
		return `${String(contextData.workflow.id)}|${context}`;
	}

	private static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	private async read(key: string): Promise<Row | undefined> {
		await roundTrip();
		const json = this.rows.get(key);
		return json === undefined ? undefined : (JSON.parse(json) as Row);
	}

	private async write(key: string, row: Row, insert: boolean): Promise<void> {
		await roundTrip();
		if (insert && this.rows.has(key)) {
			throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
		}
		this.rows.set(key, JSON.stringify(row));
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.calls.checkProcessedAndRecord++;
		if (options.mode !== 'entries') throw new Error('The harness store implements mode "entries" only');
		const key = this.rowKey(scope, contextData);
		const row = await this.read(key);
		if (row && row.mode !== options.mode) throw new Error('Deduplication data was saved with another mode');
		const hashed = items.map(InProcessDeduplicator.hash);
		if (!row) {
			if (options.maxEntries) hashed.splice(0, hashed.length - options.maxEntries);
			await this.write(key, { mode: options.mode, data: hashed }, true);
			return { new: items, processed: [] };
		}
		const out: IDeduplicationOutput = { new: [], processed: [] };
		const seen = new Set(row.data);
		hashed.forEach((h, i) => {
			if (seen.has(h)) out.processed.push(items[i]);
			else {
				out.new.push(items[i]);
				row.data.push(h);
				seen.add(h);
			}
		});
		if (options.maxEntries) row.data.splice(0, row.data.length - options.maxEntries);
		await this.write(key, row, false);
		return out;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		this.calls.removeProcessed++;
		const key = this.rowKey(scope, contextData);
		const row = await this.read(key);
		if (!row) return;
		// As n8n 2.41.1 does it (DeduplicationHelper.removeProcessed): one findIndex + splice per item, so
		// removing m keys from a list of n costs about n × m — the embedded ledger's look-ups pay this.
		for (const h of items.map(InProcessDeduplicator.hash)) {
			const index = row.data.findIndex((value) => value === h);
			if (index !== -1) row.data.splice(index, 1);
		}
		await this.write(key, row, false);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.rows.delete(this.rowKey(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<number> {
		const json = this.rows.get(this.rowKey(scope, contextData));
		return json === undefined ? 0 : (JSON.parse(json) as Row).data.length;
	}
}

/**
 * Registers the in-process store with n8n-core once per test process (n8n-core allows one
 * initialisation) and returns it. Tests should use distinct workflow ids or ledger names.
 */
export async function useInProcessDeduplication(): Promise<InProcessDeduplicator> {
	try {
		const service = DataDeduplicationService.getInstance() as unknown as { deduplicator: unknown };
		if (service.deduplicator instanceof InProcessDeduplicator) return service.deduplicator;
		throw new Error('Another de-duplication store is registered in this process');
	} catch (error) {
		if ((error as Error).message.startsWith('Another')) throw error;
		const store = new InProcessDeduplicator();
		await DataDeduplicationService.init(store);
		return store;
	}
}
