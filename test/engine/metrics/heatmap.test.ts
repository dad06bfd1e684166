import { inflateSync } from 'zlib';

import { cohortTable } from '../../../nodes/engine/metrics/cohorts';
import { heatmapPng, heatmapSvg } from '../../../nodes/engine/metrics/heatmap';
import { crc32, encodePalettePng } from '../../../nodes/engine/render/png';

const text = { title: 'Cohort retention', cohortHeader: 'Cohort', sizeHeader: 'Size', periodHeader: 'Months', averageRow: 'Avg', footnote: 'note' };

/** Reads PNG chunks, checking every CRC, and inflates the image data with zlib (an independent decoder). */
function decode(png: Uint8Array) {
	const buf = Buffer.from(png);
	expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	let at = 8;
	const chunks: Record<string, Buffer> = {};
	while (at < buf.length) {
		const len = buf.readUInt32BE(at);
		const type = buf.subarray(at + 4, at + 8).toString('latin1');
		const data = buf.subarray(at + 8, at + 8 + len);
		expect(buf.readUInt32BE(at + 8 + len)).toBe(crc32(buf.subarray(at + 4, at + 8 + len)));
		chunks[type] = data;
		at += 12 + len;
	}
	const width = chunks.IHDR.readUInt32BE(0);
	const height = chunks.IHDR.readUInt32BE(4);
	return { width, height, raw: inflateSync(chunks.IDAT), palette: chunks.PLTE, end: 'IEND' in chunks };
}

describe('PNG encoder', () => {
	test('zlib inflates our DEFLATE stream back to the exact pixels', () => {
		const width = 37;
		const height = 23;
		const pixels = new Uint8Array(width * height);
		for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 13 < 9 ? 1 : (i % 5) + 2; // runs and noise
		const png = encodePalettePng(width, height, Uint8Array.from([0, 0, 0, 255, 255, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]), pixels);
		const { width: w, height: h, raw, end } = decode(png);
		expect([w, h, end]).toEqual([width, height, true]);
		for (let y = 0; y < height; y++) {
			expect(raw[y * (width + 1)]).toBe(0);
			expect(Buffer.from(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)))).toEqual(Buffer.from(pixels.subarray(y * width, (y + 1) * width)));
		}
	});

	test('crc32 of "123456789" is the standard check value', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
	});
});

describe('cohort heatmap', () => {
	const table = cohortTable(Int32Array.from([0, 0, 1]), Int32Array.from([20089, 20120, 20100]), 2, { granularity: 'month', maxPeriods: 3, asOfDay: 20200 });

	test('SVG has one shaded cell per complete cell and escapes text', () => {
		const svg = heatmapSvg(table, 'classic', { ...text, title: 'A & B <c>' });
		expect(svg.startsWith('<svg')).toBe(true);
		expect(svg).toContain('A &amp; B &lt;c&gt;');
		const complete = table.cohorts.flatMap((c) => c.classicRates).filter((r) => r !== null).length + table.averageClassicRates.filter((r) => r !== null).length;
		expect((svg.match(/<title>/g) ?? []).length).toBe(complete);
	});

	test('PNG decodes to an image of the table size, small on the wire', () => {
		const png = heatmapPng(table, 'classic', text);
		const { width, height, raw } = decode(png);
		expect(raw.length).toBe((width + 1) * height);
		expect(png.length).toBeLessThan(width * height / 4);
	});
});
