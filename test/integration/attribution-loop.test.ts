/**
 * The configuration and attribution loop through the local service: merchant -> pixels appear (once) ->
 * product -> link -> click -> pixel hit -> purchase attributed -> refund -> link report.
 */
import type { LocalService } from '../../local/service';
import { fillTemplate, startTestService, until, type Activation } from '../support/local-service';

type Json = Record<string, any>;
let service: LocalService;
const account = 'acct-loop';

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await response.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

const pixelsOf = async (merchantId: string) =>
  ((await call('GET', `/v1/accounts/${account}/pixels`)).body.pixels as Json[]).filter(
    (p) => p.merchantId === merchantId,
  );

test('the whole loop: a Buygoods merchant gets its pixels, and a click is followed to a net commission in the link report', async () => {
  const saved = await call('PUT', `/v1/accounts/${account}/merchants/m-1`, {
    name: 'Keto Labs',
    paymentGateway: 'buygoods',
    settings: { vendorId: 'ketolabs' },
  });
  expect(saved.status).toBe(201);
  const started = Date.now();
  const pixels = await until('the merchant pixels', async () => {
    const found = await pixelsOf('m-1');
    return found.length === 2 ? found : null;
  });
  const pixelDelayMs = Date.now() - started;
  expect(pixels.map((p) => p.event).sort()).toEqual(['conversion', 'pageview']);
  for (const pixel of pixels) {
    expect(pixel).toMatchObject({
      pixelId: expect.stringMatching(/^px_/),
      merchantId: 'm-1',
      hits: 0,
      lastHitAt: null,
      createdAt: expect.any(String),
    });
    expect(pixel.snippet).toContain(`/v1/pixel/${pixel.pixelId}?event=${pixel.event}`);
  }

  // Re-saving the merchant never duplicates its pixels.
  expect(
    (
      await call('PUT', `/v1/accounts/${account}/merchants/m-1`, {
        name: 'Keto Labs Inc',
        paymentGateway: 'buygoods',
        settings: {},
      })
    ).status,
  ).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await pixelsOf('m-1')).toHaveLength(2);

  expect(
    (
      await call('PUT', `/v1/accounts/${account}/products/p-1`, {
        name: 'Keto Burn',
        merchantId: 'm-1',
        fulfillmentProvider: 'buygoods',
        productCodename: 'ketoburn',
        settings: {},
      })
    ).status,
  ).toBe(201);
  const link = await call('PUT', `/v1/accounts/${account}/links/l-1`, {
    name: 'Spring promo',
    destinationUrl: 'https://offers.example.com/keto?aff=7#top',
    campaign: 'spring',
  });
  expect(link.status).toBe(201);
  await call('PUT', `/v1/accounts/${account}/links/l-2`, {
    name: 'Unused',
    destinationUrl: 'https://offers.example.com/other',
    campaign: null,
  });

  const clickStarted = Date.now();
  const click = await call('GET', '/v1/click/l-1');
  const clickMs = Date.now() - clickStarted;
  expect(click.status).toBe(302);
  const location = new URL(click.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe('https://offers.example.com/keto');
  expect(location.searchParams.get('aff')).toBe('7');
  expect(location.hash).toBe('#top');
  const clickId = location.searchParams.get('subid')!;
  expect(clickId).toMatch(/^[A-Za-z0-9._~:|-]{1,255}$/);
  await call('GET', '/v1/click/l-1'); // a second click that does not convert

  const pageview = pixels.find((p) => p.event === 'pageview')!;
  const hit = await fetch(`${service.url}/v1/pixel/${pageview.pixelId}?event=pageview&click_id=${clickId}`);
  expect(hit.status).toBe(200);
  expect(hit.headers.get('content-type')).toBe('image/gif');
  expect(hit.headers.get('cache-control')).toContain('no-store');
  expect(
    Buffer.from(await hit.arrayBuffer())
      .subarray(0, 6)
      .toString(),
  ).toBe('GIF89a');
  const counted = (await pixelsOf('m-1')).find((p) => p.pixelId === pageview.pixelId)!;
  expect(counted.hits).toBe(1);
  expect(counted.lastHitAt).toEqual(expect.any(String));

  const { conversionUrl, refundUrl } = (await call('POST', `/v1/accounts/${account}/integrations/buygoods`))
    .body as Activation;
  const purchase = await fetch(
    fillTemplate(conversionUrl, {
      SUBID: clickId,
      ORDERID: 'LOOP-1',
      COMMISSION_AMOUNT: '40.00',
      PRODUCT_CODENAME: 'ketoburn',
    }),
  );
  expect(purchase.status).toBe(200);
  const order = await until('the attributed order', async () => {
    const read = await call('GET', `/v1/accounts/${account}/orders/LOOP-1`);
    return read.status === 200 ? read.body : null;
  });
  expect(order.conversions[0]).toMatchObject({
    kind: 'purchase',
    linkId: 'l-1',
    campaign: 'spring',
    productId: 'p-1',
    merchantId: 'm-1',
  });

  // An unattributed purchase and a test purchase, neither of which may count for l-1.
  await fetch(
    fillTemplate(conversionUrl, { SUBID: 'unknown-click', ORDERID: 'LOOP-2', COMMISSION_AMOUNT: '5.00' }),
  );
  const test = await call('POST', `/v1/accounts/${account}/integrations/buygoods/test`);
  expect(test.status).toBe(201);
  expect(test.body).toMatchObject({
    outcome: 'accepted',
    kind: 'purchase',
    orderId: expect.stringMatching(/^TEST-/),
  });

  const refund = await fetch(
    fillTemplate(refundUrl, { SUBID: clickId, ORDERID: 'LOOP-1', COMMISSION_AMOUNT: '10.00' }),
  );
  expect(refund.status).toBe(200);
  await until('the refund', async () =>
    (await call('GET', `/v1/accounts/${account}/orders/LOOP-1`)).body.status === 'refunded' ? true : null,
  );
  await until('the unattributed order', async () =>
    (await call('GET', `/v1/accounts/${account}/orders/LOOP-2`)).status === 200 ? true : null,
  );

  // Clicks and page views reach the report through the table stream (the aggregator), a moment later.
  const report = await until('the clicks and the page view in the report', async () => {
    const read = await call('GET', `/v1/accounts/${account}/reports/links`);
    const l1 = (read.body.rows as Json[]).find((r) => r.linkId === 'l-1');
    return l1?.clicks === 2 && l1.pageviews === 1 ? read : null;
  });
  expect(report.status).toBe(200);
  const rows = report.body.rows as Json[];
  expect(rows.find((r) => r.linkId === 'l-1')).toEqual({
    linkId: 'l-1',
    clicks: 2,
    pageviews: 1,
    purchases: 1,
    upsells: 0,
    rebills: 0,
    refunds: 1,
    cancels: 0,
    chargebacks: 0,
    grossCommissionCents: 4000,
    netCommissionCents: 3000,
    conversionRate: 0.5,
    epcCents: 1500,
    refundRate: 1,
    chargebackRate: 0,
  });
  expect(rows.find((r) => r.linkId === 'l-2')).toMatchObject({
    clicks: 0,
    purchases: 0,
    netCommissionCents: 0,
  });
  expect(rows.find((r) => r.linkId === null)).toMatchObject({ purchases: 1, grossCommissionCents: 500 }); // LOOP-2 only: the test order is left out

  const future = await call('GET', `/v1/accounts/${account}/reports/links?from=2099-01-01T00:00:00Z`);
  expect(future.body.rows.find((r: Json) => r.linkId === 'l-1')).toMatchObject({ clicks: 0, purchases: 0 });

  console.log(`pixel creation after merchant save: ${pixelDelayMs} ms; click redirect: ${clickMs} ms`);
});

