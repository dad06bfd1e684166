/**
 * Label Language 简体中文: every sentence the node writes (reason, spendReason, warnings, convergence reason,
 * note, per-customer reasons) is Chinese; the English stays as it was; the counts that had no label have one.
 */
import type { IDataObject } from 'n8n-workflow';

import { MESSAGES, message, type MessageKey } from '../../../nodes/engine/clv/messages';
import { fitPurchase } from '../../../nodes/engine/clv/index';
import { fitGammaGamma } from '../../../nodes/engine/clv/gammagamma';
import { minimize } from '../../../nodes/engine/clv/optimize';
import { LABELS } from '../../../nodes/CustomerLifetimeValue/labels';
import { cdnowTransactions } from './cdnowItems';
import { runNode } from '../../harness/workflow';


const fitParameters = { operation: 'fitPredict', inputType: 'transactions', calibrationEnd: '1997-09-30', timeUnit: 'weeks', horizon: 39, discountRate: 0, timeZone: 'UTC' };

/** Acronyms the Chinese labels of this node use as they are. */
const KEPT = /\b(?:RFM|CLV)\b/g;

function englishIn(text: string): string[] {
	return text.replace(KEPT, '').match(/[A-Za-z]{2,}/g) ?? [];
}

/** Every sentence of an item: reason, spendReason, correlationReason, note, warnings, fit reports, reasons. */
function sentences(json: IDataObject): string[] {
	const out: string[] = [];
	for (const key of ['reason', 'spendReason', 'correlationReason', 'note']) if (typeof json[key] === 'string') out.push(json[key] as string);
	if (Array.isArray(json.warnings)) out.push(...(json.warnings as string[]));
	for (const key of ['purchaseFit', 'spendFit']) {
		const fit = json[key] as IDataObject | null | undefined;
		if (fit) out.push(String(fit.convergenceReason), ...(fit.warnings as string[]));
	}
	if (json.reasons) out.push(...Object.values(json.reasons as Record<string, string>));
	return out;
}

function expectChinese(texts: string[]): void {
	for (const text of texts) {
		expect({ text, english: englishIn(text), chinese: /[\u4e00-\u9fff]/.test(text) }).toEqual({ text, english: [], chinese: true });
	}
}

describe('Fit and Predict in Chinese', () => {
	let customers: IDataObject[];
	let model: IDataObject;
	beforeAll(async () => {
		const result = await runNode('customerLifetimeValue', { ...fitParameters, spendModel: 'none', language: 'zh' }, cdnowTransactions());
		customers = result.json('Node', 0);
		model = result.json('Node', 1)[0];
	}, 60_000);

	it('per-customer reasons and the model item’s spend reason are Chinese', () => {
		expect(customers[0].reasons).toEqual({ expectedAverageSpend: '未选择消费金额模型 (或没有金额数据)', predictedClv: '未选择消费金额模型 (或没有金额数据)' });
		expect(model.spendReason).toBe('未选择消费金额模型 (或没有金额数据)');
		expect((model.purchaseFit as IDataObject).convergenceReason).toMatch(/^(梯度低于容差|目标函数不再变化; 梯度很小|已达机器精度, 无法再下降; 梯度很小)$/);
		expectChinese(sentences(model));
		for (const c of customers.slice(0, 50)) expectChinese(sentences(c));
	});

	it('the model item’s `customers` has a label in both languages', () => {
		expect(model.customers).toBe(2357);
		expect((model.labels as IDataObject).customers).toBe('输入中的客户数');
		expect(LABELS.customers.en).toBe('Customers in the input');
	});

	it('Predict with Model: the unit-conversion note is Chinese', async () => {
		const result = await runNode(
			'customerLifetimeValue',
			{ operation: 'predictWithModel', inputType: 'summaries', modelSource: 'json', modelJson: model, timeUnit: 'days', horizon: 39, discountRate: 0, meanSpendField: '', language: 'zh' },
			[{ customerId: 'a', frequency: 2, recency: 30, T: 60 }],
		);
		expect(result.error).toBeUndefined();
		const item = result.json('Node', 1)[0];
		expect(item.note).toBe('客户摘要、预测期和折现率已从“天”换算为模型的时间单位“周”');
		expect(item.spendReason).toBe('该模型不含消费金额模型');
		expectChinese(sentences(item));
		expectChinese(sentences(result.json('Node', 0)[0]));
	});
});

