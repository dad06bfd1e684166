/**
 * Applying a fitted model: one predictor per purchase-model kind, and per-customer predictions
 * (P(alive), expected purchases, expected average spend, discounted CLV) as plain arrays.
 * Pure functions of (model, data); a model that did not converge is refused with its reason.
 */
import {
	bgnbdExpectedPurchasesIfAlive,
	bgnbdExpectedPurchasesNewCustomer,
	bgnbdProbabilityAlive,
	type BgNbdParams,
} from './bgnbd';
import { describeValue } from '../../shared/fields';
import { discountPlan, discountedPurchases } from './clv';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gammagamma';
import {
	mbgnbdExpectedPurchasesIfAlive,
	mbgnbdExpectedPurchasesNewCustomer,
	mbgnbdProbabilityAlive,
} from './mbgnbd';
import { ClvInputError, assertUsable, checkSummaryRow, type ClvModel } from './model';
import {
	paretoNbdExpectedPurchasesIfAlive,
	paretoNbdExpectedPurchasesNewCustomer,
	paretoNbdProbabilityAlive,
	type ParetoNbdParams,
} from './paretonbd';

export interface PurchasePredictor {
	probabilityAlive(x: number, tx: number, T: number): number;
	/** Purchases expected in the next t units if the customer is still active. */
	expectedPurchasesIfAlive(t: number, x: number, T: number): number;
	expectedPurchasesNewCustomer(t: number): number;
}

/** The predictor of a purchase model; throws ModelNotUsableError with the reason when it cannot be used. */
export function purchasePredictor(model: ClvModel): PurchasePredictor {
	assertUsable(model, ['bgnbd', 'paretonbd', 'mbgnbd']);
	if (model.kind === 'paretonbd') {
		const p = model.params as unknown as ParetoNbdParams;
		return {
			probabilityAlive: (x, tx, T) => paretoNbdProbabilityAlive(p, x, tx, T),
			expectedPurchasesIfAlive: (t, x, T) => paretoNbdExpectedPurchasesIfAlive(p, t, x, T),
			expectedPurchasesNewCustomer: (t) => paretoNbdExpectedPurchasesNewCustomer(p, t),
		};
	}
	const p = model.params as unknown as BgNbdParams;
	if (model.kind === 'mbgnbd') {
		return {
			probabilityAlive: (x, tx, T) => mbgnbdProbabilityAlive(p, x, tx, T),
			expectedPurchasesIfAlive: (t, x, T) => mbgnbdExpectedPurchasesIfAlive(p, t, x, T),
			expectedPurchasesNewCustomer: (t) => mbgnbdExpectedPurchasesNewCustomer(p, t),
		};
	}
	return {
		probabilityAlive: (x, tx, T) => bgnbdProbabilityAlive(p, x, tx, T),
		expectedPurchasesIfAlive: (t, x, T) => bgnbdExpectedPurchasesIfAlive(p, t, x, T),
		expectedPurchasesNewCustomer: (t) => bgnbdExpectedPurchasesNewCustomer(p, t),
	};
}

export interface PredictionInput {
	frequency: ArrayLike<number>;
	recency: ArrayLike<number>;
	T: ArrayLike<number>;
	/** Mean spend of the repeat purchases (needed with a spend model). */
	meanSpend?: ArrayLike<number>;
	/** Spend so far, for total CLV (historic + predicted). */
	historicSpend?: ArrayLike<number>;
}

export interface PredictionOptions {
	/** Horizon H in the model's time unit. */
	horizon: number;
	/** Discount rate per time unit (0.01 = 1 % per unit). */
	discountRate: number;
}

/** Per-customer predictions; NaN marks a value that could not be computed (the adapter writes null + reason). */
export interface Predictions {
	probabilityAlive: Float64Array;
	expectedPurchases: Float64Array;
	expectedAverageSpend: Float64Array | null;
	predictedClv: Float64Array | null;
	totalClv: Float64Array | null;
}

/** Longest horizon accepted, in time units. */
export const MAX_HORIZON = 100_000;

