/**
 * Train Model and Score with Model: the churn model as one JSON-serialisable object (scikit-learn's
 * estimator contract, style.md): `trainChurnModel` learns and returns settings + fitted parameters + the
 * validation report; `scoreWithChurnModel` is a pure function of that object and new rows.
 *
 * Every score carries its reasons: the log-odds split into a base and one contribution per input field
 * (logistic regression: coefficient × standardised value, summed over a field's one-hot columns; gradient
 * boosting: exact TreeSHAP values, treeShap.ts, or on request the faster Saabas path contributions).
 * base + Σ contributions = logit, exactly up to float rounding.
 */
import {
	ChurnDataError,
	columnsOf,
	encodeRows,
	fitFeatureSchema,
	makeEncoder,
	type FeatureSchema,
	type FeatureSpec,
	type FeatureValue,
	type UnseenCategoryPolicy,
	type ValueNote,
} from './encoding';
import { fitGbt, gbtSettings, gbtSettingsProblems, pathContributions, predictLogit, type GbtOptions, type GbtSettings, type Tree } from './gbt';
import { fitLogistic, logitOf, sigmoid, type ClassWeighting } from './logistic';
import { makeTreeShap } from './treeShap';
import { validationReport, type ValidationReport } from './metrics';
import { round } from '../../shared/numbers';
import { stratifiedSplit } from '../../shared/random';

export type Algorithm = 'logisticRegression' | 'gradientBoosting';

export const MODEL_TYPE = 'churnRiskModel';
export const MODEL_VERSION = 1;

export interface TrainSettings {
	algorithm: Algorithm;
	features: FeatureSpec[];
	/** Share of customers held out for the validation report (stratified). */
	validationFraction?: number;
	seed?: number;
	classWeighting?: ClassWeighting;
	/** Logistic regression: L2 strength on standardised columns. */
	l2?: number;
	gradientBoosting?: Omit<GbtOptions, 'seed' | 'classWeighting'>;
}

export interface LogisticParameters {
	intercept: number;
	/** One per model column, in `columnsOf(schema)` order. */
	coefficients: number[];
	iterations: number;
	converged: boolean;
}

export interface GbtParameters {
	initialLogit: number;
	base: number;
	trees: Tree[];
	bestRound: number;
	roundsRun: number;
}

export interface FieldImportance {
	field: string;
	/** Mean |contribution| to the log-odds over the validation customers. */
	meanAbsoluteContribution: number;
	/** Share of the total over all fields (0–1). */
	share: number;
}

export interface ChurnModel {
	type: typeof MODEL_TYPE;
	version: typeof MODEL_VERSION;
	algorithm: Algorithm;
	schema: FeatureSchema;
	/** Column names, for reading the parameters. */
	columns: string[];
	settings: {
		validationFraction: number;
		seed: number;
		classWeighting: ClassWeighting;
		l2?: number;
		gradientBoosting?: GbtSettings;
	};
	logisticRegression?: LogisticParameters;
	gradientBoosting?: GbtParameters;
	training: {
		customers: number;
		churned: number;
		trainingCustomers: number;
		validationCustomers: number;
		constantFields: string[];
		/** Missing values per field in the training part (imputed: mean for numbers, no effect for categories). */
		missingValues: Record<string, number>;
	};
	validation: ValidationReport;
	importance: FieldImportance[];
}

/**
 * Most held-out customers whose reasons are averaged into `importance` (an evenly spaced sample above it):
 * plenty for a stable mean, and it keeps TreeSHAP from dominating training time on large data.
 */
export const IMPORTANCE_SAMPLE = 5000;

/** Too little of a class to train and validate on (needs some of each class in both parts). */
export const MIN_PER_CLASS = 5;

export class TrainingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TrainingError';
	}
}

/** A training setting out of its range (the learning rate, the seed, …), not a problem of the data. */
export class TrainingSettingsError extends TrainingError {
	constructor(message: string) {
		super(message);
		this.name = 'TrainingSettingsError';
	}
}

/** A setting's value for a message: text keeps its quotes, so "abc" is visibly not a number. */
function shownSetting(value: unknown): string {
	return JSON.stringify(value) ?? String(value);
}

