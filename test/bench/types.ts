/** A benchmark case: `npm run bench` runs each in its own process and records time and peak memory. */
export interface BenchCase {
	/** node.operation.data, e.g. `metrics.cohort.1m`. */
	name: string;
	/** Size of the workload (rows, customers…). */
	n: number;
	targetSeconds: number;
	targetRssMb: number;
	/** Builds the input (not timed; its memory counts in the peak). */
	prepare(): Promise<unknown> | unknown;
	/** The timed work. May return the seconds a reference implementation took on the same data. */
	run(prepared: unknown): Promise<void | { referenceSeconds?: number }>;
}
