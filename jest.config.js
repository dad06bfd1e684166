/** Jest: unit, workflow (n8n WorkflowExecute) and end-to-end (real n8n) projects. */
const tsJest = ['ts-jest', { diagnostics: false }];
const common = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	moduleFileExtensions: ['ts', 'js', 'json'],
	// dist/package.json would collide with ours; .runtime holds a whole n8n.
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.runtime/'],
};
module.exports = {
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/**/*.test.ts'],
			testPathIgnorePatterns: ['<rootDir>/test/e2e/', '/node_modules/'],
			setupFiles: ['<rootDir>/test/harness/env.ts'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			setupFiles: ['<rootDir>/test/harness/env.ts'],
		},
	],
	testTimeout: 60000,
};
