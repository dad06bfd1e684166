import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { languageProperty, timeZoneProperty } from '../shared/node';
import { operations, router } from './actions/router';

export class RetentionMetrics implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Retention Metrics',
		name: 'retentionMetrics',
		icon: { light: 'file:retentionMetrics.svg', dark: 'file:retentionMetrics.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Retention, churn, revenue retention, purchase behaviour, cohort tables, survey scores and campaign uplift, each with its definition',
		defaults: { name: 'Retention Metrics' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign', description: 'Care-campaign results against a holdout group' },
					{ name: 'Subscription', value: 'subscription', description: 'Customers or subscriptions with start/end dates and MRR' },
					{ name: 'Survey', value: 'survey', description: 'NPS, CSAT and CES answers' },
					{ name: 'Transaction', value: 'transaction', description: 'Orders or activity events with dates and amounts' },
				],
				default: 'subscription',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['subscription'] } },
				options: [
					{
						name: 'Customer Retention',
						value: 'customerRetention',
						description: 'Customers at start and end, new, churned, retention and churn rate',
						action: 'Compute customer retention and churn',
					},
					{
						name: 'Revenue Retention',
						value: 'revenueRetention',
						description: 'NRR, GRR, expansion, contraction and MRR churn',
						action: 'Compute revenue retention',
					},
				],
				default: 'customerRetention',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['transaction'] } },
				options: [
					{
						name: 'Cohort Retention',
						value: 'cohortRetention',
						description: 'Acquisition cohorts by month or week, with a heatmap picture',
						action: 'Build a cohort retention table',
					},
					{
						name: 'Purchase Behaviour',
						value: 'purchaseBehaviour',
						description: 'AOV, purchase frequency, repeat purchase rate, lifespan and historic CLV',
						action: 'Compute purchase behaviour',
					},
				],
				default: 'purchaseBehaviour',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['survey'] } },
				options: [
					{
						name: 'Survey Scores',
						value: 'surveyScores',
						description: 'NPS, CSAT or CES, with each response classified',
						action: 'Compute survey scores',
					},
				],
				default: 'surveyScores',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['campaign'] } },
				options: [
					{
						name: 'Campaign Uplift',
						value: 'campaignUplift',
						description: 'Treatment vs holdout outcome rates, lift with a 95 % interval and p-value',
						action: 'Measure campaign uplift',
					},
				],
				default: 'campaignUplift',
			},
			...Object.values(operations).flatMap((op) => op.description),
			{ ...timeZoneProperty, displayOptions: { hide: { operation: ['surveyScores', 'campaignUplift'] } } },
			languageProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
