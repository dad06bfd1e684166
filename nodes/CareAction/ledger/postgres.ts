/**
 * PostgreSQL ledger: exact windows, atomic under concurrent executions and across queue-mode workers.
 *
 * How a batch of decisions stays exact when 8 executions (or 8 workers) decide for the same customers:
 * each batch is one transaction that first takes transaction-level advisory locks on the customers'
 * lock buckets (1,024 buckets per ledger, taken in ascending order so two transactions can never wait
 * on each other in a cycle), then reads those customers' history, applies the shared rule of
 * engine/care/limits.ts, inserts the granted decisions and commits. Another transaction touching any
 * of those customers waits for the commit and then reads the new rows (READ COMMITTED takes a fresh
 * snapshot per statement). The idempotency key is also the primary key, a last line of defence.
 * A killed execution loses nothing that was committed and leaves nothing half-written.
 *
 * `pg` is required lazily inside `openPostgresLedger`, so that users of the other backends never load it.
 */
import type { Client as PgClient, ClientConfig } from 'pg';

import { applyBatch, earliestSince, type CustomerState } from '../../engine/care/limits';
import type { DecisionRequest, DecisionVerdict, HistoryEntry, OptOutRecord, OutcomeRecord } from '../../engine/care/types';
import { LEDGER_CONNECT_TIMEOUT_MS, POSTGRES_STATEMENT_TIMEOUT_MS, type CareLedger, type OutcomeResult, type PostgresSettings, type PruneResult } from './types';

const LOCK_BUCKETS = 1024;
const DEFAULT_BATCH = 5000;
/** Connections used at once for runs larger than one batch. */
const PARTITIONS = 2;

export function checkPrefix(prefix: string): string {
	if (!/^[a-z_][a-z0-9_]{0,40}$/i.test(prefix)) {
		throw new Error(`Table prefix "${prefix}" may contain only letters, digits and underscores (at most 41)`);
	}
	return prefix.toLowerCase();
}

/** A stable 31-bit number from a string (FNV-1a), for advisory-lock namespaces and buckets. */
function fnv31(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 1) & 0x7fffffff;
}

/** The advisory-lock namespace of the ledger with this (checked) table prefix. */
export function lockNamespace(prefix: string): number {
	return fnv31(`ledger:${prefix}`);
}

export function lockBucket(customer: string): number {
	return fnv31(customer) % LOCK_BUCKETS;
}

/** libpq's meaning of the modes: `require` encrypts, `verify-full` (or `verify`) also checks the certificate. */
function sslOption(settings: PostgresSettings): ClientConfig['ssl'] {
	const ssl = settings.ssl;
	if (ssl === undefined || ssl === false || ssl === 'disable' || ssl === '') return false;
	if (settings.allowUnauthorizedCerts === true) return { rejectUnauthorized: false };
	if (ssl === 'verify-full' || ssl === 'verify' || ssl === true) return { rejectUnauthorized: true };
	return { rejectUnauthorized: false };
}

function clientConfig(settings: PostgresSettings): ClientConfig {
	return {
		host: settings.host,
		port: settings.port,
		database: settings.database,
		user: settings.user,
		password: settings.password,
		ssl: sslOption(settings),
		application_name: 'n8n-nodes-retention care ledger',
		// A server that accepts the connection but never answers (overloaded, paused, half-open) must fail the
		// call, not hang it: a webhook owes its sender a 503, a Care Action execution an error.
		connectionTimeoutMillis: LEDGER_CONNECT_TIMEOUT_MS,
		query_timeout: POSTGRES_STATEMENT_TIMEOUT_MS,
	};
}

/** The driver, loaded on first use only: users of the other ledgers never load it. */
function loadPg(): typeof import('pg') {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require('pg') as typeof import('pg');
}

