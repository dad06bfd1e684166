/**
 * Modified BG/NBD (MBG/NBD): Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of
 * models for customer base analysis", IJRM 24(3). Same parameters as BG/NBD, but a customer may also drop out
 * right after the first purchase, so customers without repeat purchases are not "alive by construction" —
 * more realistic P(alive) for one-time buyers. The likelihood shares its code with BG/NBD (bgnbd.ts).
 */
import { betaGeometricLogLikelihood, type BgNbdParams } from './bgnbd';
import { expectationSeries, inverseOnePlusExp } from './special';
import {
	fitPurchaseModel,
	purchaseStarts,
	screeningRows,
	type ClvModel,
	type LikelihoodSpec,
	type PurchaseFitOptions,
	type PurchaseSummaries,
	type WeightedRows,
} from './model';

export type MbgNbdParams = BgNbdParams;

export function mbgnbdLogLikelihood(params: Float64Array, rows: WeightedRows, gradient: Float64Array): number {
	return betaGeometricLogLikelihood(params, rows, gradient, true);
}

export const mbgnbdSpec: LikelihoodSpec<WeightedRows> = {
	kind: 'mbgnbd',
	paramNames: ['r', 'alpha', 'a', 'b'],
	logLikelihood: mbgnbdLogLikelihood,
	screeningSample: screeningRows,
	starts: (rows) =>
		purchaseStarts(rows, (s) => [
			[1, s, 1, 1],
			[0.5, s / 2, 0.9, 1.6],
			[3, 3 * s, 2, 6],
		]),
};

export function fitMbgNbd(data: PurchaseSummaries, options: PurchaseFitOptions): ClvModel {
	return fitPurchaseModel(mbgnbdSpec, data, options);
}

/** P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)) (Batislam et al. 2007, eq. 6). */
export function mbgnbdProbabilityAlive(p: MbgNbdParams, x: number, tx: number, T: number): number {
	const u = Math.log(p.a) - Math.log(p.b + x) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
	return inverseOnePlusExp(u);
}

/**
 * E[purchases in (T, T+t] | x, t_x, T] (Batislam et al. 2007, eq. 8):
 *   (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)] · P(alive),  z = t/(α+T+t),
 * evaluated through the Euler-transformed series (special.ts#expectationSeries) with A = a+b−r, c = a+b+x.
 */
export function mbgnbdExpectedPurchases(p: MbgNbdParams, t: number, x: number, tx: number, T: number): number {
	return mbgnbdExpectedPurchasesIfAlive(p, t, x, T) * mbgnbdProbabilityAlive(p, x, tx, T);
}

/** The expectation above without the P(alive) factor. */
export function mbgnbdExpectedPurchasesIfAlive(p: MbgNbdParams, t: number, x: number, T: number): number {
	if (t <= 0) return 0;
	const z = t / (p.alpha + T + t);
	return (p.a + p.b + x) * expectationSeries(p.a - 1, p.a + p.b - p.r, p.a + p.b + x, z);
}

/** E[X(t)] for a new customer: b/(a−1) · [1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))] = the above at 0, 0, 0. */
export function mbgnbdExpectedPurchasesNewCustomer(p: MbgNbdParams, t: number): number {
	return mbgnbdExpectedPurchases(p, t, 0, 0, 0);
}
