/**
 * Customer items for the signal worked example, built from the synthetic RavenStack SaaS data
 * (../shared/data/saas, read in place): one item per account with its activity, usage, tickets and
 * satisfaction, as of 2025-01-01 (the day after the last record).
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';

import { parseCsvLine } from '../../engine/churn/telcoData';

export const SAAS_DIR = resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'saas');
export const AS_OF = '2025-01-01';

function readCsv(name: string): Array<Record<string, string>> {
	const lines = readFileSync(resolve(SAAS_DIR, name), 'utf8').split('\n').filter((l) => l.trim() !== '');
	const header = parseCsvLine(lines[0]);
	return lines.slice(1).map((line) => {
		const cells = parseCsvLine(line);
		return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
	});
}

const DAY = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY);

export function saasCustomers(): Array<Record<string, string | number | boolean | null>> {
	const asOf = dayOf(AS_OF);
	const accounts = readCsv('ravenstack_accounts.csv');
	const subscriptionAccount = new Map(readCsv('ravenstack_subscriptions.csv').map((s) => [s.subscription_id, s.account_id]));
	const usageDays = new Map<string, Set<number>>();
	const recentUsage = new Map<string, number>();
	const earlierUsage = new Map<string, number>();
	for (const u of readCsv('ravenstack_feature_usage.csv')) {
		const account = subscriptionAccount.get(u.subscription_id);
		if (!account) continue;
		const day = dayOf(u.usage_date);
		if (!usageDays.has(account)) usageDays.set(account, new Set());
		usageDays.get(account)!.add(day);
		const count = Number(u.usage_count);
		if (day >= asOf - 90) recentUsage.set(account, (recentUsage.get(account) ?? 0) + count);
		else if (day >= asOf - 360) earlierUsage.set(account, (earlierUsage.get(account) ?? 0) + count);
	}
	const ticketsRecent = new Map<string, number>();
	const ticketsBefore = new Map<string, number>();
	const satisfaction = new Map<string, number[]>();
	for (const t of readCsv('ravenstack_support_tickets.csv')) {
		const day = dayOf(t.submitted_at);
		if (day >= asOf - 90) ticketsRecent.set(t.account_id, (ticketsRecent.get(t.account_id) ?? 0) + 1);
		else if (day >= asOf - 180) ticketsBefore.set(t.account_id, (ticketsBefore.get(t.account_id) ?? 0) + 1);
		if (t.satisfaction_score !== '' && day >= asOf - 180) {
			if (!satisfaction.has(t.account_id)) satisfaction.set(t.account_id, []);
			satisfaction.get(t.account_id)!.push(Number(t.satisfaction_score));
		}
	}
	const iso = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
	return accounts.map((a) => {
		const days = [...(usageDays.get(a.account_id) ?? [])].sort((x, y) => x - y);
		const last = days.length ? days[days.length - 1] : null;
		const gap = days.length > 1 ? Math.round(((days[days.length - 1] - days[0]) / (days.length - 1)) * 10) / 10 : null;
		const scores = satisfaction.get(a.account_id);
		return {
			accountId: a.account_id,
			accountName: a.account_name,
			plan: a.plan_tier,
			lastActivityDate: last === null ? null : iso(last),
			usualGapDays: gap,
			usageLast90d: recentUsage.get(a.account_id) ?? 0,
			// average per 90 days over the 270 days before the last 90
			usageBaseline90d: Math.round(((earlierUsage.get(a.account_id) ?? 0) / 3) * 10) / 10,
			ticketsLast90d: ticketsRecent.get(a.account_id) ?? 0,
			ticketsPrevious90d: ticketsBefore.get(a.account_id) ?? 0,
			satisfaction180d: scores ? Math.round((scores.reduce((s, v) => s + v, 0) / scores.length) * 10) / 10 : null,
			churnFlag: a.churn_flag === 'True',
		};
	});
}

/** The signal set of the worked example (docs/churn.md). */
export const SAAS_SIGNALS = {
	signal: [
		{ kind: 'daysSincePurchase', field: 'lastActivityDate', referenceField: 'usualGapDays', weight: 2 },
		{ kind: 'usageDrop', field: 'usageLast90d', referenceField: 'usageBaseline90d', weight: 2 },
		{ kind: 'ticketsRising', field: 'ticketsLast90d', referenceField: 'ticketsPrevious90d', weight: 1 },
		{ kind: 'custom', field: 'satisfaction180d', weight: 1, warnAt: 3, alertAt: 2, higherIsRiskier: false, label: 'Ticket satisfaction (1–5)' },
	],
};
