/**
 * A cohort table as a picture: rows are cohorts, columns periods since acquisition, each cell shaded by its
 * retention rate (darker = more customers retained), unelapsed cells grey and empty. SVG carries the full
 * labels (any language); the PNG uses a built-in 5×7 font, so its labels are ASCII.
 */
import { drawText, textWidth } from '../render/font5x7';
import { encodePalettePng } from '../render/png';
import type { CohortTable } from './cohorts';

export interface HeatmapText {
	title: string;
	cohortHeader: string;
	sizeHeader: string;
	periodHeader: string;
	averageRow: string;
	/** Shown under the table (definition of the cells). */
	footnote: string;
}

export type HeatmapMode = 'classic' | 'unbounded';

/** Sequential blue ramp (ColorBrewer "Blues" end points), interpolated. */
const LIGHT = [0xf7, 0xfb, 0xff];
const DARK = [0x08, 0x30, 0x6b];
const RAMP_STEPS = 64;

function rampColour(rate: number): number[] {
	const t = Math.max(0, Math.min(1, rate / 100));
	return LIGHT.map((l, i) => Math.round(l + (DARK[i] - l) * t));
}

function hex(rgb: number[]): string {
	return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

function rowsOf(table: CohortTable, mode: HeatmapMode) {
	return table.cohorts.map((c) => ({
		label: c.cohort,
		size: c.size,
		rates: mode === 'classic' ? c.classicRates : c.unboundedRates,
	}));
}

function formatRate(rate: number): string {
	return rate >= 99.95 || rate === 0 ? `${Math.round(rate)}%` : `${rate.toFixed(1)}%`;
}

const CELL_W = 64;
const CELL_H = 30;
const LABEL_W = 110;
const SIZE_W = 70;
const TOP = 64;

export function heatmapSvg(table: CohortTable, mode: HeatmapMode, text: HeatmapText): string {
	const rows = rowsOf(table, mode);
	const average = mode === 'classic' ? table.averageClassicRates : table.averageUnboundedRates;
	const width = LABEL_W + SIZE_W + table.periods.length * CELL_W + 20;
	const height = TOP + (rows.length + 1) * CELL_H + 50;
	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, 'PingFang SC', 'Microsoft YaHei', sans-serif" font-size="12">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="10" y="24" font-size="16" font-weight="bold" fill="#222222">${escapeXml(text.title)}</text>`,
		`<text x="10" y="${TOP - 8}" fill="#555555">${escapeXml(text.cohortHeader)}</text>`,
		`<text x="${LABEL_W}" y="${TOP - 8}" fill="#555555">${escapeXml(text.sizeHeader)}</text>`,
		`<text x="${LABEL_W + SIZE_W}" y="${TOP - 26}" fill="#555555">${escapeXml(text.periodHeader)}</text>`,
	);
	table.periods.forEach((k, j) => {
		out.push(`<text x="${LABEL_W + SIZE_W + j * CELL_W + CELL_W / 2}" y="${TOP - 8}" text-anchor="middle" fill="#555555">${k}</text>`);
	});
	const drawRow = (label: string, size: string, rates: Array<number | null>, r: number, bold: boolean) => {
		const y = TOP + r * CELL_H;
		const weight = bold ? ' font-weight="bold"' : '';
		out.push(`<text x="10" y="${y + CELL_H / 2 + 4}" fill="#222222"${weight}>${escapeXml(label)}</text>`);
		out.push(`<text x="${LABEL_W}" y="${y + CELL_H / 2 + 4}" fill="#222222"${weight}>${escapeXml(size)}</text>`);
		rates.forEach((rate, j) => {
			const x = LABEL_W + SIZE_W + j * CELL_W;
			if (rate === null) {
				out.push(`<rect x="${x}" y="${y}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="#eeeeee"/>`);
				return;
			}
			const fill = hex(rampColour(rate));
			const ink = rate > 55 ? '#ffffff' : '#222222';
			out.push(
				`<rect x="${x}" y="${y}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${fill}"><title>${escapeXml(`${label}, +${j}: ${rate.toFixed(2)}%`)}</title></rect>`,
				`<text x="${x + (CELL_W - 2) / 2}" y="${y + CELL_H / 2 + 3}" text-anchor="middle" fill="${ink}"${weight}>${formatRate(rate)}</text>`,
			);
		});
	};
	rows.forEach((row, r) => drawRow(row.label, String(row.size), row.rates, r, false));
	drawRow(text.averageRow, String(table.customers), average, rows.length, true);
	out.push(`<text x="10" y="${height - 18}" fill="#777777" font-size="11">${escapeXml(text.footnote)}</text>`, '</svg>');
	return out.join('\n');
}

