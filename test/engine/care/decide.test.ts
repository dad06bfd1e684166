import { DateTime } from 'luxon';

import { applyBatch } from '../../../nodes/engine/care/limits';
import {
	customerHash,
	finishDecision,
	idempotencyKey,
	ledgerOrder,
	planDecision,
	smsModeProblem,
	type CustomerInput,
	type DecideSettings,
	type Plan,
} from '../../../nodes/engine/care/decide';
import { ItemValueError, matchRule, playbookSchema, STANDARD_PLAYBOOK, type Playbook } from '../../../nodes/engine/care/playbook';
import { TemplateError } from '../../../nodes/engine/care/templates';
import { action, playbookOf, settings } from './fixtures';

const customer = (id: string, data: Record<string, unknown> = {}, zone = 'Asia/Shanghai', locale?: string): CustomerInput => ({
	customerId: id,
	zone,
	locale,
	data: { name: 'Lee', ...data },
});

/** Plans, ledger (in memory, shared across runs like a real ledger), finish. */
function run(inputs: CustomerInput[], playbook: Playbook, s: DecideSettings, ledger = { states: new Map(), keys: new Map() }) {
	const plans: Plan[] = inputs.map((i) => planDecision(i, playbook, s));
	const order = ledgerOrder(plans);
	const requests = order.map((i) => (plans[i] as Extract<Plan, { kind: 'ledger' }>).request);
	const verdicts = applyBatch(requests, ledger.states, ledger.keys);
	const byIndex = new Map(order.map((i, j) => [i, verdicts[j]]));
	return plans.map((p, i) => finishDecision(p, byIndex.get(i), s));
}

describe('standard playbook', () => {
	it('validates against the playbook schema', () => {
		expect(playbookSchema.safeParse(STANDARD_PLAYBOOK).success).toBe(true);
	});

	it.each([
		[{ valueTier: 'VIP', riskTier: 'high', npsScore: 3 }, 'personalOutreach'], // first rule wins
		[{ valueTier: 'low', riskTier: 'high', npsScore: 3 }, 'serviceFollowUp'],
		[{ daysToRenewal: '7' }, 'renewalReminder'],
		[{ daysToRenewal: -1 }, undefined],
		[{ isBirthday: '是' }, 'birthdayCoupon'],
		[{ daysSinceLastOrder: 120 }, 'weMissYou'],
		[{ usageLevel: 'LOW' }, 'featureTips'],
		[{ usageLevel: 'high' }, undefined],
	])('%j → %s', (data, expected) => {
		expect(matchRule(STANDARD_PLAYBOOK, data)?.rule.action.name).toBe(expected);
	});
});

