/**
 * Runs real workflows through n8n-core's WorkflowExecute with this package's node types — the same
 * engine n8n uses — following n8n's own nodes-testing harness (which is not published on npm).
 *
 * A workflow here is a list of nodes (our types, named `n8n-nodes-retention.<name>`), connections
 * between them, and the items fed to the first node.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { nodeTypesByName } from './nodeTypes';

export const PACKAGE = 'n8n-nodes-retention';

class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}
	getByName(type: string) {
		return this.types[type];
	}
	getByNameAndVersion(type: string, version?: number) {
		const t = this.types[type];
		if (!t) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(t, version);
	}
	getKnownTypes() {
		return {};
	}
}

/** Credentials the test supplies, by credential type name. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

class TestCredentialsHelper {
	constructor(private readonly credentials: TestCredentials) {}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(_c: ICredentialDataDecryptedObject, _t: string, requestOptions: IDataObject) {
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials() {
		throw new Error('not used');
	}
	async getDecrypted(_a: unknown, _n: unknown, type: string) {
		const c = this.credentials[type];
		if (!c) throw new Error(`No test credentials of type ${type}`);
		return c;
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}

export interface NodeSpec {
	name: string;
	/** Short type, e.g. `retentionMetrics`; the package prefix is added. */
	type: string;
	parameters?: IDataObject;
	typeVersion?: number;
	onError?: INode['onError'];
	credentials?: INode['credentials'];
}

export interface RunOptions {
	nodes: NodeSpec[];
	/** `from` → list of `to` node names, per output index (default a straight chain in list order). */
	connections?: Record<string, string[][]>;
	/** Items fed to the first node. */
	input: ReadonlyArray<object>;
	credentials?: TestCredentials;
	mode?: WorkflowExecuteMode;
	staticData?: IDataObject;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node, by output index (first run of the node). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Plain json of a node's output items. */
	json(nodeName: string, outputIndex?: number): IDataObject[];
	/** The error the run ended with, if any. */
	error: Error | undefined;
	newStaticData?: IDataObject;
}

function toItems(input: RunOptions['input']): INodeExecutionData[] {
	return (input as ReadonlyArray<IDataObject | INodeExecutionData>).map((entry, i) =>
		entry && typeof entry === 'object' && 'json' in entry && typeof entry.json === 'object'
			? (entry as INodeExecutionData)
			: { json: entry as IDataObject, pairedItem: { item: i } },
	);
}

let executionCounter = 0;

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const nodes: INode[] = options.nodes.map((n, i) => ({
		id: `node-${i}`,
		name: n.name,
		type: `${PACKAGE}.${n.type}`,
		typeVersion: n.typeVersion ?? 1,
		position: [i * 200, 0],
		parameters: (n.parameters ?? {}) as INode['parameters'],
		...(n.onError ? { onError: n.onError } : {}),
		...(n.credentials ? { credentials: n.credentials } : {}),
	}));
	const connections: IConnections = {};
	const links =
		options.connections ??
		Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n.name, [[nodes[i + 1].name]]]));
	for (const [from, outputs] of Object.entries(links)) {
		connections[from] = {
			main: outputs.map((targets) => targets.map((node) => ({ node, type: 'main' as const, index: 0 }))),
		};
	}

	const nodeTypes = new TestNodeTypes(nodeTypesByName());
	const workflowId = 'wf-test';
	const workflow = new Workflow({
		id: workflowId,
		name: 'test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		staticData: options.staticData ?? {},
		settings: {},
	});
	const mode = options.mode ?? 'manual';
	const executionId = `exec-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'test',
		nodes,
		connections,
		active: false,
		settings: {},
	} as unknown as IWorkflowBase);
	let finish!: (v: { run: IRun; newStaticData?: IDataObject }) => void;
	const finished = new Promise<{ run: IRun; newStaticData?: IDataObject }>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run, newStaticData) => finish({ run, newStaticData }));

	const additionalData = {
		hooks,
		currentNodeParameters: undefined,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		executionId,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the test harness');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}),
	} as unknown as IWorkflowExecuteAdditionalData;

	const startNode = workflow.getNode(nodes[0].name)!;
	const runExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: startNode, data: { main: [toItems(options.input)] }, source: null }],
		},
	} as unknown as IRunExecutionData;

	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const { run, newStaticData } = await finished;
	const output = (nodeName: string, outputIndex = 0): INodeExecutionData[] => {
		const taskData = run.data.resultData.runData[nodeName]?.[0];
		if (!taskData) throw new Error(`Node ${nodeName} did not run (${run.data.resultData.error?.message ?? 'no error'})`);
		return taskData.data?.main?.[outputIndex] ?? [];
	};
	return {
		run,
		output,
		json: (nodeName, outputIndex) => output(nodeName, outputIndex).map((i) => i.json),
		error: run.data.resultData.error as Error | undefined,
		newStaticData,
	};
}

/** Runs a single node of ours on some items. */
export async function runNode(
	type: string,
	parameters: IDataObject,
	input: RunOptions['input'],
	extra: Pick<NodeSpec, 'onError' | 'typeVersion'> & {
		nodeCredentials?: NodeSpec['credentials'];
		credentials?: TestCredentials;
	} = {},
): Promise<RunResult> {
	const { credentials, nodeCredentials, ...spec } = extra;
	return runWorkflow({
		nodes: [{ name: 'Node', type, parameters, ...spec, credentials: nodeCredentials }],
		input,
		credentials,
	});
}
