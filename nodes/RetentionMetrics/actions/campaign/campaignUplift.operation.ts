/** Campaign Uplift: did the care action change the outcome rate compared with the holdout group? */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { noteText } from '../../../engine/metrics/notes';
import { campaignUplift } from '../../../engine/metrics/uplift';
import { InputError, getField, readInto, readId, readBoolean } from '../../../shared/fields';
import { fieldProperty, getLanguage, handleInputErrors, pairedAll, toItems } from '../../../shared/node';
import { round } from '../../../shared/numbers';
import { explain, groupByProperty, groupValue, itemsOf, partition, scopeFields } from '../common';

const OP = 'campaignUplift';
const show = { operation: [OP] };

export const description: INodeProperties[] = [
	fieldProperty([OP], 'assignmentField', 'Assignment Field', 'assignment', 'Field saying whether the customer was in the treatment or the holdout group'),
	{ displayName: 'Treatment Value', name: 'treatmentValue', type: 'string', default: 'treatment', description: 'Value of the assignment field for customers who got the action', displayOptions: { show } },
	{ displayName: 'Holdout Value', name: 'holdoutValue', type: 'string', default: 'holdout', description: 'Value of the assignment field for the control group', displayOptions: { show } },
	fieldProperty([OP], 'outcomeField', 'Outcome Field', 'converted', 'True/false field: did the customer do what the campaign aimed for (buy, renew, return)?'),
	fieldProperty(
		[OP],
		'customerIdField',
		'Customer ID Field',
		'',
		'Optional: count each customer once (with the outcome if any of their items has it). Empty: every item is a customer.',
		false,
	),
	{ ...groupByProperty(OP), description: 'Optional field (e.g. the campaign key) splitting the items into separate comparisons, plus the total' },
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const language = getLanguage(this);
	const assignmentField = this.getNodeParameter('assignmentField', 0) as string;
	const treatmentValue = String(this.getNodeParameter('treatmentValue', 0)).trim();
	const holdoutValue = String(this.getNodeParameter('holdoutValue', 0)).trim();
	if (treatmentValue === holdoutValue) {
		throw new NodeOperationError(this.getNode(), `Treatment Value and Holdout Value are both "${treatmentValue}": they must differ`, {
			description: 'Set each to the value the assignment field holds for its group, e.g. "treatment" and "holdout"; otherwise every customer would count as treated and there would be no control group.',
		});
	}
	const outcomeField = this.getNodeParameter('outcomeField', 0) as string;
	const idField = (this.getNodeParameter('customerIdField', 0, '') as string).trim();
	const groupField = (this.getNodeParameter('groupBy', 0, '') as string).trim();

	const n = items.length;
	const inTreatment = new Uint8Array(n);
	const converted = new Uint8Array(n);
	const ids: Array<string | undefined> = new Array(n);
	const groupKeys: string[] = groupField ? new Array(n) : [];
	const { count, itemIndexes, errors } = readInto(items, (json, i, row) => {
		const raw = getField(json, assignmentField);
		const value = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw).trim() : undefined;
		if (value !== treatmentValue && value !== holdoutValue) {
			throw new InputError(i, assignmentField, raw, `must be "${treatmentValue}" or "${holdoutValue}"`);
		}
		converted[row] = readBoolean(json, outcomeField, i) ? 1 : 0;
		inTreatment[row] = value === treatmentValue ? 1 : 0;
		// With a Customer ID Field, every item names its customer: one without would be counted as a customer
		// of its own, silently.
		ids[row] = idField ? readId(json, idField, i) : undefined;
		if (groupField) groupKeys[row] = groupValue(json, groupField, language);
	});
	const out = handleInputErrors(this, errors);
	const groups = partition(groupField ? groupKeys : undefined, count);
	const results = groups.map((g) => {
		// One vote per customer when ids are given: converted if any of their rows in that group converted; a
		// customer seen in both groups is counted where they first appear, with that group's outcomes only
		// (a holdout row's conversion is not credited to the treatment), and the conflict is reported.
		const seen = new Map<string, { treatment: boolean; converted: boolean }>();
		const anonymous = { treatment: { customers: 0, converted: 0 }, holdout: { customers: 0, converted: 0 } };
		let conflicts = 0;
		for (const r of g.rows) {
			const id = ids[r];
			if (id === undefined) {
				const side = inTreatment[r] ? anonymous.treatment : anonymous.holdout;
				side.customers++;
				side.converted += converted[r];
				continue;
			}
			const prior = seen.get(id);
			if (!prior) seen.set(id, { treatment: inTreatment[r] === 1, converted: converted[r] === 1 });
			else {
				if (prior.treatment !== (inTreatment[r] === 1)) conflicts++;
				else prior.converted ||= converted[r] === 1;
			}
		}
		for (const c of seen.values()) {
			const side = c.treatment ? anonymous.treatment : anonymous.holdout;
			side.customers++;
			side.converted += c.converted ? 1 : 0;
		}
		const u = campaignUplift(anonymous.treatment, anonymous.holdout, language);
		const pct = (v: number | null) => (v === null ? null : round(v * 100, 4));
		const warnings = [...u.warnings];
		if (conflicts) warnings.push(noteText('customerInBothGroups', language, { count: conflicts }));
		return {
			metric: OP,
			...scopeFields(groupField, g.key),
			treatmentCustomers: u.treatment.customers,
			treatmentConverted: u.treatment.converted,
			treatmentRate: pct(u.treatment.rate),
			holdoutCustomers: u.holdout.customers,
			holdoutConverted: u.holdout.converted,
			holdoutRate: pct(u.holdout.rate),
			absoluteLift: pct(u.absoluteLift),
			relativeLift: pct(u.relativeLift),
			confidenceIntervalLower: u.confidenceInterval ? pct(u.confidenceInterval.lower) : null,
			confidenceIntervalUpper: u.confidenceInterval ? pct(u.confidenceInterval.upper) : null,
			pValue: u.pValue === null ? null : round(u.pValue, 6),
			significant: u.significant,
			warnings,
			method: u.method,
			...explain(
				language,
				['treatmentCustomers', 'treatmentConverted', 'treatmentRate', 'holdoutCustomers', 'holdoutConverted', 'holdoutRate', 'absoluteLift', 'relativeLift', 'confidenceIntervalLower', 'confidenceIntervalUpper', 'pValue', 'significant'],
				['absoluteLift', 'relativeLift', 'confidenceInterval', 'pValue'],
			),
		};
	});
	out.push(...toItems(results, (i) => pairedAll(itemsOf(itemIndexes, groups[i]))));
	return out;
}
