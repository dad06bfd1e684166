/**
 * SMS length and billing segments.
 *
 * A message that fits the GSM 03.38 7-bit alphabet is sent as GSM-7: 160 characters in one message,
 * 153 per segment once it is split (7 septets go to the concatenation header). Characters of the
 * extension table (`^{}\[~]|€` and form feed) take two septets. Anything else — every Chinese
 * character — forces UCS-2 for the whole message: 70 UTF-16 units in one message, 67 per segment.
 * (3GPP TS 23.038 §6.2.1 and TS 23.040 §9.2.3.24.1.) Providers bill per segment.
 */

const GSM7_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLength {
	encoding: SmsEncoding;
	/** Characters as a person counts them (Unicode code points). */
	characters: number;
	/** Billing units: septets for GSM-7, UTF-16 code units for UCS-2. */
	units: number;
	segments: number;
	/** Units per segment for this message (single or concatenated). */
	perSegment: number;
}

export function smsLength(text: string): SmsLength {
	let septets = 0;
	let gsm = true;
	for (const ch of text) {
		if (GSM7_BASIC.includes(ch)) septets += 1;
		else if (GSM7_EXTENSION.includes(ch)) septets += 2;
		else {
			gsm = false;
			break;
		}
	}
	const characters = [...text].length;
	if (gsm) {
		const single = septets <= 160;
		return {
			encoding: 'GSM-7',
			characters,
			units: septets,
			segments: septets === 0 ? 0 : single ? 1 : Math.ceil(septets / 153),
			perSegment: single ? 160 : 153,
		};
	}
	const units = text.length;
	const single = units <= 70;
	return {
		encoding: 'UCS-2',
		characters,
		units,
		segments: single ? 1 : Math.ceil(units / 67),
		perSegment: single ? 70 : 67,
	};
}

/** Appends the opt-out wording (e.g. `回T退订`, `Reply STOP to opt out`) unless the text already has it. */
export function withOptOutSuffix(text: string, suffix: string): string {
	const s = suffix.trim();
	if (s === '' || text.includes(s)) return text;
	return `${text} ${s}`;
}

/** The suffix that China's carriers and users expect by locale (TD / T / N replies opt out). */
export function defaultOptOutSuffix(locale: string): string {
	if (locale === 'zh-CN') return '回T退订';
	if (locale === 'zh-TW') return '回T退訂';
	return 'Reply STOP to opt out';
}
