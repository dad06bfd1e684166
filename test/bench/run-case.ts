/** Runs one benchmark case in this process and prints its record as JSON on the last line. */
import type { BenchCase } from './types';

async function main() {
	const [file, name] = process.argv.slice(2);
	const mod = (await import(file)) as { cases?: BenchCase[]; default?: { cases?: BenchCase[] } };
	const benchCase = (mod.cases ?? mod.default?.cases ?? []).find((c) => c.name === name);
	if (!benchCase) throw new Error(`No case ${name} in ${file}`);
	const prepared = await benchCase.prepare();
	const start = process.hrtime.bigint();
	const result = await benchCase.run(prepared);
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	const record: Record<string, unknown> = {
		name: benchCase.name,
		n: benchCase.n,
		seconds: Math.round(seconds * 1000) / 1000,
		peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
		target_seconds: benchCase.targetSeconds,
		target_rss_mb: benchCase.targetRssMb,
	};
	if (result && result.referenceSeconds !== undefined) {
		record.reference_seconds = Math.round(result.referenceSeconds * 1000) / 1000;
	}
	process.stdout.write(`\n${JSON.stringify(record)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