test('a conversion is attributed when its click becomes known later', async () => {
  await call('PUT', `/v1/accounts/${account}/links/l-late`, {
    name: 'Late',
    destinationUrl: 'https://offers.example.com/late',
    campaign: null,
  });
  const { conversionUrl } = (await call('POST', `/v1/accounts/${account}/integrations/buygoods`))
    .body as Activation;
  // The click record is written after the conversion: simulate with a click id we then record directly.
  const { DynamoTrafficRepository } = await import('../../functions/adapters/dynamo-traffic-repository');
  const { createDocumentClient } = await import('../../functions/adapters/clients');
  const traffic = new DynamoTrafficRepository(createDocumentClient(), service.resources.tableName);
  const sent = await fetch(
    fillTemplate(conversionUrl, { SUBID: 'ck_late_1', ORDERID: 'LATE-1', COMMISSION_AMOUNT: '8.00' }),
  );
  const postbackId = sent.headers.get('x-postback-id')!;
  await until('the postback processed', async () =>
    (await call('GET', `/v1/accounts/${account}/postbacks/${postbackId}`)).body.processedAt ? true : null,
  );
  const before = (await call('GET', `/v1/accounts/${account}/reports/links`)).body.rows as Json[];
  expect(before.find((r) => r.linkId === 'l-late')).toMatchObject({ purchases: 0 });
  await traffic.putClick({
    clickId: 'ck_late_1',
    accountId: account,
    linkId: 'l-late',
    campaign: null,
    at: new Date().toISOString(),
    sourceIp: null,
    userAgent: null,
  });
  // The click's arrival (through the table stream) refreshes the order that was waiting for it.
  const after = await until('the late click attributing its conversion', async () => {
    const rows = (await call('GET', `/v1/accounts/${account}/reports/links`)).body.rows as Json[];
    return rows.find((r) => r.linkId === 'l-late' && r.purchases === 1) ? rows : null;
  });
  expect(after.find((r) => r.linkId === 'l-late')).toMatchObject({
    purchases: 1,
    grossCommissionCents: 800,
    clicks: 1,
  });
  // It moved: the unattributed row lost it.
  expect(after.find((r) => r.linkId === null)!.purchases).toBe(
    before.find((r) => r.linkId === null)!.purchases - 1,
  );
});

