/**
 * The signing examples in README.md (Retention Trigger), run as written (shell with openssl + curl, and Node.js),
 * against a local HTTP server that hands the raw request to the trigger's decision: both must be
 * answered 202, and a wrong secret 401.
 */
import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { promisify } from 'util';

import { ZonedCalendar } from '../../../nodes/shared/dates';
import { evaluateRequest, type Decision } from '../../../nodes/engine/trigger/admission';
import { EVENT_TYPES } from '../../../nodes/engine/trigger/events';
import { DEFAULT_FORMAT } from '../../../nodes/engine/trigger/signature';

const run = promisify(execFile);
const doc = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

function block(heading: string, lang: string): string {
	const start = doc.indexOf(heading);
	if (start < 0) throw new Error(`heading ${heading} not found`);
	const open = doc.indexOf('```' + lang + '\n', start);
	const close = doc.indexOf('\n```', open + 4);
	return doc.slice(open + lang.length + 4, close + 1);
}

const DOC_SECRET = 'replace-with-your-secret';
let server: Server;
let url: string;
let secretOnServer = DOC_SECRET;
const decisions: Decision[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const decision = evaluateRequest(
				{ rawBody: Buffer.concat(chunks), headers: req.headers },
				{
					preset: 'generic',
					requireSignature: true,
					secrets: [secretOnServer],
					format: DEFAULT_FORMAT,
					toleranceSeconds: 300,
					maxBodyBytes: 262144,
					acceptedTypes: EVENT_TYPES,
					calendar: new ZonedCalendar('Asia/Shanghai'),
				},
				Date.now(),
			);
			decisions.push(decision);
			res.writeHead(decision.status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(decision.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/retention-events`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
	decisions.length = 0;
	secretOnServer = DOC_SECRET;
});

describe('README.md (Retention Trigger) signing examples', () => {
	it('shell: openssl + curl is answered 202 and the event arrives intact', async () => {
		const script = block('### Shell (openssl and curl)', 'sh');
		expect(script).toContain(`SECRET='${DOC_SECRET}'`);
		const local = script.replace(/^URL=.*$/m, `URL='${url}'`);
		const { stdout } = await run('bash', ['-c', local], { env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' } });
		expect(JSON.parse(stdout)).toEqual({ accepted: true, duplicate: false, eventId: 'evt_1001' });
		const d = decisions[0];
		expect(d.action === 'start' && d.event).toMatchObject({ customerId: 'C-1001', payload: { score: 3, comment: '客服回复太慢', npsCategory: 'detractor' } });
	});

	it('shell: with another secret on the server the same script gets 401', async () => {
		secretOnServer = 'a-different-secret-0000';
		const local = block('### Shell (openssl and curl)', 'sh').replace(/^URL=.*$/m, `URL='${url}'`);
		const { stdout } = await run('bash', ['-c', local], { env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' } });
		expect(JSON.parse(stdout)).toMatchObject({ error: 'invalid_signature' });
	});

	it('JavaScript: the Node.js example is answered 202', async () => {
		const code = block('### JavaScript (Node.js 18 or later)', 'js');
		const { stdout } = await run(process.execPath, ['-e', code], {
			env: { ...process.env, RETENTION_URL: url, RETENTION_SECRET: DOC_SECRET },
		});
		expect(JSON.parse(stdout)).toEqual({ status: 202, answer: { accepted: true, duplicate: false, eventId: 'evt_1002' } });
		const d = decisions[0];
		expect(d.action === 'start' && d.event).toMatchObject({ type: 'payment_failed', payload: { amount: 199, currency: 'CNY' } });
	});
});
