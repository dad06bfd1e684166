import fc from 'fast-check';

import { InputError, coerceNumber, readAll, readBoolean, readId, readNumber, readString } from '../../nodes/shared/fields';

describe('field readers', () => {
	test('numbers: numbers and numeric strings only', () => {
		expect(readNumber({ a: '12.5' }, 'a', 0)).toBe(12.5);
		expect(readNumber({ a: -3 }, 'a', 0)).toBe(-3);
		// Beyond 10^15 a number is a unit or field mistake, and sums of them overflow.
		expect(readNumber({ a: 1e15 }, 'a', 0)).toBe(1e15);
		expect(() => readNumber({ a: -1e308 }, 'a', 4)).toThrow('Item 4: field "a" is too large (more than 10^15 in size); check the unit or the field (value: -1e+308)');
		expect(readNumber({ a: '1e3' }, 'a', 0)).toBe(1000);
		expect(() => readNumber({ a: '12abc' }, 'a', 4)).toThrow('Item 4: field "a" is not a number (value: "12abc")');
		// amounts with a currency sign or grouping are refused (a comma may be either separator) with how to write them
		for (const exported of ['¥1,299.00', '1 299,00', '$12', '12,50', "1'299.00", '99元']) {
			expect(() => readNumber({ a: exported }, 'a', 1)).toThrow(
				`Item 1: field "a" is not a number: write amounts as plain numbers such as 1299.50 (no currency sign, no thousands separator, a point for decimals; an Edit Fields node can strip them) (value: ${JSON.stringify(exported)})`,
			);
		}
		expect(() => readNumber({ a: NaN }, 'a', 0)).toThrow(/is not a number/);
		expect(() => readNumber({ a: Infinity }, 'a', 0)).toThrow(/is not a number/);
		expect(() => readNumber({ a: [1] }, 'a', 0)).toThrow(/is not a number/);
		expect(() => readNumber({}, 'a', 2)).toThrow('Item 2: field "a" is missing; a number is required');
		expect(() => readNumber({ a: -1 }, 'a', 0, { min: 0 })).toThrow('Item 0: field "a" must not be negative (value: -1)');
		expect(() => readNumber({ a: 11 }, 'a', 0, { max: 10 })).toThrow(/must be at most 10/);
	});

	test('coerceNumber never returns a non-finite number', () => {
		fc.assert(
			fc.property(fc.anything(), (value) => {
				const n = coerceNumber(value);
				expect(n === undefined || n === null || Number.isFinite(n)).toBe(true);
			}),
		);
	});

	test('identifiers: text or numbers, never empty', () => {
		expect(readId({ id: ' c1 ' }, 'id', 0)).toBe('c1');
		expect(readId({ id: 42 }, 'id', 0)).toBe('42');
		// one id whatever its Unicode form: "José" typed (NFC) or pasted decomposed (NFD)
		expect(readId({ id: 'Jose\u0301' }, 'id', 0)).toBe('Jos\u00e9');
		expect(readId({ customer: { id: 'x' } }, 'customer.id', 0)).toBe('x');
		expect(() => readId({ id: '  ' }, 'id', 3)).toThrow('Item 3: field "id" is missing or empty; an identifier is required (value: "  ")');
		expect(() => readId({ id: { a: 1 } }, 'id', 0)).toThrow(/is not an identifier/);
		// Beyond 2^53 neighbouring whole numbers are one double: such an id is refused (masked), not merged.
		expect(readId({ id: Number.MAX_SAFE_INTEGER }, 'id', 0)).toBe('9007199254740991');
		expect(() => readId({ id: 123456789012345678 }, 'id', 1)).toThrow(
			'Item 1: field "id" is a number beyond 9007199254740991, which cannot hold every id exactly (neighbouring ids round to the same number); send the id as text (value: "12••••••••80")',
		);
		expect(() => readId({ id: -1e21 }, 'id', 0)).toThrow(/send the id as text/);
	});

	test('booleans in English and Chinese', () => {
		expect(readBoolean({ a: '是' }, 'a', 0)).toBe(true);
		expect(readBoolean({ a: 'no' }, 'a', 0)).toBe(false);
		expect(() => readBoolean({ a: 'maybe' }, 'a', 0)).toThrow(/is not true or false/);
	});

	test('sensitive values are masked in errors', () => {
		const error = new InputError(1, 'phone', '13812345678', 'is not a valid phone number', true);
		expect(error.message).not.toContain('13812345678');
		expect(error.message).toContain('13••••••••78'.slice(0, 2));
	});

	test('readAll keeps good items and collects every bad one with its index', () => {
		const items = [{ json: { a: 1 } }, { json: { a: 'x' } }, { json: { a: 3 } }, { json: {} }];
		const { rows, itemIndexes, errors } = readAll(items, (json, i) => readNumber(json, 'a', i));
		expect(rows).toEqual([1, 3]);
		expect(itemIndexes).toEqual([0, 2]);
		expect(errors.map((e) => e.itemIndex)).toEqual([1, 3]);
		expect(() => readString({ s: '' }, 's', 0)).toThrow(/missing or empty/);
	});
});
