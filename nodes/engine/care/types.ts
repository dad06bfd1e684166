/**
 * Shapes shared by the care engine (playbook → guardrails → decision) and the ledger backends.
 * Plain data only: everything here is JSON-serialisable so that decisions can be stored and echoed.
 */

/** Where a message goes. `crmTask` is a task for a person (personal outreach), `none` records only. */
export type Channel = 'email' | 'sms' | 'crmTask' | 'wecom' | 'webhook' | 'none';
export const CHANNELS: readonly Channel[] = ['email', 'sms', 'crmTask', 'wecom', 'webhook', 'none'];

/** The outputs of the Decide operation, in the order the node declares them. */
export type CareOutput = 'email' | 'sms' | 'crmTask' | 'other' | 'holdout' | 'deferred' | 'suppressed';
export const CARE_OUTPUTS: readonly CareOutput[] = [
	'email',
	'sms',
	'crmTask',
	'other',
	'holdout',
	'deferred',
	'suppressed',
];

/**
 * One counting rule the ledger checks atomically before it grants a send or a holdout: "at most `max`
 * earlier decisions matching `match` since `since`". Frequency caps, cooldowns and channel limits (WeCom's
 * 4 customer messages per calendar month) are all this one shape, so every backend implements one thing.
 * Earlier sends count toward every limit; earlier holdouts toward cooldowns only (`kind` says which).
 */
export interface CountLimit {
	kind: 'frequencyCap' | 'cooldown' | 'channelLimit';
	/** Which earlier decisions of the same customer count. */
	match: {
		channel?: string;
		action?: string;
		/** Only decisions that count toward frequency caps (transactional ones do not). */
		capOnly?: boolean;
	};
	/** Epoch ms: decisions planned at or after this instant count. */
	since: number;
	/** The cap: how many matching decisions may exist in the window, this one included. */
	max: number;
	/** The configured number shown to the user, e.g. the cap "2 per 24 h". */
	label: string;
	/** `since` starts a calendar period (the customer's day or month), not a rolling window. */
	calendar?: boolean;
	/**
	 * Where the period ends (exclusive): a calendar period's end, or a rolling window reaching as far after
	 * the send as before it. Sends planned from then on do not count.
	 */
	until?: number;
}

/** A request to the ledger: grant (and record) this decision unless a rule forbids it. */
export interface DecisionRequest {
	/** Idempotency key (customer + campaign + action + period), hashed. */
	key: string;
	/** Hashed customer id (the ledger never stores raw ids, which are often phone numbers). */
	customer: string;
	channel: Channel;
	topic: string;
	action: string;
	campaign: string;
	/**
	 * `send`, or `holdout`: the control group, recorded so that uplift can be measured. A holdout passes the
	 * same opt-out and limit checks as the send it stands for (held out only when it would have been sent);
	 * once granted it counts toward the cooldown of its action, never toward a frequency cap or channel limit.
	 */
	kind: 'send' | 'holdout';
	/** Planned send instant (epoch ms): now, or the sendAt of a deferred item. */
	at: number;
	countsTowardCap: boolean;
	limits: CountLimit[];
	/** Whether the ledger's opt-outs for (customer, channel, topic) apply. */
	checkOptOut: boolean;
}

export type VerdictStatus = 'granted' | 'duplicate' | 'limited' | 'optedOut';

export interface DecisionVerdict {
	key: string;
	status: VerdictStatus;
	/** The limit that stopped it (status `limited`). */
	limit?: CountLimit;
	/** How many matching decisions were already there (status `limited`). */
	count?: number;
	/** When the earlier decision with the same key was planned (status `duplicate`). */
	previousAt?: number;
}

/** One earlier decision as the limit check needs it. */
export interface HistoryEntry {
	key: string;
	channel: string;
	action: string;
	at: number;
	countsTowardCap: boolean;
	kind: 'send' | 'holdout';
}

export type OutcomeEvent =
	| 'sent'
	| 'delivered'
	| 'failed'
	| 'opened'
	| 'clicked'
	| 'converted'
	| 'optedOut'
	| 'bounced';
export const OUTCOME_EVENTS: readonly OutcomeEvent[] = [
	'sent',
	'delivered',
	'failed',
	'opened',
	'clicked',
	'converted',
	'optedOut',
	'bounced',
];

export interface OutcomeRecord {
	key: string;
	event: OutcomeEvent;
	at: number;
}

export interface OptOutRecord {
	customer: string;
	/** `*` = every channel. */
	channel: string;
	/** `*` = every topic. */
	topic: string;
	at: number;
}
