/** Survey Scores: NPS, CSAT, CES per group, optionally passing each response through with its class. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	checkSurveyConfig,
	classifyResponse,
	surveyConfig,
	surveySummary,
	type SurveyConfig,
	type SurveyKind,
} from '../../../engine/metrics/surveys';
import { describeValue, readAll, readNumber } from '../../../shared/fields';
import { pick } from '../../../shared/i18n';
import {
	booleanParameter,
	fieldProperty,
	getLanguage,
	readBooleanParameter,
	handleInputErrors,
	numbersFromText,
	optionParameter,
	pairedAll,
	toItems,
} from '../../../shared/node';
import { round } from '../../../shared/numbers';
import { LABELS, type DefinitionKey, type LabelKey } from '../../labels';
import { explain, groupByProperty, groupValue, partition, scopeFields } from '../common';

const OP = 'surveyScores';
const show = { operation: [OP] };

export const description: INodeProperties[] = [
	{
		displayName: 'Survey Type',
		name: 'surveyType',
		type: 'options',
		options: [
			{ name: 'NPS (Net Promoter Score, 0–10)', value: 'nps' },
			{ name: 'CSAT (Customer Satisfaction, 1–5)', value: 'csat' },
			{ name: 'CES (Customer Effort Score, 1–7)', value: 'ces' },
		],
		default: 'nps',
		displayOptions: { show },
	},
	fieldProperty([OP], 'scoreField', 'Score Field', 'score', 'Field holding the answer (a number on the scale)'),
	{
		displayName: 'Scale and Thresholds',
		name: 'scale',
		type: 'collection',
		placeholder: 'Change the scale',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Higher Score Means Less Effort (CES)',
				name: 'higherIsBetter',
				type: 'boolean',
				default: true,
				description: 'Whether a higher CES answer means the customer found it easier (CES 2.0). Turn off for older 1–5 scales where 1 = very low effort.',
			},
			{
				displayName: 'Negative Threshold',
				name: 'negativeThreshold',
				type: 'number',
				default: 6,
				description: 'NPS: highest detractor score (6). CES: the "difficult" threshold (default: the bottom third of the scale, 3 on 1–7; the top third when a lower score means less effort). Not used for CSAT.',
			},
			{
				displayName: 'Positive Threshold',
				name: 'positiveThreshold',
				type: 'number',
				default: 9,
				description: 'NPS: lowest promoter score (9). CSAT: lowest satisfied score (default: the top two boxes, 4 on 1–5). CES: the "easy" threshold (default: the top third of the scale, 5 on 1–7; the bottom third when a lower score means less effort).',
			},
			{ displayName: 'Scale Maximum', name: 'scaleMax', type: 'number', default: 10, description: 'Highest possible answer. Default: 10 (NPS), 5 (CSAT), 7 (CES).' },
			{ displayName: 'Scale Minimum', name: 'scaleMin', type: 'number', default: 0, description: 'Lowest possible answer. Default: 0 (NPS), 1 (CSAT, CES).' },
		],
	},
	{
		displayName: 'Pass Responses Through',
		name: 'passThrough',
		type: 'boolean',
		default: false,
		description:
			'Whether to also output every response with its class (promoter/passive/detractor…) after the summary items, so detractors can be routed',
		displayOptions: { show },
	},
	groupByProperty(OP),
];

const SCORE_LABEL: Record<SurveyKind, LabelKey> = { nps: 'nps', csat: 'csat', ces: 'ces' };
const CLASS_KEYS: Record<SurveyKind, LabelKey[]> = {
	nps: ['promoter', 'passive', 'detractor'],
	csat: ['satisfied', 'notSatisfied'],
	ces: ['easy', 'neutral', 'difficult'],
};

/** The number options of Scale and Thresholds, with the names the editor shows. */
const SCALE_NUMBERS = [
	['scaleMin', 'Scale Minimum'],
	['scaleMax', 'Scale Maximum'],
	['positiveThreshold', 'Positive Threshold'],
	['negativeThreshold', 'Negative Threshold'],
] as const;

