/**
 * The model item: what "Fit and Predict" writes to its Model output and "Predict with Model" reads back
 * (from an input item or pasted JSON), checked with zod so a hand-edited model fails with `path: message`.
 */
import { z } from 'zod';

import { TIME_UNITS, type ClvModel, type TimeUnit } from '../../engine/clv/model';
import { formatIssues, parseJsonParameter, validate } from '../../shared/validation';

export const MODEL_ITEM_TYPE = 'clvModel';

const PARAM_NAMES: Record<ClvModel['kind'], readonly string[]> = {
	bgnbd: ['r', 'alpha', 'a', 'b'],
	mbgnbd: ['r', 'alpha', 'a', 'b'],
	paretonbd: ['r', 'alpha', 's', 'beta'],
	gammagamma: ['p', 'q', 'v'],
};

const positive = z.number().finite().positive();

const modelSchema = z
	.object({
		kind: z.enum(['bgnbd', 'paretonbd', 'mbgnbd', 'gammagamma']),
		version: z.literal(1),
		timeUnit: z.enum(TIME_UNITS as [TimeUnit, ...TimeUnit[]]),
		params: z.record(positive),
		logLikelihood: z.number().finite().nullable(),
		converged: z.boolean(),
		convergenceReason: z.string(),
		iterations: z.number().int().nonnegative(),
		gradientNorm: z.number().finite().nullable(),
		customersUsed: z.number().nonnegative(),
		repeatBuyers: z.number().nonnegative(),
		distinctRows: z.number().int().nonnegative(),
		penalizer: z.number().nonnegative(),
		startsTried: z.number().int().nonnegative(),
		warnings: z.array(z.string()),
	})
	.superRefine((model, ctx) => {
		for (const name of PARAM_NAMES[model.kind]) {
			if (model.params[name] === undefined) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['params', name], message: `required for a ${model.kind} model` });
			}
		}
	});

export const modelItemSchema = z
	.object({
		type: z.literal(MODEL_ITEM_TYPE),
		timeUnit: z.enum(TIME_UNITS as [TimeUnit, ...TimeUnit[]]),
		purchaseModel: modelSchema.refine((m) => m.kind !== 'gammagamma', { message: 'must be a purchase model (bgnbd, paretonbd or mbgnbd)' }),
		spendModel: modelSchema.refine((m) => m.kind === 'gammagamma', { message: 'must be a gammagamma model' }).nullable(),
	})
	.passthrough()
	.superRefine((item, ctx) => {
		// The parameters are per unit of the purchase model: an item (or spend model) saying another unit would
		// have them applied to the wrong unit (weekly rates read as daily ones) — refused, naming both.
		const unit = item.purchaseModel.timeUnit;
		if (item.timeUnit !== unit) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['timeUnit'],
				message: `is "${item.timeUnit}" but purchaseModel.timeUnit is "${unit}": the parameters are per ${unit}; set timeUnit to "${unit}"`,
			});
		}
		if (item.spendModel && item.spendModel.timeUnit !== unit) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['spendModel', 'timeUnit'],
				message: `is "${item.spendModel.timeUnit}" but purchaseModel.timeUnit is "${unit}": both models must be in the same unit`,
			});
		}
	});

export type ModelItem = z.infer<typeof modelItemSchema>;

/** Reads a model item from an object or JSON text; the error lists every problem as `path: message`. */
export function readModelItem(value: unknown, where: string): { purchaseModel: ClvModel; spendModel: ClvModel | null; timeUnit: TimeUnit } {
	const parsed = parseJsonParameter(value);
	if (!parsed.ok) throw new Error(`${where} is not valid JSON: ${formatIssues(parsed.issues)}`);
	const result = validate(modelItemSchema, parsed.value);
	if (!result.ok) throw new Error(`${where} is not a valid CLV model: ${formatIssues(result.issues)}`);
	const item = result.value;
	return {
		purchaseModel: item.purchaseModel as ClvModel,
		spendModel: (item.spendModel ?? null) as ClvModel | null,
		timeUnit: item.timeUnit,
	};
}
