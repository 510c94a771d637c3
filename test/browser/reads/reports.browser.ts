/**
 * Reports over seeded data, in Debian's Chromium against `npm start`: `npm run seed` fills an account
 * with a week of traffic; the account's time zone is set; the page's per-link table and daily chart show
 * the API's own figures (a point per day of the range), and the CSV it downloads is the API's CSV. The
 * person is signed in (owner of the account), so every call of the page carries their token and is checked.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { startNpm, stopNpm } from '../../support/npm-start';
import { launchBrowser, screenshot, seriousViolations, type ConsoleBrowser } from '../support/browser';
import { signInThroughConsole } from '../support/sign-in';

const ACCOUNT = 'acct-reports';
const TIME_ZONE = 'America/New_York';
const root = path.resolve(__dirname, '../../..');
let npm: ChildProcess;
let origin: string;
let browser: ConsoleBrowser;
let page: Page;

beforeAll(async () => {
  const service = await startNpm();
  npm = service.npm;
  origin = service.url;
  const port = new URL(origin).port;
  await promisify(execFile)(
    'npm',
    ['run', 'seed', '--', '--account', ACCOUNT, '--days', '7', '--clicks-per-day', '40', '--quiet'],
    { cwd: root, env: { ...process.env, PORT: port }, timeout: 240_000 },
  );
  browser = await launchBrowser(origin);
  page = await browser.context.newPage();
  await page.goto(`/console/#/${ACCOUNT}/reports`);
  await signInThroughConsole(page, { user: 'rita', account: ACCOUNT, role: 'owner' });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stopNpm(npm);
});

interface Row {
  readonly linkId: string | null;
  readonly day?: string;
  readonly clicks: number;
  readonly purchases: number;
  readonly netCommissionCents: number;
}

const money = (cents: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

test("the account's time zone is set in the page and every time is shown in it", async () => {
  await page.goto(`/console/#/${ACCOUNT}/reports`);
  await page.getByRole('textbox', { name: 'Account time zone' }).fill(TIME_ZONE);
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await page.getByText(`times in ${TIME_ZONE}`).waitFor();
  const settings = (await (await fetch(`${origin}/v1/accounts/${ACCOUNT}/settings`)).json()) as {
    timeZone: string;
  };
  expect(settings.timeZone).toBe(TIME_ZONE);
});

test('the daily chart has a point per day and its figures are the API answer; the link table too', async () => {
  await page.goto('about:blank');
  const daily = page.waitForResponse(
    (response) => response.url().includes('/reports/links?') && response.url().includes('groupBy=day'),
  );
  const links = page.waitForResponse(
    (response) => response.url().includes('/reports/links?') && response.url().includes('groupBy=link'),
  );
  await page.goto(`/console/#/${ACCOUNT}/reports`);
  const days = ((await (await daily).json()) as { rows: Row[] }).rows;
  const byLink = ((await (await links).json()) as { rows: Row[] }).rows;
  expect(days).toHaveLength(7);
  expect(days.reduce((sum, row) => sum + row.clicks, 0)).toBeGreaterThan(0);

  const chart = page.getByRole('img', { name: /^Daily clicks, conversions and net commission/ });
  await chart.waitFor();
  expect(await chart.getAttribute('data-points')).toBe('7');
  expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
  await page.getByText("The chart's figures").click();
  const perDay = page.getByRole('table', { name: `Per day (${TIME_ZONE})` });
  for (const row of days) {
    const cells = await perDay
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: row.day! }) })
      .getByRole('cell')
      .allTextContents();
    expect(cells).toEqual([String(row.clicks), String(row.purchases), money(row.netCommissionCents)]);
  }

  const table = page.getByRole('table', { name: /Per link/ });
  for (const row of byLink.filter((r) => r.linkId !== null)) {
    const cells = await table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: row.linkId!, exact: true }) })
      .getByRole('cell')
      .allTextContents();
    expect([cells[0], cells[1], cells[4]]).toEqual([
      String(row.clicks),
      String(row.purchases),
      money(row.netCommissionCents),
    ]);
  }
  await screenshot(page, 'reports-seeded');
  expect(await seriousViolations(page)).toEqual([]);
});

test("the CSV download is the API's CSV of the same report", async () => {
  const request = page.waitForRequest((r) => r.url().includes('format=csv'));
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csvUrl = (await request).url();
  const file = await (await download).path();
  const fromApi = await (await fetch(csvUrl)).text();
  expect(readFileSync(file, 'utf8')).toBe(fromApi);
  expect(fromApi.split('\r\n')[0]).toMatch(/^linkId,clicks,pageviews,purchases/);
});
