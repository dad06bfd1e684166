import {
	ChurnDataError,
	MAX_CATEGORIES,
	compareFields,
	encodeRows,
	fitFeatureSchema,
	type FeatureSpec,
} from '../../../nodes/engine/churn/encoding';

const specs: FeatureSpec[] = [
	{ field: 'tenure', type: 'numeric' },
	{ field: 'plan', type: 'categorical' },
];

describe('feature schema and encoding', () => {
	it('standardises with the population mean and standard deviation: hand case', () => {
		// tenure 2, 4, 6 → mean 4, sd sqrt((4+0+4)/3) = 1.63299…
		const schema = fitFeatureSchema(specs, [
			[2, 'Basic'],
			[4, 'Pro'],
			[6, 'Basic'],
		]);
		expect(schema.features[0]).toMatchObject({ field: 'tenure', mean: 4, constant: false });
		expect((schema.features[0] as { standardDeviation: number }).standardDeviation).toBeCloseTo(Math.sqrt(8 / 3), 12);
		expect(schema.features[1]).toEqual({ field: 'plan', type: 'categorical', categories: ['Basic', 'Pro'], constant: false });
		const { matrix, columns } = encodeRows(schema, [[7, 'Pro']]);
		expect(columns.map((c) => c.name)).toEqual(['tenure', 'plan = Basic', 'plan = Pro']);
		expect(matrix[0]).toBeCloseTo(3 / Math.sqrt(8 / 3), 12);
		expect(Array.from(matrix.subarray(1))).toEqual([0, 1]);
	});

	it('missing values: numeric → training mean (0), categorical → no column; counted', () => {
		const schema = fitFeatureSchema(specs, [
			[1, 'A'],
			[3, 'B'],
		]);
		const out = encodeRows(schema, [[null, ''], [undefined, 'A']]);
		expect(Array.from(out.matrix)).toEqual([0, 0, 0, 0, 1, 0]);
		expect(out.missingCounts).toEqual([2, 1]);
	});

	it('unseen categories: no effect under "ignore", a clear error under "error"', () => {
		const schema = fitFeatureSchema(specs, [
			[1, 'A'],
			[3, 'B'],
		]);
		const ignored = encodeRows(schema, [[1, 'Z']], 'ignore');
		expect(Array.from(ignored.matrix.subarray(1))).toEqual([0, 0]);
		expect(ignored.unseenCounts).toEqual([0, 1]);
		expect(() => encodeRows(schema, [[1, 'A'], [1, 'Z']], 'error')).toThrow(
			'row 1: field "plan" has a category the model was not trained on (known: A, B)',
		);
	});

	it('non-numeric values in a numeric field are refused, naming row, field and value', () => {
		let error: unknown;
		try {
			fitFeatureSchema(specs, [
				[1, 'A'],
				['12 days', 'A'],
			]);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ChurnDataError);
		expect(error).toMatchObject({ row: 1, field: 'tenure', value: '12 days' });
	});

	it('constant columns are kept in the schema but encode to 0', () => {
		const schema = fitFeatureSchema(specs, [
			[5, 'A'],
			[5, 'A'],
		]);
		expect(schema.features.map((f) => f.constant)).toEqual([true, true]);
		expect(Array.from(encodeRows(schema, [[9, 'A']]).matrix)).toEqual([0, 0]);
	});

	it('an identifier used as a category is refused', () => {
		const rows = Array.from({ length: MAX_CATEGORIES + 1 }, (_, i) => [1, `id-${i}`]);
		expect(() => fitFeatureSchema(specs, rows)).toThrow(/more than 200 distinct values/);
	});

	it('a field missing in every row, or listed twice, is refused', () => {
		expect(() => fitFeatureSchema(specs, [[null, 'A']])).toThrow(/"tenure" is missing in every training row/);
		expect(() => fitFeatureSchema([...specs, specs[0]], [[1, 'A', 1]])).toThrow(/listed twice/);
	});

	it('compareFields lists missing and unexpected fields', () => {
		const schema = fitFeatureSchema(specs, [
			[1, 'A'],
			[2, 'B'],
		]);
		expect(compareFields(schema, ['plan', 'tenure_months', 'id'])).toEqual({ missing: ['tenure'], unexpected: ['id', 'tenure_months'] });
	});
});
