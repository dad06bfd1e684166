/**
 * Care Action: options set by an expression (or stored in a workflow's JSON, for those the editor offers no
 * expression for: Ledger, Playbook, Operation), through n8n's WorkflowExecute — node parameters, Options
 * (a collection), each frequency cap (a fixedCollection) and Opt Out's Channel, read per item. n8n does not
 * check such a value against the options; before, each value below was taken for another option, stored as
 * given or failed with an unrelated message (noted per row). Now each is refused naming the parameter, the
 * values allowed and the value given.
 */
import type { IDataObject } from 'n8n-workflow';

import { useInProcessDeduplication } from '../../harness/deduplication';
import { runNode } from '../../harness/workflow';
import { uniqueName } from './services';

const OUT = { email: 0, sms: 1, crmTask: 2, other: 3, holdout: 4, deferred: 5, suppressed: 6 };
// The standard playbook's win-back e-mail (topic marketing) at 12:00 Shanghai time; no locale of its own.
const lapsed = { customerId: 'c2', name: 'Lee', daysSinceLastOrder: 200, couponCode: 'BACK10' };
const decided = { customerId: 'c2', care: { idempotencyKey: 'k-1', customerId: 'c2', channel: 'email', topic: 'marketing' } };
const e = (value: string) => `={{ ${JSON.stringify(value)} }}`;

/** An operation on a ledger of its own; Decide at 12:00 Shanghai time, with `options` in its Options. */
const other = (operation: string, extra: IDataObject = {}): IDataObject => ({ operation, ledger: 'embedded', ledgerName: uniqueName('options'), ...extra });
const decide = (extra: IDataObject = {}, options: IDataObject = {}) =>
	other('decide', { campaign: 'june', decideOptions: { decisionTime: '2025-06-10T04:00:00Z', ...options }, ...extra });
const cap = (extra: IDataObject) => ({ frequencyCaps: { caps: [{ channel: 'email', maxMessages: 1, windowHours: 16, ...extra }] } });

beforeAll(async () => {
	await useInProcessDeduplication();
});