/** The credential test: can we log in and run a query? Creates nothing. */
export async function checkPostgres(settings: Omit<PostgresSettings, 'tablePrefix'>): Promise<void> {
	const client = new (loadPg().Client)(clientConfig({ ...settings, tablePrefix: 'x' }));
	try {
		await client.connect();
		await client.query('SELECT 1');
	} finally {
		await client.end().catch(() => undefined);
	}
}

export async function openPostgresLedger(settings: PostgresSettings): Promise<CareLedger> {
	const prefix = checkPrefix(settings.tablePrefix);
	const pg = loadPg();
	const connect = async (): Promise<PgClient> => {
		const c = new pg.Client(clientConfig(settings));
		await c.connect();
		return c;
	};
	const client = await connect();
	let ready = false;
	try {
		await ensureSchema(client, prefix);
		ready = true;
	} finally {
		if (!ready) await client.end().catch(() => undefined);
	}
	return new PostgresLedger(client, connect, prefix, settings.batchSize ?? DEFAULT_BATCH);
}

async function ensureSchema(client: PgClient, p: string): Promise<void> {
	// Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: serialise it.
	await client.query('BEGIN');
	let committed = false;
	try {
		await client.query('SELECT pg_advisory_xact_lock($1, 0)', [fnv31(`schema:${p}`)]);
		await client.query(`
			CREATE TABLE IF NOT EXISTS ${p}_decisions (
				key text NOT NULL,
				customer text NOT NULL,
				channel text NOT NULL,
				topic text NOT NULL,
				action text NOT NULL,
				campaign text NOT NULL,
				kind text NOT NULL,
				at bigint NOT NULL,
				counts_cap boolean NOT NULL,
				decided_at bigint NOT NULL,
				-- The idempotency key is derived from the customer, so (customer, key) is as unique as the
				-- key alone; one index serves key look-ups, history reads and uniqueness (faster inserts).
				PRIMARY KEY (customer, key)
			);
			CREATE TABLE IF NOT EXISTS ${p}_optouts (
				customer text NOT NULL, channel text NOT NULL, topic text NOT NULL, at bigint NOT NULL,
				PRIMARY KEY (customer, channel, topic)
			);
			CREATE TABLE IF NOT EXISTS ${p}_outcomes (
				key text NOT NULL, event text NOT NULL, at bigint NOT NULL, PRIMARY KEY (key, event)
			);
			CREATE TABLE IF NOT EXISTS ${p}_claims (
				namespace text NOT NULL, key text NOT NULL, at bigint NOT NULL, PRIMARY KEY (namespace, key)
			);`);
		await client.query('COMMIT');
		committed = true;
	} finally {
		if (!committed) await client.query('ROLLBACK').catch(() => undefined);
	}
}

const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

class PostgresLedger implements CareLedger {
	readonly backend = 'postgres' as const;
	private readonly lockNamespace: number;
	private readonly extraClients: PgClient[] = [];

	constructor(
		private readonly client: PgClient,
		private readonly connect: () => Promise<PgClient>,
		private readonly p: string,
		private readonly batchSize: number,
	) {
		this.lockNamespace = lockNamespace(p);
	}

	async claimOnce(namespace: string, keys: readonly string[]): Promise<string[]> {
		const out: string[] = [];
		for (let i = 0; i < keys.length; i += this.batchSize) {
			const res = await this.client.query<{ key: string }>(
				`INSERT INTO ${this.p}_claims (namespace, key, at)
				 SELECT $1, k, ${NOW_MS} FROM unnest($2::text[]) AS k
				 ON CONFLICT DO NOTHING RETURNING key`,
				[namespace, keys.slice(i, i + this.batchSize)],
			);
			for (const row of res.rows) out.push(row.key);
		}
		// RETURNING order is not guaranteed: give the new keys back in input order, once each.
		const fresh = new Set(out);
		const given = new Set<string>();
		return keys.filter((k) => {
			if (!fresh.has(k) || given.has(k)) return false;
			given.add(k);
			return true;
		});
	}