/** Palette: 0 white, 1 dark ink, 2 white ink, 3 grey (unelapsed), 4 mid grey text, then the ramp. */
const WHITE = 0;
const INK = 1;
const INK_LIGHT = 2;
const GREY = 3;
const MUTED = 4;
const RAMP0 = 5;

function palette(): Uint8Array {
	const colours: number[] = [0xff, 0xff, 0xff, 0x22, 0x22, 0x22, 0xff, 0xff, 0xff, 0xee, 0xee, 0xee, 0x66, 0x66, 0x66];
	for (let i = 0; i < RAMP_STEPS; i++) colours.push(...rampColour((i / (RAMP_STEPS - 1)) * 100));
	return Uint8Array.from(colours);
}

/** PNG version of the heatmap. `text` should be ASCII (the PNG font has no CJK glyphs). */
export function heatmapPng(table: CohortTable, mode: HeatmapMode, text: HeatmapText): Uint8Array {
	const scale = 2;
	const rows = rowsOf(table, mode);
	const average = mode === 'classic' ? table.averageClassicRates : table.averageUnboundedRates;
	const labelW = Math.max(LABEL_W, ...[text.averageRow, ...rows.map((r) => r.label)].map((l) => textWidth(l, scale) + 24));
	const sizeW = Math.max(SIZE_W, textWidth(String(table.customers), scale) + 24);
	const top = TOP + 30;
	const width = labelW + sizeW + table.periods.length * CELL_W + 20;
	const height = top + (rows.length + 1) * CELL_H + 40;
	const px = new Uint8Array(width * height).fill(WHITE);
	const fill = (x: number, y: number, w: number, h: number, c: number) => {
		for (let yy = y; yy < y + h; yy++) px.fill(c, yy * width + x, yy * width + x + w);
	};
	drawText(px, width, 10, 10, text.title, INK, scale);
	drawText(px, width, 10, top - 20, text.cohortHeader, MUTED, scale);
	drawText(px, width, labelW, top - 20, text.sizeHeader, MUTED, scale);
	drawText(px, width, labelW + sizeW, top - 40, text.periodHeader, MUTED, scale);
	table.periods.forEach((k, j) => {
		const label = String(k);
		drawText(px, width, labelW + sizeW + j * CELL_W + (CELL_W - textWidth(label, scale)) / 2, top - 20, label, MUTED, scale);
	});
	const drawRow = (label: string, size: string, rates: Array<number | null>, r: number) => {
		const y = top + r * CELL_H;
		drawText(px, width, 10, y + 8, label, INK, scale);
		drawText(px, width, labelW, y + 8, size, INK, scale);
		rates.forEach((rate, j) => {
			const x = labelW + sizeW + j * CELL_W;
			if (rate === null) {
				fill(x, y, CELL_W - 2, CELL_H - 2, GREY);
				return;
			}
			const step = Math.round((Math.max(0, Math.min(100, rate)) / 100) * (RAMP_STEPS - 1));
			fill(x, y, CELL_W - 2, CELL_H - 2, RAMP0 + step);
			const value = `${Math.round(rate)}%`;
			drawText(px, width, x + (CELL_W - 2 - textWidth(value, scale)) / 2, y + 8, value, rate > 55 ? INK_LIGHT : INK, scale);
		});
	};
	rows.forEach((row, r) => drawRow(row.label, String(row.size), row.rates, r));
	drawRow(text.averageRow, String(table.customers), average, rows.length);
	drawText(px, width, 10, height - 24, text.footnote, MUTED, 1);
	return encodePalettePng(width, height, palette(), px);
}
