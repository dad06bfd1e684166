/**
 * The n8n editor in headless Chromium (Debian's chromium package, driven by playwright-core: no
 * browser download). Logs in through the sign-in form like a person, opens a workflow, searches the
 * node panel and takes screenshots.
 */
import { execFile } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { PROJECT_ROOT, type Login } from '../../scripts/lib/n8n';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Installs Debian's chromium through scripts/ensure-chromium.sh (apt-get) when it is missing. */
/**
 * Asynchronous on purpose: a synchronous apt-get install blocks the event loop for its ~12 s, during which
 * n8n closes the test's idle keep-alive connections unnoticed, and the next request on one of them fails
 * with "other side closed" (seen in CI on a machine without Chromium).
 */
export async function ensureChromium(): Promise<boolean> {
	if (!existsSync(CHROMIUM) && !process.env.CHROMIUM_PATH) {
		await new Promise<void>((resolve, reject) => {
			const child = execFile('bash', [join(PROJECT_ROOT, 'scripts', 'ensure-chromium.sh')], { timeout: 10 * 60 * 1000 }, (error) =>
				error ? reject(error) : resolve(),
			);
			child.stdout?.pipe(process.stdout);
			child.stderr?.pipe(process.stderr);
		});
	}
	return existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		// as root, on a machine without network beyond loopback: no sandbox, no background calls
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
}

export async function signIn(page: Page, baseUrl: string, login: Login): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first();
	await email.waitFor({ timeout: 60_000 });
	await email.fill(login.email);
	await page.locator('input[type="password"]').first().fill(login.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** Opens a workflow in the editor and waits until its nodes are drawn on the canvas. */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string, nodeNames: string[]): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	for (const name of nodeNames) {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"], [data-test-id="canvas-node"]:has-text("${name}")`).first().waitFor({ timeout: 30_000 });
	}
	// let the canvas finish fitting the view and loading icons
	await page.waitForTimeout(1500);
}

/** Opens the node panel (the canvas "+" button, or Tab). */
export async function openNodePanel(page: Page): Promise<void> {
	const plus = page.locator('[data-test-id="canvas-plus-button"], [data-test-id="node-creator-plus-button"]').first();
	if (await plus.isVisible().catch(() => false)) await plus.click();
	else await page.keyboard.press('Tab');
	await nodePanelSearch(page).waitFor({ timeout: 30_000 });
}

function nodePanelSearch(page: Page) {
	return page.locator('[data-test-id="node-creator-search-bar"] input, [data-test-id="search-bar"] input, input[placeholder*="Search" i]').first();
}

/** Types into the open node panel's search and returns the names of the nodes it lists. */
export async function searchNodePanel(page: Page, query: string): Promise<string[]> {
	const search = nodePanelSearch(page);
	await search.fill(query);
	await page.waitForTimeout(800);
	const items = page.locator('[data-test-id="node-creator-node-item"], [data-test-id="item-iterator-item"]');
	return (await items.allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter(Boolean);
}
