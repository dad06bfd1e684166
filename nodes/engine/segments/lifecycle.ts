/**
 * Lifecycle stages judged against each customer's own purchase rhythm (README.md, Customer Segments, "Lifecycle stages").
 *
 * Usual interval u = median of the days between a customer's consecutive distinct purchase days. One-time
 * buyers have no interval of their own: they are judged on the population's rhythm, the median of the
 * repeat buyers' usual intervals (or, when nobody bought twice, a default the user sets).
 *
 * With d = days from the last purchase to the as-of day and ratio = d / u:
 * - new          the first purchase is within the last `newCustomerDays` days (checked first);
 * - reactivated  ratio ≤ activeUpTo, and the gap before the latest purchase was more than atRiskUpTo × the
 *                interval the customer kept before that gap (their own median of the earlier intervals,
 *                or the population rhythm when the gap is their only interval): they had
 *                slipped to dormant or lost and came back;
 * - active       ratio ≤ activeUpTo;
 * - at risk      activeUpTo < ratio ≤ atRiskUpTo;
 * - dormant      atRiskUpTo < ratio ≤ dormantUpTo;
 * - lost         ratio > dormantUpTo.
 * Intervals are at least one day (distinct days), so no ratio divides by zero.
 */
import { sortRange, type PurchaseHistory } from './transactions';

export const STAGES = ['new', 'active', 'atRisk', 'dormant', 'lost', 'reactivated'] as const;
export type Stage = (typeof STAGES)[number];

export interface LifecycleSettings {
	asOfDay: number;
	/** A customer whose first purchase is at most this many days before the as-of day is new. */
	newCustomerDays: number;
	/** Multiples of the usual interval that end the active and at-risk stages and the dormant stage. */
	activeUpTo: number;
	atRiskUpTo: number;
	dormantUpTo: number;
	/** Interval used when no customer bought on two different days. */
	defaultIntervalDays: number;
}

export const DEFAULT_LIFECYCLE: Omit<LifecycleSettings, 'asOfDay'> = {
	newCustomerDays: 30,
	activeUpTo: 1.5,
	atRiskUpTo: 3,
	dormantUpTo: 6,
	defaultIntervalDays: 30,
};

/** Where the usual interval came from. */
export type IntervalSource = 'own' | 'population' | 'default';

export interface CustomerStage {
	customer: number;
	stage: Stage | null;
	/** Why there is no stage (no purchase on or before the as-of day). */
	unstagedReason: 'noPurchases' | null;
	purchaseDays: number;
	firstPurchaseDay: number | null;
	lastPurchaseDay: number | null;
	daysSinceLastPurchase: number | null;
	usualIntervalDays: number | null;
	intervalSource: IntervalSource | null;
	/** daysSinceLastPurchase / usualIntervalDays. */
	ratio: number | null;
	/** For reactivated customers: the gap before the latest purchase and the rhythm it is judged against. */
	comebackGapDays: number | null;
	previousIntervalDays: number | null;
}

export type LifecycleWarning =
	| { code: 'populationInterval'; customers: number; intervalDays: number }
	| { code: 'defaultInterval'; customers: number; intervalDays: number }
	| { code: 'customersWithoutPurchases'; customers: number }
	| { code: 'rowsAfterAsOf'; rows: number };

export interface LifecycleResult {
	customers: CustomerStage[];
	/** Median of the repeat buyers' usual intervals; null when nobody bought on two days. */
	populationIntervalDays: number | null;
	warnings: LifecycleWarning[];
}

