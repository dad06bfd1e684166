/**
 * Structured-input validation with zod, written once: model items, playbooks, pasted JSON and webhook
 * bodies are checked against a schema and every problem is reported as `path: message`.
 */
import type { z } from 'zod';

export interface FieldIssue {
	/** Dotted path of the offending field (`rules.2.channel`), or `(root)`. */
	field: string;
	message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function validate<S extends z.ZodTypeAny>(schema: S, value: unknown): Validated<z.infer<S>> {
	const result = schema.safeParse(value);
	if (result.success) return { ok: true, value: result.data };
	return {
		ok: false,
		issues: result.error.issues.map((issue) => ({
			field: issue.path.length ? issue.path.join('.') : '(root)',
			message: issue.message,
		})),
	};
}

/** One line per issue, for error messages. */
export function formatIssues(issues: FieldIssue[]): string {
	return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}

/** Parses JSON given as text (a pasted model, a playbook) or passes objects through. */
export function parseJsonParameter(value: unknown): Validated<unknown> {
	if (typeof value !== 'string') return { ok: true, value };
	try {
		return { ok: true, value: JSON.parse(value) as unknown };
	} catch (error) {
		return { ok: false, issues: [{ field: '(root)', message: `not valid JSON: ${(error as Error).message}` }] };
	}
}
