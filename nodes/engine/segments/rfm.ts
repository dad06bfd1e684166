/**
 * RFM analysis (../shared/docs/metrics.md, RFM):
 * - Recency = days from the last purchase to the as-of day (default: the day after the last transaction).
 * - Frequency = distinct orders, or distinct purchase days.
 * - Monetary = total spend, or mean spend per order (per purchase day when frequency counts days);
 *   net of refunds or gross (refunds ignored) — pitfall 4 of metrics.md.
 * Scores by rank groups or fixed thresholds (./scoring.ts), codes R-F-M, segments by a map
 * (./segmentMaps.ts), and one summary row per segment.
 */
import { toMillionths } from '../../shared/numbers';

import { quantileScores, thresholdScores, type MeasureScores, type Scale } from './scoring';
import { codeIndex, type SegmentMap } from './segmentMaps';
import { defaultAsOfDay, isRefund, purchaseHistory, type PurchaseHistory, type TransactionColumns } from './transactions';

export type FrequencyBasis = 'orders' | 'purchaseDays';
export type MonetaryBasis = 'total' | 'mean';
export type RefundTreatment = 'net' | 'gross';

export interface RfmValueSettings {
	/** Day number of the as-of date; default the day after the last transaction. */
	asOfDay?: number;
	frequency: FrequencyBasis;
	monetary: MonetaryBasis;
	refunds: RefundTreatment;
}

/** Per-customer values, in customer order. `hasPurchase[c] = 0` marks customers that cannot be scored. */
export interface CustomerValues {
	asOfDay: number;
	recencyDays: Float64Array;
	frequency: Float64Array;
	monetary: Float64Array;
	/** Total spend by the same net / gross rule (for revenue shares, whatever the monetary basis). */
	spend: Float64Array;
	firstPurchaseDay: Int32Array;
	lastPurchaseDay: Int32Array;
	hasPurchase: Uint8Array;
	rowsAfterAsOf: number;
	/** The purchase history, when it was built (frequency by purchase days); lifecycle stages reuse it. */
	history?: PurchaseHistory;
}

/** Aggregates transactions to per-customer recency, frequency and monetary value in one pass over rows. */
export function customerValues(tx: TransactionColumns, settings: RfmValueSettings): CustomerValues {
	const customers = tx.customerCount;
	const asOfDay = settings.asOfDay ?? defaultAsOfDay(tx) ?? 0;
	const gross = new Float64Array(customers);
	const refunded = new Float64Array(customers);
	const orders = new Float64Array(customers);
	const firstPurchaseDay = new Int32Array(customers).fill(2147483647);
	const lastPurchaseDay = new Int32Array(customers).fill(-2147483648);
	const hasPurchase = new Uint8Array(customers);
	const seenOrder = tx.order ? new Uint8Array(tx.orderCount ?? 0) : undefined;
	let rowsAfterAsOf = 0;
	for (let i = 0; i < tx.customer.length; i++) {
		const day = tx.day[i];
		if (day > asOfDay) {
			rowsAfterAsOf++;
			continue;
		}
		const c = tx.customer[i];
		if (isRefund(tx, i)) {
			refunded[c] += Math.abs(tx.amount[i]);
			continue;
		}
		gross[c] += tx.amount[i];
		hasPurchase[c] = 1;
		if (day < firstPurchaseDay[c]) firstPurchaseDay[c] = day;
		if (day > lastPurchaseDay[c]) lastPurchaseDay[c] = day;
		// Without an order column (or without an order id on this row) a purchase row is one order.
		const o = seenOrder === undefined ? -1 : tx.order![i];
		if (o < 0) orders[c]++;
		else if (seenOrder![o] === 0) {
			seenOrder![o] = 1;
			orders[c]++;
		}
	}

	let frequency = orders;
	let history: PurchaseHistory | undefined;
	if (settings.frequency === 'purchaseDays') {
		history = purchaseHistory(tx, asOfDay);
		frequency = new Float64Array(customers);
		for (let c = 0; c < customers; c++) frequency[c] = history.start[c + 1] - history.start[c];
	}
	const recencyDays = new Float64Array(customers);
	const monetary = new Float64Array(customers);
	const spend = new Float64Array(customers);
	for (let c = 0; c < customers; c++) {
		spend[c] = settings.refunds === 'net' ? gross[c] - refunded[c] : gross[c];
		if (!hasPurchase[c]) {
			// Only refunds (or only rows after the as-of day): no purchase to measure; left unscored.
			firstPurchaseDay[c] = 0;
			lastPurchaseDay[c] = 0;
			continue;
		}
		recencyDays[c] = asOfDay - lastPurchaseDay[c];
		monetary[c] = settings.monetary === 'total' ? spend[c] : spend[c] / frequency[c];
	}
	return {
		asOfDay,
		recencyDays,
		frequency,
		monetary,
		spend,
		firstPurchaseDay,
		lastPurchaseDay,
		hasPurchase,
		rowsAfterAsOf,
		history,
	};
}