describe('decide', () => {
	const pb = playbookOf({ action: action() });

	it('routes by channel, renders in the customer locale, and gives a stable idempotency key', () => {
		const [d] = run([customer('c1', {}, 'Asia/Shanghai', 'zh-CN')], pb, settings());
		expect(d.output).toBe('email');
		expect(d.message).toEqual({ locale: 'zh-CN', subject: 'Lee您好', body: 'Lee您好' });
		expect(d.idempotencyKey).toBe(idempotencyKey('c1', 'june-care', 'tips', '2025-06-10'));
		expect(d.reasons[0].code).toBe('ruleMatched');
	});

	it('the idempotency period is the customer-local day', () => {
		// 2025-06-10T17:00Z is already June 11 in Shanghai but still June 10 in New York.
		const s = settings({ now: Date.UTC(2025, 5, 10, 17, 0), window: null });
		const [sh, ny] = run([customer('c1'), customer('c2', {}, 'America/New_York')], pb, s);
		expect(sh.idempotencyKey).toBe(idempotencyKey('c1', 'june-care', 'tips', '2025-06-11'));
		expect(ny.idempotencyKey).toBe(idempotencyKey('c2', 'june-care', 'tips', '2025-06-10'));
	});

	it('re-running the same execution never produces a second send', () => {
		const ledger = { states: new Map(), keys: new Map() };
		const first = run([customer('c1'), customer('c2')], pb, settings(), ledger);
		const again = run([customer('c1'), customer('c2')], pb, settings({ now: settings().now + 60_000 }), ledger);
		expect(first.map((d) => d.output)).toEqual(['email', 'email']);
		expect(again.map((d) => d.output)).toEqual(['suppressed', 'suppressed']);
		expect(again[0].reasons.at(-1)!.code).toBe('alreadyDecided');
	});

	it('consent from the item: global unsubscribe, per channel:topic, and explicit-consent mode', () => {
		const s = settings();
		const out = run(
			[
				customer('a', { unsubscribed: true }),
				customer('b', { consent: { 'email:marketing': false, email: true } }),
				customer('c', { consent: { email: 'yes', marketing: 'no' } }),
				customer('d', { consent: 'no' }),
				customer('e', { consent: { sms: false } }),
			],
			pb,
			s,
		);
		// c: a channel yes and a topic no are equally specific: the no wins (see consent.test.ts).
		expect(out.map((d) => d.output)).toEqual(['suppressed', 'suppressed', 'suppressed', 'suppressed', 'email']);
		expect(out[0].reasons.at(-1)!.code).toBe('unsubscribed');
		expect(out[1].reasons.at(-1)!.code).toBe('consentWithdrawn');
		const strict = run([customer('f'), customer('g', { consent: { email: true } })], pb, settings({ requireExplicitConsent: true }));
		expect(strict.map((d) => d.output)).toEqual(['suppressed', 'email']);
		expect(strict[0].reasons.at(-1)!.code).toBe('consentMissing');
	});

	it('outside the send window the item is deferred with sendAt at the opening in its own zone', () => {
		const s = settings({ now: Date.UTC(2025, 5, 10, 14, 0) }); // 22:00 Shanghai, 16:00 Berlin
		const [sh, be] = run([customer('c1'), customer('c2', {}, 'Europe/Berlin')], pb, s);
		expect(sh.output).toBe('deferred');
		expect(sh.sendAt).toBe('2025-06-11T09:00:00.000+08:00');
		expect(sh.reasons.at(-1)!.code).toBe('quietHours');
		expect(be.output).toBe('email');
	});

	it('CRM tasks are for staff: no quiet hours, no consent check', () => {
		const tasks = playbookOf({ action: action({ channel: 'crmTask', name: 'call' }) });
		const [d] = run([customer('c1', { unsubscribed: true })], tasks, settings({ now: Date.UTC(2025, 5, 10, 19, 0) }));
		expect(d.output).toBe('crmTask');
	});

	it('priority decides when actions compete for one customer under a cap', () => {
		// Cap 1 per day on all channels; three items for the same customer, the important one last.
		const p = playbookOf(
			{ when: [{ field: 'kind', operator: 'equals', value: 'tips' }], action: action({ name: 'tips', priority: 10 }) },
			{ when: [{ field: 'kind', operator: 'equals', value: 'offer' }], action: action({ name: 'offer', priority: 40 }) },
			{ when: [{ field: 'kind', operator: 'equals', value: 'renewal' }], action: action({ name: 'renewal', priority: 70, channel: 'sms' }) },
		);
		const s = settings({ caps: [{ channel: '*', max: 1, windowHours: 24 }] });
		const out = run([customer('c1', { kind: 'tips' }), customer('c1', { kind: 'offer' }), customer('c1', { kind: 'renewal' })], p, s);
		expect(out.map((d) => d.output)).toEqual(['suppressed', 'suppressed', 'sms']);
		expect(out[0].reasons.at(-1)!.code).toBe('frequencyCap');
		expect(out[0].reasons.at(-1)!.text).toMatch(/1 all-channel message\(s\) within 1 day\(s\) of this send \(cap 1\)/);
	});

	it("a calendar-day cap resets at the customer's local midnight; a rolling cap does not", () => {
		const p = playbookOf({ when: [{ field: 'n', operator: 'exists' }], action: action({ name: 'a' }) }, { action: action({ name: 'b' }) });
		const zone = 'Asia/Shanghai';
		const t = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
		const day = settings({ window: null, caps: [{ channel: 'email', max: 1, windowHours: 24, calendarDay: true }] });
		const rolling = settings({ window: null, caps: [{ channel: 'email', max: 1, windowHours: 24 }] });
		for (const [s, expected] of [
			[day, 'email'],
			[rolling, 'suppressed'],
		] as const) {
			const ledger = { states: new Map(), keys: new Map() };
			expect(run([customer('c1', { n: 1 })], p, { ...s, now: t('2025-06-10T23:30') }, ledger)[0].output).toBe('email');
			const next = run([customer('c1')], p, { ...s, now: t('2025-06-11T00:30') }, ledger)[0];
			expect(next.output).toBe(expected);
		}
		// The same two instants are one calendar day in UTC-4: capped there.
		const ny = { states: new Map(), keys: new Map() };
		run([customer('c2', { n: 1 }, 'America/New_York')], p, { ...day, now: t('2025-06-10T23:30') }, ny);
		const d = run([customer('c2', {}, 'America/New_York')], p, { ...day, now: t('2025-06-11T00:30') }, ny)[0];
		expect(d.output).toBe('suppressed');
		expect(d.reasons.at(-1)!.text).toBe("Frequency cap reached: 1 email message(s) on the customer's calendar day (cap 1)");
		const zh = run([customer('c2', {}, 'America/New_York')], p, { ...day, language: 'zh', now: t('2025-06-11T00:40') }, ny)[0];
		expect(zh.reasons.at(-1)!.text).toBe('已达频次上限：客户当地今天已有 1 条 email 消息（上限 1）');
	});

	it('transactional actions are neither capped nor counted', () => {
		const p = playbookOf(
			{ when: [{ field: 'kind', operator: 'equals', value: 'tx' }], action: action({ name: 'paymentFailed', transactional: true, priority: 1 }) },
			{ action: action({ name: 'tips', priority: 5 }) },
		);
		const s = settings({ caps: [{ channel: 'email', max: 1, windowHours: 24 }] });
		const out = run([customer('c1', { kind: 'tx' }), customer('c1')], p, s);
		expect(out.map((d) => d.output)).toEqual(['email', 'email']);
		expect(out[0].reasons.map((r) => r.code)).toContain('transactionalExempt');
	});

	it('cooldown per action across runs', () => {
		const p = playbookOf({ action: action({ cooldownDays: 7 }) });
		const ledger = { states: new Map(), keys: new Map() };
		const day = 86_400_000;
		const t0 = settings().now;
		expect(run([customer('c1')], p, settings(), ledger)[0].output).toBe('email');
		const d6 = run([customer('c1')], p, settings({ now: t0 + 6 * day }), ledger)[0];
		expect(d6.output).toBe('suppressed');
		expect(d6.reasons.at(-1)!.code).toBe('cooldown');
		expect(run([customer('c1')], p, settings({ now: t0 + 7 * day }), ledger)[0].output).toBe('email');
	});

	it("WeCom: at most 4 customer messages per calendar month in the customer's zone", () => {
		const p = playbookOf({ action: action({ channel: 'wecom', name: 'note', templates: { en: { body: 'hi {{name}}' } } }) });
		const ledger = { states: new Map(), keys: new Map() };
		const s = (iso: string) =>
			settings({ now: DateTime.fromISO(iso, { zone: 'Asia/Shanghai' }).toMillis(), caps: [], window: null });
		const outs = ['2025-03-01T10:00', '2025-03-05T10:00', '2025-03-10T10:00', '2025-03-20T10:00', '2025-03-31T23:30'].map(
			(t) => run([customer('c1')], p, s(t), ledger)[0],
		);
		expect(outs.map((d) => d.output)).toEqual(['other', 'other', 'other', 'other', 'suppressed']);
		expect(outs[4].reasons.at(-1)!.code).toBe('channelLimit');
		// 2025-04-01 00:30 in Shanghai is still March 31 in UTC: a new month for this customer.
		expect(run([customer('c1')], p, s('2025-04-01T00:30'), ledger)[0].output).toBe('other');
	});

	it('holdout customers go to Holdout, get no message, and are recorded', () => {
		const s = settings({ holdoutShare: 0.5 });
		const ids = Array.from({ length: 200 }, (_, i) => `c${i}`);
		const ledger = { states: new Map(), keys: new Map() };
		const out = run(ids.map((id) => customer(id)), pb, s, ledger);
		const held = out.filter((d) => d.output === 'holdout');
		expect(held.length).toBeGreaterThan(60);
		expect(held.length).toBeLessThan(140);
		expect(held.every((d) => d.message === null && d.reasons.at(-1)!.code === 'holdout')).toBe(true);
		expect(ledger.keys.size).toBe(200); // every decision, holdout or not, is in the ledger
		expect(out.filter((d) => d.output === 'email').length + held.length).toBe(200);
	});

	it('a template placeholder without a value is an error for that item', () => {
		expect(() => planDecision(customer('c1', { name: undefined }), pb, settings())).toThrow(TemplateError);
	});

	it('SMS: opt-out suffix by locale and segment count; approved-template mode sends id + variables', () => {
		const p = playbookOf({
			action: action({
				channel: 'sms',
				templates: { 'zh-CN': { body: '【店】{{name}}，生日快乐' } },
				approvedTemplate: { templateId: 'SMS_123', variables: { name: 'name', code: 'couponCode' } },
			}),
		});
		const [text] = run([customer('c1', {}, 'Asia/Shanghai', 'zh-CN')], p, settings());
		expect(text.message!.body).toBe('【店】Lee，生日快乐 回T退订');
		expect(text.message!.sms).toMatchObject({ encoding: 'UCS-2', segments: 1 });
		const [approved] = run([customer('c2', { couponCode: 'B-42' })], p, settings({ smsMode: 'approvedTemplate' }));
		expect(approved.message).toEqual({ templateId: 'SMS_123', variables: { name: 'Lee', code: 'B-42' } });
		expect(() => planDecision(customer('c3'), p, settings({ smsMode: 'approvedTemplate' }))).toThrow(/couponCode/);
	});

	it('no matching rule is a suppression that says so', () => {
		const p = playbookOf({ when: [{ field: 'x', operator: 'exists' }], action: action() });
		const [d] = run([customer('c1')], p, settings());
		expect(d).toMatchObject({ output: 'suppressed', action: null });
		expect(d.reasons[0].code).toBe('noRuleMatched');
	});

	it('reasons are in Chinese when asked', () => {
		const [d] = run([customer('c1', { unsubscribed: 'yes' })], pb, settings({ language: 'zh' }));
		expect(d.reasons.at(-1)!.text).toBe('客户已退订全部消息（字段「unsubscribed」）');
	});
});