function readConfig(ctx: IExecuteFunctions): SurveyConfig {
	const kind = optionParameter<SurveyKind>(ctx, description, 'surveyType');
	const fail = (message: string): never => {
		throw new NodeOperationError(ctx.getNode(), `Scale and Thresholds: ${message}`);
	};
	// Numbers an expression gives as text ("9") are numbers: compared as text, "9" > "10".
	const scale = numbersFromText(ctx.getNodeParameter('scale', 0, {}) as Partial<Record<keyof SurveyConfig, unknown>>);
	// Text that is not a number stays text: refused here naming it, before any comparison.
	for (const [name, displayName] of SCALE_NUMBERS) {
		const value: unknown = scale[name];
		if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) fail(`${displayName} must be a number (got ${describeValue(value)})`);
	}
	const higherIsBetter = booleanParameter('Higher Score Means Less Effort (CES)', scale.higherIsBetter, true, fail);
	const config = surveyConfig(kind, { ...(scale as Partial<Record<(typeof SCALE_NUMBERS)[number][0], number>>), higherIsBetter });
	const problem = checkSurveyConfig(config);
	if (problem) throw new NodeOperationError(ctx.getNode(), `Scale and Thresholds: ${problem}`);
	return config;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const config = readConfig(this);
	const language = getLanguage(this);
	const scoreField = this.getNodeParameter('scoreField', 0) as string;
	const groupField = (this.getNodeParameter('groupBy', 0, '') as string).trim();
	const passThrough = readBooleanParameter(this, 'passThrough', 'Pass Responses Through', false);

	const { rows, itemIndexes, errors } = readAll(items, (json, i) => ({
		// NPS answers are whole points 0–10: 6.5 would be neither a detractor (0–6) nor a passive (7–8).
		score: readNumber(json, scoreField, i, { min: config.scaleMin, max: config.scaleMax, integer: config.kind === 'nps' }),
		group: groupField ? groupValue(json, groupField, language) : '',
	}));
	const out = handleInputErrors(this, errors);
	const groups = partition(groupField ? rows.map((r) => r.group) : undefined, rows.length);
	const classKeys = CLASS_KEYS[config.kind];
	const summaries = groups.map((g) => {
		const s = surveySummary(Float64Array.from(g.rows, (r) => rows[r].score), config, language);
		const counts: Record<string, number> = {};
		const shares: Record<string, number | null> = {};
		for (const key of classKeys) {
			counts[key] = s.counts[key as keyof typeof s.counts] ?? 0;
			const share = s.shares[key as keyof typeof s.shares];
			shares[key] = share === null || share === undefined ? null : round(share, 4);
		}
		return {
			metric: OP,
			surveyType: config.kind,
			...scopeFields(groupField, g.key),
			responses: s.responses,
			[config.kind]: s.score === null ? null : round(s.score, 4),
			...(config.kind === 'nps' ? { npsExact: s.scoreExact === null ? null : round(s.scoreExact, 4) } : {}),
			meanScore: s.meanScore === null ? null : round(s.meanScore, 4),
			counts,
			shares,
			scale: { min: config.scaleMin, max: config.scaleMax, positiveThreshold: config.positiveThreshold, negativeThreshold: config.negativeThreshold, higherIsBetter: config.higherIsBetter },
			notes: s.note ? [s.note] : [],
			...explain(
				language,
				[SCORE_LABEL[config.kind], ...(config.kind === 'nps' ? (['npsExact'] as const) : []), 'responses', 'meanScore', ...classKeys, 'min', 'max', 'positiveThreshold', 'negativeThreshold'],
				[SCORE_LABEL[config.kind] as DefinitionKey],
			),
		};
	});
	out.push(...toItems(summaries, (i) => pairedAll(groups[i].rows.map((r) => itemIndexes[r]))));
	if (passThrough) {
		for (let r = 0; r < rows.length; r++) {
			const i = itemIndexes[r];
			const surveyClass = classifyResponse(rows[r].score, config);
			out.push({
				json: { ...items[i].json, surveyClass, surveyClassLabel: pick(LABELS[surveyClass as LabelKey], language) },
				// passed through whole: a response's attachments (a screenshot, a voice note) go with it
				...(items[i].binary ? { binary: items[i].binary } : {}),
				pairedItem: { item: i },
			});
		}
	}
	return out;
}
