/**
 * The care ledger: one interface, three backends (n8n's de-duplication store, PostgreSQL, Redis).
 *
 * Every method is a batch operation (one round trip per batch, not per customer) and every write is
 * atomic per batch with respect to other executions using the same store — that is what makes caps
 * and idempotency hold when 8 executions, or several queue-mode workers, decide at the same time.
 * A backend holds a connection for one execution only and is closed at its end (`close`).
 */
import type {
	DecisionRequest,
	DecisionVerdict,
	OptOutRecord,
	OutcomeRecord,
} from '../../engine/care/types';

export type { DecisionRequest, DecisionVerdict, OptOutRecord, OutcomeRecord };

export type LedgerBackendName = 'embedded' | 'postgres' | 'redis';

export interface OutcomeResult {
	key: string;
	/** false when no decision with this idempotency key exists in the ledger. */
	known: boolean;
	/** false when this exact outcome (key + event) was recorded before: a repeated webhook. */
	isNew: boolean;
}

/** What one prune removed. */
export interface PruneResult {
	decisions: number;
	outcomes: number;
	/** Keys the Retention Trigger remembers to drop repeated webhook events (`claimOnce`). */
	eventIds: number;
}

export interface CareLedger {
	readonly backend: LedgerBackendName;

	/**
	 * Generic "have I seen this?": records the keys and returns those that were new, atomically
	 * (of two executions claiming the same key at the same time, exactly one gets it). Used for
	 * webhook event de-duplication as well as for care decisions.
	 */
	claimOnce(namespace: string, keys: readonly string[]): Promise<string[]>;

	/**
	 * Applies decision requests in the given order (callers sort by priority) with the rule of
	 * engine/care/limits.ts: duplicate key → `duplicate`; ledger opt-out → `optedOut`; a count
	 * limit reached → `limited`; otherwise the decision is recorded and `granted`.
	 */
	decide(requests: readonly DecisionRequest[]): Promise<DecisionVerdict[]>;

	/** Records delivery/engagement outcomes against earlier decisions (by idempotency key). */
	recordOutcomes(outcomes: readonly OutcomeRecord[]): Promise<OutcomeResult[]>;

	/** Records opt-outs; later decisions for that customer, channel and topic are `optedOut`. */
	optOut(entries: readonly OptOutRecord[]): Promise<void>;

	/**
	 * Removes what was recorded before `before` (epoch ms): decisions by their decision time (with their
	 * cap history), outcomes by when they occurred, event-de-duplication keys by when they were claimed.
	 * Opt-outs are never removed. Safe while other executions decide: only old records are touched.
	 */
	prune(before: number): Promise<PruneResult>;

	/** Ends the connection of this execution. */
	close(): Promise<void>;
}

/** Connection settings read from the package's Retention Ledger credential (backend PostgreSQL). */
export interface PostgresSettings {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	/** `disable`, `require` (encrypt) or `verify-full` (encrypt and check the certificate). */
	ssl?: boolean | string;
	/** n8n's "Ignore SSL Issues": encrypt but accept any certificate. */
	allowUnauthorizedCerts?: boolean;
	/** Table-name prefix (letters, digits, underscore), so that several ledgers can share a database. */
	tablePrefix: string;
	/** Requests per transaction. */
	batchSize?: number;
}

/** Connection settings read from the package's Retention Ledger credential (backend Redis). */
export interface RedisSettings {
	host: string;
	port: number;
	password?: string;
	user?: string;
	database?: number;
	ssl?: boolean;
	/** With ssl: check the server certificate (default true). */
	verifyCertificate?: boolean;
	keyPrefix: string;
	batchSize?: number;
	/** Records of each kind one prune script removes before Redis serves other clients again. */
	pruneChunk?: number;
}

/**
 * How long a ledger waits for a connection (including the server's first answer) and for any one statement:
 * a server that accepts connections but never answers fails the call instead of hanging it. PostgreSQL
 * statements may wait for another execution's batch lock, so they get longer than Redis commands (atomic
 * scripts that never wait for each other).
 */
export const LEDGER_CONNECT_TIMEOUT_MS = 10_000;
export const POSTGRES_STATEMENT_TIMEOUT_MS = 60_000;
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;
