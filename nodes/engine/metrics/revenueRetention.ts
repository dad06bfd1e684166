/**
 * Revenue retention from per-customer MRR at the start and end of a period (metrics.md, "Revenue retention").
 *
 * Per customer with start MRR s and end MRR e:
 * - s > 0, e > s: expansion e − s;  s > 0, 0 < e < s: contraction s − e;  s > 0, e = 0: churned MRR s;
 * - s = 0, e > 0: reactivation MRR e when the customer had paid before the period, otherwise new MRR e.
 * NRR = (start MRR + expansion − contraction − churn) / start MRR — the fixed cohort present at the start;
 * new-customer revenue is excluded. GRR = (start MRR − contraction − churn) / start MRR, capped at 100 %.
 * Gross MRR churn = (churn + contraction) / start MRR; net MRR churn = (churn + contraction − expansion −
 * reactivation) / start MRR, which can be negative. Zero start MRR → null with a reason.
 */

import type { Language } from '../../shared/i18n';
import { toMillionths } from '../../shared/numbers';

import { neverActive } from './customerRetention';
import { noteText } from './notes';

export interface CustomerMrr {
	startMrr: number;
	endMrr: number;
	/** Paid before the period started (so a return is a reactivation, not new business). */
	previouslyPaying: boolean;
}

export interface RevenueRetentionResult {
	customersAtStart: number;
	startMrr: number;
	endMrr: number;
	expansionMrr: number;
	contractionMrr: number;
	churnedMrr: number;
	reactivationMrr: number;
	newMrr: number;
	expandedCustomers: number;
	contractedCustomers: number;
	churnedCustomers: number;
	reactivatedCustomers: number;
	newCustomers: number;
	netRevenueRetention: number | null;
	grossRevenueRetention: number | null;
	grossMrrChurnRate: number | null;
	netMrrChurnRate: number | null;
	notes: string[];
}

export function revenueRetention(customers: ArrayLike<CustomerMrr>, language: Language = 'en'): RevenueRetentionResult {
	const r: RevenueRetentionResult = {
		customersAtStart: 0,
		startMrr: 0,
		endMrr: 0,
		expansionMrr: 0,
		contractionMrr: 0,
		churnedMrr: 0,
		reactivationMrr: 0,
		newMrr: 0,
		expandedCustomers: 0,
		contractedCustomers: 0,
		churnedCustomers: 0,
		reactivatedCustomers: 0,
		newCustomers: 0,
		netRevenueRetention: null,
		grossRevenueRetention: null,
		grossMrrChurnRate: null,
		netMrrChurnRate: null,
		notes: [],
	};
	for (let i = 0; i < customers.length; i++) {
		// Compared at a millionth: a start MRR summed from 19.99 + 9.99 is 29.979999999999997, and must not
		// read as an expansion when the customer ends the period on 29.98.
		const s = toMillionths(customers[i].startMrr);
		const e = toMillionths(customers[i].endMrr);
		const { previouslyPaying } = customers[i];
		r.endMrr += e;
		if (s > 0) {
			r.customersAtStart++;
			r.startMrr += s;
			if (e === 0) {
				r.churnedMrr += s;
				r.churnedCustomers++;
			} else if (e > s) {
				r.expansionMrr += e - s;
				r.expandedCustomers++;
			} else if (e < s) {
				r.contractionMrr += s - e;
				r.contractedCustomers++;
			}
		} else if (e > 0) {
			if (previouslyPaying) {
				r.reactivationMrr += e;
				r.reactivatedCustomers++;
			} else {
				r.newMrr += e;
				r.newCustomers++;
			}
		}
	}
	const S = r.startMrr;
	if (S > 0) {
		r.netRevenueRetention = ((S + r.expansionMrr - r.contractionMrr - r.churnedMrr) / S) * 100;
		r.grossRevenueRetention = Math.min(((S - r.contractionMrr - r.churnedMrr) / S) * 100, 100);
		r.grossMrrChurnRate = ((r.churnedMrr + r.contractionMrr) / S) * 100;
		r.netMrrChurnRate = ((r.churnedMrr + r.contractionMrr - r.expansionMrr - r.reactivationMrr) / S) * 100;
	} else {
		r.notes.push(noteText('noRevenueAtStart', language));
	}
	return r;
}

/**
 * Per-customer start/end MRR from subscription rows, on the day rules of customerRetention.ts: a customer
 * counts at the instant that begins day B when a subscription is active on day B − 1 and one on day B
 * (start ≤ day < end; a renewal starting the day the previous row ends continues the customer), and their
 * MRR then is the sum over the subscriptions active on day B — the price going forward.
 */
export function mrrFromSubscriptions(
	rows: { customer: Int32Array; start: Int32Array; end: Int32Array; mrr: Float64Array },
	customerCount: number,
	periodStart: number,
	periodEnd: number,
): CustomerMrr[] {
	const out: CustomerMrr[] = Array.from({ length: customerCount }, () => ({
		startMrr: 0,
		endMrr: 0,
		previouslyPaying: false,
	}));
	// Per customer: covered on S − 1, S, E − 1, E (bits 1, 2, 4, 8) and the MRR active on S and on E.
	const covered = new Uint8Array(customerCount);
	const mrrOnStart = new Float64Array(customerCount);
	const mrrOnEnd = new Float64Array(customerCount);
	const on = (start: number, end: number, day: number) => start <= day && end > day;
	for (let i = 0; i < rows.customer.length; i++) {
		const k = rows.customer[i];
		const start = rows.start[i];
		const end = rows.end[i];
		if (neverActive(start, end)) continue;
		if (on(start, end, periodStart - 1)) covered[k] |= 1;
		if (on(start, end, periodStart)) {
			covered[k] |= 2;
			mrrOnStart[k] += rows.mrr[i];
		}
		if (on(start, end, periodEnd - 1)) covered[k] |= 4;
		if (on(start, end, periodEnd)) {
			covered[k] |= 8;
			mrrOnEnd[k] += rows.mrr[i];
		}
		if (start < periodStart && rows.mrr[i] > 0) out[k].previouslyPaying = true;
	}
	for (let k = 0; k < customerCount; k++) {
		if ((covered[k] & 3) === 3) out[k].startMrr = mrrOnStart[k];
		if ((covered[k] & 12) === 12) out[k].endMrr = mrrOnEnd[k];
	}
	return out;
}