export type Scoring = { method: 'quantiles' } | { method: 'thresholds'; recency: number[]; frequency: number[]; monetary: number[] };

export type RfmMeasure = 'recency' | 'frequency' | 'monetary';

/** Problems worth telling the user; the node words them (labels.ts). */
export type RfmWarning =
	| { code: 'noScorableCustomers' }
	| { code: 'rowsAfterAsOf'; rows: number }
	| { code: 'customersWithoutPurchases'; customers: number }
	| { code: 'fewCustomers'; customers: number; scale: Scale }
	| { code: 'nonPositiveMonetary'; customers: number }
	| { code: 'singleValue'; measure: RfmMeasure; value: number; customers: number; score: number }
	| { code: 'fewLevels'; measure: RfmMeasure; levelsUsed: number; scale: Scale }
	| { code: 'frequencyTiesSplit'; value: number; customers: number; lowestScore: number; highestScore: number };

export interface CustomerScore {
	/** Customer index (input order). */
	customer: number;
	recencyDays: number | null;
	frequency: number | null;
	monetary: number | null;
	r: number | null;
	f: number | null;
	m: number | null;
	/** "545"; null when the customer could not be scored. */
	code: string | null;
	/** Segment index in the map's `segments`, or null (not scored, or no map). */
	segment: number | null;
	/** Why there is no score, when there is none. */
	unscoredReason: 'noPurchases' | null;
}

export interface SegmentSummary {
	segment: string;
	customers: number;
	/** Share of scored customers, %; null when no customer was scored. */
	customerShare: number | null;
	/** Share of the total spend of scored customers, %; null when that total is not positive. */
	revenueShare: number | null;
	revenue: number;
	meanRecencyDays: number | null;
	meanFrequency: number | null;
	meanMonetary: number | null;
}

export interface RfmResult {
	customers: CustomerScore[];
	summary: SegmentSummary[];
	warnings: RfmWarning[];
	scoredCustomers: number;
	totalRevenue: number;
}

function scoreMeasure(
	measure: RfmMeasure,
	values: Float64Array,
	scale: Scale,
	scoring: Scoring,
	warnings: RfmWarning[],
): MeasureScores {
	const direction = measure === 'recency' ? 'lowerIsBetter' : 'higherIsBetter';
	const result =
		scoring.method === 'thresholds'
			? thresholdScores(values, scoring[measure], direction)
			: quantileScores(values, scale, direction, measure === 'frequency' ? 'byFirstAppearance' : 'keepTogether');
	// With fixed thresholds empty scores are the user's choice; with quantiles they are a symptom.
	if (scoring.method === 'thresholds') return result;
	if (values.length > 1 && result.distinctValues === 1) {
		// Quintiles collapse: every customer has the same value, so the score says nothing about it.
		warnings.push({ code: 'singleValue', measure, value: values[0], customers: values.length, score: result.scores[0] });
	} else if (values.length >= scale && result.levelsUsed < scale) {
		warnings.push({ code: 'fewLevels', measure, levelsUsed: result.levelsUsed, scale });
	}
	if (result.largestSplitTie && result.distinctValues > 1) {
		warnings.push({ code: 'frequencyTiesSplit', ...result.largestSplitTie });
	}
	return result;
}

/**
 * Scores customers and assigns segments. `values` come from {@link customerValues} or from pre-aggregated
 * rows (then `spend` is the monetary total the user gave, or monetary × frequency for a mean).
 */