	/**
	 * Large runs go through PARTITIONS connections at once. Requests are split by lock bucket, so the
	 * partitions never share a customer (nor a lock): each customer's requests stay in one partition,
	 * in priority order, and the result is the same as one connection's — only sooner.
	 */
	async decide(requests: readonly DecisionRequest[]): Promise<DecisionVerdict[]> {
		const verdicts: DecisionVerdict[] = new Array(requests.length);
		const partitions = requests.length > this.batchSize ? PARTITIONS : 1;
		const indexes: number[][] = Array.from({ length: partitions }, () => []);
		requests.forEach((r, i) => indexes[lockBucket(r.customer) % partitions].push(i));
		while (this.extraClients.length < partitions - 1) this.extraClients.push(await this.connect());
		const clients = [this.client, ...this.extraClients];
		await Promise.all(
			indexes.map(async (part, p) => {
				for (let i = 0; i < part.length; i += this.batchSize) {
					const slice = part.slice(i, i + this.batchSize);
					const result = await this.decideBatch(clients[p], slice.map((j) => requests[j]));
					slice.forEach((j, k) => (verdicts[j] = result[k]));
				}
			}),
		);
		return verdicts;
	}

	private async decideBatch(c: PgClient, batch: readonly DecisionRequest[]): Promise<DecisionVerdict[]> {
		if (batch.length === 0) return [];
		const customers = [...new Set(batch.map((r) => r.customer))];
		const buckets = [...new Set(customers.map(lockBucket))].sort((a, b) => a - b);
		await c.query('BEGIN');
		let committed = false;
		try {
			// Sorted in a subquery so that locks are taken in ascending order.
			await c.query(
				'SELECT count(pg_advisory_xact_lock($1, b)) FROM (SELECT b FROM unnest($2::int[]) AS b ORDER BY b) AS s',
				[this.lockNamespace, buckets],
			);
			// One read for both the idempotency check and the history the limits need (same index): sends and
			// holdouts (which count toward cooldowns).
			const rows = await c.query<{ customer: string; key: string; channel: string; action: string; at: string; counts_cap: boolean; kind: string }>(
				`SELECT customer, key, channel, action, at, counts_cap, kind FROM ${this.p}_decisions
				 WHERE customer = ANY($1::text[]) AND (at >= $2 OR key = ANY($3::text[]))`,
				[customers, earliestSince(batch), batch.map((r) => r.key)],
			);
			const optOuts = batch.some((r) => r.checkOptOut)
				? await c.query<{ customer: string; channel: string; topic: string }>(
						`SELECT customer, channel, topic FROM ${this.p}_optouts WHERE customer = ANY($1::text[])`,
						[customers],
					)
				: { rows: [] };
			const wanted = new Set(batch.map((r) => r.key));
			const existingKeys = new Map<string, number>();
			const states = new Map<string, CustomerState>();
			const stateOf = (customer: string) => {
				let s = states.get(customer);
				if (!s) {
					s = { history: [], optOuts: new Set<string>() };
					states.set(customer, s);
				}
				return s;
			};
			for (const row of rows.rows) {
				if (wanted.has(row.key)) existingKeys.set(row.key, Number(row.at));
				if (row.kind !== 'send' && row.kind !== 'holdout') continue;
				const entry: HistoryEntry = {
					key: row.key,
					channel: row.channel,
					action: row.action,
					at: Number(row.at),
					countsTowardCap: row.counts_cap,
					kind: row.kind as HistoryEntry['kind'],
				};
				stateOf(row.customer).history.push(entry);
			}
			for (const row of optOuts.rows) (stateOf(row.customer).optOuts as Set<string>).add(`${row.channel}|${row.topic}`);
			const verdicts = applyBatch(batch, states, existingKeys);
			const granted = batch.filter((_r, i) => verdicts[i].status === 'granted');
			if (granted.length > 0) {
				await c.query(
					`INSERT INTO ${this.p}_decisions (key, customer, channel, topic, action, campaign, kind, at, counts_cap, decided_at)
					 SELECT k, cu, ch, t, a, ca, ki, at, cc, $10
					 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::boolean[])
					   AS u(k, cu, ch, t, a, ca, ki, at, cc)`,
					[
						granted.map((r) => r.key),
						granted.map((r) => r.customer),
						granted.map((r) => r.channel),
						granted.map((r) => r.topic),
						granted.map((r) => r.action),
						granted.map((r) => r.campaign),
						granted.map((r) => r.kind),
						granted.map((r) => r.at),
						granted.map((r) => r.countsTowardCap),
						Date.now(),
					],
				);
			}
			await c.query('COMMIT');
			committed = true;
			return verdicts;
		} finally {
			// Nothing of a failed batch stays: its decisions were not granted.
			if (!committed) await c.query('ROLLBACK').catch(() => undefined);
		}
	}

