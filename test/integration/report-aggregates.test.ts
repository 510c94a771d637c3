/**
 * The report aggregates through the real local engines: each exactly-once case the link report must
 * survive (a redelivery after a crash, concurrent copies, a replay, a redrive, a corrected commission, a
 * reversal before its purchase, an erasure), and the report's new parameters (groupBy, tz, dateBasis, CSV,
 * the account's time zone).
 */
import { recordDependencies } from '../../functions/adapters/wiring';
import { createConsumerHandler } from '../../functions/handlers/consumer';
import type { AggregateRepository } from '../../functions/ports/aggregate-repository';
import type { LocalService } from '../../local/service';
import type { Context } from 'aws-lambda';
import { postbackMessage, sqsEvent } from '../support/factories';
import { fillTemplate, startTestService, until, type Activation } from '../support/local-service';

type Json = Record<string, any>;
let service: LocalService;
const context = {} as Context;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: response.headers.get('content-type')?.startsWith('application/json')
      ? (JSON.parse(text) as Json)
      : null,
  };
}

async function activate(account: string): Promise<Activation> {
  return (await call('POST', `/v1/accounts/${account}/integrations/buygoods`)).body as Activation;
}

/** Sends a postback like Buygoods and waits until it is processed. */
async function send(url: string, values: Record<string, string>, account: string): Promise<string> {
  const response = await fetch(fillTemplate(url, values));
  expect(response.status).toBe(200);
  const postbackId = response.headers.get('x-postback-id')!;
  await until(
    `postback ${postbackId}`,
    async () =>
      (await call('GET', `/v1/accounts/${account}/postbacks/${postbackId}`)).body?.processedAt ? true : null,
    20_000,
  );
  return postbackId;
}

async function rows(account: string, query = ''): Promise<Json[]> {
  const report = await call('GET', `/v1/accounts/${account}/reports/links${query}`);
  expect(report.status).toBe(200);
  return report.body!.rows as Json[];
}
const linkRow = async (account: string, linkId: string | null, query = '') =>
  (await rows(account, query)).find((r) => r.linkId === linkId);

/** A link and one click on it: the click id a purchase then carries. */
async function clickOn(account: string, linkId: string): Promise<string> {
  await call('PUT', `/v1/accounts/${account}/links/${linkId}`, {
    name: linkId,
    destinationUrl: 'https://offers.example.com/x',
    campaign: 'fall',
  });
  const click = await fetch(`${service.url}/v1/click/${linkId}`, { redirect: 'manual' });
  return new URL(click.headers.get('location')!).searchParams.get('subid')!;
}

beforeAll(async () => {
  service = await startTestService();
}, 60_000);
afterAll(async () => {
  await service?.stop();
});

test('a redelivered postback whose first delivery died between the conversion write and the aggregate counts exactly once', async () => {
  const account = 'agg-redelivery';
  const deps = recordDependencies();
  let crash = true;
  const dying: AggregateRepository = new Proxy(deps.aggregates, {
    get(target, property, receiver) {
      const original = Reflect.get(target, property, receiver);
      if (property !== 'applyOrderContribution')
        return typeof original === 'function' ? original.bind(target) : original;
      return async (...args: unknown[]) => {
        if (crash) {
          crash = false;
          throw Object.assign(new Error('the process died'), { name: 'TimeoutError' });
        }
        return (original as (...a: unknown[]) => Promise<void>).apply(target, args);
      };
    },
  });
  const message = postbackMessage({
    accountId: account,
    query: { subid: 'ck_none', orderid: 'RD-1', commission: '12.00' },
  });
  const first = await createConsumerHandler({ ...deps, aggregates: dying })(sqsEvent([message]), context);
  expect(first.batchItemFailures).toHaveLength(1); // retried by SQS
  expect(await linkRow(account, null)).toBeUndefined(); // the conversion is written, the aggregate not yet
  const redelivered = sqsEvent([message]);
  redelivered.Records[0]!.attributes.ApproximateReceiveCount = '2';
  const handler = createConsumerHandler(deps);
  expect((await handler(redelivered, context)).batchItemFailures).toHaveLength(0);
  expect((await handler(redelivered, context)).batchItemFailures).toHaveLength(0); // and once more: nothing changes
  expect(await linkRow(account, null)).toMatchObject({
    purchases: 1,
    grossCommissionCents: 1200,
    netCommissionCents: 1200,
  });
});

