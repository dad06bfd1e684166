/** Every node type this package declares in package.json, loaded from the TypeScript sources. */
import type { INodeType, IVersionedNodeType } from 'n8n-workflow';
import { existsSync } from 'fs';
import { join } from 'path';

import pkg from '../../package.json';

export function nodeTypesByName(): Record<string, INodeType | IVersionedNodeType> {
	const types: Record<string, INodeType | IVersionedNodeType> = {};
	for (const distPath of pkg.n8n.nodes) {
		const source = join(__dirname, '..', '..', distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		if (!existsSync(source)) continue; // a node not written yet
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(source) as Record<string, new () => INodeType | IVersionedNodeType>;
		for (const NodeClass of Object.values(mod)) {
			const instance = new NodeClass();
			types[`${pkg.name}.${instance.description.name}`] = instance;
		}
	}
	return types;
}