describe('review: SMS opt-out suffix, text actions, masked consent values', () => {
	const pb = playbookOf({ action: action() });
	const sms = (extra: Record<string, unknown> = {}) =>
		playbookOf({ action: action({ channel: 'sms', name: 'otp', templates: { 'zh-CN': { body: '付款失败' } }, ...extra }) });

	it('a transactional SMS gets no opt-out suffix, not even a custom one', () => {
		const s = settings({ window: null, smsOptOutSuffix: '拒收请回复R' });
		const [tx] = run([customer('c1', {}, 'Asia/Shanghai', 'zh-CN')], sms({ transactional: true }), s);
		expect(tx.message!.body).toBe('付款失败');
		const [marketing] = run([customer('c2', {}, 'Asia/Shanghai', 'zh-CN')], sms(), s);
		expect(marketing.message!.body).toBe('付款失败 拒收请回复R');
	});

	it('an SMS in Text mode, or any text channel, without templates is an error, never a message of null', () => {
		const approvedTemplate = { templateId: 'SMS_1', variables: { n: 'name' } };
		for (const channel of ['sms', 'email', 'crmTask', 'wecom'] as const) {
			const p = playbookOf({ action: action({ channel, name: 'a', templates: {}, approvedTemplate }) });
			expect(() => planDecision(customer('c1'), p, settings({ window: null }))).toThrow(`action "a" has no "templates" for its ${channel} message`);
		}
		const p = playbookOf({ action: action({ channel: 'sms', name: 'a', templates: {}, approvedTemplate }) });
		expect(planDecision(customer('c1'), p, settings({ window: null, smsMode: 'approvedTemplate' })).decision.message).toEqual({ templateId: 'SMS_1', variables: { n: 'Lee' } });
		// A webhook or "none" action needs no text.
		const hook = playbookOf({ action: action({ channel: 'webhook', name: 'h', templates: {} }) });
		expect(planDecision(customer('c1'), hook, settings({ window: null })).decision.message).toBeNull();
	});

	it('smsModeProblem names the SMS action that has only an approvedTemplate when SMS Mode is Text', () => {
		const approvedTemplate = { templateId: 'SMS_1', variables: { n: 'name' } };
		const p = playbookOf({ action: action({ channel: 'email' }) }, { action: action({ channel: 'sms', name: 'code', templates: {}, approvedTemplate }) });
		expect(smsModeProblem(p, 'text')).toBe(
			'rules.1.action.templates: action "code": an sms action needs "templates" when SMS Mode is Text ("approvedTemplate" is used only when SMS Mode is Approved Template)',
		);
		expect(smsModeProblem(p, 'approvedTemplate')).toBeUndefined();
		expect(smsModeProblem(STANDARD_PLAYBOOK, 'text')).toBeUndefined();
	});

	it.each<[Record<string, unknown>, string, string]>([
		[{ consent: 'lee@example.com' }, 'consent', '"le••••••••om"'],
		[{ consent: { email: '13800138000' } }, 'consent.email', '"13•••••••00"'],
		[{ unsubscribed: '+86 138 0013 8000' }, 'unsubscribed', '"+8••••••••00"'],
		[{ consent: ['13800138000'] }, 'consent', 'a list, not shown'],
	])('a consent value that may be an address or phone number is masked: %j', (data, field, shown) => {
		let error: ItemValueError | undefined;
		try {
			planDecision(customer('c1', data), pb, settings());
		} catch (e) {
			error = e as ItemValueError;
		}
		expect(error).toBeInstanceOf(ItemValueError);
		expect(error).toMatchObject({ field, value: undefined });
		expect(error!.message).toBe(`is neither yes nor no (true/false, yes/no, 1/0, opted in/out, 同意/拒绝 …) (value: ${shown})`);
	});
});

