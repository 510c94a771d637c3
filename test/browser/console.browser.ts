/**
 * The console as an affiliate uses it, in Debian's Chromium against `npm start`: activate, copy the
 * Conversion URL, watch postbacks sent to it arrive in the live log, read why one could not be
 * attributed, replay a rejected one, look an order up with its history, create a link, add a merchant
 * and a product and find its pixels, read the link report; the errors a person can meet; the keyboard
 * and a 360 px screen. axe-core checks every page; each page's screenshot is saved under test-results/.
 * The service runs as `AUTH=required npm start`: the person signs in through the console first (the
 * local stand-in of the hosted sign-in page), and signs out and in again as someone else at the end.
 */
import type { ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { fillTemplate, until } from '../support/local-service';
import { startNpm, stopNpm } from '../support/npm-start';
import { launchBrowser, screenshot, seriousViolations, type ConsoleBrowser } from './support/browser';
import { operatorFetch, signInThroughConsole } from './support/sign-in';

const ACCOUNT = 'acct-console';
/** The person using the console: owner of ACCOUNT (signed in with that role) and of the other accounts the tests open. */
const OWNER = { user: 'olivia', account: ACCOUNT, role: 'owner' } as const;
const OTHER_ACCOUNTS = ['acct-empty', 'acct-keyboard'];
let npm: ChildProcess;
let apiFetch: (path: string, init?: RequestInit) => Promise<Response>;
let origin: string;
let browser: ConsoleBrowser;
let page: Page;
let conversionUrl: string;
const timings: Record<string, number> = {};

beforeAll(async () => {
  const started = Date.now();
  const service = await startNpm({ AUTH: 'required' });
  npm = service.npm;
  origin = service.url;
  timings['npm start to listening (ms)'] = Date.now() - started;
  browser = await launchBrowser(origin);
  page = await browser.context.newPage();
  await page.goto(`/console/#/${ACCOUNT}/integration`);
  await signInThroughConsole(page, OWNER);
  await page.getByRole('button', { name: 'Activate' }).waitFor();
  timings['npm start to signed in (ms)'] = Date.now() - started;
  // An operator makes the same person owner of the other accounts the tests open (the members API).
  apiFetch = await operatorFetch(origin);
  for (const account of OTHER_ACCOUNTS) {
    const granted = await apiFetch(`/v1/accounts/${account}/members/${OWNER.user}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${OWNER.user}@example.com`, role: 'owner' }),
    });
    expect(granted.status).toBe(201);
  }
  timings['npm start to a usable console (ms)'] = Date.now() - started;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopNpm(npm);
  console.log(`console timings: ${JSON.stringify(timings)}`);
});

async function checkPage(name: string) {
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
}

const send = (url: string) =>
  fetch(url).then(async (response) => ({
    status: response.status,
    postbackId: response.headers.get('x-postback-id')!,
  }));
const postbackUrl = (values: Record<string, string>) =>
  fillTemplate(conversionUrl, {
    COMMISSION_AMOUNT: '47.90',
    CONV_TYPE: 'frontend',
    PRODUCT_CODENAME: 'keto-x',
    ...values,
  });

async function goTo(pageName: string, argument?: string) {
  await page.goto(`/console/#/${ACCOUNT}/${pageName}${argument ? `/${argument}` : ''}`);
}

/** The live log's row of an order, once it shows with the outcome expected. */
function logRow(orderId: string, outcome: string) {
  return page.getByRole('row').filter({ hasText: orderId }).filter({ hasText: outcome }).first();
}

