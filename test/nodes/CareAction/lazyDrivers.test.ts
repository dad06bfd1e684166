/**
 * pg and ioredis are the package's only runtime dependencies and must load only when their ledger is
 * selected: loading the node (and deciding with the embedded ledger) must not load either driver.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { Client } from 'pg';

import { PG, uniqueName } from './services';

const root = join(__dirname, '..', '..', '..');

function loadedDrivers(script: string): string[] {
	const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
	return JSON.parse(r.stdout.trim().split('\n').pop()!) as string[];
}

const report = `console.log(JSON.stringify(['pg', 'ioredis'].filter((d) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + d + '/')))))`;

describe('lazy drivers', () => {
	it('loading the Care Action node loads neither pg nor ioredis', () => {
		expect(loadedDrivers(`require('./nodes/CareAction/CareAction.node.ts'); ${report}`)).toEqual([]);
	});

	it('opening the PostgreSQL ledger loads pg only', async () => {
		const prefix = uniqueName('lazy');
		const script = `const { openPostgresLedger } = require('./nodes/CareAction/ledger/postgres.ts');
			openPostgresLedger({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', tablePrefix: '${prefix}' })
				.then(async (l) => { await l.close(); ${report} });`;
		expect(loadedDrivers(script)).toEqual(['pg']);
		const db = new Client({ host: String(PG.host), port: Number(PG.port), database: String(PG.database), user: String(PG.user) });
		await db.connect();
		for (const t of ['decisions', 'optouts', 'outcomes', 'claims']) await db.query(`DROP TABLE IF EXISTS ${prefix}_${t}`);
		await db.end();
	});
});
