/**
 * Feature schema of a churn model: which input fields it reads and how each becomes model columns.
 *
 * - Numeric fields are standardised, z = (x − mean) / standard deviation, with the mean and (population)
 *   standard deviation of the training rows, so that logistic-regression coefficients are comparable and a
 *   reason "coefficient × standardised value" reads as "how many standard deviations from the average
 *   customer, times how much that matters". A missing number is imputed with the training mean (z = 0:
 *   no effect) and reported, never read as zero.
 * - Categorical fields are one-hot encoded, one 0/1 column per category seen in training (no reference
 *   level is dropped: the L2 penalty keeps the fit unique). A category not seen in training, or a missing
 *   one, sets no column (no effect) under the "ignore" policy and is reported; the "error" policy refuses it.
 * - A constant field (one value in all training rows) carries no information: it stays in the schema, so
 *   scoring accepts it, but encodes to 0 and is listed in the fit report.
 */
import { toNfc } from '../../shared/fields';

export type FeatureValue = number | string | boolean | null | undefined;

export type FeatureType = 'numeric' | 'categorical';

export interface FeatureSpec {
	field: string;
	type: FeatureType;
}

export interface NumericFeature {
	field: string;
	type: 'numeric';
	mean: number;
	standardDeviation: number;
	constant: boolean;
}

export interface CategoricalFeature {
	field: string;
	type: 'categorical';
	/** Categories seen in training, sorted; one column each. */
	categories: string[];
	constant: boolean;
}

export type Feature = NumericFeature | CategoricalFeature;

export interface FeatureSchema {
	features: Feature[];
}

export interface Column {
	/** Index into `schema.features`. */
	feature: number;
	/** The category of a one-hot column. */
	category?: string;
	/** Readable name: `tenure`, or `contract = Two year`. */
	name: string;
}

export type UnseenCategoryPolicy = 'ignore' | 'error';

/** A value the engine cannot use; the adapter maps `row` to the item index. */
export class ChurnDataError extends Error {
	constructor(
		readonly row: number,
		readonly field: string,
		readonly value: unknown,
		readonly reason: string,
	) {
		super(`row ${row}: field "${field}" ${reason}`);
		this.name = 'ChurnDataError';
	}
}

/** More distinct values than this in a categorical field is almost surely an identifier or free text. */
export const MAX_CATEGORIES = 200;

/** Text form of a categorical value ("Yes", "3", "true"), or undefined when missing. */
export function categoryOf(value: FeatureValue): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'string') {
		// One category whatever its Unicode form ("Café" composed or with a combining accent).
		const s = toNfc(value.trim());
		return s === '' ? undefined : s;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
	return String(value);
}

function numericOf(value: FeatureValue, row: number, field: string): number | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number') {
		if (Number.isFinite(value)) return value;
		throw new ChurnDataError(row, field, value, 'is not a finite number');
	}
	if (typeof value === 'boolean') return value ? 1 : 0;
	throw new ChurnDataError(row, field, value, 'is not a number; declare the field categorical or fix the value');
}

/** Learns means, standard deviations and category lists from training rows (values in `specs` order). */
export function fitFeatureSchema(
	specs: readonly FeatureSpec[],
	rows: ReadonlyArray<readonly FeatureValue[]>,
	/** The caller's numbers of these rows, for error messages (default 0, 1, 2…). */
	rowNumbers?: ArrayLike<number>,
): FeatureSchema {
	const rowNumber = (r: number) => (rowNumbers ? rowNumbers[r] : r);
	const seenFields = new Set<string>();
	for (const spec of specs) {
		if (seenFields.has(spec.field)) throw new Error(`Feature field "${spec.field}" is listed twice`);
		seenFields.add(spec.field);
	}
	const features: Feature[] = specs.map((spec, f) => {
		if (spec.type === 'numeric') {
			let count = 0;
			let mean = 0;
			let m2 = 0;
			for (let r = 0; r < rows.length; r++) {
				const x = numericOf(rows[r][f], rowNumber(r), spec.field);
				if (x === undefined) continue;
				// Welford's update: stable for large values such as revenue in cents.
				count++;
				const delta = x - mean;
				mean += delta / count;
				m2 += delta * (x - mean);
			}
			if (count === 0) {
				throw new ChurnDataError(0, spec.field, undefined, 'is missing in every training row');
			}
			const standardDeviation = Math.sqrt(m2 / count);
			if (!Number.isFinite(mean) || !Number.isFinite(standardDeviation)) {
				throw new ChurnDataError(0, spec.field, undefined, 'has values too large to average (beyond about 1e154); use a smaller unit');
			}
			const constant = !(standardDeviation > 1e-12 * Math.max(1, Math.abs(mean)));
			return { field: spec.field, type: 'numeric', mean, standardDeviation: constant ? 0 : standardDeviation, constant };
		}
		const categories = new Set<string>();
		for (let r = 0; r < rows.length; r++) {
			const c = categoryOf(rows[r][f]);
			if (c === undefined) continue;
			categories.add(c);
			if (categories.size > MAX_CATEGORIES) {
				throw new ChurnDataError(
					rowNumber(r),
					spec.field,
					rows[r][f],
					`has more than ${MAX_CATEGORIES} distinct values; an identifier or free text cannot be a categorical feature`,
				);
			}
		}
		if (categories.size === 0) {
			throw new ChurnDataError(0, spec.field, undefined, 'is missing in every training row');
		}
		const sorted = [...categories].sort();
		return { field: spec.field, type: 'categorical', categories: sorted, constant: sorted.length < 2 };
	});
	return { features };
}