test('activate, then the Conversion URL is copied exactly as shown', async () => {
  await page.getByRole('button', { name: 'Activate' }).click();
  const field = page.getByLabel('Conversion URL', { exact: true });
  await field.waitFor();
  conversionUrl = await field.inputValue();
  expect(conversionUrl).toMatch(
    new RegExp(`^${origin}/v1/postbacks/buygoods/[^/]+/conversion\\?subid=\\{SUBID\\}`),
  );
  expect(await page.getByLabel('Refund URL', { exact: true }).inputValue()).toContain('/refund?');
  await page.getByRole('button', { name: 'Copy Conversion URL' }).click();
  await page.getByText('Copied').waitFor();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(conversionUrl);
  await checkPage('integration');
});

test('a test purchase is shown with its record once processed', async () => {
  await page.getByRole('button', { name: 'Send a test purchase' }).click();
  const summary = page.getByRole('group', { name: /^Postback pb_/ });
  await summary.getByText(/recorded|duplicate/).waitFor({ timeout: 20_000 });
  expect(await summary.textContent()).toContain('purchase');
});

test('a postback sent to the copied URL appears in the live log without reloading', async () => {
  await goTo('postbacks');
  await page.getByRole('table').waitFor();
  const sentAt = Date.now();
  const sent = await send(postbackUrl({ SUBID: 'click-1', ORDERID: 'ORD-1001' }));
  expect(sent.status).toBe(200);
  await logRow('ORD-1001', 'accepted').waitFor({ timeout: 15_000 });
  timings['postback sent to its row in the live log (ms)'] = Date.now() - sentAt;
  await checkPage('postbacks');
});

test('a postback whose click id is the unfilled {SUBID} explains what that means', async () => {
  await send(postbackUrl({ ORDERID: 'ORD-1002' }));
  await logRow('ORD-1002', 'accepted')
    .getByRole('link', { name: /^Open postback ORD-1002/ })
    .click();
  const detail = page.getByRole('region', { name: /^Postback pb_/ });
  await detail.getByText('the conversion is recorded but cannot be attributed', { exact: false }).waitFor();
  expect(await detail.getByRole('list', { name: 'Issues' }).textContent()).toContain(
    'click_id_placeholder: The click id was the unfilled placeholder {SUBID}',
  );
  // The stored request shows the raw value Buygoods sent.
  expect(await detail.getByRole('table', { name: 'Query parameters' }).textContent()).toContain('{SUBID}');
  await checkPage('postback-detail');
});

test('a rejected postback is explained and replayed', async () => {
  const rejected = await send(postbackUrl({ SUBID: 'click-2' })); // {ORDERID} left unfilled
  expect(rejected.status).toBe(400);
  await goTo('postbacks', rejected.postbackId);
  const detail = page.getByRole('region', { name: `Postback ${rejected.postbackId}` });
  await detail.getByText('nothing was recorded', { exact: false }).first().waitFor();
  await detail.getByRole('button', { name: 'Replay this postback' }).click();
  const replayed = detail.getByRole('status').filter({ hasText: 'Replayed as' });
  await replayed.waitFor({ timeout: 20_000 });
  const replayId = await replayed.getByRole('link').textContent();
  expect(replayId).toMatch(/^pb_/);
  expect(replayId).not.toBe(rejected.postbackId);
  // The replay is in the log too, as its own postback, and it is a replay of the rejected one.
  const record = (await (await apiFetch(`/v1/accounts/${ACCOUNT}/postbacks/${replayId}`)).json()) as {
    replayOf: string;
    outcome: string;
  };
  expect(record.replayOf).toBe(rejected.postbackId);
  expect(await replayed.textContent()).toContain(record.outcome === 'rejected' ? 'rejected' : record.outcome);
});

test('filters show only the postbacks of an outcome', async () => {
  await goTo('postbacks');
  await page.getByLabel('Outcome').selectOption('rejected');
  await page.getByRole('row').filter({ hasText: 'order_id_placeholder' }).first().waitFor();
  await until('only rejected rows', async () => {
    const outcomes = await page.locator('table.log tbody tr td:nth-child(2)').allTextContents();
    return outcomes.length > 0 && outcomes.every((outcome) => outcome === 'rejected') ? true : null;
  });
});

