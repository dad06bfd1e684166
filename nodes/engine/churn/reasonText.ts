/**
 * Reason sentences in English and Simplified Chinese, ready to paste into a CRM task. Each names the input
 * field and its value (CONTRIBUTING.md: "scores carry reasons naming field and value"). One table, here.
 */
import { pick, type Language } from '../../shared/i18n';

import type { FeatureValue, ValueNote } from './encoding';
import type { MissingSignal, SignalDefinition, SignalKind, SignalReading, SignalReason } from './signals';

/** Plain names of the signal types. */
export const SIGNAL_NAMES: Record<SignalKind, { en: string; zh: string }> = {
	daysSincePurchase: { en: 'days since last purchase', zh: '距上次购买天数' },
	usageDrop: { en: 'usage drop', zh: '使用量下降' },
	ticketsRising: { en: 'complaints or tickets rising', zh: '投诉/工单增加' },
	renewalDue: { en: 'renewal due, not renewed', zh: '临近续约未续约' },
	failedPayments: { en: 'failed payments', zh: '扣款失败' },
	npsDetractor: { en: 'NPS detractor', zh: 'NPS 贬损者' },
	custom: { en: 'custom field', zh: '自定义字段' },
};

/** A number for a sentence: at most two decimals, no trailing zeros. */
export function formatNumber(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	// Huge values: the scaling would overflow, and there are no decimals to drop.
	if (Math.abs(value) >= 1e15) return String(value);
	const r = Math.round(value * 100) / 100;
	return String(Object.is(r, -0) ? 0 : r);
}

function shown(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'number') return formatNumber(value);
	if (typeof value === 'string') return JSON.stringify(value);
	return String(value);
}

function fieldIs(field: string, value: unknown, language: Language): string {
	return language === 'zh' ? `字段“${field}” = ${shown(value)}` : `field "${field}" = ${shown(value)}`;
}

function points(p: number, language: Language): string {
	return language === 'zh' ? `+${formatNumber(p)} 分` : `+${formatNumber(p)} points`;
}

export function signalReasonText(
	d: SignalDefinition,
	reason: SignalReason,
	reading: SignalReading,
	language: Language,
): string {
	const zh = language === 'zh';
	const main = fieldIs(d.field, reason.value, language);
	const ref = d.referenceField ? fieldIs(d.referenceField, reason.referenceValue, language) : '';
	const both = ref ? (zh ? `${main}，${ref}` : `${main}, ${ref}`) : main;
	const v = reading.value ?? 0;
	const r = typeof reading.reference === 'number' ? reading.reference : undefined;
	const m = formatNumber(reason.measure);
	let sentence: string;
	switch (d.kind) {
		case 'daysSincePurchase': {
			const interval = formatNumber(r ?? d.usualIntervalDays ?? 0);
			sentence = zh
				? `距上次购买或活跃已 ${formatNumber(v)} 天，是平时间隔（${interval} 天）的 ${m} 倍`
				: `No purchase or activity for ${formatNumber(v)} days, ${m}× the usual interval of ${interval} days`;
			break;
		}
		case 'usageDrop': {
			const pct = formatNumber(reason.measure * 100);
			sentence = zh
				? `使用量比基线下降 ${pct}%：近期 ${formatNumber(v)}，基线 ${formatNumber(r ?? 0)}`
				: `Usage down ${pct}% from the baseline: ${formatNumber(v)} recently against ${formatNumber(r ?? 0)}`;
			break;
		}
		case 'ticketsRising':
			sentence = d.referenceField
				? zh
					? `近期投诉/工单 ${formatNumber(v)} 件，比上一期多 ${m} 件`
					: `${formatNumber(v)} ${v === 1 ? 'complaint or ticket' : 'complaints or tickets'} recently, ${m} more than in the previous period`
				: zh
					? `近期投诉/工单 ${formatNumber(v)} 件`
					: `${formatNumber(v)} ${v === 1 ? 'complaint or ticket' : 'complaints or tickets'} recently`;
			break;
		case 'renewalDue':
			sentence =
				v >= 0
					? zh
						? `${formatNumber(v)} 天后到期续约，尚未续约`
						: `Renewal due in ${formatNumber(v)} days and not renewed yet`
					: zh
						? `续约日期已过 ${formatNumber(-v)} 天，仍未续约`
						: `Renewal date passed ${formatNumber(-v)} days ago without renewal`;
			break;
		case 'failedPayments':
			sentence = zh ? `扣款失败 ${formatNumber(v)} 次` : `${formatNumber(v)} failed payment${v === 1 ? '' : 's'}`;
			break;
		case 'npsDetractor':
			sentence = zh
				? `最近一次 NPS 评分为 ${formatNumber(v)}（0–6 分为贬损者）`
				: `Latest NPS answer is ${formatNumber(v)} (0–6 marks a detractor)`;
			break;
		default: {
			const label = d.label?.trim() || d.field;
			// Between the levels the value has passed the warning level; at severity 1 it has reached the alert level.
			const level = reason.severity >= 1 ? (zh ? '警报' : 'at or beyond the alert') : zh ? '预警' : 'past the warning';
			const direction = directionWord(d.higherIsRiskier ?? true, language);
			sentence = zh
				? `“${label}”为 ${formatNumber(v)}，${direction}，已达${level}线（预警 ${formatNumber(d.warnAt)}，警报 ${formatNumber(d.alertAt)}）`
				: `${label} is ${formatNumber(v)}, ${direction}, ${level} level (warning ${formatNumber(d.warnAt)}, alert ${formatNumber(d.alertAt)})`;
		}
	}
	return zh ? `${sentence}（${both}；${points(reason.points, language)}）` : `${sentence} (${both}; ${points(reason.points, language)})`;
}