test('concurrent copies of one purchase, a replay and a redrive of it count exactly once', async () => {
  const account = 'agg-copies';
  const { conversionUrl } = await activate(account);
  const clickId = await clickOn(account, 'l-copies');
  const values = { SUBID: clickId, ORDERID: 'CP-1', COMMISSION_AMOUNT: '30.00' };
  const ids = await Promise.all(Array.from({ length: 6 }, () => send(conversionUrl, values, account)));
  // The same queue message delivered to three consumers at once (SQS may), then redriven from the DLQ.
  const deps = recordDependencies();
  const handler = createConsumerHandler(deps);
  const message = postbackMessage({
    accountId: account,
    query: { subid: clickId, orderid: 'CP-2', commission: '5.00' },
  });
  await Promise.all([
    handler(sqsEvent([message], 'a'), context),
    handler(sqsEvent([message], 'b'), context),
    handler(sqsEvent([message], 'c'), context),
  ]);
  const redriven = sqsEvent([message], 'redrive');
  redriven.Records[0]!.attributes.ApproximateReceiveCount = '6';
  await handler(redriven, context);
  const replay = await call('POST', `/v1/accounts/${account}/postbacks/${ids[0]}/replay`);
  expect([200, 202]).toContain(replay.status);
  if (replay.status === 202)
    await until('the replay', async () =>
      (await call('GET', `/v1/accounts/${account}/postbacks/${replay.body!.postbackId}`)).body?.processedAt
        ? true
        : null,
    );
  const row = await until('the click counted', async () => {
    const found = await linkRow(account, 'l-copies');
    return found?.clicks === 1 ? found : null;
  });
  expect(row).toMatchObject({
    clicks: 1,
    purchases: 2,
    grossCommissionCents: 3500,
    netCommissionCents: 3500,
    conversionRate: 2,
  });
});

test('a corrected commission moves the figures by the difference; a refund without amount takes back the corrected commission', async () => {
  const account = 'agg-correction';
  const { conversionUrl, refundUrl } = await activate(account);
  await send(conversionUrl, { SUBID: 'ck_x', ORDERID: 'CO-1', COMMISSION_AMOUNT: '10.00' }, account);
  await send(conversionUrl, { SUBID: 'ck_x', ORDERID: 'CO-1', COMMISSION_AMOUNT: '12.50' }, account);
  expect(await linkRow(account, null)).toMatchObject({
    purchases: 1,
    grossCommissionCents: 1250,
    netCommissionCents: 1250,
  });
  await send(refundUrl, { SUBID: 'ck_x', ORDERID: 'CO-1' }, account);
  expect(await linkRow(account, null)).toMatchObject({
    purchases: 1,
    refunds: 1,
    grossCommissionCents: 1250,
    netCommissionCents: 0,
    refundRate: 1,
  });
});

