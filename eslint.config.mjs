// n8n's community-node rule sets, exactly as `n8n-node lint` applies them:
// @n8n/eslint-plugin-community-nodes (recommended) + eslint-plugin-n8n-nodes-base (community, nodes, credentials).
import { config } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', '.runtime/**', 'coverage/**', '*.js', '*.mjs'] },
	...config,
];