test('bulk replay of the filter runs as a job whose progress is shown until done', async () => {
  await goTo('postbacks');
  await page.getByLabel('Outcome').selectOption('rejected');
  await page.getByRole('row').filter({ hasText: 'order_id_placeholder' }).first().waitFor();
  await page.getByRole('button', { name: 'Replay all matching' }).click();
  await page.getByRole('button', { name: 'Yes, replay them all' }).click();
  const job = page.getByRole('status').filter({ hasText: /^Replay job / });
  await job.filter({ hasText: /: done\./ }).waitFor({ timeout: 30_000 });
  const [, jobId, matched] = /Replay job (\S+): done\. \d+ of (\d+) sent/.exec((await job.textContent())!)!;
  const api = (await (await apiFetch(`/v1/accounts/${ACCOUNT}/replays/${jobId}`)).json()) as {
    state: string;
    matched: number;
    sent: number;
  };
  expect(api.state).toBe('done');
  expect(String(api.matched)).toBe(matched);
  expect(api.matched).toBeGreaterThanOrEqual(1);
});

test('the order page shows status, net commission and the history of a corrected conversion', async () => {
  await send(postbackUrl({ SUBID: 'click-1', ORDERID: 'ORD-1001', COMMISSION_AMOUNT: '52.10' }));
  await until(
    'the correction',
    async () => {
      const order = (await (await apiFetch(`/v1/accounts/${ACCOUNT}/orders/ORD-1001`)).json()) as {
        conversions: { version: number }[];
      };
      return order.conversions?.[0]?.version === 2 ? true : null;
    },
    20_000,
  );
  await goTo('orders');
  await page.getByLabel('Order id').fill('ORD-1001');
  await page.getByRole('button', { name: 'Find order' }).click();
  const order = page.getByRole('region', { name: 'Order ORD-1001' });
  await order.waitFor();
  const text = await order.textContent();
  expect(text).toContain('StatusPurchased');
  expect(text).toContain('Net commission$52.10');
  expect(text).toContain('version 2');
  expect(await order.getByRole('table', { name: 'History of this conversion' }).textContent()).toContain(
    'commissionCents: 4790',
  );
  await checkPage('orders');
});

test('a link is created and its click URL copied; a merchant and a product get the pixels', async () => {
  await goTo('links');
  await page.getByLabel('Link id').fill('summer-keto');
  await page.getByLabel('Name').fill('Summer keto');
  await page.getByLabel('Destination URL').fill('https://buygoods.example/offer?aff=1');
  await page.getByLabel('Campaign (optional)').fill('summer');
  await page.getByRole('button', { name: 'Create link' }).click();
  const clickUrl = page.getByLabel('Click URL');
  await clickUrl.waitFor();
  expect(await clickUrl.inputValue()).toBe(`${origin}/v1/click/summer-keto`);
  await page.getByRole('button', { name: 'Copy Click URL', exact: true }).click();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(
    `${origin}/v1/click/summer-keto`,
  );
  const redirect = await fetch(`${origin}/v1/click/summer-keto`, { redirect: 'manual' });
  expect(redirect.status).toBe(302);

  await goTo('catalog');
  await page.getByLabel('Merchant id').fill('keto-labs');
  await page.getByLabel('Merchant name').fill('Keto Labs');
  await page.getByRole('button', { name: 'Save merchant' }).click();
  await page.getByRole('cell', { name: 'Keto Labs (keto-labs)' }).waitFor();
  await page.getByLabel('Product id').fill('keto-x');
  await page.getByLabel('Product name').fill('Keto X');
  await page.getByLabel('Merchant', { exact: true }).selectOption('keto-labs');
  await page.getByLabel('Product codename').fill('keto-x');
  await page.getByRole('button', { name: 'Save product' }).click();
  await page.getByRole('cell', { name: 'Keto X (keto-x)' }).waitFor();
  await checkPage('catalog');

  // The pixel creator makes the merchant's pixels from the table stream, a moment later.
  await goTo('links');
  await until(
    'the pixels',
    async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Pixels', exact: true }).waitFor();
      return (await page.getByRole('heading', { name: /pixel of merchant keto-labs/ }).count()) === 2
        ? true
        : null;
    },
    30_000,
    1000,
  );
  expect(await page.getByLabel('Snippet').first().inputValue()).toContain('/v1/pixel/px_');
  await checkPage('links');
});

