import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CARE_OUTPUTS } from '../engine/care/types';
import { languageProperty } from '../shared/node';
import { ledgerProperties } from './actions/common';
import { testLedgerCredential } from './ledger';
import { operations, router } from './actions/router';
import { OUTPUT_LABELS } from './labels';

const DECIDE_OUTPUTS = CARE_OUTPUTS.map((o) => ({ type: NodeConnectionTypes.Main, displayName: OUTPUT_LABELS[o].en }));
const SINGLE_OUTPUT = [{ type: NodeConnectionTypes.Main, displayName: 'Result' }];

export class CareAction implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Care Action',
		name: 'careAction',
		icon: { light: 'file:careAction.svg', dark: 'file:careAction.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Turns customers into guarded care actions: playbook, templates, consent, frequency caps, send windows, control groups and a ledger',
		defaults: { name: 'Care Action' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Decide routes to seven outputs; Record Outcome and Opt Out have one.
		outputs: `={{$parameter["operation"] === "decide" || $parameter["operation"] === undefined ? ${JSON.stringify(DECIDE_OUTPUTS)} : ${JSON.stringify(SINGLE_OUTPUT)}}}`,
		credentials: [
			{
				name: 'retentionLedgerApi',
				required: true,
				testedBy: 'retentionLedgerConnection',
				displayOptions: { show: { ledger: ['postgres', 'redis'] } },
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Decide',
						value: 'decide',
						description: 'Choose an action per customer and route it: Email, SMS, CRM Task, Other, Holdout, Deferred, Suppressed',
						action: 'Decide care actions',
					},
					{
						name: 'Opt Out',
						value: 'optOut',
						description: 'Record that customers do not want messages on a channel or topic',
						action: 'Record opt outs',
					},
					{
						name: 'Prune Ledger',
						value: 'prune',
						description: 'Remove decisions, outcomes and webhook event IDs older than some days (PostgreSQL or Redis ledger); opt-outs are kept',
						action: 'Prune the ledger',
					},
					{
						name: 'Record Outcome',
						value: 'recordOutcome',
						description: 'Record sent, delivered, failed, opened, clicked, converted, opted out or bounced',
						action: 'Record outcomes',
					},
				],
				default: 'decide',
			},
			...ledgerProperties,
			...Object.values(operations).flatMap((op) => op.description),
			languageProperty,
		],
	};

	methods = {
		credentialTest: { retentionLedgerConnection: testLedgerCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
