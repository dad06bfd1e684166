import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { languageProperty, timeZoneProperty } from '../shared/node';
import { horizonProperties, purchaseModelProperty, sharedProperties } from './actions/common';
import { operations, router } from './actions/router';

export class CustomerLifetimeValue implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Customer Lifetime Value',
		name: 'customerLifetimeValue',
		icon: { light: 'file:customerLifetimeValue.svg', dark: 'file:customerLifetimeValue.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Predict which customers are still active, how often they will buy and what they are worth (BG/NBD, Pareto/NBD, Gamma-Gamma), with a fit report',
		defaults: { name: 'Customer Lifetime Value' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Customers', 'Model'],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Fit and Predict',
						value: 'fitPredict',
						description: 'Learn from purchase history, then predict activity, purchases, spend and CLV per customer',
						action: 'Fit a model and predict customer lifetime value',
					},
					{
						name: 'Predict with Model',
						value: 'predictWithModel',
						description: 'Apply a model from an earlier Fit and Predict to customers',
						action: 'Predict customer lifetime value with a fitted model',
					},
					{
						name: 'Validate',
						value: 'validate',
						description: 'Split at a date, fit on the past and compare predicted with actual purchases after it',
						action: 'Validate a model on a holdout period',
					},
				],
				default: 'fitPredict',
			},
			...sharedProperties,
			purchaseModelProperty,
			...horizonProperties,
			...Object.values(operations).flatMap((op) => op.description),
			timeZoneProperty,
			languageProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