test("configuration errors are clear: bad bodies 422 with fields, a missing merchant 422, another account's link 409", async () => {
  const bad = await call('PUT', `/v1/accounts/${account}/merchants/m-bad`, {
    name: '',
    paymentGateway: 'stripe',
  });
  expect(bad.status).toBe(422);
  expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['name', 'paymentGateway']));
  const orphan = await call('PUT', `/v1/accounts/${account}/products/p-x`, {
    name: 'X',
    merchantId: 'nope',
    fulfillmentProvider: 'buygoods',
    productCodename: 'x1',
    settings: {},
  });
  expect(orphan.status).toBe(422);
  expect(orphan.body.error.fields.merchantId).toBeDefined();
  const relative = await call('PUT', `/v1/accounts/${account}/links/l-bad`, {
    name: 'Bad',
    destinationUrl: 'javascript:alert(1)',
  });
  expect(relative.status).toBe(422);
  await call('PUT', '/v1/accounts/acct-a/links/shared-id', {
    name: 'A',
    destinationUrl: 'https://a.example.com/',
  });
  const stolen = await call('PUT', '/v1/accounts/acct-b/links/shared-id', {
    name: 'B',
    destinationUrl: 'https://evil.example.com/',
  });
  expect(stolen.status).toBe(409);
  const malformed = await fetch(`${service.url}/v1/accounts/${account}/merchants/m-2`, {
    method: 'PUT',
    body: '{"name":',
  });
  expect(malformed.status).toBe(400);
  expect((await call('GET', `/v1/accounts/${account}/merchants/nope`)).status).toBe(404);
});

test('tracking endpoints: unknown links 404, unknown pixels get a GIF and are not counted, redirects only go to stored destinations', async () => {
  expect((await call('GET', '/v1/click/no-such-link')).status).toBe(404);
  const unknown = await fetch(`${service.url}/v1/pixel/px_000000000000000000000000?event=pageview`);
  expect(unknown.status).toBe(200);
  expect(unknown.headers.get('content-type')).toBe('image/gif');
  await call('PUT', `/v1/accounts/${account}/links/l-safe`, {
    name: 'Safe',
    destinationUrl: 'https://offers.example.com/safe',
  });
  const sneaky = await call(
    'GET',
    '/v1/click/l-safe?url=https://evil.example.com&destination=//evil.example.com',
  );
  expect(new URL(sneaky.headers.get('location')!).host).toBe('offers.example.com');
});

test('only Buygoods merchants get pixels: products, links and clicks written to the same table create none', async () => {
  // The stream filter (MERCHANT_STREAM_FILTER) lets only merchant inserts and changes through.
  await call('PUT', `/v1/accounts/${account}/merchants/m-3`, {
    name: 'Three',
    paymentGateway: 'buygoods',
    settings: {},
  });
  await until('m-3 pixels', async () => ((await pixelsOf('m-3')).length === 2 ? true : null));
  expect(
    (await call('GET', `/v1/accounts/${account}/pixels`)).body.pixels.every((p: Json) =>
      ['m-1', 'm-3'].includes(p.merchantId),
    ),
  ).toBe(true);
});
