/**
 * Sends one signed Retention Trigger event to the n8n that `npm start` runs, as a survey tool, CRM
 * or billing system would:
 *   npx tsx scripts/send-event.ts nps_response C0007 --score 3 [--comment "too slow"] [--path nps-responses]
 *   npx tsx scripts/send-event.ts payment_failed C0012 --amount 49 --currency USD --path care-events
 * Options: --url (default http://127.0.0.1:5678), --secret (default: the demo secret), --id.
 */
import { DEMO_SIGNING_SECRET, sendEvent } from './lib/events';

const [type, customerId, ...rest] = process.argv.slice(2);
if (!type || !customerId) {
	process.stderr.write('usage: npx tsx scripts/send-event.ts <type> <customerId> [--field value …] [--path p] [--url u] [--secret s] [--id i]\n');
	process.exit(2);
}
const opts: Record<string, string> = {};
for (let i = 0; i < rest.length; i += 2) opts[rest[i].replace(/^--/, '')] = rest[i + 1] ?? '';
const { url = 'http://127.0.0.1:5678', secret = DEMO_SIGNING_SECRET, id = `evt_${Date.now()}`, ...data } = opts;
const path = data.path ?? (type === 'nps_response' ? 'nps-responses' : 'care-events');
delete data.path;
const typed: Record<string, unknown> = {};
for (const [k, v] of Object.entries(data)) typed[k] = v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;

sendEvent(`${url}/webhook/${path}`, secret, { id, type, customerId, data: typed })
	.then((r) => {
		process.stdout.write(`${r.status} ${JSON.stringify(r.body)}\n`);
		process.exit(r.status < 300 ? 0 : 1);
	})
	.catch((e: Error) => {
		process.stderr.write(`${e.message}\n`);
		process.exit(1);
	});
