/** Reads the IBM telco churn fixture (test/fixtures/churn/README.md) into feature rows and labels. */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { FeatureSpec, FeatureValue } from '../../../nodes/engine/churn/encoding';

export const TELCO_PATH = join(__dirname, '..', '..', 'fixtures', 'churn', 'telco-customer-churn.csv');

/** RFC 4180 lines without embedded newlines (true of this file). */
export function parseCsvLine(line: string): string[] {
	const out: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted) {
			if (ch === '"' && line[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			out.push(field);
			field = '';
		} else field += ch;
	}
	out.push(field);
	return out;
}

export const TELCO_NUMERIC = [
	'female',
	'senior_citizen',
	'partner',
	'dependents',
	'tenure',
	'phone_service',
	'paperless_billing',
	'monthly_charges',
	'total_charges',
];
export const TELCO_CATEGORICAL = [
	'multiple_lines',
	'internet_service',
	'online_security',
	'online_backup',
	'device_protection',
	'tech_support',
	'streaming_tv',
	'streaming_movies',
	'contract',
	'payment_method',
];

export function loadTelco(): { header: string[]; records: Array<Record<string, string>>; features: FeatureSpec[]; rows: FeatureValue[][]; labels: Uint8Array } {
	const lines = readFileSync(TELCO_PATH, 'utf8').split('\n').filter((l) => l.trim() !== '');
	const header = parseCsvLine(lines[0]);
	const records = lines.slice(1).map((line) => {
		const cells = parseCsvLine(line);
		return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
	});
	const features: FeatureSpec[] = [
		...TELCO_NUMERIC.map((field) => ({ field, type: 'numeric' as const })),
		...TELCO_CATEGORICAL.map((field) => ({ field, type: 'categorical' as const })),
	];
	const rows = records.map((r) =>
		features.map((f) => (f.type === 'numeric' ? (r[f.field] === '' ? null : Number(r[f.field])) : r[f.field])),
	);
	const labels = Uint8Array.from(records.map((r) => (r.churn === 'Yes' ? 1 : 0)));
	return { header, records, features, rows, labels };
}
