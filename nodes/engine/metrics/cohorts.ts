/**
 * Acquisition-cohort retention tables (metrics.md, "Cohort retention tables").
 *
 * A customer's cohort is the period (calendar month or ISO week) of their first transaction. Cell k of a
 * cohort counts the customers active k periods after acquisition:
 * - classic ("return on"): with a transaction *in* period k — not monotone;
 * - unbounded ("return on or after"): with a transaction in period k *or later* — never increasing.
 * Rates divide by the cohort size. A cell whose period has not fully elapsed on the as-of day is null, and
 * is left out of the average curve (Σ active / Σ cohort size over complete cells). Reactivated customers stay
 * in their original cohort.
 */
import { civilFromDays, firstDayOfMonth, firstDayOfWeek, formatDay, formatMonth, formatWeek } from '../../shared/dates';

export type CohortGranularity = 'month' | 'week';

export interface CohortOptions {
	granularity: CohortGranularity;
	/** Number of periods after acquisition to show (cells 0 … maxPeriods). */
	maxPeriods: number;
	/** Last day that counts as observed (inclusive). */
	asOfDay: number;
}

export interface CohortRow {
	cohort: string;
	cohortStart: string;
	size: number;
	classicCounts: Array<number | null>;
	classicRates: Array<number | null>;
	unboundedCounts: Array<number | null>;
	unboundedRates: Array<number | null>;
}

export interface CohortTable {
	granularity: CohortGranularity;
	asOf: string;
	periods: number[];
	cohorts: CohortRow[];
	averageClassicRates: Array<number | null>;
	averageUnboundedRates: Array<number | null>;
	customers: number;
}

export function periodOfDay(day: number, granularity: CohortGranularity): number {
	if (granularity === 'week') return Math.floor((day + 3) / 7);
	const { year, month } = civilFromDays(day);
	return year * 12 + month - 1;
}

export function firstDayOfPeriod(period: number, granularity: CohortGranularity): number {
	return granularity === 'week' ? firstDayOfWeek(period) : firstDayOfMonth(period);
}

export function periodLabel(period: number, granularity: CohortGranularity): string {
	return granularity === 'week' ? formatWeek(period) : formatMonth(period);
}

export function cohortTable(
	customer: Int32Array,
	day: Int32Array,
	customerCount: number,
	options: CohortOptions,
): CohortTable {
	const { granularity, maxPeriods: K, asOfDay } = options;
	const width = K + 1;
	const period = new Int32Array(day.length);
	const first = new Int32Array(customerCount).fill(2 ** 31 - 1);
	// Month of a day is pure arithmetic, but consecutive rows often share a day: remember the last one.
	let lastDay = NaN;
	let lastPeriod = 0;
	for (let r = 0; r < day.length; r++) {
		const d = day[r];
		if (d !== lastDay) {
			lastDay = d;
			lastPeriod = periodOfDay(d, granularity);
		}
		period[r] = lastPeriod;
		// Transactions after the as-of day are not observed yet: they neither start a cohort nor count.
		if (d > asOfDay) continue;
		const c = customer[r];
		if (lastPeriod < first[c]) first[c] = lastPeriod;
	}
	const active = new Uint8Array(customerCount * width);
	const lastOffset = new Int32Array(customerCount);
	for (let r = 0; r < day.length; r++) {
		if (day[r] > asOfDay) continue;
		const c = customer[r];
		const k = period[r] - first[c];
		if (k <= K) active[c * width + k] = 1;
		if (k > lastOffset[c]) lastOffset[c] = k;
	}
	// Cohort index per customer, cohorts in time order.
	const cohortPeriods = Array.from(new Set(Array.from(first.subarray(0, customerCount)).filter((p) => p !== 2 ** 31 - 1))).sort((a, b) => a - b);
	const cohortIndex = new Map<number, number>(cohortPeriods.map((p, i) => [p, i]));
	const nCohorts = cohortPeriods.length;
	const size = new Int32Array(nCohorts);
	const classic = new Int32Array(nCohorts * width);
	const unbounded = new Int32Array(nCohorts * width);
	for (let c = 0; c < customerCount; c++) {
		if (first[c] === 2 ** 31 - 1) continue;
		const g = cohortIndex.get(first[c])!;
		size[g]++;
		const base = c * width;
		const reach = Math.min(lastOffset[c], K);
		for (let k = 0; k <= K; k++) if (active[base + k]) classic[g * width + k]++;
		for (let k = 0; k <= reach; k++) unbounded[g * width + k]++;
	}
	const complete = (p: number) => firstDayOfPeriod(p + 1, granularity) - 1 <= asOfDay;
	const cohorts: CohortRow[] = [];
	const sumClassic = new Float64Array(width);
	const sumUnbounded = new Float64Array(width);
	const sumSize = new Float64Array(width);
	for (let g = 0; g < nCohorts; g++) {
		const row: CohortRow = {
			cohort: periodLabel(cohortPeriods[g], granularity),
			cohortStart: formatDay(firstDayOfPeriod(cohortPeriods[g], granularity)),
			size: size[g],
			classicCounts: [],
			classicRates: [],
			unboundedCounts: [],
			unboundedRates: [],
		};
		for (let k = 0; k <= K; k++) {
			if (!complete(cohortPeriods[g] + k)) {
				row.classicCounts.push(null);
				row.classicRates.push(null);
				row.unboundedCounts.push(null);
				row.unboundedRates.push(null);
				continue;
			}
			const cc = classic[g * width + k];
			const uc = unbounded[g * width + k];
			row.classicCounts.push(cc);
			row.classicRates.push((cc / size[g]) * 100);
			row.unboundedCounts.push(uc);
			row.unboundedRates.push((uc / size[g]) * 100);
			sumClassic[k] += cc;
			sumUnbounded[k] += uc;
			sumSize[k] += size[g];
		}
		cohorts.push(row);
	}
	const averageClassicRates: Array<number | null> = [];
	const averageUnboundedRates: Array<number | null> = [];
	for (let k = 0; k <= K; k++) {
		averageClassicRates.push(sumSize[k] ? (sumClassic[k] / sumSize[k]) * 100 : null);
		averageUnboundedRates.push(sumSize[k] ? (sumUnbounded[k] / sumSize[k]) * 100 : null);
	}
	let customers = 0;
	for (let g = 0; g < nCohorts; g++) customers += size[g];
	return {
		granularity,
		asOf: formatDay(asOfDay),
		periods: Array.from({ length: width }, (_, k) => k),
		cohorts,
		averageClassicRates,
		averageUnboundedRates,
		customers,
	};
}
