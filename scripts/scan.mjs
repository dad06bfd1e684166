// npm run scan: n8n's community-package scanner analysis (analyzePackage of @n8n/scan-community-package)
// on both of its legs, run locally because the CLI only scans published, provenance-attested versions:
//   source leg  — package.json + {nodes,credentials}/**/*.{js,ts,json} of this repository;
//   tarball leg — **/*.js + package.json of the extracted `npm pack` output.
// The one accepted finding is `no-runtime-dependencies` (pg and ioredis for the care ledgers, see the
// README): the field itself and imports of exactly `pg` / `ioredis`. Any other finding fails the scan.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..');
const ACCEPTED = '@n8n/community-nodes/no-runtime-dependencies';
const work = mkdtempSync(join(tmpdir(), 'n8n-retention-scan-'));
let failed = false;

/**
 * The accepted exception, finding by finding: the `dependencies` field itself, and imports of exactly `pg`
 * or `ioredis` (the ledger drivers, loaded only when that ledger is selected).
 */
function accepted(finding) {
	if (finding.rule === '@n8n/community-nodes/no-runtime-dependencies') return true;
	return finding.rule === '@n8n/community-nodes/no-restricted-imports' && /of '(pg|ioredis)' is not allowed/.test(finding.message);
}

/** Findings from the scanner's "stylish" report: `  12:3  error  message  rule-id` under a file line. */
function findings(details) {
	const out = [];
	let file = '';
	for (const line of (details ?? '').split('\n')) {
		const m = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)\s{2,}(\S+)\s*$/.exec(line);
		if (m) out.push({ file, line: +m[1], message: m[4], rule: m[5] });
		else if (line.trim() && !line.startsWith(' ') && !line.startsWith('✖')) file = line.trim();
	}
	return out;
}

async function leg(name, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	const all = findings(result.details);
	const rejected = all.filter((f) => !accepted(f));
	// A failed analysis without a parsable report (e.g. the scanner crashed) is a failure too.
	const ok = result.passed || (all.length > 0 && rejected.length === 0);
	const summary = result.passed ? 'clean' : `${all.length - rejected.length} accepted finding(s) (pg/ioredis ledger drivers), ${rejected.length} other`;
	console.log(`${ok ? 'pass' : 'FAIL'}  ${name} leg: ${summary}`);
	if (!ok) {
		failed = true;
		console.log(result.details ?? result.message);
	}
}

try {
	// Source leg on a copy of the repository files the scanner would fetch from GitHub.
	const source = join(work, 'source');
	for (const part of ['package.json', 'nodes', 'credentials']) cpSync(join(root, part), join(source, part), { recursive: true });
	await leg('source', source, SOURCE_FILE_PATTERNS);

	// Tarball leg on the packed package.
	const packed = join(work, 'packed');
	const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
	execFileSync('mkdir', ['-p', packed]);
	execFileSync('tar', ['-xzf', join(work, tgz), '-C', packed, '--strip-components=1']);
	await leg('tarball', packed, ['**/*.js', 'package.json']);
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