export function scoreRfm(
	values: Pick<CustomerValues, 'recencyDays' | 'frequency' | 'monetary' | 'spend' | 'hasPurchase'>,
	scale: Scale,
	scoring: Scoring,
	map: SegmentMap | null,
): RfmResult {
	const total = values.hasPurchase.length;
	const warnings: RfmWarning[] = [];
	const scored: number[] = [];
	for (let c = 0; c < total; c++) if (values.hasPurchase[c]) scored.push(c);
	const n = scored.length;
	if (n < total) warnings.push({ code: 'customersWithoutPurchases', customers: total - n });
	if (n === 0) warnings.push({ code: 'noScorableCustomers' });
	// Quantile scores rank customers against each other: with fewer customers than scores, some scores
	// cannot occur and a lone customer gets the middle one, which says nothing about them.
	if (scoring.method === 'quantiles' && n > 0 && n < scale) warnings.push({ code: 'fewCustomers', customers: n, scale });

	const pickValues = (all: Float64Array) => {
		const out = new Float64Array(n);
		for (let i = 0; i < n; i++) out[i] = all[scored[i]];
		return out;
	};
	const recency = pickValues(values.recencyDays);
	const frequency = pickValues(values.frequency);
	// Monetary values are scored rounded to a millionth, whichever way they came (summed from transactions
	// here, or summed upstream in pre-aggregated rows): sums of decimal amounts differ in the last bits
	// (1.1 + 2.2 ≠ 3.3), and the customers the output shows with the same value must tie, as the scoring
	// rule promises.
	const monetary = pickValues(values.monetary).map(toMillionths);
	let nonPositive = 0;
	for (let i = 0; i < n; i++) if (monetary[i] <= 0) nonPositive++;
	if (nonPositive > 0) warnings.push({ code: 'nonPositiveMonetary', customers: nonPositive });

	const rScores = scoreMeasure('recency', recency, scale, scoring, warnings).scores;
	const fScores = scoreMeasure('frequency', frequency, scale, scoring, warnings).scores;
	const mScores = scoreMeasure('monetary', monetary, scale, scoring, warnings).scores;

	const customers: CustomerScore[] = new Array(total);
	for (let c = 0; c < total; c++) {
		if (values.hasPurchase[c]) continue;
		customers[c] = {
			customer: c,
			recencyDays: null,
			frequency: null,
			monetary: null,
			r: null,
			f: null,
			m: null,
			code: null,
			segment: null,
			unscoredReason: 'noPurchases',
		};
	}
	// The k³ code strings once, not one new string per customer.
	const codeText: string[] = [];
	for (let r = 1; r <= scale; r++) for (let f = 1; f <= scale; f++) for (let m = 1; m <= scale; m++) codeText.push(`${r}${f}${m}`);
	const segmentCount = map ? map.segments.length : 0;
	const count = new Float64Array(segmentCount);
	const revenue = new Float64Array(segmentCount);
	const sumR = new Float64Array(segmentCount);
	const sumF = new Float64Array(segmentCount);
	const sumM = new Float64Array(segmentCount);
	let totalRevenue = 0;
	for (let i = 0; i < n; i++) {
		const c = scored[i];
		const r = rScores[i];
		const f = fScores[i];
		const m = mScores[i];
		const code = codeIndex(r, f, m, scale);
		const segment = map ? map.segmentOfCode[code] : -1;
		customers[c] = {
			customer: c,
			recencyDays: recency[i],
			frequency: frequency[i],
			monetary: monetary[i],
			r,
			f,
			m,
			code: codeText[code],
			segment: segment >= 0 ? segment : null,
			unscoredReason: null,
		};
		totalRevenue += values.spend[c];
		if (segment >= 0) {
			count[segment]++;
			revenue[segment] += values.spend[c];
			sumR[segment] += recency[i];
			sumF[segment] += frequency[i];
			sumM[segment] += monetary[i];
		}
	}
	const summary: SegmentSummary[] = [];
	for (let s = 0; s < segmentCount; s++) {
		const k = count[s];
		summary.push({
			segment: map!.segments[s],
			customers: k,
			customerShare: n > 0 ? (k / n) * 100 : null,
			revenueShare: totalRevenue > 0 ? (revenue[s] / totalRevenue) * 100 : null,
			revenue: revenue[s],
			meanRecencyDays: k > 0 ? sumR[s] / k : null,
			meanFrequency: k > 0 ? sumF[s] / k : null,
			meanMonetary: k > 0 ? sumM[s] / k : null,
		});
	}
	return { customers, summary, warnings, scoredCustomers: n, totalRevenue };
}

/** Transactions → values → scores and segments, with the as-of warning carried over. */
export function rfmFromTransactions(
	tx: TransactionColumns,
	settings: RfmValueSettings,
	scale: Scale,
	scoring: Scoring,
	map: SegmentMap | null,
): RfmResult & { values: CustomerValues } {
	const values = customerValues(tx, settings);
	const result = scoreRfm(values, scale, scoring, map);
	if (values.rowsAfterAsOf > 0) result.warnings.unshift({ code: 'rowsAfterAsOf', rows: values.rowsAfterAsOf });
	return { ...result, values };
}

