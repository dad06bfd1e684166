// npm run bench: every case of test/bench/cases/*.ts in its own Node process (so that peak RSS is the
// case's own), results written to test/bench/results.json. `npm run bench -- clv` runs matching cases.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const casesDir = join(here, 'cases');
const results = [];
let failed = false;

for (const file of readdirSync(casesDir).filter((f) => f.endsWith('.ts')).sort()) {
	const path = join(casesDir, file);
	const list = spawnSync(process.execPath, ['--import', 'tsx', '-e',
		`import(${JSON.stringify(pathToFileURL(path).href)}).then(m => console.log(JSON.stringify((m.cases ?? m.default?.cases ?? []).map(c => c.name))))`],
		{ encoding: 'utf8' });
	if (list.status !== 0) { process.stderr.write(list.stderr); failed = true; continue; }
	for (const name of JSON.parse(list.stdout.trim().split('\n').pop())) {
		if (filter && !name.includes(filter)) continue;
		const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096',
			join(here, 'run-case.ts'), pathToFileURL(path).href, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
		if (child.status !== 0) {
			process.stderr.write(`${name}: failed\n${child.stderr}\n`);
			failed = true;
			continue;
		}
		const record = JSON.parse(child.stdout.trim().split('\n').pop());
		const ok = record.seconds <= record.target_seconds && record.peak_rss_mb <= record.target_rss_mb;
		if (!ok) failed = true;
		console.log(`${ok ? 'ok  ' : 'MISS'} ${name.padEnd(28)} ${String(record.seconds).padStart(8)} s (target ${record.target_seconds})  ${String(record.peak_rss_mb).padStart(6)} MB (target ${record.target_rss_mb})${record.reference_seconds !== undefined ? `  reference ${record.reference_seconds} s` : ''}`);
		results.push(record);
	}
}
// A filtered run replaces only its own cases in an existing results file.
const resultsPath = join(here, 'results.json');
const kept = filter && existsSync(resultsPath)
	? JSON.parse(readFileSync(resultsPath, 'utf8')).filter((r) => !results.some((x) => x.name === r.name))
	: [];
const all = [...kept, ...results].sort((a, b) => a.name.localeCompare(b.name));
writeFileSync(resultsPath, `${JSON.stringify(all, null, 2)}\n`);
console.log(`wrote ${resultsPath} (${results.length} case(s) run, ${all.length} in the file)`);
process.exit(failed ? 1 : 0);