test('the link report shows the same figures as the API', async () => {
  // A shopper follows the link; Buygoods sends the sale with the click id the redirect put on the offer.
  const redirect = await fetch(`${origin}/v1/click/summer-keto`, { redirect: 'manual' });
  const clickId = new URL(redirect.headers.get('location')!).searchParams.get('subid')!;
  await send(postbackUrl({ SUBID: clickId, ORDERID: 'ORD-2001' }));
  await until(
    'the attributed sale',
    async () => ((await apiFetch(`/v1/accounts/${ACCOUNT}/orders/ORD-2001`)).ok ? true : null),
    20_000,
  );
  // The figures the page asked the API for (its range: the last 7 days, whole, in the account's zone).
  const answer = page.waitForResponse(
    (response) => response.url().includes('/reports/links?') && response.url().includes('groupBy=link'),
  );
  await goTo('reports');
  const table = page.getByRole('table', { name: /Per link/ });
  await table.waitFor();
  const api = (await (await answer).json()) as {
    rows: {
      linkId: string | null;
      clicks: number;
      purchases: number;
      netCommissionCents: number;
      epcCents: number;
    }[];
  };
  const row = api.rows.find((r) => r.linkId === 'summer-keto')!;
  expect(row).toMatchObject({ purchases: 1, netCommissionCents: 4790 });
  const cells = await table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'summer-keto' }) })
    .getByRole('cell')
    .allTextContents();
  // Clicks, purchases, upsells, conversion rate, net commission, EPC, refund rate, chargeback rate.
  expect(cells.slice(0, 2)).toEqual([String(row.clicks), String(row.purchases)]);
  expect(cells[4]).toBe('$47.90');
  expect(cells[5]).toBe(`$${(row.epcCents / 100).toFixed(2)}`);
  // Sorting by a column heading reorders by that figure and says so.
  await table.getByRole('button', { name: 'Clicks' }).click();
  expect(await table.getByRole('columnheader', { name: 'Clicks' }).getAttribute('aria-sort')).toBe(
    'descending',
  );
  await checkPage('reports');
});

test('errors a person can act on: an unreachable API, a refusal with the API message, an empty account', async () => {
  await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
  await goTo('orders', 'ORD-1001');
  await page.getByRole('alert').filter({ hasText: 'did not answer' }).waitFor();
  expect(await page.getByRole('alert').textContent()).toContain('npm start');
  await page.unroute('**/v1/**');
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('region', { name: 'Order ORD-1001' }).waitFor();

  await goTo('orders', 'not an id!');
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/id/i);
  await screenshot(page, 'error');

  await page.goto('/console/#/acct-empty/postbacks');
  await page.getByText('No postbacks yet. Next step:').waitFor();
  await page.getByRole('link', { name: 'activate the integration' }).click();
  await page.getByRole('button', { name: 'Activate' }).waitFor();
  await checkPage('empty-account');
});

test('works with the keyboard alone', async () => {
  await page.goto('/console/#/acct-keyboard/integration');
  await page.getByRole('button', { name: 'Activate' }).waitFor();
  let focused = '';
  for (let presses = 0; presses < 30 && focused !== 'Activate'; presses++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
  }
  expect(focused).toBe('Activate');
  await page.keyboard.press('Enter');
  await page.getByLabel('Conversion URL', { exact: true }).waitFor();
});