describe('refusals in Chinese', () => {
	const small = [
		{ customerId: 'a', date: '2025-01-01', amount: 10 },
		{ customerId: 'a', date: '2025-01-15', amount: 12 },
		{ customerId: 'b', date: '2025-01-03', amount: 5 },
		{ customerId: 'late', date: '2025-03-01', amount: 30 },
	];
	const params = { ...fitParameters, calibrationEnd: '2025-02-01', timeUnit: 'days', horizon: 30 };

	it('too few repeat buyers: reason, spend reason, warnings and per-customer reasons', async () => {
		const zh = await runNode('customerLifetimeValue', { ...params, language: 'zh' }, small);
		expect(zh.error).toBeUndefined();
		const model = zh.json('Node', 1)[0];
		expect(model.trust).toBe('refused');
		expect(model.spendReason).toBe('消费金额模型需要平均消费为正的复购客户; 只找到 1 位');
		expect(String(model.reason)).toMatch(/^(复购客户少于 30 位: 改为按 RFM 排序, 不做预测|拟合未收敛: .+)$/);
		expect(model.warnings as string[]).toContain('只有 1 位复购客户 (少于 30 位): 参数非常不确定; 请改用 RFM 对客户排序, 或积累更多历史数据');
		expectChinese(sentences(model));
		const late = zh.json('Node', 0).find((c) => c.customerId === 'late')!;
		expect(late.reasons).toEqual({ probabilityAlive: '首次购买在校准期末之后: 尚无可学习的历史', totalClv: '没有预测客户生命周期价值' });
		for (const c of zh.json('Node', 0)) expectChinese(sentences(c));

		const en = await runNode('customerLifetimeValue', params, small);
		const enModel = en.json('Node', 1)[0];
		expect(enModel.spendReason).toBe('the spend model needs repeat buyers with a positive mean spend; found 1');
		expect(enModel.warnings as string[]).toContain(
			'only 1 repeat buyers (fewer than 30): the parameters are very uncertain; rank customers by RFM instead or collect more history',
		);
		expect((en.json('Node', 0).find((c) => c.customerId === 'late')!.reasons as IDataObject).probabilityAlive).toBe(
			'the first purchase is after the calibration end: nothing to learn from yet',
		);
	});

	it('no repeat buyers at all', async () => {
		const once = [
			{ customerId: 'a', date: '2025-01-01', amount: 1 },
			{ customerId: 'b', date: '2025-01-02', amount: 1 },
		];
		const zh = await runNode('customerLifetimeValue', { ...params, calibrationEnd: '', language: 'zh' }, once);
		const model = zh.json('Node', 1)[0];
		expect(model.reason).toBe('校准期内没有客户购买超过一次: 购买模型需要从复购中学习');
		expectChinese(sentences(model));
	});
});

describe('Validate in Chinese', () => {
	it('labels of customers and customersFirstSeenInHoldout in both languages; Chinese sentences', async () => {
		const params = { operation: 'validate', calibrationEnd: '1997-09-30', timeUnit: 'weeks', purchaseModel: 'bgnbd', topFrequency: 7, timeZone: 'UTC' };
		const input = cdnowTransactions('19980630');
		const zh = await runNode('customerLifetimeValue', { ...params, language: 'zh' }, input);
		const report = zh.json('Node', 0)[0];
		expect(report).toMatchObject({ customers: 2357, customersFirstSeenInHoldout: 0 });
		expect(report.labels).toMatchObject({ customers: '参与对比的客户数 (校准期内有购买)', customersFirstSeenInHoldout: '验证期才首次出现的客户数 (不参与对比)' });
		expectChinese(sentences(report));
		const model = zh.json('Node', 1)[0];
		expect(model.spendReason).toBe('验证操作只拟合购买模型');
		expectChinese(sentences(model));
		expect(LABELS.customersCompared.en).toBe('Customers compared (with a purchase in the calibration period)');
		expect(LABELS.customersFirstSeenInHoldout.en).toBe('Customers first seen in the holdout (not compared)');
	}, 60_000);
});

describe('the engine in Chinese', () => {
	const tiny = { frequency: [1, 0, 2], recency: [3, 0, 5], T: [10, 8, 9] };

	it('fit warnings and the convergence reason follow the language; English by default', () => {
		const zh = fitPurchase('bgnbd', tiny, { timeUnit: 'weeks', language: 'zh' });
		const en = fitPurchase('bgnbd', tiny, { timeUnit: 'weeks' });
		expect(zh.warnings.length).toBe(en.warnings.length);
		expect(zh.warnings[0]).toBe('只有 2 位复购客户 (少于 30 位): 参数非常不确定; 请改用 RFM 对客户排序, 或积累更多历史数据');
		expect(en.warnings[0]).toMatch(/^only 2 repeat buyers/);
		expectChinese([...zh.warnings, zh.convergenceReason]);
		const spend = fitGammaGamma([2, 3, 1, 4], [10, 0, 12, 30], { timeUnit: 'weeks', language: 'zh' });
		expect(spend.warnings).toContain('1 位平均消费 ≤ 0 的复购客户未参与消费金额模型的拟合');
		// A start where the objective is not finite is reported (it used to fail on the inverse Hessian declared later).
		const stuck = minimize(() => NaN, [0], { language: 'zh' });
		expect(stuck).toMatchObject({ converged: false, reason: '起点处的似然值不是有限数' });
		expect(minimize(() => NaN, [0]).reason).toBe('the likelihood is not finite at the starting point');
	});

	it('every message of the table has Chinese without English words', () => {
		for (const key of Object.keys(MESSAGES) as MessageKey[]) {
			const zh = message(key, 'zh', { count: 2, minimum: 30, name: 'r', value: '1e+7', runaway: '参数 r 发散到 1e+7', q: '0.9', runs: 2, starts: 5, gradient: '1e-3', reason: '迭代 300 次后停止', message: '未知错误', warning: '参数 r = 1e+5 处于极端值', from: '天', to: '周' });
			expect({ key, english: englishIn(zh), chinese: /[\u4e00-\u9fff]/.test(zh) }).toEqual({ key, english: [], chinese: true });
		}
	});
});
