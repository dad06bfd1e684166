import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { languageProperty, timeZoneProperty } from '../shared/node';
import { operations, router } from './actions/router';

export class CustomerSegments implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Customer Segments',
		name: 'customerSegments',
		icon: { light: 'file:customerSegments.svg', dark: 'file:customerSegments.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'RFM segments (Champions, At Risk, Lost…) and lifecycle stages, each customer with the reason for it',
		defaults: { name: 'Customer Segments' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Customers', 'Summary'],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Lifecycle Stage',
						value: 'lifecycleStage',
						description: 'New, active, at risk, dormant, lost or reactivated, against each customer’s own purchase rhythm',
						action: 'Find the lifecycle stage of each customer',
					},
					{
						name: 'RFM',
						value: 'rfm',
						description: 'Recency, frequency and monetary scores, code and named segment per customer, plus a summary per segment',
						action: 'Score customers and segment them by RFM',
					},
				],
				default: 'rfm',
			},
			{
				displayName: 'Customer ID Field',
				name: 'customerIdField',
				type: 'string',
				default: 'customerId',
				required: true,
				description: 'Field holding the customer identifier',
			},
			...Object.values(operations).flatMap((op) => op.description),
			timeZoneProperty,
			languageProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