function directionWord(higherIsRiskier: boolean, language: Language): string {
	if (language === 'zh') return higherIsRiskier ? '越高越危险' : '越低越危险';
	return higherIsRiskier ? 'higher is riskier' : 'lower is riskier';
}

export function missingSignalText(
	d: SignalDefinition,
	field: string,
	why: MissingSignal['reason'],
	language: Language,
): string {
	const zh = language === 'zh';
	const name = d.kind === 'custom' && d.label?.trim() ? d.label.trim() : pick(SIGNAL_NAMES[d.kind], language);
	if (why === 'referenceNotPositive') {
		return zh
			? `信号“${name}”未计入：字段“${field}”不大于 0，无法计算比例`
			: `Signal "${name}" left out: field "${field}" is not above 0, so no ratio can be computed`;
	}
	return zh
		? `信号“${name}”未计入：字段“${field}”缺失（不按 0 计）`
		: `Signal "${name}" left out: field "${field}" is missing (not counted as zero)`;
}

/** Why a customer has no signal score: every field missing, or some present but unusable (see missingSignals). */
export function noScoreText(missing: readonly MissingSignal[], language: Language): string {
	const zh = language === 'zh';
	if (missing.every((m) => m.reason === 'missing')) {
		return zh ? '该客户的所有信号字段都没有值' : 'none of the signal fields has a value for this customer';
	}
	return zh
		? '该客户没有可计算的信号（原因见 missingSignals）'
		: 'no signal could be computed for this customer (see missingSignals for why)';
}

/** Sentence for one model reason: field, value, effect on the log-odds. */
export function modelReasonText(
	field: string,
	value: FeatureValue,
	contribution: number,
	note: ValueNote | undefined,
	standardisedValue: number | undefined,
	language: Language,
	/** A category field: a missing value has no column (no "average" to stand in for it). */
	categorical = false,
): string {
	const zh = language === 'zh';
	const c = `${contribution >= 0 ? '+' : ''}${formatNumber(contribution)}`;
	const is = fieldIs(field, value ?? null, language);
	if (note === 'missing' && categorical) {
		return zh ? `${is}：缺失，按“不属于任何已知类别”处理（${c}）` : `${is}: missing, treated as none of the known categories (${c})`;
	}
	if (note === 'missing') {
		return zh ? `${is}：缺失，按训练平均值处理（${c}）` : `${is}: missing, treated as the training average (${c})`;
	}
	if (note === 'unseen') {
		return zh
			? `${is}：训练时未见过的类别，按“不属于任何已知类别”处理（${c}）`
			: `${is}: a category not seen in training, treated as none of the known ones (${c})`;
	}
	const sd =
		standardisedValue === undefined
			? ''
			: zh
				? `，${standardisedValue >= 0 ? '高于' : '低于'}平均 ${formatNumber(Math.abs(standardisedValue))} 个标准差`
				: `, ${formatNumber(Math.abs(standardisedValue))} standard deviations ${standardisedValue >= 0 ? 'above' : 'below'} average`;
	// Below what the text shows (two decimals): neither "raises" nor "lowers".
	if (Math.abs(contribution) < 0.005) return zh ? `${is}${sd}，对流失风险几乎没有影响（对数几率 ${c}）` : `${is}${sd} hardly changes churn risk (log-odds ${c})`;
	if (zh) return `${is}${sd}，${contribution >= 0 ? '提高' : '降低'}流失风险（对数几率 ${c}）`;
	return `${is}${sd} ${contribution >= 0 ? 'raises' : 'lowers'} churn risk (log-odds ${c})`;
}