function isMissingFeature(value: FeatureValue): boolean {
	return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function checkLabels(labels: ArrayLike<number>): { churned: number } {
	if (labels.length === 0) throw new TrainingError('There are no customers to train on');
	let churned = 0;
	for (let i = 0; i < labels.length; i++) if (labels[i]) churned++;
	const retained = labels.length - churned;
	if (churned === 0 || retained === 0) {
		throw new TrainingError(
			`The churned flag has one value only (${churned === 0 ? 'no customer churned' : 'every customer churned'}); a model needs churned and retained customers`,
		);
	}
	if (churned < MIN_PER_CLASS || retained < MIN_PER_CLASS) {
		throw new TrainingError(
			`Too few ${churned < MIN_PER_CLASS ? 'churned' : 'retained'} customers (${Math.min(churned, retained)}); at least ${MIN_PER_CLASS} of each are needed to train and validate`,
		);
	}
	return { churned };
}

/**
 * How a tree model's log-odds are split into reasons: 'treeShap' (exact Shapley values, consistent; the
 * default, ≈ 30 µs per customer for 170 depth-3 trees) or 'pathContributions' (Saabas: the change in node
 * value at each split on the customer's path; about five times faster, favours fields split on first).
 * Logistic regression always uses coefficient × standardised value.
 */
export type TreeReasonMethod = 'pathContributions' | 'treeShap';

export type ReasonMethod = 'coefficients' | TreeReasonMethod;

/** Splits a model's log-odds into one contribution per field: base + Σ contributions = logit. */
export interface Contributor {
	/** Log-odds before any field (see ModelScore.base). */
	base: number;
	method: ReasonMethod;
	/** Writes the field contributions of the encoded row at `offset` into `out`; returns the logit. */
	contribute(x: Float64Array, offset: number, out: Float64Array): number;
	/** The logit alone, without splitting it. */
	logit(x: Float64Array, offset: number): number;
}

export function makeContributor(
	model: Pick<ChurnModel, 'algorithm' | 'logisticRegression' | 'gradientBoosting'>,
	columnFeature: Int32Array,
	treeReasons: TreeReasonMethod = 'treeShap',
): Contributor {
	if (model.algorithm === 'logisticRegression') {
		const lr = model.logisticRegression!;
		return {
			base: lr.intercept,
			method: 'coefficients',
			logit: (x, offset) => logitOf(lr.intercept, lr.coefficients, x, offset),
			contribute(x, offset, out) {
				out.fill(0);
				let eta = lr.intercept;
				for (let j = 0; j < lr.coefficients.length; j++) {
					const c = lr.coefficients[j] * x[offset + j];
					out[columnFeature[j]] += c;
					eta += c;
				}
				return eta;
			},
		};
	}
	const gb = model.gradientBoosting!;
	const logit = (x: Float64Array, offset: number) => predictLogit(gb, x, offset);
	if (treeReasons === 'treeShap') {
		const shap = makeTreeShap(gb, columnFeature);
		return {
			base: shap.base,
			method: 'treeShap',
			logit,
			contribute(x, offset, out) {
				out.fill(0);
				return shap.explain(x, offset, out);
			},
		};
	}
	const columnScratch = new Float64Array(columnFeature.length);
	return {
		base: gb.base,
		method: 'pathContributions',
		logit,
		contribute(x, offset, out) {
			out.fill(0);
			columnScratch.fill(0);
			const eta = pathContributions(gb, x, offset, columnScratch);
			for (let j = 0; j < columnScratch.length; j++) out[columnFeature[j]] += columnScratch[j];
			return eta;
		},
	};
}

/**
 * Trains on rows of feature values (in `settings.features` order) and 0/1 churned labels. The schema
 * (means, categories) is learnt from the training part only, so the validation report is honest.
 */
export function trainChurnModel(
	rows: ReadonlyArray<readonly FeatureValue[]>,
	labels: ArrayLike<number>,
	settings: TrainSettings,
): ChurnModel {
	if (rows.length !== labels.length) throw new TrainingError('rows and labels differ in length');
	if (settings.features.length === 0) throw new TrainingError('No feature fields are selected');
	const validationFraction = settings.validationFraction ?? 0.2;
	if (!(typeof validationFraction === 'number' && validationFraction > 0 && validationFraction < 1)) {
		throw new TrainingSettingsError(`The validation share must be between 0 and 1 (got ${shownSetting(validationFraction)})`);
	}
	const seed = settings.seed ?? 42;
	// The random streams take 32 bits of the seed: larger seeds would repeat smaller ones' models.
	if (!(typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
		throw new TrainingSettingsError(`The seed must be a whole number from 0 to 4,294,967,295 (got ${shownSetting(seed)})`);
	}
	const l2 = settings.l2 ?? 1;
	const gbSettings = gbtSettings(settings.gradientBoosting ?? {});
	if (settings.algorithm === 'logisticRegression' && !(typeof l2 === 'number' && l2 >= 0 && l2 <= 1e6)) {
		throw new TrainingSettingsError(`The L2 penalty must be a number from 0 to 1,000,000 (got ${shownSetting(l2)})`);
	}
	if (settings.algorithm === 'gradientBoosting') {
		const problems = gbtSettingsProblems(gbSettings);
		if (problems.length) throw new TrainingSettingsError(`Tree options: ${problems.join('; ')}`);
	}
	const { churned } = checkLabels(labels);
	const classWeighting = settings.classWeighting ?? 'none';
	const split = stratifiedSplit(labels, validationFraction, seed);
	// Errors name the caller's row, not the row within the training part.
	const schema = fitFeatureSchema(
		settings.features,
		split.train.map((i) => rows[i]),
		split.train,
	);
	const constantFields = schema.features.filter((f) => f.constant).map((f) => f.field);
	if (constantFields.length === schema.features.length) {
		throw new TrainingError(`Every feature field is constant in the training customers (${constantFields.join(', ')}); nothing to learn from`);
	}
	// Validation rows may hold categories the training part never saw: they have no effect ("ignore").
	const { matrix, width, columns } = encodeRows(schema, rows, 'ignore');
	const missingValues: Record<string, number> = {};
	schema.features.forEach((f, k) => {
		let missing = 0;
		for (const i of split.train) if (isMissingFeature(rows[i][k])) missing++;
		if (missing) missingValues[f.field] = missing;
	});

	const model: ChurnModel = {
		type: MODEL_TYPE,
		version: MODEL_VERSION,
		algorithm: settings.algorithm,
		schema,
		columns: columns.map((c) => c.name),
		settings: { validationFraction, seed, classWeighting },
		training: {
			customers: rows.length,
			churned,
			trainingCustomers: split.train.length,
			validationCustomers: split.test.length,
			constantFields,
			missingValues,
		},
		validation: validationReport([], []),
		importance: [],
	};
	if (settings.algorithm === 'logisticRegression') {
		const fit = fitLogistic(matrix, width, labels, { l2, classWeighting }, split.train);
		model.settings.l2 = l2;
		model.logisticRegression = {
			intercept: fit.intercept,
			coefficients: fit.coefficients,
			iterations: fit.iterations,
			converged: fit.converged,
		};
	} else {
		const fit = fitGbt(matrix, width, labels, { ...gbSettings, seed, classWeighting }, split.train);
		model.settings.gradientBoosting = gbSettings;
		model.gradientBoosting = {
			initialLogit: fit.initialLogit,
			base: fit.base,
			trees: fit.trees,
			bestRound: fit.bestRound,
			roundsRun: fit.roundsRun,
		};
	}

	// Validation report and importance on the held-out customers (trees: mean |TreeSHAP value|).
	const contributor = makeContributor(model, Int32Array.from(columns.map((c) => c.feature)));
	const contributions = new Float64Array(schema.features.length);
	const absolute = new Float64Array(schema.features.length);
	const probabilities = new Float64Array(split.test.length);
	const heldLabels = new Uint8Array(split.test.length);
	// Importance from every held-out customer up to IMPORTANCE_SAMPLE, else from an evenly spaced sample.
	const stride = Math.ceil(split.test.length / IMPORTANCE_SAMPLE);
	let sampled = 0;
	split.test.forEach((i, k) => {
		heldLabels[k] = labels[i] ? 1 : 0;
		if (k % stride !== 0) {
			probabilities[k] = sigmoid(contributor.logit(matrix, i * width));
			return;
		}
		probabilities[k] = sigmoid(contributor.contribute(matrix, i * width, contributions));
		sampled++;
		for (let f = 0; f < contributions.length; f++) absolute[f] += Math.abs(contributions[f]);
	});
	model.validation = validationReport(probabilities, heldLabels);
	let total = 0;
	for (let f = 0; f < absolute.length; f++) {
		absolute[f] /= Math.max(1, sampled);
		total += absolute[f];
	}
	model.importance = schema.features
		.map((f, k) => ({ field: f.field, meanAbsoluteContribution: absolute[k], share: total > 0 ? absolute[k] / total : 0 }))
		.sort((a, b) => b.meanAbsoluteContribution - a.meanAbsoluteContribution);
	return model;
}

export type Tier = 'low' | 'medium' | 'high' | 'critical';

/** Lower bounds of the medium, high and critical tiers, on the scale of the score (0–1 or 0–100). */
export interface TierThresholds {
	medium: number;
	high: number;
	critical: number;
}

export const DEFAULT_PROBABILITY_TIERS: TierThresholds = { medium: 0.25, high: 0.5, critical: 0.75 };

/**
 * Risk scores are reported on the 0–100 scale to this many decimals (a probability of 0.74996 as 75.0), and
 * tiers are judged on the score as reported: a customer shown at 75.0 is never "high" under a critical
 * threshold of 75.
 */
export const SCORE_DIGITS = 1;

/** A 0–100 risk score as reported. */
export function reportedScore(score: number): number {
	return round(score, SCORE_DIGITS) ?? score;
}

export function tierOf(score: number, thresholds: TierThresholds): Tier {
	if (score >= thresholds.critical) return 'critical';
	if (score >= thresholds.high) return 'high';
	if (score >= thresholds.medium) return 'medium';
	return 'low';
}

export function checkTierThresholds(t: TierThresholds, max: number): void {
	const ok = [t.medium, t.high, t.critical].every((v) => Number.isFinite(v) && v >= 0 && v <= max);
	if (!ok || !(t.medium <= t.high && t.high <= t.critical)) {
		throw new TrainingError(
			`Tier thresholds must rise from medium to high to critical, between 0 and ${max} (got ${t.medium}, ${t.high}, ${t.critical})`,
		);
	}
}

export interface ModelReason {
	field: string;
	/** The customer's value as given (null when missing). */
	value: FeatureValue;
	/** Change in log-odds of churn due to this field (positive raises risk). */
	contribution: number;
	/** How the value was used: missing → imputed mean / no effect; unseen category → no effect. */
	note?: ValueNote;
	/** For numeric fields: standard deviations from the training average. */
	standardisedValue?: number;
}

export interface ModelScore {
	probability: number;
	logit: number;
	tier: Tier;
	/**
	 * Log-odds before any field: the intercept (LR), initial log-odds + root values (trees, path
	 * contributions) or initial log-odds + each tree's average output over the training customers (TreeSHAP).
	 */
	base: number;
	reasonMethod: ReasonMethod;
	/** The largest contributions, ordered from most risk-raising to most protective. */
	reasons: ModelReason[];
	/** Σ of contributions not listed in `reasons`: base + Σ reasons + rest = logit. */
	otherContributions: number;
}

export interface ScoreOptions {
	unseenCategories?: UnseenCategoryPolicy;
	treeReasons?: TreeReasonMethod;
	tiers?: TierThresholds;
	/** How many fields to list as reasons (largest |contribution| first); all when ≥ number of fields. */
	maxReasons?: number;
}

/** A prepared scorer: encodes and scores rows one at a time (no n × p matrix for large inputs). */
export function makeScorer(model: ChurnModel, options: ScoreOptions = {}) {
	const tiers = options.tiers ?? DEFAULT_PROBABILITY_TIERS;
	checkTierThresholds(tiers, 1);
	const encoder = makeEncoder(model.schema, options.unseenCategories ?? 'ignore');
	const columnFeature = Int32Array.from(columnsOf(model.schema).map((c) => c.feature));
	const firstColumn = model.schema.features.map((_, f) => columnFeature.indexOf(f));
	if (columnFeature.length !== encoder.width) throw new TrainingError('The model item is inconsistent: column count differs from its schema');
	const features = model.schema.features;
	const F = features.length;
	const maxReasons = Math.max(0, Math.min(F, options.maxReasons ?? 5));
	const x = new Float64Array(encoder.width);
	const contributions = new Float64Array(F);
	const used = new Uint8Array(F);
	const contributor = makeContributor(model, columnFeature, options.treeReasons);
	const { base, method: reasonMethod } = contributor;
	if (!Number.isFinite(base)) throw new TrainingError('The model item is inconsistent: its base log-odds are not a finite number');
	return (row: readonly FeatureValue[], rowIndex: number): ModelScore => {
		const notes = encoder.encode(row, rowIndex, x, 0);
		const logit = contributor.contribute(x, 0, contributions);
		if (!Number.isFinite(logit)) throw overflowError(row, rowIndex, contributions, features, (f) => x[firstColumn[f]]);
		// Top reasons by |contribution|: a partial selection, k passes over the fields.
		used.fill(0);
		const picked: number[] = [];
		for (let k = 0; k < maxReasons; k++) {
			let best = -1;
			for (let f = 0; f < F; f++) {
				if (used[f]) continue;
				if (best < 0 || Math.abs(contributions[f]) > Math.abs(contributions[best])) best = f;
			}
			// A field with no effect at all is no reason (a constant field, one the trees never split on),
			// unless its value was missing or unseen: that is worth saying.
			if (contributions[best] === 0 && !notes?.[best]) break;
			used[best] = 1;
			picked.push(best);
		}
		picked.sort((a, b) => contributions[b] - contributions[a] || a - b);
		let listed = 0;
		const reasons: ModelReason[] = picked.map((f) => {
			listed += contributions[f];
			const feature = features[f];
			const reason: ModelReason = {
				field: feature.field,
				value: row[f] === undefined ? null : row[f],
				contribution: contributions[f],
			};
			const note = notes?.[f];
			if (note) reason.note = note;
			else if (feature.type === 'numeric' && !feature.constant) reason.standardisedValue = x[firstColumn[f]];
			return reason;
		});
		const probability = sigmoid(logit);
		return {
			probability,
			logit,
			tier: tierOf(reportedScore(probability * 100) / 100, tiers),
			base,
			reasonMethod,
			reasons,
			otherContributions: logit - base - listed,
		};
	};
}

/**
 * Standard deviations from the training average beyond which a value alone can overflow the log-odds:
 * trained weights stay far below 1e100 (hundreds at most, even without L2 on separable data).
 */
const FAR_OUT_SD = 1e100;

/**
 * The item error for log-odds that overflow, naming the field whose contribution ran away (rather than
 * scoring a certainty). A customer's value (a spend of 1e300) is blamed only when it is absurdly far
 * from the training values; otherwise (an ordinary value, a category, tree outputs edited to huge
 * numbers) the model's own numbers overflow: an edited or damaged model item.
 */
function overflowError(
	row: readonly FeatureValue[],
	rowIndex: number,
	contributions: Float64Array,
	features: ChurnModel['schema']['features'],
	standardised: (feature: number) => number,
) {
	// The field whose contribution is not finite, else (finite parts, overflowing sum) the largest one.
	let worst = contributions.findIndex((c) => !Number.isFinite(c));
	if (worst < 0) {
		worst = 0;
		for (let f = 1; f < contributions.length; f++) if (Math.abs(contributions[f]) > Math.abs(contributions[worst])) worst = f;
	}
	const feature = features[worst];
	if (feature.type === 'numeric' && Math.abs(standardised(worst)) > FAR_OUT_SD) {
		return new ChurnDataError(rowIndex, feature.field, row[worst], 'is too far outside the values the model was trained on to score');
	}
	return new ChurnDataError(
		rowIndex,
		feature.field,
		row[worst],
		"is an ordinary value, but the model's numbers for this field are so large that the log-odds overflow: the model item was edited or damaged (training never writes such weights); train it again",
	);
}

/** Scores many rows. */
export function scoreWithChurnModel(
	model: ChurnModel,
	rows: ReadonlyArray<readonly FeatureValue[]>,
	options: ScoreOptions = {},
): ModelScore[] {
	const score = makeScorer(model, options);
	return rows.map((row, i) => score(row, i));
}
