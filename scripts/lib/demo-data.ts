/**
 * Demo data for the example flows: a small, deterministic online shop (customers, transactions,
 * NPS answers), loaded into n8n data tables through the public API so that ops staff see it under
 * "Data tables" in the editor and the flows read it with n8n's own Data Table node.
 * Contacts are fictional: e-mail addresses at example.com, phone numbers +1 555 01xx.
 */
import { seededRandom } from '../../nodes/shared/random';
import { HttpError, type N8nClient } from './n8n';

export const DEMO_TABLES = {
	customers: 'demo_customers',
	transactions: 'demo_transactions',
	nps: 'demo_nps_responses',
} as const;

export interface DemoCustomer {
	customerId: string;
	name: string;
	email: string;
	phone: string;
	plan: string;
	country: string;
	signupDate: string;
}
export interface DemoTransaction {
	orderId: string;
	customerId: string;
	date: string;
	amount: number;
	email: string;
	phone: string;
	name: string;
	plan: string;
	country: string;
}
export interface DemoNps {
	responseId: string;
	customerId: string;
	date: string;
	score: number;
	comment: string;
	email: string;
	phone: string;
	name: string;
}

const FIRST = ['Ava', 'Ben', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tomas', 'Uma', 'Vik', 'Wen', 'Yara', 'Zoe'];
const LAST = ['Adams', 'Baker', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Huang', 'Ito', 'Jensen', 'Kim', 'Li', 'Müller', 'Novak', 'Okafor', 'Patel', 'Rossi', 'Silva', 'Tan', 'Wang'];
const PLANS = ['basic', 'plus', 'pro'];
const COUNTRIES = ['US', 'DE', 'FR', 'CN', 'BR', 'IN'];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** 18 months of a shop ending 2026-10-31: `customers` customers, monthly purchases with churn. */
export function demoData(customers = 120, seed = 20261031) {
	const rnd = seededRandom(seed);
	const start = Date.UTC(2025, 4, 1); // 2025-05-01
	const months = 18;
	const out = { customers: [] as DemoCustomer[], transactions: [] as DemoTransaction[], nps: [] as DemoNps[] };
	let order = 0;
	for (let c = 1; c <= customers; c++) {
		const id = `C${pad(c, 4)}`;
		const acquired = Math.floor(rnd() * rnd() * (months - 1)); // more customers early
		const signup = new Date(start);
		signup.setUTCMonth(signup.getUTCMonth() + acquired);
		signup.setUTCDate(1 + Math.floor(rnd() * 27));
		const cust: DemoCustomer = {
			customerId: id,
			name: `${FIRST[c % FIRST.length]} ${LAST[(c * 7) % LAST.length]}`,
			email: `customer${pad(c, 4)}@example.com`,
			phone: `+1555010${pad(c % 10000, 4)}`,
			plan: PLANS[Math.floor(rnd() * PLANS.length)],
			country: COUNTRIES[Math.floor(rnd() * COUNTRIES.length)],
			signupDate: iso(signup),
		};
		out.customers.push(cust);
		const monthlyChurn = 0.04 + rnd() * 0.25;
		const buyRate = 0.35 + rnd() * 0.55;
		const basket = 20 + rnd() * 120;
		for (let m = acquired; m < months; m++) {
			if (m > acquired && rnd() < monthlyChurn) break;
			const buys = m === acquired ? 1 : rnd() < buyRate ? (rnd() < 0.2 ? 2 : 1) : 0;
			for (let b = 0; b < buys; b++) {
				const d = new Date(start);
				d.setUTCMonth(d.getUTCMonth() + m);
				d.setUTCDate(m === acquired && b === 0 ? signup.getUTCDate() : 1 + Math.floor(rnd() * 28));
				out.transactions.push({
					orderId: `O${pad(++order, 6)}`,
					customerId: id,
					date: iso(d),
					amount: Math.round(basket * (0.6 + rnd() * 0.8) * 100) / 100,
					email: cust.email,
					phone: cust.phone,
					name: cust.name,
					plan: cust.plan,
					country: cust.country,
				});
			}
		}
		if (rnd() < 0.6) {
			const score = Math.min(10, Math.max(0, Math.round(7 + (0.15 - monthlyChurn) * 20 + (rnd() - 0.5) * 5)));
			const d = new Date(Date.UTC(2026, 9, 1 + Math.floor(rnd() * 30)));
			out.nps.push({
				responseId: `N${pad(c, 4)}`,
				customerId: id,
				date: iso(d),
				score,
				comment: score <= 6 ? 'Delivery took too long' : score >= 9 ? 'Great service' : 'OK',
				email: cust.email,
				phone: cust.phone,
				name: cust.name,
			});
		}
	}
	out.transactions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.orderId < b.orderId ? -1 : 1));
	return out;
}

type ColumnType = 'string' | 'number' | 'boolean' | 'date';
function columnsOf(row: Record<string, unknown>): Array<{ name: string; type: ColumnType }> {
	return Object.entries(row).map(([name, v]) => ({ name, type: typeof v === 'number' ? 'number' : 'string' }));
}

async function findTable(client: N8nClient, name: string): Promise<{ id: string; name: string } | undefined> {
	const list = await client.api<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		`/data-tables?limit=100&filter=${encodeURIComponent(JSON.stringify({ name }))}`,
	);
	return list.data.find((t) => t.name === name);
}

/**
 * Creates the demo data tables and fills them, unless a table of that name already exists
 * (then it is left as it is: the user may have edited it). Returns the table ids by name.
 */
export async function loadDemoData(client: N8nClient, opts: { replace?: boolean } = {}): Promise<Record<string, string>> {
	const data = demoData();
	const sets: Array<[string, Array<Record<string, unknown>>]> = [
		[DEMO_TABLES.customers, data.customers as unknown as Array<Record<string, unknown>>],
		[DEMO_TABLES.transactions, data.transactions as unknown as Array<Record<string, unknown>>],
		[DEMO_TABLES.nps, data.nps as unknown as Array<Record<string, unknown>>],
	];
	const ids: Record<string, string> = {};
	for (const [name, rows] of sets) {
		let table = await findTable(client, name);
		if (table && opts.replace) {
			await client.api('DELETE', `/data-tables/${table.id}`);
			table = undefined;
		}
		if (table) {
			ids[name] = table.id;
			continue;
		}
		try {
			table = await client.api<{ id: string; name: string }>('POST', '/data-tables', { name, columns: columnsOf(rows[0]) });
		} catch (e) {
			if (e instanceof HttpError && e.status === 409) table = await findTable(client, name);
			else throw e;
		}
		if (!table) throw new Error(`data table ${name} could not be created`);
		for (let i = 0; i < rows.length; i += 500) {
			await client.api('POST', `/data-tables/${table.id}/rows`, { data: rows.slice(i, i + 500), returnType: 'count' });
		}
		ids[name] = table.id;
	}
	return ids;
}