test("a reversal that arrives before its purchase counts on the purchase's link once it arrives, and by sale date on the purchase's day", async () => {
  const account = 'agg-early-refund';
  const clickId = await clickOn(account, 'l-early');
  const handler = createConsumerHandler(recordDependencies());
  const refund = postbackMessage({
    accountId: account,
    channel: 'refund',
    query: { subid: clickId, orderid: 'ER-1' },
    receivedAt: new Date('2026-11-20T12:00:00.000Z'),
  });
  await handler(sqsEvent([refund]), context);
  const all = '?from=2026-11-01T00:00:00Z&to=2026-11-30T23:59:59Z';
  expect(await linkRow(account, 'l-early', all)).toMatchObject({
    refunds: 1,
    purchases: 0,
    netCommissionCents: 0,
  });
  const purchase = postbackMessage({
    accountId: account,
    query: { subid: clickId, orderid: 'ER-1', commission: '40.00' },
    receivedAt: new Date('2026-11-18T09:00:00.000Z'),
  });
  await handler(sqsEvent([purchase]), context);
  expect(await linkRow(account, 'l-early', all)).toMatchObject({
    purchases: 1,
    refunds: 1,
    grossCommissionCents: 4000,
    netCommissionCents: 0,
  });
  const days = async (dateBasis: string) =>
    Object.fromEntries(
      (await rows(account, `${all}&groupBy=day&tz=UTC&dateBasis=${dateBasis}`))
        .filter((r) => r.purchases || r.refunds)
        .map((r) => [r.day, [r.purchases, r.refunds, r.netCommissionCents]]),
    );
  expect(await days('event')).toEqual({ '2026-11-18': [1, 0, 4000], '2026-11-20': [0, 1, -4000] });
  expect(await days('sale')).toEqual({ '2026-11-18': [1, 1, 0] });

  // Later arrivals roll the finished days, sales too: a purchase on the 25th, another on the 26th (which
  // rolls the 25th), then the first one's refund on the 27th, which by sale date lands on the rolled 25th.
  const later = (orderid: string, day: string, channel?: 'refund') =>
    handler(
      sqsEvent([
        postbackMessage({
          accountId: account,
          ...(channel ? { channel } : {}),
          query: { subid: clickId, orderid, ...(channel ? {} : { commission: '10.00' }) },
          receivedAt: new Date(`${day}T10:00:00.000Z`),
        }),
      ]),
      context,
    );
  await later('ER-2', '2026-11-25');
  await later('ER-3', '2026-11-26');
  await later('ER-2', '2026-11-27', 'refund');
  expect(await days('event')).toEqual({
    '2026-11-18': [1, 0, 4000],
    '2026-11-20': [0, 1, -4000],
    '2026-11-25': [1, 0, 1000],
    '2026-11-26': [1, 0, 1000],
    '2026-11-27': [0, 1, -1000],
  });
  expect(await days('sale')).toEqual({
    '2026-11-18': [1, 1, 0],
    '2026-11-25': [1, 1, 0],
    '2026-11-26': [1, 0, 1000],
  });
  const { aggregateDependencies } = await import('../../functions/adapters/wiring');
  const { aggregates } = aggregateDependencies();
  expect(await aggregates.listUnrolled(account, '2026-11-01', '2026-11-27')).toEqual([]);
  const kinds = (await aggregates.listBuckets(account, '2026-11-18', '2026-11-26')).map((b) => b.ref.kind);
  expect(new Set(kinds)).toEqual(new Set(['rolledSales']));
  const whole = await aggregates.listBuckets(account, '2026-11-18', '2026-11-26', [
    { from: '2026-11-18', to: '2026-11-26' },
  ]);
  expect(new Set(whole.map((b) => b.ref.kind))).toEqual(new Set(['dayTotals']));
});

test('an erasure leaves the figures as they were', async () => {
  const account = 'agg-erasure';
  const handler = createConsumerHandler(recordDependencies());
  const ipn =
    'action_type=neworder&order_id=GD-1&aff_commission=9.00&customer_emailaddress=gone%40example.com&customer_name=Gone';
  await handler(sqsEvent([postbackMessage({ accountId: account, body: ipn })]), context);
  const before = await linkRow(account, null);
  expect(before).toMatchObject({ purchases: 1, grossCommissionCents: 900 });
  const erased = await call('DELETE', `/v1/accounts/${account}/customers?email=gone@example.com`);
  expect(erased.body).toMatchObject({ conversions: 1 });
  expect(await linkRow(account, null)).toEqual(before);
});