describe('review: a held-out customer passes the same checks as one who is sent', () => {
	const winBack = playbookOf({ action: action({ name: 'weMissYou', cooldownDays: 30 }) });
	const ids = Array.from({ length: 40 }, (_, i) => `k${i}`);
	const day = (d: number) => settings({ holdoutShare: 0.25, now: Date.UTC(2025, 5, 10 + d, 4), caps: [{ channel: 'email', max: 1, windowHours: 16 }] });

	it('the holdout request carries the limits and the key of the send it stands for', () => {
		const s = settings({ holdoutShare: 1, caps: [{ channel: 'email', max: 1, windowHours: 16 }], now: Date.UTC(2025, 5, 10, 15) }); // 23:00 in Shanghai
		const held = planDecision(customer('h1'), winBack, s);
		const sent = planDecision(customer('h1'), winBack, { ...s, holdoutShare: 0 });
		if (held.kind !== 'ledger' || sent.kind !== 'ledger') throw new Error('expected ledger plans');
		expect(held.decision.output).toBe('holdout');
		expect(sent.decision.output).toBe('deferred');
		expect(held.request).toEqual({ ...sent.request, kind: 'holdout', countsTowardCap: false });
		expect(held.decision.idempotencyKey).toBe(idempotencyKey('h1', 'june-care', 'weMissYou', '2025-06-11'));
		expect(held.decision.sendAt).toBeNull();
	});

	it('day 2 of a 30-day cooldown: the held-out customers are not held out (and recorded) again', () => {
		const ledger = { states: new Map(), keys: new Map() };
		const first = run(ids.map((id) => customer(id)), winBack, day(0), ledger);
		const held = first.filter((d) => d.output === 'holdout').map((d) => d.customerId);
		expect(held.length).toBeGreaterThan(0);
		expect(first.filter((d) => d.output === 'email')).toHaveLength(40 - held.length);
		const keys = ledger.keys.size;
		const second = run(ids.map((id) => customer(id)), winBack, day(1), ledger);
		expect(second.map((d) => d.output)).toEqual(Array(40).fill('suppressed'));
		expect(second.map((d) => d.reasons.at(-1)!.code)).toEqual(Array(40).fill('cooldown'));
		// The reasons do not claim a suppressed customer was recorded for uplift.
		expect(second.flatMap((d) => d.reasons.map((r) => r.code))).not.toContain('holdout');
		expect(ledger.keys.size).toBe(keys);
	});

	it('ledger opt-outs and full caps stop a held-out customer; a holdout uses up no cap', () => {
		const all = settings({ holdoutShare: 1, caps: [{ channel: 'email', max: 1, windowHours: 16 }] });
		const ledger = { states: new Map(), keys: new Map() };
		ledger.states.set(customerHash('opted'), { history: [], optOuts: new Set(['*|*']) });
		const tips = playbookOf({ action: action() });
		// capped: an e-mail of another campaign went out an hour ago
		run([customer('capped')], tips, settings({ campaign: 'other', caps: [], now: all.now - 3_600_000 }), ledger);
		const out = run([customer('opted'), customer('capped'), customer('free')], tips, all, ledger);
		expect(out.map((d) => [d.customerId, d.output, d.reasons.at(-1)!.code])).toEqual([
			['opted', 'suppressed', 'optedOutInLedger'],
			['capped', 'suppressed', 'frequencyCap'],
			['free', 'holdout', 'holdout'],
		]);
		// The holdout took no e-mail slot: another campaign may still e-mail "free" (1 e-mail / 16 h).
		const next = run([customer('free')], tips, settings({ campaign: 'next', caps: all.caps, now: all.now + 60_000 }), ledger);
		expect(next[0].output).toBe('email');
	});
});
