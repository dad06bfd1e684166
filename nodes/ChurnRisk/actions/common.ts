/** Parameters and reading helpers shared by the Churn Risk operations. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkTierThresholds, type TierThresholds } from '../../engine/churn/model';
import { explainWith, pick, type Language } from '../../shared/i18n';
import { numbersFromText } from '../../shared/node';
import { DEFINITIONS, LABELS, TIER_LABELS, type DefinitionKey, type LabelKey } from '../labels';

/** The tier thresholds of an operation, on the 0–100 risk scale (a model's probability × 100). */
export function tierProperty(operation: string): INodeProperties {
	return {
		displayName: 'Tier Thresholds',
		name: 'tiers',
		type: 'collection',
		placeholder: 'Change the tier thresholds',
		default: {},
		displayOptions: { show: { operation: [operation] } },
		options: [
			{
				displayName: 'Critical From',
				name: 'critical',
				type: 'number',
				typeOptions: { numberPrecision: 2 },
				default: 75,
				description: 'Lowest risk score (0–100) in the critical tier',
			},
			{
				displayName: 'High From',
				name: 'high',
				type: 'number',
				typeOptions: { numberPrecision: 2 },
				default: 50,
				description: 'Lowest risk score (0–100) in the high tier',
			},
			{
				displayName: 'Medium From',
				name: 'medium',
				type: 'number',
				typeOptions: { numberPrecision: 2 },
				default: 25,
				description: 'Lowest risk score (0–100) in the medium tier; below it the tier is low',
			},
		],
	};
}

export function readTiers(ctx: IExecuteFunctions): TierThresholds {
	const raw = numbersFromText(ctx.getNodeParameter('tiers', 0, {}) as Partial<TierThresholds>);
	return { medium: 25, high: 50, critical: 75, ...raw };
}

/** The problem with tier thresholds on the 0–100 scale, or undefined. */
export function tierThresholdProblem(tiers: TierThresholds): string | undefined {
	try {
		checkTierThresholds(tiers, 100);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** A comma-separated list of field names. */
export function fieldList(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(/[,，\n]/)
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

export function tierLabel(tier: keyof typeof TIER_LABELS | null, language: Language): string | null {
	return tier === null ? null : pick(TIER_LABELS[tier], language);
}

/** Labels and definitions of an output item, in the chosen language. */
export function explain(language: Language, labelKeys: LabelKey[], definitionKeys: DefinitionKey[]) {
	return explainWith(LABELS, DEFINITIONS, language, labelKeys, definitionKeys);
}

/** A parameter-level problem (not one item's): one clear NodeOperationError. */
export function parameterError(ctx: IExecuteFunctions, error: unknown, description?: string): NodeOperationError {
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), message, description ? { description } : {});
}

export function outputFieldProperty(operation: string): INodeProperties {
	return {
		displayName: 'Output Field',
		name: 'outputField',
		type: 'string',
		default: 'churnRisk',
		description: 'Field added to each customer item with the score, tier and reasons',
		displayOptions: { show: { operation: [operation] } },
	};
}
