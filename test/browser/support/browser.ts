/**
 * The browser side of the console tests: Debian's Chromium driven by playwright-core (nothing downloaded
 * at run time), axe-core injected into each page checked, and a screenshot of every page under
 * test-results/. A missing Chromium fails the run with the command that installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS = path.resolve(__dirname, '../../../test-results');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(origin: string): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the browser tests need Debian's chromium package (apt-get install -y chromium; .ci/run installs it when missing), or CHROMIUM_PATH set to a Chromium binary.`,
    );
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'console-chromium-'));
  // A persistent context is how a fresh --user-data-dir is given to Chromium under Playwright.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
    // axe-core is injected as an inline script, which the console's own CSP (rightly) refuses.
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    baseURL: origin,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  mkdirSync(RESULTS, { recursive: true });
  return {
    browser: context.browser()!,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core over the whole page: the serious and critical violations, each with where it is. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate<AxeViolation[]>(
    'axe.run(document).then((result) => result.violations)',
  );
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

/** A full-page screenshot under test-results/, named for the page it shows. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(RESULTS, `console-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
