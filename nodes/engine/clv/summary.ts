/**
 * Per-customer summaries (frequency, recency, T, mean repeat spend) from raw transactions, as the models
 * define them (Fader, Hardie & Lee 2005, §2; Fader & Hardie's Gamma-Gamma note, 2013):
 * - transactions are grouped to distinct purchase days (several orders on one day are one purchase);
 * - frequency x = distinct purchase days in the calibration period − 1 (repeat purchases);
 * - recency t_x = (last − first purchase day) / unit; T = (calibration end − first purchase day) / unit;
 * - mean spend = mean of the daily totals of the repeat purchase days (the first purchase is excluded, as
 *   in the Gamma-Gamma note); 0 when x = 0;
 * - holdout: distinct purchase days and spend after the calibration end, up to the observation end.
 * Days are local day numbers (nodes/shared/dates.ts); the calibration end day itself is in calibration.
 */
import { ClvInputError, DAYS_PER_UNIT, type TimeUnit } from './model';

export interface Transactions {
	/** Customer index (0 … customerCount − 1) of each transaction. */
	customer: ArrayLike<number>;
	/** Local day number of each transaction. */
	day: ArrayLike<number>;
	/** Amount of each transaction (0 when unknown). */
	amount?: ArrayLike<number>;
}

export interface SummaryOptions {
	customerCount: number;
	/** Last day of the calibration period (inclusive). */
	calibrationEnd: number;
	/** Last day of the holdout period (inclusive); default: no holdout. */
	observationEnd?: number;
	timeUnit: TimeUnit;
}

export interface CustomerSummaries {
	timeUnit: TimeUnit;
	/** 1 when the customer bought in the calibration period (and can be scored). */
	inCalibration: Uint8Array;
	frequency: Float64Array;
	recency: Float64Array;
	T: Float64Array;
	/** Mean daily spend of the repeat purchase days (0 when x = 0). */
	meanRepeatSpend: Float64Array;
	/** Everything spent in the calibration period, first purchase included. */
	calibrationSpend: Float64Array;
	firstPurchaseDay: Float64Array;
	lastPurchaseDay: Float64Array;
	/** Distinct purchase days after the calibration end, up to the observation end. */
	holdoutPurchases: Float64Array;
	holdoutSpend: Float64Array;
	/** Holdout length in time units (0 without a holdout). */
	holdoutLength: number;
}

export function summariseTransactions(tx: Transactions, options: SummaryOptions): CustomerSummaries {
	const n = tx.customer.length;
	const { customerCount, calibrationEnd, timeUnit } = options;
	if (tx.day.length !== n || (tx.amount && tx.amount.length !== n)) {
		throw new ClvInputError('customer, day and amount must have the same length');
	}
	const observationEnd = options.observationEnd ?? calibrationEnd;
	if (observationEnd < calibrationEnd) {
		throw new ClvInputError('the observation end must not be before the calibration end', undefined, 'observationEnd', observationEnd);
	}
	const unit = DAYS_PER_UNIT[timeUnit];
	// Bucket transactions by customer (counting sort), then order each customer's few rows by day.
	const counts = new Int32Array(customerCount + 1);
	for (let i = 0; i < n; i++) {
		const c = tx.customer[i];
		if (!Number.isInteger(c) || c < 0 || c >= customerCount) {
			throw new ClvInputError(`transaction ${i}: customer index ${c} out of range`, i, 'customer', c);
		}
		if (!Number.isFinite(tx.day[i])) throw new ClvInputError(`transaction ${i}: day is not a number`, i, 'day', tx.day[i]);
		counts[c + 1]++;
	}
	for (let c = 0; c < customerCount; c++) counts[c + 1] += counts[c];
	const order = new Int32Array(n);
	const fill = counts.slice(0, customerCount);
	for (let i = 0; i < n; i++) order[fill[tx.customer[i]]++] = i;

	const out: CustomerSummaries = {
		timeUnit,
		inCalibration: new Uint8Array(customerCount),
		frequency: new Float64Array(customerCount),
		recency: new Float64Array(customerCount),
		T: new Float64Array(customerCount),
		meanRepeatSpend: new Float64Array(customerCount),
		calibrationSpend: new Float64Array(customerCount),
		firstPurchaseDay: new Float64Array(customerCount).fill(NaN),
		lastPurchaseDay: new Float64Array(customerCount).fill(NaN),
		holdoutPurchases: new Float64Array(customerCount),
		holdoutSpend: new Float64Array(customerCount),
		holdoutLength: (observationEnd - calibrationEnd) / unit,
	};
	const day = tx.day;
	const amount = tx.amount;
	for (let c = 0; c < customerCount; c++) {
		const slice = order.subarray(counts[c], counts[c + 1]);
		if (slice.length === 0) continue;
		slice.sort((i, j) => day[i] - day[j]);
		let first = NaN;
		let last = NaN;
		let distinctDays = 0;
		let repeatSpend = 0;
		let spend = 0;
		let holdoutDays = 0;
		let holdoutSpend = 0;
		let previousDay = NaN;
		for (let k = 0; k < slice.length; k++) {
			const i = slice[k];
			const d = day[i];
			const value = amount ? amount[i] : 0;
			if (d > observationEnd) break;
			const newDay = d !== previousDay;
			previousDay = d;
			if (d <= calibrationEnd) {
				if (newDay) {
					distinctDays++;
					if (distinctDays === 1) first = d;
					last = d;
				}
				spend += value;
				if (distinctDays > 1) repeatSpend += value;
			} else {
				if (newDay) holdoutDays++;
				holdoutSpend += value;
			}
		}
		out.holdoutPurchases[c] = holdoutDays;
		out.holdoutSpend[c] = holdoutSpend;
		if (distinctDays === 0) continue;
		const x = distinctDays - 1;
		out.inCalibration[c] = 1;
		out.frequency[c] = x;
		out.recency[c] = (last - first) / unit;
		out.T[c] = (calibrationEnd - first) / unit;
		out.meanRepeatSpend[c] = x > 0 ? repeatSpend / x : 0;
		out.calibrationSpend[c] = spend;
		out.firstPurchaseDay[c] = first;
		out.lastPurchaseDay[c] = last;
	}
	return out;
}