/** Median of a sorted slice; the mean of the two middle values for an even count. */
function medianSorted(values: ArrayLike<number>, from: number, to: number): number {
	const n = to - from;
	const mid = from + (n >> 1);
	return n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** Median of the intervals between days[from … to−1] (sorted, distinct), using `scratch` as work space. */
function medianInterval(days: Int32Array, from: number, to: number, scratch: Float64Array): number {
	const k = to - from - 1;
	for (let i = 0; i < k; i++) scratch[i] = days[from + i + 1] - days[from + i];
	sortRange(scratch, 0, k);
	return medianSorted(scratch, 0, k);
}

export function lifecycleStages(history: PurchaseHistory, settings: LifecycleSettings): LifecycleResult {
	const customerCount = history.start.length - 1;
	const { start, days } = history;
	let longest = 0;
	for (let c = 0; c < customerCount; c++) longest = Math.max(longest, start[c + 1] - start[c]);
	const scratch = new Float64Array(Math.max(longest, 1));

	// Own rhythm of every repeat buyer; the population rhythm is their median.
	const own = new Float64Array(customerCount);
	const repeatIntervals = new Float64Array(customerCount);
	let repeatBuyers = 0;
	for (let c = 0; c < customerCount; c++) {
		if (start[c + 1] - start[c] >= 2) {
			own[c] = medianInterval(days, start[c], start[c + 1], scratch);
			repeatIntervals[repeatBuyers++] = own[c];
		}
	}
	const sortedRepeat = repeatIntervals.subarray(0, repeatBuyers).sort();
	const populationIntervalDays = repeatBuyers ? medianSorted(sortedRepeat, 0, repeatBuyers) : null;
	const fallback = populationIntervalDays ?? settings.defaultIntervalDays;
	const fallbackSource: IntervalSource = populationIntervalDays === null ? 'default' : 'population';

	const customers: CustomerStage[] = new Array(customerCount);
	let onFallback = 0;
	let withoutPurchases = 0;
	for (let c = 0; c < customerCount; c++) {
		const from = start[c];
		const to = start[c + 1];
		const count = to - from;
		if (count === 0) {
			withoutPurchases++;
			customers[c] = {
				customer: c,
				stage: null,
				unstagedReason: 'noPurchases',
				purchaseDays: 0,
				firstPurchaseDay: null,
				lastPurchaseDay: null,
				daysSinceLastPurchase: null,
				usualIntervalDays: null,
				intervalSource: null,
				ratio: null,
				comebackGapDays: null,
				previousIntervalDays: null,
			};
			continue;
		}
		const first = days[from];
		const last = days[to - 1];
		const since = settings.asOfDay - last;
		const usual = count >= 2 ? own[c] : fallback;
		const source: IntervalSource = count >= 2 ? 'own' : fallbackSource;
		if (count < 2) onFallback++;
		const ratio = since / usual;
		let stage: Stage;
		let comebackGapDays: number | null = null;
		let previousIntervalDays: number | null = null;
		if (settings.asOfDay - first <= settings.newCustomerDays) stage = 'new';
		else if (ratio <= settings.activeUpTo) {
			stage = 'active';
			if (count >= 2) {
				const gap = last - days[to - 2];
				// The rhythm before the gap: the customer's own when the gap is not their only interval.
				const previous = count >= 3 ? medianInterval(days, from, to - 1, scratch) : fallback;
				if (gap > settings.atRiskUpTo * previous) {
					stage = 'reactivated';
					comebackGapDays = gap;
					previousIntervalDays = previous;
				}
			}
		} else if (ratio <= settings.atRiskUpTo) stage = 'atRisk';
		else if (ratio <= settings.dormantUpTo) stage = 'dormant';
		else stage = 'lost';
		customers[c] = {
			customer: c,
			stage,
			unstagedReason: null,
			purchaseDays: count,
			firstPurchaseDay: first,
			lastPurchaseDay: last,
			daysSinceLastPurchase: since,
			usualIntervalDays: usual,
			intervalSource: source,
			ratio,
			comebackGapDays,
			previousIntervalDays,
		};
	}
	const warnings: LifecycleWarning[] = [];
	if (onFallback > 0) {
		warnings.push({
			code: fallbackSource === 'default' ? 'defaultInterval' : 'populationInterval',
			customers: onFallback,
			intervalDays: fallback,
		});
	}
	if (withoutPurchases > 0) warnings.push({ code: 'customersWithoutPurchases', customers: withoutPurchases });
	if (history.rowsAfterAsOf > 0) warnings.push({ code: 'rowsAfterAsOf', rows: history.rowsAfterAsOf });
	return { customers, populationIntervalDays, warnings };
}
