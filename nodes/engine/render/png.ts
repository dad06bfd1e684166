/**
 * A small PNG encoder with no dependencies (no zlib): 8-bit palette images compressed with DEFLATE using
 * the fixed Huffman code (RFC 1951 §3.2.6) and back-references to the previous pixel and the pixel above.
 * Charts made of flat colour blocks compress to a few kilobytes this way.
 */

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const MAX_MATCH = 258;
const MAX_DISTANCE = 32768;

class BitWriter {
	private bytes: number[] = [];
	private bitBuffer = 0;
	private bitCount = 0;

	/** Writes `n` bits of `value`, least significant first (DEFLATE's order for data and extra bits). */
	bits(value: number, n: number): void {
		for (let i = 0; i < n; i++) {
			this.bitBuffer |= ((value >>> i) & 1) << this.bitCount;
			if (++this.bitCount === 8) {
				this.bytes.push(this.bitBuffer);
				this.bitBuffer = 0;
				this.bitCount = 0;
			}
		}
	}

	/** Writes a Huffman code, most significant bit first. */
	code(code: number, length: number): void {
		for (let i = length - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1);
	}

	finish(): number[] {
		if (this.bitCount > 0) this.bytes.push(this.bitBuffer);
		this.bitBuffer = 0;
		this.bitCount = 0;
		return this.bytes;
	}
}

function writeSymbol(w: BitWriter, symbol: number): void {
	if (symbol < 144) w.code(0x30 + symbol, 8);
	else if (symbol < 256) w.code(0x190 + symbol - 144, 9);
	else if (symbol < 280) w.code(symbol - 256, 7);
	else w.code(0xc0 + symbol - 280, 8);
}

function lastIndexAtMost(table: number[], value: number): number {
	let i = table.length - 1;
	while (table[i] > value) i--;
	return i;
}

function writeMatch(w: BitWriter, length: number, distance: number): void {
	const li = lastIndexAtMost(LENGTH_BASE, length);
	writeSymbol(w, 257 + li);
	w.bits(length - LENGTH_BASE[li], LENGTH_EXTRA[li]);
	const di = lastIndexAtMost(DIST_BASE, distance);
	w.code(di, 5);
	w.bits(distance - DIST_BASE[di], DIST_EXTRA[di]);
}

function runLength(data: Uint8Array, at: number, distance: number): number {
	if (distance > at || distance > MAX_DISTANCE) return 0;
	let n = 0;
	while (n < MAX_MATCH && at + n < data.length && data[at + n] === data[at + n - distance]) n++;
	return n;
}

/** DEFLATE (fixed Huffman, one block) with matches at the two given distances. */
export function deflateFixed(data: Uint8Array, distances: number[]): Uint8Array {
	const w = new BitWriter();
	w.bits(1, 1); // BFINAL
	w.bits(1, 2); // BTYPE = 01, fixed Huffman
	let i = 0;
	while (i < data.length) {
		let bestLength = 0;
		let bestDistance = 0;
		for (const d of distances) {
			const n = runLength(data, i, d);
			if (n > bestLength) {
				bestLength = n;
				bestDistance = d;
			}
		}
		if (bestLength >= 3) {
			writeMatch(w, bestLength, bestDistance);
			i += bestLength;
		} else {
			writeSymbol(w, data[i]);
			i++;
		}
	}
	writeSymbol(w, 256);
	return Uint8Array.from(w.finish());
}

function adler32(data: Uint8Array): number {
	let a = 1;
	let b = 0;
	for (let i = 0; i < data.length; i++) {
		a = (a + data[i]) % 65521;
		b = (b + a) % 65521;
	}
	return ((b << 16) | a) >>> 0;
}

const CRC_TABLE: readonly number[] = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function u32(n: number): number[] {
	return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function chunk(type: string, data: Uint8Array | number[]): number[] {
	const body = Uint8Array.from([...Array.from(type, (ch) => ch.charCodeAt(0)), ...data]);
	return [...u32(data.length), ...body, ...u32(crc32(body))];
}

/**
 * Encodes an image of palette indexes (row-major, width × height) with a palette of RGB triples.
 */
export function encodePalettePng(width: number, height: number, palette: Uint8Array, pixels: Uint8Array): Uint8Array {
	if (palette.length % 3 !== 0 || palette.length / 3 > 256) throw new RangeError('palette must hold up to 256 RGB triples');
	if (pixels.length !== width * height) throw new RangeError('pixel count does not match the size');
	const stride = width + 1;
	const raw = new Uint8Array(stride * height);
	for (let y = 0; y < height; y++) {
		raw[y * stride] = 0; // filter: none
		raw.set(pixels.subarray(y * width, (y + 1) * width), y * stride + 1);
	}
	const deflated = deflateFixed(raw, [1, stride]);
	const zlib = [0x78, 0x01, ...deflated, ...u32(adler32(raw))];
	const ihdr = [...u32(width), ...u32(height), 8, 3, 0, 0, 0];
	return Uint8Array.from([
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
		...chunk('IHDR', ihdr),
		...chunk('PLTE', palette),
		...chunk('IDAT', zlib),
		...chunk('IEND', []),
	]);
}
