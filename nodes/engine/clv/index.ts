/** Customer lifetime value engine: buy-till-you-die purchase models, Gamma-Gamma spend, CLV, validation. */
import { fitBgNbd } from './bgnbd';
import { fitMbgNbd } from './mbgnbd';
import type { ClvModel, PurchaseFitOptions, PurchaseModelKind, PurchaseSummaries } from './model';
import { fitParetoNbd } from './paretonbd';

export * from './model';
export * from './summary';
export * from './predict';
export * from './validate';
export * from './rfm';
export { fitGammaGamma, gammaGammaExpectedSpend } from './gammagamma';

export const PURCHASE_MODELS: Record<PurchaseModelKind, (data: PurchaseSummaries, options: PurchaseFitOptions) => ClvModel> = {
	bgnbd: fitBgNbd,
	paretonbd: fitParetoNbd,
	mbgnbd: fitMbgNbd,
};

/** Fits the purchase model of the given kind. */
export function fitPurchase(kind: PurchaseModelKind, data: PurchaseSummaries, options: PurchaseFitOptions): ClvModel {
	return PURCHASE_MODELS[kind](data, options);
}