test('readable at 360 px wide: nothing wider than the screen', async () => {
  // A row with a long unbroken order id makes the log wider than the screen: it must scroll in its own box,
  // with everything in it. The visually hidden header text, positioned absolutely, escaped a scroll box that
  // was not positioned and widened the page by the table's overflow; this test failed that way now and then,
  // when the log's rows had rendered (and were wide) before it measured.
  const wide = await send(postbackUrl({ SUBID: 'ck_wide', ORDERID: `ORD-WIDE-${'W'.repeat(55)}` }));
  expect(wide.status).toBe(200);
  await page.setViewportSize({ width: 360, height: 800 });
  const pages = {
    integration: 'Buygoods integration',
    postbacks: 'Postbacks',
    'orders/ORD-1001': 'Orders',
    links: 'Links and pixels',
    catalog: 'Merchants and products',
    reports: 'Reports',
  };
  for (const [name, heading] of Object.entries(pages)) {
    await goTo(name);
    // A hash change keeps the document: wait for this page's own heading, not the one before it.
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    // What is wider than the screen, named (the outermost such element, and whether the style sheet is
    // in force), so a failure says where. Measured until the page settles, for up to 5 s.
    const measure = () =>
      page.evaluate<{ overflow: number; widest: string[] }>(`(() => {
        const overflow = document.documentElement.scrollWidth - window.innerWidth;
        if (overflow <= 0) return { overflow, widest: [] };
        const widest = [...document.querySelectorAll('body *')]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1 && element.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
          .slice(0, 5)
          .map((element) => element.tagName.toLowerCase() + (element.className ? '.' + element.className : '') + ' (' + getComputedStyle(element).display + ', overflow-x ' + getComputedStyle(element.parentElement).overflowX + ' on its parent, ' + Math.round(element.getBoundingClientRect().width) + 'px): ' + (element.textContent || '').slice(0, 60));
        widest.push('style sheets: ' + [...document.styleSheets].map((sheet) => (sheet.href || 'inline') + ' with ' + sheet.cssRules.length + ' rules').join(', '));
        return { overflow, widest };
      })()`);
    // The log's rows come after its heading: measure with the wide row on the page.
    if (name === 'postbacks') await page.getByRole('row').filter({ hasText: 'ORD-WIDE-' }).first().waitFor();
    let wide = await measure();
    for (
      const deadline = Date.now() + 5_000;
      wide.overflow > 0 && Date.now() < deadline;
      wide = await measure()
    )
      await page.waitForTimeout(200);
    expect({ name, ...wide }).toEqual({ name, overflow: 0, widest: [] });
  }
  await screenshot(page, 'narrow-postbacks');
});

test('signs out and in again: signed out, the API refuses and the page says to sign in; a viewer is refused what only an owner sees', async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await goTo('integration');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('Not signed in').waitFor();
  expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
  await goTo('orders', 'ORD-1001');
  const refused = page.getByRole('alert').filter({ hasText: 'Sign in again' });
  await refused.waitFor();
  expect(await refused.textContent()).toContain('HTTP 401');
  await checkPage('signed-out');

  // A viewer of the account reads its orders, and is refused its postback URLs (an owner's).
  await signInThroughConsole(page, { user: 'victor', account: ACCOUNT, role: 'viewer' });
  await goTo('orders', 'ORD-1001');
  await page.getByRole('region', { name: 'Order ORD-1001' }).waitFor();
  await goTo('integration');
  await page.getByRole('alert').filter({ hasText: 'does not give access' }).waitFor();
  // Nor does victor reach any other account.
  await page.goto('/console/#/acct-empty/postbacks');
  await page.getByRole('alert').filter({ hasText: 'does not give access' }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('Not signed in').waitFor();
  await signInThroughConsole(page, OWNER);
  await goTo('integration');
  await page.getByLabel('Conversion URL', { exact: true }).waitFor();
});
