/** The Tree Options the editor shows must be the engine's defaults, or adding an option unchanged would alter training. */
import { GBT_DEFAULTS } from '../../../nodes/engine/churn/gbt';
import { description } from '../../../nodes/ChurnRisk/actions/trainModel.operation';

test('Tree Options defaults equal GBT_DEFAULTS', () => {
	const tree = description.find((p) => p.name === 'treeOptions')!;
	const shown = Object.fromEntries((tree.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]));
	expect(shown).toEqual({
		earlyStoppingRounds: GBT_DEFAULTS.earlyStoppingRounds,
		learningRate: GBT_DEFAULTS.learningRate,
		maxDepth: GBT_DEFAULTS.maxDepth,
		rounds: GBT_DEFAULTS.rounds,
		minRowsPerLeaf: GBT_DEFAULTS.minRowsPerLeaf,
		refit: GBT_DEFAULTS.refit,
		subsample: GBT_DEFAULTS.subsample,
	});
});