	async recordOutcomes(outcomes: readonly OutcomeRecord[]): Promise<OutcomeResult[]> {
		const known = new Set<string>();
		const inserted = new Set<string>();
		for (let i = 0; i < outcomes.length; i += this.batchSize) {
			const part = outcomes.slice(i, i + this.batchSize);
			const res = await this.client.query<{ known: string[] | null; inserted: string[] | null }>(
				`WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) AS t(key, event, at)),
				 known AS (SELECT DISTINCT d.key, d.customer, d.channel, d.topic FROM ${this.p}_decisions d
				   JOIN input i ON d.customer = split_part(i.key, '-', 1) AND d.key = i.key),
				 ins AS (
					INSERT INTO ${this.p}_outcomes (key, event, at)
					SELECT i.key, i.event, i.at FROM input i WHERE i.key IN (SELECT key FROM known)
					ON CONFLICT DO NOTHING RETURNING key, event),
				 opt AS (
					INSERT INTO ${this.p}_optouts (customer, channel, topic, at)
					SELECT k.customer, k.channel, k.topic, i.at FROM input i JOIN known k ON k.key = i.key
					WHERE i.event = 'optedOut'
					ON CONFLICT DO NOTHING RETURNING 1)
				 SELECT (SELECT array_agg(key) FROM known) AS known,
				        (SELECT array_agg(key || '|' || event) FROM ins) AS inserted,
				        (SELECT count(*) FROM opt) AS opted`,
				[part.map((o) => o.key), part.map((o) => o.event), part.map((o) => o.at)],
			);
			for (const k of res.rows[0].known ?? []) known.add(k);
			for (const k of res.rows[0].inserted ?? []) inserted.add(k);
		}
		const seen = new Set<string>();
		return outcomes.map((o) => {
			const id = `${o.key}|${o.event}`;
			const isNew = inserted.has(id) && !seen.has(id);
			seen.add(id);
			return { key: o.key, known: known.has(o.key), isNew };
		});
	}

	async optOut(entries: readonly OptOutRecord[]): Promise<void> {
		for (let i = 0; i < entries.length; i += this.batchSize) {
			const part = entries.slice(i, i + this.batchSize);
			await this.client.query(
				`INSERT INTO ${this.p}_optouts (customer, channel, topic, at)
				 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
				 ON CONFLICT DO NOTHING`,
				[part.map((e) => e.customer), part.map((e) => e.channel), part.map((e) => e.topic), part.map((e) => e.at)],
			);
		}
	}

	/**
	 * One DELETE per table, each its own statement: it takes row locks only on old rows, which deciding
	 * never reads for update, so it neither waits for nor blocks the advisory-locked decision batches.
	 */
	async prune(before: number): Promise<PruneResult> {
		const remove = async (table: string): Promise<number> => {
			const res = await this.client.query<{ n: string }>(
				`WITH gone AS (DELETE FROM ${this.p}_${table} WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM gone`,
				[before],
			);
			return Number(res.rows[0].n);
		};
		return { decisions: await remove('decisions'), outcomes: await remove('outcomes'), eventIds: await remove('claims') };
	}

	async close(): Promise<void> {
		await Promise.all([this.client, ...this.extraClients].map(async (c) => await c.end()));
	}
}