/** The model columns of a schema, in encoding order. */
export function columnsOf(schema: FeatureSchema): Column[] {
	const columns: Column[] = [];
	schema.features.forEach((feature, f) => {
		if (feature.type === 'numeric') columns.push({ feature: f, name: feature.field });
		else for (const category of feature.categories) columns.push({ feature: f, category, name: `${feature.field} = ${category}` });
	});
	return columns;
}

/** What happened to one value while encoding (for reasons and fit reports). */
export type ValueNote = 'missing' | 'unseen';

export interface Encoder {
	width: number;
	columns: Column[];
	/**
	 * Writes the columns of one row into `out` at `offset`; returns notes per feature (undefined when all
	 * values were used as they are).
	 */
	encode(row: readonly FeatureValue[], rowIndex: number, out: Float64Array, offset: number): Array<ValueNote | undefined> | undefined;
}

/** An encoder for a schema: precomputed column offsets and category lookups. */
export function makeEncoder(schema: FeatureSchema, unseen: UnseenCategoryPolicy = 'ignore'): Encoder {
	const columns = columnsOf(schema);
	const start: number[] = [];
	const lookup: Array<Map<string, number> | undefined> = [];
	let offset = 0;
	for (const feature of schema.features) {
		start.push(offset);
		if (feature.type === 'numeric') {
			lookup.push(undefined);
			offset += 1;
		} else {
			// A model written before categories were read in one Unicode form may hold another form.
			lookup.push(new Map(feature.categories.map((c, k) => [toNfc(c), k])));
			offset += feature.categories.length;
		}
	}
	const width = offset;
	const features = schema.features;
	return {
		width,
		columns,
		encode(row, rowIndex, out, at) {
			let notes: Array<ValueNote | undefined> | undefined;
			for (let f = 0; f < features.length; f++) {
				const feature = features[f];
				const base = at + start[f];
				if (feature.type === 'numeric') {
					const x = numericOf(row[f], rowIndex, feature.field);
					if (x === undefined) {
						out[base] = 0;
						(notes ??= [])[f] = 'missing';
					} else {
						out[base] = feature.constant ? 0 : (x - feature.mean) / feature.standardDeviation;
					}
					continue;
				}
				const map = lookup[f]!;
				const width = feature.categories.length;
				for (let k = 0; k < width; k++) out[base + k] = 0;
				const c = categoryOf(row[f]);
				if (c === undefined) {
					(notes ??= [])[f] = 'missing';
					continue;
				}
				const k = map.get(c);
				if (k === undefined) {
					if (unseen === 'error') {
						throw new ChurnDataError(
							rowIndex,
							feature.field,
							row[f],
							`has a category the model was not trained on (known: ${feature.categories.slice(0, 10).join(', ')}${feature.categories.length > 10 ? ', …' : ''})`,
						);
					}
					(notes ??= [])[f] = 'unseen';
					continue;
				}
				if (!feature.constant) out[base + k] = 1;
			}
			return notes;
		},
	};
}

/** Encodes many rows into one row-major matrix (n × width). */
export function encodeRows(
	schema: FeatureSchema,
	rows: ReadonlyArray<readonly FeatureValue[]>,
	unseen: UnseenCategoryPolicy = 'ignore',
): { matrix: Float64Array; width: number; columns: Column[]; missingCounts: number[]; unseenCounts: number[] } {
	const encoder = makeEncoder(schema, unseen);
	const matrix = new Float64Array(rows.length * encoder.width);
	const missingCounts = schema.features.map(() => 0);
	const unseenCounts = schema.features.map(() => 0);
	for (let r = 0; r < rows.length; r++) {
		const notes = encoder.encode(rows[r], r, matrix, r * encoder.width);
		if (!notes) continue;
		notes.forEach((note, f) => {
			if (note === 'missing') missingCounts[f]++;
			else if (note === 'unseen') unseenCounts[f]++;
		});
	}
	return { matrix, width: encoder.width, columns: encoder.columns, missingCounts, unseenCounts };
}

/**
 * Compares the fields a model needs with the fields the items have. Returns the missing fields (needed,
 * absent from every item) and the unexpected ones (present, not in the model) so that a renamed field
 * shows up in the error next to the name the model expects.
 */
export function compareFields(schema: FeatureSchema, presentFields: Iterable<string>): { missing: string[]; unexpected: string[] } {
	const present = new Set(presentFields);
	const needed = new Set(schema.features.map((f) => f.field));
	return {
		missing: [...needed].filter((f) => !present.has(f)),
		unexpected: [...present].filter((f) => !needed.has(f)).sort(),
	};
}