test("time zones: the account's zone by default (PUT/GET settings), tz= overrides it; groupBy, CSV, and clear errors", async () => {
  const account = 'agg-zones';
  const handler = createConsumerHandler(recordDependencies());
  // 03:30 UTC on the 25th is the 24th in Los Angeles.
  await handler(
    sqsEvent([
      postbackMessage({
        accountId: account,
        query: { orderid: 'TZ-1', commission: '1.00' },
        receivedAt: new Date('2026-11-25T03:30:00.000Z'),
      }),
    ]),
    context,
  );
  const range = '?from=2026-11-23T00:00:00Z&to=2026-11-26T00:00:00Z&groupBy=day';
  const purchaseDay = async (query = '') =>
    (await rows(account, `${range}${query}`)).find((r) => r.purchases === 1)?.day;
  expect((await call('GET', `/v1/accounts/${account}/settings`)).body).toMatchObject({ timeZone: 'UTC' });
  expect(await purchaseDay()).toBe('2026-11-25');
  expect(
    (await call('PUT', `/v1/accounts/${account}/settings`, { timeZone: 'America/Los_Angeles' })).status,
  ).toBe(200);
  expect((await call('GET', `/v1/accounts/${account}/settings`)).body).toMatchObject({
    timeZone: 'America/Los_Angeles',
  });
  expect(await purchaseDay()).toBe('2026-11-24');
  expect(await purchaseDay('&tz=Asia/Tokyo')).toBe('2026-11-25');

  const csv = await call('GET', `/v1/accounts/${account}/reports/links${range}`, undefined, {
    accept: 'text/csv',
  });
  expect(csv.headers.get('content-type')).toContain('text/csv');
  const lines = csv.text.split('\r\n');
  expect(lines[0]).toBe(
    'day,clicks,pageviews,purchases,upsells,rebills,refunds,cancels,chargebacks,grossCommissionCents,netCommissionCents,conversionRate,epcCents,refundRate,chargebackRate',
  );
  expect(lines).toContain('2026-11-24,0,0,1,0,0,0,0,0,100,100,0,0,0,0');
  expect((await call('GET', `/v1/accounts/${account}/reports/links${range}&format=csv`)).text).toBe(csv.text);
  expect(
    (await call('GET', `/v1/accounts/${account}/reports/links?groupBy=product&format=csv`)).text.split(
      '\r\n',
    )[1],
  ).toMatch(/^,0,0,1,/); // no product: an empty field

  const bad = await call(
    'GET',
    `/v1/accounts/${account}/reports/links?tz=Mars/Olympus&groupBy=week&dateBasis=x`,
  );
  expect(bad.status).toBe(422);
  expect(Object.keys(bad.body!.error.fields).sort()).toEqual(['dateBasis', 'groupBy', 'tz']);
  expect((await call('PUT', `/v1/accounts/${account}/settings`, { timeZone: 'Not/AZone' })).status).toBe(422);
  expect(
    (
      await call(
        'GET',
        `/v1/accounts/${account}/reports/links?groupBy=day&from=1900-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
      )
    ).status,
  ).toBe(422);
});

test('listings: links, merchants and products a page at a time', async () => {
  const account = 'agg-listings';
  for (const id of ['a', 'b', 'c'])
    await call('PUT', `/v1/accounts/${account}/links/list-${id}`, {
      name: id,
      destinationUrl: 'https://offers.example.com/',
    });
  await call('PUT', `/v1/accounts/${account}/merchants/m-1`, { name: 'M', paymentGateway: 'buygoods' });
  await call('PUT', `/v1/accounts/${account}/products/p-1`, {
    name: 'P',
    merchantId: 'm-1',
    fulfillmentProvider: 'buygoods',
    productCodename: 'pp1',
    settings: {},
  });
  const first = (await call('GET', `/v1/accounts/${account}/links?limit=2`)).body!;
  expect(first.links.map((l: Json) => l.linkId)).toEqual(['list-a', 'list-b']);
  const second = (await call('GET', `/v1/accounts/${account}/links?limit=2&cursor=${first.cursor}`)).body!;
  expect(second.links.map((l: Json) => l.linkId)).toEqual(['list-c']);
  expect((await call('GET', `/v1/accounts/${account}/merchants`)).body!.merchants).toEqual([
    expect.objectContaining({ merchantId: 'm-1', name: 'M' }),
  ]);
  expect((await call('GET', `/v1/accounts/${account}/products`)).body!.products).toEqual([
    expect.objectContaining({ productId: 'p-1', merchantId: 'm-1' }),
  ]);
  expect((await call('GET', `/v1/accounts/${account}/links?cursor=nonsense`)).status).toBe(400);
});

test("a finished day's traffic rolls into one item per link when the account's traffic reaches the next day; the report and reconcile see no change", async () => {
  const { aggregateDependencies, ledgerRepository } = await import('../../functions/adapters/wiring');
  const { reconcileAggregates } = await import('../../functions/use-cases/reconcile-aggregates');
  const deps = { ...aggregateDependencies(), ledger: ledgerRepository() };
  const account = 'agg-rolled';
  const dayMs = 86_400_000;
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const now = Date.now();
  const [twoDaysAgo, yesterday, today] = [dayOf(now - 2 * dayMs), dayOf(now - dayMs), dayOf(now)];
  for (const linkId of ['roll-a', 'roll-b'])
    await call('PUT', `/v1/accounts/${account}/links/${linkId}`, {
      name: linkId,
      destinationUrl: 'https://offers.example.com/x',
    });
  const range = `?from=${twoDaysAgo}T00:00:00Z&to=${today}T23:59:59Z`;
  const clicksOf = async () =>
    Object.fromEntries((await rows(account, range)).map((row) => [row.linkId, row.clicks]));
  /** Clicks written as the click endpoint writes them (at a chosen time); the aggregator counts them. */
  const clickAt = async (day: string, count: number, expected: Record<string, number>) => {
    for (let n = 0; n < count; n++)
      await deps.traffic.putClick({
        clickId: `ck_roll_${day}_${n}`,
        accountId: account,
        linkId: n % 3 === 0 ? 'roll-b' : 'roll-a',
        campaign: null,
        at: `${day}T${String(n % 24).padStart(2, '0')}:${String((7 * n) % 60).padStart(2, '0')}:00.000Z`,
        sourceIp: null,
        userAgent: null,
      });
    await until(
      `clicks of ${day} counted`,
      async () => (JSON.stringify(await clicksOf()) === JSON.stringify(expected) ? true : null),
      20_000,
    );
  };
  const shardItemsOf = async (day: string) =>
    (await deps.aggregates.listBuckets(account, day, day)).filter((b) => b.ref.kind === 'traffic').length;

  await clickAt(twoDaysAgo, 30, { 'roll-a': 20, 'roll-b': 10 });
  // In shard items, or some of them rolled already by the pass over that day so far (its clicks run to
  // 23:xx, past its 3-hour turns): a batch's turn rolls the day it shows.
  expect(
    (await deps.aggregates.listBuckets(account, twoDaysAgo, twoDaysAgo)).filter(
      (b) => b.ref.kind === 'traffic' || b.ref.kind === 'rolled',
    ).length,
  ).toBeGreaterThanOrEqual(2);
  await clickAt(yesterday, 12, { 'roll-a': 28, 'roll-b': 14 });
  // Yesterday's traffic rolled the day before it: one item per link, no shard item left.
  await until(
    'two days ago rolled',
    async () => ((await shardItemsOf(twoDaysAgo)) === 0 ? true : null),
    20_000,
  );
  const rolled = await deps.aggregates.listBuckets(account, twoDaysAgo, twoDaysAgo);
  expect(rolled.map((b) => b.ref).sort((a, b) => String(a.linkId).localeCompare(String(b.linkId)))).toEqual([
    { kind: 'rolled', day: twoDaysAgo, linkId: 'roll-a' },
    { kind: 'rolled', day: twoDaysAgo, linkId: 'roll-b' },
  ]);
  expect(rolled.map((b) => b.attributes.cD).sort()).toEqual([10, 20]);
  // Today's first click rolls yesterday; the figures never move, whatever the grouping.
  const byDayBefore = await rows(account, `${range}&groupBy=day&tz=Asia/Kathmandu`);
  await clickAt(today, 1, { 'roll-a': 28, 'roll-b': 15 });
  await until('yesterday rolled', async () => ((await shardItemsOf(yesterday)) === 0 ? true : null), 20_000);
  expect(await shardItemsOf(today)).toBe(1);
  const byDayAfter = await rows(account, `${range}&groupBy=day&tz=Asia/Kathmandu`);
  expect(byDayAfter.reduce((sum, row) => sum + row.clicks, 0)).toBe(43);
  expect(byDayAfter.filter((row) => row.day < today)).toEqual(byDayBefore.filter((row) => row.day < today));
  const reconciled = await reconcileAggregates(
    deps,
    account,
    { fromDay: twoDaysAgo, toDay: today },
    { fix: false },
  );
  expect(reconciled).toMatchObject({ clicks: 43, drift: [] });
});

test("at each 3-hour turn of a day, the aggregator rolls the day so far: its shard items move into the day's rolled item, the report unchanged", async () => {
  const { aggregateDependencies } = await import('../../functions/adapters/wiring');
  const deps = aggregateDependencies();
  const account = 'agg-turns';
  const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  await call('PUT', `/v1/accounts/${account}/links/turns`, {
    name: 'turns',
    destinationUrl: 'https://offers.example.com/x',
  });
  const range = `?from=${day}T00:00:00Z&to=${day}T23:59:59Z`;
  const kinds = async () =>
    (await deps.aggregates.listBuckets(account, day, day)).map((b) => b.ref.kind).sort();
  const clickAt = async (n: number, at: string) => {
    await deps.traffic.putClick({
      clickId: `ck_turns_${n}`,
      accountId: account,
      linkId: 'turns',
      campaign: null,
      at,
      sourceIp: null,
      userAgent: null,
    });
    await service.streamsCaughtUp();
  };
  // The day's first turn (00:00-03:00): nothing of the day rolls yet.
  await clickAt(1, `${day}T01:10:00.000Z`);
  await clickAt(2, `${day}T02:50:00.000Z`);
  expect(new Set(await kinds())).toEqual(new Set(['traffic']));
  expect((await linkRow(account, 'turns', range))?.clicks).toBe(2);
  // Its second turn: the day so far, this click too, is rolled.
  await clickAt(3, `${day}T03:20:00.000Z`);
  expect(await kinds()).toEqual(['rolled']);
  const [rolled] = await deps.aggregates.listBuckets(account, day, day);
  expect(rolled!.attributes).toEqual({ c4: 1, c11: 1, c13: 1, cD: 3 });
  expect((await linkRow(account, 'turns', range))?.clicks).toBe(3);
  expect((await linkRow(account, 'turns', `?from=${day}T02:00:00Z&to=${day}T03:14:59Z`))?.clicks).toBe(1);
});

test('the local stream sources catch up: once streamsCaughtUp resolves, every click written before it is in the report', async () => {
  const { aggregateDependencies } = await import('../../functions/adapters/wiring');
  const { traffic } = aggregateDependencies();
  const account = 'agg-caught-up';
  const at = new Date(Date.now() - 3_600_000).toISOString();
  await call('PUT', `/v1/accounts/${account}/links/caught-up`, {
    name: 'caught-up',
    destinationUrl: 'https://offers.example.com/x',
  });
  await Promise.all(
    Array.from({ length: 300 }, (_, n) =>
      traffic.putClick({
        clickId: `ck_caught_up_${n}`,
        accountId: account,
        linkId: 'caught-up',
        campaign: null,
        at,
        sourceIp: null,
        userAgent: null,
      }),
    ),
  );
  await service.streamsCaughtUp();
  const row = await linkRow(
    account,
    'caught-up',
    `?from=${at.slice(0, 10)}T00:00:00Z&to=${new Date().toISOString()}`,
  );
  expect(row?.clicks).toBe(300);
});

test('reconcile: no drift in what the tests above wrote; a damaged bucket is found, and --fix repairs it exactly', async () => {
  const { aggregateDependencies, ledgerRepository } = await import('../../functions/adapters/wiring');
  const { reconcileAggregates } = await import('../../functions/use-cases/reconcile-aggregates');
  const deps = { ...aggregateDependencies(), ledger: ledgerRepository() };
  const today = new Date().toISOString().slice(0, 10);
  for (const [account, fromDay, toDay] of [
    ['agg-copies', today, today],
    ['agg-early-refund', '2026-11-18', '2026-11-27'],
    ['agg-correction', today, today],
  ] as const) {
    expect((await reconcileAggregates(deps, account, { fromDay, toDay }, { fix: false })).drift).toEqual([]);
  }
  const account = 'agg-early-refund';
  const reportBefore = await rows(account, '?from=2026-11-01T00:00:00Z&to=2026-11-30T23:59:59Z');
  // Damage: a bucket moved by hand.
  const [bucket] = await deps.aggregates.listBuckets(account, '2026-11-18', '2026-11-18');
  const { bucketId } = await import('../../functions/domain/aggregates');
  await deps.aggregates.addToBuckets(account, { [bucketId(bucket!.ref)]: { p36: 3 } });
  const found = await reconcileAggregates(
    deps,
    account,
    { fromDay: '2026-11-18', toDay: '2026-11-20' },
    { fix: false },
  );
  expect(found.drift).toEqual([expect.objectContaining({ attribute: 'p36', stored: 4, expected: 1 })]);
  const fixed = await reconcileAggregates(
    deps,
    account,
    { fromDay: '2026-11-18', toDay: '2026-11-20' },
    { fix: true },
  );
  expect(fixed.repaired).toHaveLength(1);
  expect(fixed.drift).toEqual([]);
  expect(await rows(account, '?from=2026-11-01T00:00:00Z&to=2026-11-30T23:59:59Z')).toEqual(reportBefore);
});

test('indexed views: postbacks by outcome and by issue code, conversions by kind, each page only what it returns', async () => {
  const account = 'agg-views';
  const handler = createConsumerHandler(recordDependencies());
  const messages = [
    ...Array.from({ length: 12 }, (_, i) =>
      postbackMessage({
        accountId: account,
        query: { subid: `ck_ok_${i}`, orderid: `V-${i}`, commission: '2.00' },
      }),
    ),
    postbackMessage({
      accountId: account,
      query: { subid: 'bad click id!', orderid: 'V-M1', commission: '2.00' },
    }),
    postbackMessage({
      accountId: account,
      query: { subid: 'also bad?', orderid: 'V-M2', commission: '2.00' },
    }),
    postbackMessage({ accountId: account, query: { subid: '{SUBID}', orderid: '{ORDERID}' } }),
    postbackMessage({ accountId: account, channel: 'refund', query: { orderid: 'V-1' } }),
    postbackMessage({
      accountId: account,
      channel: 'refund',
      query: { orderid: 'V-2', event: 'chargeback' },
    }),
  ];
  await handler(sqsEvent(messages), context);
  await handler(sqsEvent([messages[0]!], 'copy'), context); // processed again: still one record
  const copy = postbackMessage({
    accountId: account,
    query: { subid: 'ck_ok_3', orderid: 'V-3', commission: '2.00' },
  });
  await handler(sqsEvent([copy], 'dup'), context);
  const ids = async (query: string, limit = 50) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (
        await call(
          'GET',
          `/v1/accounts/${account}/postbacks?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).body!;
      seen.push(...page.postbacks.map((p: Json) => p.orderId as string));
      cursor = page.cursor;
    } while (cursor);
    return seen.sort();
  };
  expect(await ids('issue=click_id_malformed')).toEqual(['V-M1', 'V-M2']);
  expect(await ids('issue=click_id_malformed', 1)).toEqual(['V-M1', 'V-M2']); // paged one by one
  expect(await ids('issue=click_id_malformed&outcome=accepted')).toEqual(['V-M1', 'V-M2']);
  expect(await ids('issue=click_id_malformed&outcome=rejected')).toEqual([]);
  expect((await ids('outcome=rejected')).length).toBe(1);
  expect(await ids('outcome=duplicate')).toEqual(['V-3']);
  expect((await ids('outcome=accepted')).length).toBe(16);
  expect((await call('GET', `/v1/accounts/${account}/postbacks?issue=Not-A-Code`)).status).toBe(422);
  const kinds = async (kind: string) =>
    ((await call('GET', `/v1/accounts/${account}/conversions?kind=${kind}`)).body!.conversions as Json[])
      .map((c) => c.orderId)
      .sort();
  expect(await kinds('refund')).toEqual(['V-1']);
  expect(await kinds('chargeback')).toEqual(['V-2']);
  expect((await kinds('purchase')).length).toBe(14);
});
