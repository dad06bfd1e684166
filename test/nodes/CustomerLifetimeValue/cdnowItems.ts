/** The CDNOW sample's transactions as n8n items (read in place from ../shared/data), up to a YYYYMMDD date. */
import type { IDataObject } from 'n8n-workflow';
import { readFileSync } from 'fs';
import { resolve } from 'path';

const CDNOW = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'cdnow', 'CDNOW_sample.txt');

export function cdnowTransactions(until = '19970930'): IDataObject[] {
	return readFileSync(CDNOW, 'utf8')
		.trim()
		.split(/\r?\n/)
		.map((line) => line.trim().split(/\s+/))
		.filter((c) => c[2] <= until)
		.map((c) => ({ customerId: c[1], date: c[2], amount: Number(c[4]) }));
}