/**
 * The horizon and the discount rate, checked: numbers in range, or a ClvInputError naming the value given
 * (text, NaN and Infinity named as such — a parameter set by an expression can hold anything).
 */
export function checkPredictionOptions(options: { horizon: unknown; discountRate: unknown }): asserts options is PredictionOptions {
	const { horizon, discountRate } = options;
	if (typeof horizon !== 'number' || !(horizon > 0) || !Number.isFinite(horizon) || horizon > MAX_HORIZON) {
		throw new ClvInputError(`the horizon must be a positive number of time units (got ${describeValue(horizon)})`, undefined, 'horizon', horizon);
	}
	if (typeof discountRate !== 'number' || !(discountRate >= 0) || !(discountRate < 10)) {
		throw new ClvInputError(
			`the discount rate per time unit must be between 0 and 10 (got ${describeValue(discountRate)})`,
			undefined,
			'discountRate',
			discountRate,
		);
	}
}

/**
 * P(alive), expected purchases over the horizon, expected average spend (Gamma-Gamma) and CLV for every
 * customer. Both models must be in the same time unit.
 */
export function predictCustomers(
	purchaseModel: ClvModel,
	spendModel: ClvModel | null,
	data: PredictionInput,
	options: PredictionOptions,
): Predictions {
	checkPredictionOptions(options);
	const predictor = purchasePredictor(purchaseModel);
	let spendParams: GammaGammaParams | null = null;
	if (spendModel) {
		assertUsable(spendModel, 'gammagamma');
		if (spendModel.timeUnit !== purchaseModel.timeUnit) {
			throw new ClvInputError(
				`the spend model is in ${spendModel.timeUnit} but the purchase model in ${purchaseModel.timeUnit}`,
			);
		}
		spendParams = spendModel.params as unknown as GammaGammaParams;
		if (!data.meanSpend) throw new ClvInputError('mean spend per customer is needed to predict spend');
	}
	const n = data.frequency.length;
	const out: Predictions = {
		probabilityAlive: new Float64Array(n),
		expectedPurchases: new Float64Array(n),
		expectedAverageSpend: spendParams ? new Float64Array(n) : null,
		predictedClv: spendParams ? new Float64Array(n) : null,
		totalClv: spendParams && data.historicSpend ? new Float64Array(n) : null,
	};
	const { horizon, discountRate } = options;
	// The discounted sum depends on the customer only through E(t) = purchases expected in the next t units if
	// alive, a function of (x, T) alone: one plan of evaluation points for the horizon and rate, one value per
	// distinct (x, T) (customers sharing the first purchase day and the count). Cached per call only.
	const plan = spendParams ? discountPlan(horizon, discountRate) : null;
	const byCurve = new Map<number, Map<number, { discounted: number; purchases: number }>>();
	const curveOf = (x: number, T: number) => {
		let byT = byCurve.get(x);
		if (!byT) byCurve.set(x, (byT = new Map()));
		let value = byT.get(T);
		if (!value) byT.set(T, (value = discountedPurchases(plan!, (t) => predictor.expectedPurchasesIfAlive(t, x, T))));
		return value;
	};
	for (let i = 0; i < n; i++) {
		const x = data.frequency[i];
		const tx = data.recency[i];
		const T = data.T[i];
		checkSummaryRow(x, tx, T, i);
		const alive = predictor.probabilityAlive(x, Math.min(tx, T), T);
		out.probabilityAlive[i] = alive;
		if (!spendParams) {
			out.expectedPurchases[i] = alive * predictor.expectedPurchasesIfAlive(horizon, x, T);
			continue;
		}
		const curve = curveOf(x, T);
		out.expectedPurchases[i] = alive * curve.purchases;
		const spend = gammaGammaExpectedSpend(spendParams, x, data.meanSpend![i]);
		out.expectedAverageSpend![i] = spend;
		// P(alive) factors out of every increment of the curve.
		const clv = alive * curve.discounted * spend;
		out.predictedClv![i] = clv;
		if (out.totalClv) out.totalClv[i] = clv + data.historicSpend![i];
	}
	return out;
}
