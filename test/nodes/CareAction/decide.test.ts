import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/workflow';
import { useInProcessDeduplication } from '../../harness/deduplication';

const OUT = { email: 0, sms: 1, crmTask: 2, other: 3, holdout: 4, deferred: 5, suppressed: 6 };
let run = 0;
const uniqueLedger = () => `t_${process.pid}_${Date.now()}_${++run}`;

function params(extra: IDataObject = {}): IDataObject {
	return {
		operation: 'decide',
		ledger: 'embedded',
		ledgerName: uniqueLedger(),
		campaign: 'june',
		decideOptions: { decisionTime: '2025-06-10T04:00:00Z' }, // 12:00 in Shanghai
		...extra,
	};
}

beforeAll(async () => {
	await useInProcessDeduplication();
});

describe('Care Action › Decide (standard playbook, embedded ledger)', () => {
	const customers = [
		{ customerId: 'c1', name: '王芳', valueTier: 'VIP', riskTier: 'high', email: 'a@example.com' },
		{ customerId: 'c2', name: 'Lee', daysSinceLastOrder: 200, couponCode: 'BACK10', locale: 'en' },
		{ customerId: 'c3', name: '陈', isBirthday: true, couponCode: 'BD-1', brand: '小店', locale: 'zh-CN' },
		{ customerId: 'c4', name: 'Kim', usageLevel: 'low', product: 'Shop', unsubscribed: true },
		{ customerId: 'c5', name: 'Ann', usageLevel: 'low', product: 'Shop', timeZone: 'America/New_York' }, // 00:00 there
		{ customerId: 'c6', name: 'Bo', segment: 'none' },
	];

	it('routes each customer to its output with the rendered message, key and reasons', async () => {
		const r = await runNode('careAction', params(), customers);
		expect(r.error).toBeUndefined();
		const ids = (o: number) => r.json('Node', o).map((j) => j.customerId);
		expect(ids(OUT.crmTask)).toEqual(['c1']);
		expect(ids(OUT.email)).toEqual(['c2']);
		expect(ids(OUT.sms)).toEqual(['c3']);
		expect(ids(OUT.deferred)).toEqual(['c5']);
		expect(ids(OUT.suppressed)).toEqual(['c4', 'c6']);
		const email = r.json('Node', OUT.email)[0];
		expect(email.email).toBeUndefined();
		expect((email.care as IDataObject).message).toEqual({
			locale: 'en',
			subject: 'We miss you, Lee',
			body: '<p>We miss you, Lee! Come back with code BACK10.</p>',
		});
		const sms = r.json('Node', OUT.sms)[0].care as IDataObject;
		expect((sms.message as IDataObject).body).toBe('【小店】陈，生日快乐！送您生日券 BD-1，7 天内有效。 回T退订');
		const deferred = r.json('Node', OUT.deferred)[0].care as IDataObject;
		expect(deferred.sendAt).toBe('2025-06-10T09:00:00.000-04:00');
		expect(r.output('Node', OUT.email)[0].pairedItem).toEqual({ item: 1 });
	});

	it('re-running the same execution sends nothing twice', async () => {
		const p = params();
		await runNode('careAction', p, customers);
		const again = await runNode('careAction', p, customers);
		for (const o of [OUT.email, OUT.sms, OUT.crmTask, OUT.deferred]) expect(again.json('Node', o)).toEqual([]);
		const codes = again.json('Node', OUT.suppressed).map((j) => ((j.care as IDataObject).reasons as IDataObject[]).at(-1)!.code);
		expect(codes.filter((c) => c === 'alreadyDecided')).toHaveLength(4);
		// The embedded ledger keeps no times: the reason says so instead of "planned ?".
		const texts = again.json('Node', OUT.suppressed).map((j) => ((j.care as IDataObject).reasons as IDataObject[]).at(-1)!.text as string);
		expect(texts.find((t) => t.startsWith('Already decided'))).toMatch(/^Already decided earlier \(idempotency key [0-9a-f-]+, planned not recorded\); not sent again$/);
	});

	it('a template placeholder without a value fails the node naming item and field', async () => {
		const r = await runNode('careAction', params(), [{ customerId: 'x', daysSinceLastOrder: 200, name: 'Z' }]);
		expect(r.error?.message).toBe(
			'Item 0: field "couponCode" is needed by the template of action "weMissYou": placeholder "{{couponCode}}" has no value in this item',
		);
	});

	it('with Continue On Fail the bad item becomes an error item and the others are decided', async () => {
		const r = await runNode(
			'careAction',
			params(),
			[{ customerId: 'x', daysSinceLastOrder: 200, name: 'Z' }, customers[1], { customerId: 'y', timeZone: 'Mars/Base' }],
			{ onError: 'continueRegularOutput' },
		);
		expect(r.json('Node', OUT.email).map((j) => j.customerId)).toEqual(['c2']);
		const errors = r.json('Node', OUT.suppressed);
		expect(errors.map((e) => [e.itemIndex, e.field])).toEqual([
			[0, 'couponCode'],
			[2, 'timeZone'],
		]);
	});

	it('a broken custom playbook names the problem', async () => {
		const r = await runNode('careAction', params({ playbookSource: 'custom', playbookJson: '{"rules":[{"name":"x","action":{"name":"a","channel":"fax"}}]}' }), [{ customerId: 'a' }]);
		expect(r.error?.message).toMatch(/^Playbook Rules: rules\.0\.action\.channel: Invalid enum value/);
	});

	it('embedded ledger: Opt Out and Record Outcome work without any setup', async () => {
		const p = params();
		const name = p.ledgerName;
		await runNode('careAction', { operation: 'optOut', ledger: 'embedded', ledgerName: name, optOutChannel: 'email', optOutTopic: 'marketing' }, [
			{ customerId: 'c2' },
		]);
		const r = await runNode('careAction', p, [customers[1], { ...customers[1], customerId: 'c7' }]);
		expect(r.json('Node', OUT.email).map((j) => j.customerId)).toEqual(['c7']);
		expect(((r.json('Node', OUT.suppressed)[0].care as IDataObject).reasons as IDataObject[]).at(-1)!.code).toBe('optedOutInLedger');
		const sent = r.json('Node', OUT.email)[0];
		const o = await runNode('careAction', { operation: 'recordOutcome', ledger: 'embedded', ledgerName: name, outcome: 'clicked' }, [sent, sent]);
		expect(o.json('Node').map((j) => (j.careOutcome as IDataObject).isNew)).toEqual([true, false]);
		expect(o.json('Node').map((j) => (j.careOutcome as IDataObject).knownDecision)).toEqual([true, true]);
	});
});
