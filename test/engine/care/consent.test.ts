/**
 * Consent objects: the most specific entry decides (channel + topic, over channel or topic alone, over
 * "*"); between entries equally specific a no wins. A channel yes must never override a topic no — the
 * README tells users to write {"marketing": false} to stop only marketing.
 */
import { planDecision, type CustomerInput } from '../../../nodes/engine/care/decide';
import { STANDARD_PLAYBOOK } from '../../../nodes/engine/care/playbook';
import { action, playbookOf, settings } from './fixtures';

const s = settings({ window: null, caps: [] });
// weMissYou: e-mail, topic marketing.
const lapsed = (consent: unknown): CustomerInput => ({
	customerId: 'c1',
	zone: 'Asia/Shanghai',
	locale: 'en',
	data: { name: 'Lee', couponCode: 'X', daysSinceLastOrder: 120, consent },
});
const outcome = (consent: unknown, playbook = STANDARD_PLAYBOOK, opts = s) => {
	const d = planDecision(lapsed(consent), playbook, opts).decision;
	return d.output === 'suppressed' ? d.reasons.at(-1)!.code : d.output;
};

describe('consent: the most specific entry wins, a no wins between equals', () => {
	it.each<[string, unknown, string]>([
		['topic no beside channel yes (the reviewer\'s case)', { email: true, sms: true, marketing: false }, 'consentWithdrawn'],
		['topic no beside channel yes, words', { Email: 'yes', MARKETING: 'no' }, 'consentWithdrawn'],
		['channel no beside topic yes', { email: false, marketing: true }, 'consentWithdrawn'],
		['nested channel "*" yes beside topic no', { email: { '*': true }, marketing: false }, 'consentWithdrawn'],
		['topic no alone', { marketing: false }, 'consentWithdrawn'],
		['channel+topic yes beats topic no', { 'email:marketing': true, marketing: false }, 'email'],
		['nested channel+topic yes beats channel no', { email: { marketing: true, '*': false } }, 'email'],
		['nested channel+topic no beats channel yes and topic yes', { email: { marketing: false, all: true }, marketing: true }, 'consentWithdrawn'],
		['flat and nested channel+topic disagree: no wins', { 'email:marketing': true, email: { marketing: false } }, 'consentWithdrawn'],
		['channel yes beats "*" no', { email: 'yes', '*': 'no' }, 'email'],
		['topic yes beats "all" no', { marketing: true, all: false }, 'email'],
		['"*" no alone', { '*': false }, 'consentWithdrawn'],
		['another topic\'s no does not apply', { service: false, email: true }, 'email'],
		['another channel\'s no does not apply', { sms: false }, 'email'],
	])('%s: %j → %s', (_, consent, expected) => {
		expect(outcome(consent)).toBe(expected);
	});

	it('a service e-mail is still allowed when only marketing is refused', () => {
		const pb = playbookOf({ action: action({ name: 'renewal', topic: 'service' }) });
		expect(outcome({ email: true, marketing: false }, pb)).toBe('email');
	});

	it('with Require Explicit Consent the yes must come from the deciding level', () => {
		const strict = settings({ window: null, caps: [], requireExplicitConsent: true });
		expect(outcome({ email: true, marketing: false }, STANDARD_PLAYBOOK, strict)).toBe('consentWithdrawn');
		expect(outcome({ email: true }, STANDARD_PLAYBOOK, strict)).toBe('email');
		expect(outcome({ sms: true }, STANDARD_PLAYBOOK, strict)).toBe('consentMissing');
	});

	it('an unreadable entry at the deciding level is an item error, even beside a clear answer', () => {
		expect(() => outcome({ email: true, marketing: 'maybe' })).toThrow(expect.objectContaining({ field: 'consent.marketing', value: 'maybe' }));
		expect(() => outcome({ email: true, marketing: { x: 1 } })).toThrow(expect.objectContaining({ field: 'consent.marketing' }));
	});
});
