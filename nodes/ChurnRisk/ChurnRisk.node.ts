import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { languageProperty, timeZoneProperty } from '../shared/node';
import { operations, router } from './actions/router';

export class ChurnRisk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Churn Risk',
		name: 'churnRisk',
		icon: { light: 'file:churnRisk.svg', dark: 'file:churnRisk.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Churn-risk scores with reasons that name the field and its value: rule signals or a trained model',
		defaults: { name: 'Churn Risk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Score by Signals',
						value: 'scoreBySignals',
						description: 'A 0–100 score and tier from signals you set: recency, usage drop, tickets, renewal, payments, NPS',
						action: 'Score churn risk by signals',
					},
					{
						name: 'Score with Model',
						value: 'scoreWithModel',
						description: 'Apply a trained model: churn probability, tier and the reasons per customer',
						action: 'Score churn risk with a model',
					},
					{
						name: 'Train Model',
						value: 'trainModel',
						description: 'Learn from customers with a churned flag; reports how far the model can be trusted',
						action: 'Train a churn model',
					},
				],
				default: 'scoreBySignals',
			},
			...Object.values(operations).flatMap((op) => op.description),
			{ ...timeZoneProperty, displayOptions: { show: { operation: ['scoreBySignals'] } } },
			languageProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
