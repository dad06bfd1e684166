/**
 * Renders the README's cohort heatmap from the public CDNOW transactions (../shared/data/cdnow), with the
 * same engine code the node uses. Run: npx tsx scripts/render-readme-images.ts
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { cohortTable } from '../nodes/engine/metrics/cohorts';
import { heatmapPng, heatmapSvg } from '../nodes/engine/metrics/heatmap';
import { ZonedCalendar } from '../nodes/shared/dates';

const root = join(__dirname, '..');
const lines = readFileSync(join(root, '..', 'shared', 'data', 'cdnow', 'CDNOW_sample.txt'), 'utf8').trim().split('\n');
const calendar = new ZonedCalendar('UTC');
const ids = new Map<string, number>();
const customer: number[] = [];
const day: number[] = [];
for (const line of lines) {
	const [, id, date] = line.trim().split(/\s+/);
	if (!ids.has(id)) ids.set(id, ids.size);
	customer.push(ids.get(id)!);
	day.push(calendar.parseDay(date)!);
}
const table = cohortTable(Int32Array.from(customer), Int32Array.from(day), ids.size, {
	granularity: 'month',
	maxPeriods: 12,
	asOfDay: calendar.parseDay('1998-06-30')!,
});
const text = {
	title: 'Cohort retention (classic, by month) - CDNOW sample',
	cohortHeader: 'Cohort',
	sizeHeader: 'Size',
	periodHeader: 'Months since first purchase',
	averageRow: 'Weighted avg',
	footnote: 'Cell = share of the cohort with a transaction in month k; grey = month not complete yet',
};
writeFileSync(join(root, 'docs', 'images', 'cohort-heatmap.svg'), heatmapSvg(table, 'classic', text));
writeFileSync(join(root, 'docs', 'images', 'cohort-heatmap.png'), heatmapPng(table, 'classic', text));
writeFileSync(
	join(root, 'docs', 'images', 'cohort-heatmap.zh.svg'),
	heatmapSvg(table, 'classic', {
		title: '同期群留存 (经典口径, 按月) - CDNOW 样本',
		cohortHeader: '同期群',
		sizeHeader: '客户数',
		periodHeader: '获客后第 k 月',
		averageRow: '加权平均',
		footnote: '单元格 = 第 k 月有交易的客户占比; 灰色 = 周期尚未结束',
	}),
);
console.log(table.cohorts.map((c) => `${c.cohort} ${c.size} ${c.classicRates.map((r) => (r === null ? '-' : r.toFixed(1))).join(' ')}`).join('\n'));
