/** Loads the CDNOW sample (../shared/data/cdnow, read in place) for the CLV tests and benchmarks. */
import { readFileSync } from 'fs';
import { resolve } from 'path';

import { summariseTransactions, type CustomerSummaries } from '../../../nodes/engine/clv/summary';
import { daysFromCivil } from '../../../nodes/shared/dates';

const projectRoot = resolve(__dirname, '..', '..', '..');
export const CDNOW_DIR = resolve(projectRoot, '..', 'shared', 'data', 'cdnow');

export interface SummaryFile {
	id: number[];
	frequency: number[];
	recency: number[];
	T: number[];
	/** Only in the "with transactions" file. */
	meanSpend: number[];
}

function readCsv(name: string): string[][] {
	return readFileSync(resolve(CDNOW_DIR, name), 'utf8')
		.trim()
		.split(/\r?\n/)
		.slice(1)
		.map((line) => line.split(','));
}

/** cdnow_customers_summary.csv (ID, frequency, recency, T in weeks). */
export function readSummaryFile(): SummaryFile {
	const rows = readCsv('cdnow_customers_summary.csv');
	return {
		id: rows.map((r) => +r[0]),
		frequency: rows.map((r) => +r[1]),
		recency: rows.map((r) => +r[2]),
		T: rows.map((r) => +r[3]),
		meanSpend: [],
	};
}

/** cdnow_customers_summary_with_transactions.csv (ID, x, t_x, T, zbar). */
export function readSummaryWithSpend(): SummaryFile {
	const rows = readCsv('cdnow_customers_summary_with_transactions.csv');
	return {
		id: rows.map((r) => +r[0]),
		frequency: rows.map((r) => +r[1]),
		recency: rows.map((r) => +r[2]),
		T: rows.map((r) => +r[3]),
		meanSpend: rows.map((r) => +r[4]),
	};
}

export interface RawTransactions {
	customer: Int32Array;
	day: Float64Array;
	amount: Float64Array;
	customerCount: number;
}

/** CDNOW_sample.txt: master id, sample id 1…2357, YYYYMMDD, CDs, dollars. Customer index = sample id − 1. */
export function readTransactions(): RawTransactions {
	const lines = readFileSync(resolve(CDNOW_DIR, 'CDNOW_sample.txt'), 'utf8').trim().split(/\r?\n/);
	const customer = new Int32Array(lines.length);
	const day = new Float64Array(lines.length);
	const amount = new Float64Array(lines.length);
	let customerCount = 0;
	lines.forEach((line, i) => {
		const c = line.trim().split(/\s+/);
		customer[i] = +c[1] - 1;
		day[i] = daysFromCivil(+c[2].slice(0, 4), +c[2].slice(4, 6), +c[2].slice(6, 8));
		amount[i] = +c[4];
		customerCount = Math.max(customerCount, customer[i] + 1);
	});
	return { customer, day, amount, customerCount };
}

export const CALIBRATION_END = daysFromCivil(1997, 9, 30);
export const OBSERVATION_END = daysFromCivil(1998, 6, 30);

/** The 39-week calibration / 39-week holdout summaries of the raw file, in weeks. */
export function cdnowSummaries(): CustomerSummaries {
	const tx = readTransactions();
	return summariseTransactions(tx, {
		customerCount: tx.customerCount,
		calibrationEnd: CALIBRATION_END,
		observationEnd: OBSERVATION_END,
		timeUnit: 'weeks',
	});
}