describe('an options parameter set to none of its options is refused', () => {
	const LEDGERS = '"embedded", "postgres", "redis"';
	test.each<[string, IDataObject, object[], string]>([
		// before: "Credentials not found" (anything but "embedded" asked for a database credential)
		['Ledger (Decide)', decide({ ledger: 'Embedded' }), [lapsed], `Ledger must be one of ${LEDGERS} (got "Embedded")`],
		['Ledger (Opt Out)', other('optOut', { ledger: 'Postgres' }), [decided], `Ledger must be one of ${LEDGERS} (got "Postgres")`],
		['Ledger (Record Outcome)', other('recordOutcome', { ledger: 'sql' }), [decided], `Ledger must be one of ${LEDGERS} (got "sql")`],
		['Ledger (Prune Ledger)', other('prune', { ledger: 'Redis' }), [{}], `Ledger must be one of ${LEDGERS} (got "Redis")`],
		// before: the standard playbook, silently (the custom rules were ignored)
		['Playbook', decide({ playbookSource: 'Custom', playbookJson: '{"rules":[]}' }), [lapsed], 'Playbook must be one of "standard", "custom" (got "Custom")'],
		// before: refused as "Once Per must be one of day, week, month, campaign (got "daily")"
		['Send At Most Once Per', decide({ idempotencyPeriod: e('daily') }), [lapsed], 'Send At Most Once Per must be one of "day", "week", "month", "campaign" (got "daily")'],
		// before: refused as "Frequency cap 1: Channel must be one of *, email, sms, wecom, webhook (got "mail")"
		['Cap Channel', decide(cap({ channel: e('mail') })), [lapsed], 'Frequency cap 1: Channel must be one of "*", "email", "sms", "wecom", "webhook" (got "mail")'],
		// before: a rolling window, silently (anything but "calendarDay" was)
		['Cap Window Type', decide(cap({ windowType: e('calendar') })), [lapsed], 'Frequency cap 1: Window Type must be one of "calendarDay", "rolling" (got "calendar")'],
		// before: English for customers without a locale, the playbook's check of its default language bypassed
		['Fallback Locale', decide({}, { fallbackLocale: e('fr') }), [lapsed], 'Fallback Locale must be one of "", "zh-CN", "zh-TW", "en" (got "fr")'],
		// before: SMS Mode Text, silently (anything but "approvedTemplate" was)
		['SMS Mode', decide({}, { smsMode: e('template') }), [lapsed], 'SMS Mode must be one of "text", "approvedTemplate" (got "template")'],
		// before: English reasons, silently
		['Label Language', decide({ language: e('ZH') }), [lapsed], 'Label Language must be one of "en", "zh" (got "ZH")'],
		['Label Language (Prune Ledger)', other('prune', { language: e('zh-CN') }), [{}], 'Label Language must be one of "en", "zh" (got "zh-CN")'],
		// before: stored as the outcome "Opened", which no report knows
		[
			'Outcome',
			other('recordOutcome', { outcome: e('Opened') }),
			[decided],
			'Outcome must be one of "bounced", "clicked", "converted", "delivered", "failed", "fromField", "opened", "optedOut", "sent" (got "Opened")',
		],
		// before: an item error worded "is not a channel to opt out of: *, email, sms, webhook, wecom"
		['Opt Out Channel (per item)', other('optOut', { optOutChannel: e('mail') }), [decided], 'Item 0: field "Channel" must be one of "*", "email", "sms", "webhook", "wecom" (value: "mail")'],
		// before: "Cannot read properties of undefined (reading 'call')"
		['Operation', decide({ operation: 'constructor' }), [lapsed], 'Operation must be one of "decide", "recordOutcome", "optOut", "prune" (got "constructor")'],
	])('%s: %j', async (_parameter, parameters, input, message) => {
		const result = await runNode('careAction', parameters, input);
		expect(result.error?.message).toBe(message);
	});

	test('a wrong Ledger is refused even when no item reaches the ledger', async () => {
		// before: nothing was recorded, so the Ledger was never read and the run succeeded
		const result = await runNode('careAction', decide({ ledger: 'Embedded' }), [{ customerId: 'c1', segment: 'none' }]);
		expect(result.error?.message).toBe('Ledger must be one of "embedded", "postgres", "redis" (got "Embedded")');
	});

	test('Decide with Continue On Fail: the refusal goes to Suppressed, paired with every item', async () => {
		const result = await runNode('careAction', decide({}, { smsMode: e('template') }), [lapsed], { onError: 'continueRegularOutput' });
		expect(result.output('Node', OUT.suppressed)).toEqual([
			{ json: { error: 'SMS Mode must be one of "text", "approvedTemplate" (got "template")' }, pairedItem: [{ item: 0 }] },
		]);
	});
});

describe('a valid value from an expression is read as chosen; documented aliases stay', () => {
	test('Send At Most Once Per, cap Channel and Window Type, Fallback Locale, SMS Mode, Label Language', async () => {
		const parameters = decide(
			{ idempotencyPeriod: e('week'), language: e('zh'), ...cap({ channel: e('EMAIL'), windowType: e('calendarDay') }) },
			{ fallbackLocale: e('en'), smsMode: e('text') },
		);
		const result = await runNode('careAction', parameters, [lapsed]);
		expect(result.error).toBeUndefined();
		const care = result.json('Node', OUT.email)[0].care as IDataObject & { message: IDataObject; reasons: Array<{ text: string }> };
		// no locale of its own: the Fallback Locale's English, not the playbook's zh-CN
		expect(care.message).toMatchObject({ locale: 'en', subject: 'We miss you, Lee' });
		expect(care.reasons[0].text).toMatch(/规则/);
		// "EMAIL" caps e-mail (any case, documented): a second campaign the same calendar day is held back
		const again = await runNode('careAction', { ...parameters, campaign: 'july' }, [lapsed]);
		expect(again.json('Node', OUT.suppressed).map((j) => j.customerId)).toEqual(['c2']);
	});

	test('Opt Out Channel (any case, CRM task = every channel), Outcome', async () => {
		const email = await runNode('careAction', other('optOut', { optOutChannel: e('EMAIL') }), [decided]);
		expect(email.json('Node')[0].optOut).toEqual({ optedOut: true, channel: 'email', topic: '*' });
		const crm = await runNode('careAction', other('optOut', { optOutChannel: e('crmTask') }), [decided]);
		expect(crm.json('Node')[0].optOut).toEqual({ optedOut: true, channel: '*', topic: '*' });
		const opened = await runNode('careAction', other('recordOutcome', { outcome: e('opened') }), [decided]);
		expect(opened.json('Node')[0].careOutcome).toMatchObject({ idempotencyKey: 'k-1', outcome: 'opened' });
	});
});
