/**
 * The model item, checked with zod before scoring: a model pasted by hand, edited, or produced by another
 * version is refused with `path: message` for every problem instead of scoring garbage.
 */
import { z } from 'zod';

import { columnsOf } from '../engine/churn/encoding';
import { pathBase } from '../engine/churn/gbt';
import { MODEL_TYPE, MODEL_VERSION, type ChurnModel } from '../engine/churn/model';
import { formatIssues, validate } from '../shared/validation';

const finite = z.number().finite();

/**
 * Logistic-regression weights are log-odds per standard deviation: training writes at most hundreds (no
 * L2 on separable data). Far beyond that an ordinary customer would score 0 % or 100 %, or overflow.
 */
const MAX_WEIGHT = 1e6;
const weight = finite.refine((v) => Math.abs(v) <= MAX_WEIGHT, (v) => ({
	message: `is ${v}, beyond ±${MAX_WEIGHT.toLocaleString('en-US')}, which training never writes: the model was edited`,
}));

const feature = z.discriminatedUnion('type', [
	z.object({
		field: z.string().min(1),
		type: z.literal('numeric'),
		mean: finite,
		standardDeviation: finite.nonnegative(),
		constant: z.boolean(),
	}),
	z.object({
		field: z.string().min(1),
		type: z.literal('categorical'),
		categories: z
			.array(z.string())
			.min(1)
			.refine((c) => new Set(c).size === c.length, { message: 'lists a category twice' })
			// Training writes them sorted; the coefficients and tree columns follow that order.
			.refine((c) => c.every((v, k) => k === 0 || c[k - 1] < v), { message: 'are not in the order training writes them (sorted): the model was edited' }),
		constant: z.boolean(),
	}),
]);

const tree = z.object({
	feature: z.array(z.number().int().min(-1)).min(1, 'is empty: a tree has at least its root'),
	threshold: z.array(finite),
	left: z.array(z.number().int()),
	right: z.array(z.number().int()),
	value: z.array(finite),
	/** Training customers per node (TreeSHAP); models from before it was stored have none. */
	cover: z.array(finite.nonnegative()).optional(),
});

export const modelItemSchema = z
	.object({
		type: z.literal(MODEL_TYPE, { errorMap: () => ({ message: `must be "${MODEL_TYPE}": this item is not a Churn Risk model` }) }),
		version: z.literal(MODEL_VERSION, { errorMap: () => ({ message: `must be ${MODEL_VERSION}: the model comes from an unknown version` }) }),
		algorithm: z.enum(['logisticRegression', 'gradientBoosting']),
		schema: z.object({
			features: z
				.array(feature)
				.min(1)
				.refine((fs) => new Set(fs.map((f) => f.field)).size === fs.length, { message: 'names a field twice' })
				.superRefine((fs, ctx) =>
					fs.forEach((f, k) => {
						if (f.type === 'numeric' && !f.constant && !(f.standardDeviation > 0)) {
							ctx.addIssue({ code: 'custom', path: [k, 'standardDeviation'], message: 'must be above 0 for a field that is not constant' });
						}
					}),
				),
		}),
		columns: z.array(z.string()),
		logisticRegression: z
			.object({ intercept: weight, coefficients: z.array(weight), iterations: z.number(), converged: z.boolean() })
			.optional(),
		gradientBoosting: z
			.object({ initialLogit: finite, base: finite, trees: z.array(tree), bestRound: z.number(), roundsRun: z.number() })
			.optional(),
	})
	.passthrough()
	.superRefine((m, ctx) => {
		const names = columnsOf(m.schema).map((c) => c.name);
		const width = names.length;
		if (m.columns.length !== width) {
			ctx.addIssue({ code: 'custom', path: ['columns'], message: `has ${m.columns.length} names but the schema makes ${width} columns` });
		} else {
			// The column names training wrote, in order: an edited schema (a field's type or categories) no
			// longer makes them, and its coefficients or tree columns would be read for other values.
			const k = names.findIndex((name, j) => m.columns[j] !== name);
			if (k >= 0) {
				ctx.addIssue({
					code: 'custom',
					path: ['columns', k],
					message: `is ${JSON.stringify(m.columns[k])} but the schema makes ${JSON.stringify(names[k])} there: the schema or the columns were edited`,
				});
			}
		}
		if (m.algorithm === 'logisticRegression') {
			if (!m.logisticRegression) {
				ctx.addIssue({ code: 'custom', path: ['logisticRegression'], message: 'is missing' });
			} else if (m.logisticRegression.coefficients.length !== width) {
				ctx.addIssue({
					code: 'custom',
					path: ['logisticRegression', 'coefficients'],
					message: `has ${m.logisticRegression.coefficients.length} values for ${width} columns`,
				});
			}
			return;
		}
		if (!m.gradientBoosting) {
			ctx.addIssue({ code: 'custom', path: ['gradientBoosting'], message: 'is missing' });
			return;
		}
		const gb = m.gradientBoosting;
		const expected = pathBase(gb.initialLogit, gb.trees);
		const scale = gb.trees.reduce((sum, t) => sum + Math.abs(t.value[0] ?? 0), Math.max(1, Math.abs(gb.initialLogit)));
		if (Math.abs(gb.base - expected) > 1e-9 * scale) {
			ctx.addIssue({
				code: 'custom',
				path: ['gradientBoosting', 'base'],
				message: `is ${gb.base} but the initial log-odds and the trees' roots make ${expected}: the model was edited`,
			});
		}
		gb.trees.forEach((t, k) => {
			const size = t.feature.length;
			const consistent = [t.threshold, t.left, t.right, t.value, ...(t.cover ? [t.cover] : [])].every((a) => a.length === size);
			// Children must point forward (no cycles) and features inside the column range.
			const valid =
				consistent &&
				t.feature.every(
					(f, node) =>
						f === -1 || (f < width && t.left[node] > node && t.left[node] < size && t.right[node] > node && t.right[node] < size),
				);
			if (!valid) {
				ctx.addIssue({ code: 'custom', path: ['gradientBoosting', 'trees', k], message: 'is not a valid tree for this schema' });
				return;
			}
			// A split's customers are those of its two children (TreeSHAP weighs the children by them).
			const cover = t.cover;
			const covered =
				!cover ||
				t.feature.every((f, node) => f === -1 || Math.abs(cover[node] - cover[t.left[node]] - cover[t.right[node]]) <= 1e-9 * Math.max(1, cover[node]));
			if (!covered) {
				ctx.addIssue({
					code: 'custom',
					path: ['gradientBoosting', 'trees', k, 'cover'],
					message: "does not add up: each split's count must equal its children's",
				});
			}
		});
	});

/** The model, or an error message listing every problem. */
export function parseModel(value: unknown): { model: ChurnModel } | { error: string } {
	const result = validate(modelItemSchema, value);
	if (!result.ok) return { error: `The model is not valid: ${formatIssues(result.issues)}` };
	return { model: result.value as unknown as ChurnModel };
}
