/**
 * Customer (logo) retention and churn over one period (metrics.md, "Customer (logo) retention and churn").
 *
 * Time is counted in whole local days. A subscription is active on day d when start ≤ d < end (the end
 * date is the day the customer stopped being a customer; no end = still active). A customer is active when
 * any of their subscriptions is. For a period [S, E) (E = the day after the last day):
 * - at start: a customer on day S − 1 and on day S, by any of their subscriptions (a subscription ending on
 *   day S with nothing starting that day churned at the boundary and belongs to the previous period; one
 *   renewed that very day continues);
 * - at end: a customer on day E − 1 and on day E;
 * - new: first subscription ever starts inside the period;
 * - reactivated: not at start, had been a customer before S, and starts again inside the period;
 * - churned: at start and not at end. ChartMogul's rule excludes customers who joined and churned in the
 *   same period (the default); `includeSamePeriodChurn` adds them to the churned count and, as Stripe's
 *   subscriber churn does, the new customers to the denominator: churned / (at start + new), so the rate
 *   stays a share of the customers who could have churned and never exceeds 100 %.
 * CRR = retained / at start, where retained = at end − new still active at end − reactivated still active at
 * end. This is the articles' (E − N) / S whenever every new customer is still active at the end, and it does
 * not count returning customers as retained. Churn rate = churned / at start (or / (at start + new), above).
 * Zero customers at the start makes both undefined: null with a reason.
 */

import type { Language } from '../../shared/i18n';

import { noteText } from './notes';

export interface SubscriptionColumns {
	/** Customer index per row (0 … customerCount − 1). */
	customer: Int32Array;
	/** First day of the subscription (local day number). */
	start: Int32Array;
	/** Day the subscription ended, or NO_END. */
	end: Int32Array;
}

export const NO_END = 2 ** 31 - 1;

/** A subscription that ends on (or before) its start day was never active: it counts nowhere (said in a note). */
export function neverActive(start: number, end: number): boolean {
	return end <= start;
}

export interface CustomerRetentionOptions {
	/** First day of the period. */
	periodStart: number;
	/** The day after the last day of the period. */
	periodEnd: number;
	includeSamePeriodChurn?: boolean;
	/** Language of the notes (English by default). */
	language?: Language;
}

export interface CustomerRetentionResult {
	customersAtStart: number;
	newCustomers: number;
	reactivatedCustomers: number;
	churnedCustomers: number;
	joinedAndChurned: number;
	customersAtEnd: number;
	retainedCustomers: number;
	retentionRate: number | null;
	churnRate: number | null;
	notes: string[];
}

export function customerRetention(
	rows: SubscriptionColumns,
	customerCount: number,
	options: CustomerRetentionOptions,
): CustomerRetentionResult {
	const { periodStart: S, periodEnd: E } = options;
	const starts: number[][] = Array.from({ length: customerCount }, () => []);
	const ends: number[][] = Array.from({ length: customerCount }, () => []);
	let neverActiveRows = 0;
	for (let r = 0; r < rows.customer.length; r++) {
		if (neverActive(rows.start[r], rows.end[r])) {
			neverActiveRows++;
			continue;
		}
		starts[rows.customer[r]].push(rows.start[r]);
		ends[rows.customer[r]].push(rows.end[r]);
	}
	let atStart = 0;
	let atEnd = 0;
	let fresh = 0;
	let freshAtEnd = 0;
	let reactivated = 0;
	let reactivatedAtEnd = 0;
	let churned = 0;
	let joinedAndChurned = 0;
	for (let c = 0; c < customerCount; c++) {
		const s = starts[c];
		if (s.length === 0) continue;
		const e = ends[c];
		const isAtStart = activeAt(s, e, S);
		const isAtEnd = activeAt(s, e, E);
		// A loop, not Math.min(...s): a customer can have hundreds of thousands of rows.
		let first = s[0];
		for (let k = 1; k < s.length; k++) if (s[k] < first) first = s[k];
		const isNew = first >= S && first < E;
		const returned = !isAtStart && !isNew && first < S && s.some((d) => d >= S && d < E);
		if (isAtStart) atStart++;
		if (isAtEnd) atEnd++;
		if (isNew) {
			fresh++;
			if (isAtEnd) freshAtEnd++;
			else joinedAndChurned++;
		}
		if (returned) {
			reactivated++;
			if (isAtEnd) reactivatedAtEnd++;
		}
		if (isAtStart && !isAtEnd) churned++;
	}
	const churnedCounted = churned + (options.includeSamePeriodChurn ? joinedAndChurned : 0);
	const churnBase = atStart + (options.includeSamePeriodChurn ? fresh : 0);
	const retained = atEnd - freshAtEnd - reactivatedAtEnd;
	const notes: string[] = [];
	if (atStart === 0) notes.push(noteText('noCustomersAtStart', options.language ?? 'en'));
	if (neverActiveRows > 0) notes.push(noteText('neverActiveRows', options.language ?? 'en', { count: neverActiveRows }));
	return {
		customersAtStart: atStart,
		newCustomers: fresh,
		reactivatedCustomers: reactivated,
		churnedCustomers: churnedCounted,
		joinedAndChurned,
		customersAtEnd: atEnd,
		retainedCustomers: retained,
		retentionRate: atStart === 0 ? null : (retained / atStart) * 100,
		churnRate: atStart === 0 ? null : (churnedCounted / churnBase) * 100,
		notes,
	};
}

/** Some subscription is active on `day` (start ≤ day < end). */
function covers(starts: ArrayLike<number>, ends: ArrayLike<number>, day: number): boolean {
	for (let i = 0; i < starts.length; i++) if (starts[i] <= day && ends[i] > day) return true;
	return false;
}

/**
 * A customer at the instant that begins `day`: a customer on the day before and on the day itself, by any
 * of their subscriptions — a renewal that starts the day the previous one ends (monthly billing rows
 * [12-01, 01-01) [01-01, 02-01)) is one continuous customer, not a churn and a return.
 */
export function activeAt(starts: ArrayLike<number>, ends: ArrayLike<number>, day: number): boolean {
	return covers(starts, ends, day - 1) && covers(starts, ends, day);
}
