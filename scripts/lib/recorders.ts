/**
 * Local receivers for what the example flows send: a real SMTP server (smtp-server from the npm
 * registry) and an HTTP recorder standing in for the SMS and CRM APIs. Both listen on 127.0.0.1
 * only. Used by the e2e suite (assertions) and by `npm start` (demo outbox written to a folder).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	from: string;
	to: string[];
	raw: string;
	subject: string;
	/** file names of parts sent with Content-Disposition: attachment */
	attachments: string[];
	receivedAt: string;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	rawBody: string;
	receivedAt: string;
}

function unfoldHeader(raw: string, name: string): string {
	const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
	const re = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im');
	const m = head.match(re);
	return m ? decodeMimeWords(m[1].replace(/\r?\n[ \t]+/g, ' ').trim()) : '';
}

/** RFC 2047 encoded words (=?UTF-8?B?...?= / =?UTF-8?Q?...?=), as nodemailer writes non-ASCII subjects. */
function decodeMimeWords(value: string): string {
	return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_all, _charset: string, enc: string, text: string) => {
		if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
		const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
		return Buffer.from(bytes, 'latin1').toString('utf8');
	});
}

export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
	const attachments: string[] = [];
	const re = /Content-Disposition:\s*attachment;[^]*?filename\*?=("?)([^"\r\n;]+)\1/gi;
	let m: RegExpExecArray | null;
	while ((m = re.exec(raw))) attachments.push(decodeMimeWords(m[2]));
	return { from, to, raw, subject: unfoldHeader(raw, 'Subject'), attachments, receivedAt: new Date().toISOString() };
}

export class SmtpReceiver {
	readonly mails: ReceivedMail[] = [];
	private server?: SMTPServer;
	port = 0;
	onMail?: (mail: ReceivedMail) => void;

	async start(port = 0, host = '127.0.0.1'): Promise<number> {
		this.server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			size: 50 * 1024 * 1024,
			onAuth: (_auth, _session, cb) => cb(null, { user: 'demo' }),
			onData: (stream, session, cb) => {
				const chunks: Buffer[] = [];
				stream.on('data', (c: Buffer) => chunks.push(c));
				stream.on('end', () => {
					const raw = Buffer.concat(chunks).toString('utf8');
					const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
					const to = session.envelope.rcptTo.map((r) => r.address);
					const mail = parseMail(raw, from, to);
					this.mails.push(mail);
					this.onMail?.(mail);
					cb();
				});
			},
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, host, () => resolve());
		});
		// smtp-server keeps its net.Server in .server
		const inner = (this.server as unknown as { server: Server }).server;
		this.port = (inner.address() as AddressInfo).port;
		return this.port;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}
}

/** Records every request; answers 200 with {"ok":true,"id":"<n>"} (or what `respond` returns). */
export class HttpRecorder {
	readonly requests: RecordedRequest[] = [];
	private server?: Server;
	port = 0;
	onRequest?: (req: RecordedRequest) => void;
	respond?: (req: RecordedRequest) => { status: number; body: unknown } | undefined;

	async start(port = 0, host = '127.0.0.1'): Promise<number> {
		this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const rawBody = Buffer.concat(chunks).toString('utf8');
				let body: unknown = rawBody;
				try {
					body = rawBody ? JSON.parse(rawBody) : undefined;
				} catch {
					/* keep the raw text */
				}
				const rec: RecordedRequest = {
					method: req.method ?? 'GET',
					path: req.url ?? '/',
					headers: req.headers,
					body,
					rawBody,
					receivedAt: new Date().toISOString(),
				};
				this.requests.push(rec);
				this.onRequest?.(rec);
				const answer = this.respond?.(rec) ?? { status: 200, body: { ok: true, id: String(this.requests.length) } };
				res.writeHead(answer.status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(answer.body));
			});
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, host, () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this.port;
	}

	byPath(prefix: string): RecordedRequest[] {
		return this.requests.filter((r) => r.path.startsWith(prefix));
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}
}

export interface MimeAttachment {
	filename: string;
	contentType: string;
	content: Buffer;
}

/** Decodes the attachments of a raw MIME message (multipart, base64 or plain bodies). */
export function mailAttachments(raw: string): MimeAttachment[] {
	const out: MimeAttachment[] = [];
	const walk = (part: string) => {
		const sep = part.search(/\r?\n\r?\n/);
		const head = sep < 0 ? part : part.slice(0, sep);
		const body = sep < 0 ? '' : part.slice(sep).replace(/^\r?\n\r?\n/, '');
		const header = (name: string) => {
			const m = head.match(new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im'));
			return m ? m[1].replace(/\r?\n[ \t]+/g, ' ').trim() : '';
		};
		const ctype = header('Content-Type');
		const boundary = ctype.match(/boundary="?([^";]+)"?/i)?.[1];
		if (/^multipart\//i.test(ctype) && boundary) {
			const pieces = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?\\r?\\n?`));
			for (const p of pieces) if (p.trim()) walk(p);
			return;
		}
		const disp = header('Content-Disposition');
		const filename = (disp.match(/filename\*?="?([^";]+)"?/i) ?? ctype.match(/name="?([^";]+)"?/i))?.[1];
		if (!/^attachment/i.test(disp) || !filename) return;
		const enc = header('Content-Transfer-Encoding').toLowerCase();
		const content = enc === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(body, 'utf8');
		out.push({ filename: decodeMimeWords(filename), contentType: ctype.split(';')[0], content });
	};
	walk(raw);
	return out;
}
