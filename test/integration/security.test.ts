/**
 * Security through the local service and its real table:
 * - tokens carry 256 random-looking bits, are unique, and never appear in the table (only their SHA-256
 *   digest and a nonce do), so a leak of the table yields no working URL;
 * - every refused token (unknown, malformed, rotated out, deactivated) gets the very same answer;
 * - one account's token, links, products, postbacks and customers never reach another account's data;
 * - the click redirect only goes to a stored http(s) destination, whatever the request says.
 * (Token lookups are by digest: the code never compares a presented token with a stored one, so there is
 * no comparison whose timing could leak a token. Sign-in and per-account roles on the management
 * routes are in test/integration/access.test.ts and, on the template, test/infra/sign-in.test.ts; customer data in logs by the stress suites and
 * test/integration/operations.test.ts.)
 */
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/clients';
import { hashToken } from '../../functions/domain/token';
import type { LocalService } from '../../local/service';
import { fillTemplate, startTestService, until, type Activation } from '../support/local-service';

type Json = Record<string, any>;
let service: LocalService;

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const tokenOf = (url: string) => /\/v1\/postbacks\/buygoods\/([^/]+)\//.exec(url)![1]!;

async function activate(account: string): Promise<Activation> {
  const activated = await call('POST', `/v1/accounts/${account}/integrations/buygoods`);
  expect(activated.status).toBe(201);
  return activated.body as Activation;
}

async function postback(
  activation: Activation,
  values: Record<string, string>,
  extraQuery = '',
): Promise<string> {
  const response = await fetch(`${fillTemplate(activation.conversionUrl, values)}${extraQuery}`);
  expect(response.status).toBe(200);
  return response.headers.get('x-postback-id')!;
}

const processed = (account: string, postbackId: string) =>
  until(`postback ${postbackId}`, async () => {
    const read = await call('GET', `/v1/accounts/${account}/postbacks/${postbackId}`);
    return read.status === 200 ? read.body : null;
  });

async function scanTable(): Promise<string> {
  const client = createDocumentClient();
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({ TableName: service.resources.tableName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

test('tokens are unique 256-bit values, and the table holds only their digests: a table leak yields no working URL', async () => {
  const activations = await Promise.all(
    Array.from({ length: 24 }, (_, n) => activate(`acct-sec-token-${n}`)),
  );
  const tokens = activations.map((activation) => tokenOf(activation.conversionUrl));
  expect(new Set(tokens).size).toBe(tokens.length);
  for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 43 base64url characters: 256 bits
  // The bits look random: every character position takes many values across tokens.
  const distinctPerPosition = Array.from(
    { length: 43 },
    (_, i) => new Set(tokens.map((token) => token[i])).size,
  );
  expect(Math.min(...distinctPerPosition.slice(0, 42))).toBeGreaterThanOrEqual(8);

  const rotated = await call('POST', '/v1/accounts/acct-sec-token-0/integrations/buygoods/rotate');
  const table = await scanTable();
  for (const token of [...tokens, tokenOf(rotated.body.conversionUrl as string)]) {
    expect(table).not.toContain(token);
    expect(table).not.toContain(encodeURIComponent(token));
  }
  expect(table).not.toContain('/v1/postbacks/buygoods/');
  // What the table does hold for a live token is its SHA-256 digest.
  for (const token of [...tokens.slice(1), tokenOf(rotated.body.conversionUrl as string)])
    expect(table).toContain(hashToken(token));
});

test('unknown, malformed, rotated-out and deactivated tokens all get the very same answer', async () => {
  const rotating = await activate('acct-sec-rotated');
  await call('POST', '/v1/accounts/acct-sec-rotated/integrations/buygoods/rotate');
  const deactivating = await activate('acct-sec-deactivated');
  expect((await call('DELETE', '/v1/accounts/acct-sec-deactivated/integrations/buygoods')).status).toBe(200);
  const query = '?orderid=SAME-1&commission=10';
  const refused = [
    `${service.url}/v1/postbacks/buygoods/${'Q'.repeat(43)}/conversion${query}`,
    `${service.url}/v1/postbacks/buygoods/short/conversion${query}`,
    `${service.url}/v1/postbacks/buygoods/${'%zz'.repeat(15)}/conversion${query}`,
    `${rotating.conversionUrl.split('?')[0]}${query}`,
    `${deactivating.refundUrl.split('?')[0]}${query}`,
  ];
  const answers = await Promise.all(
    refused.map(async (url) => {
      const response = await fetch(url);
      const headers = [...response.headers].filter(
        ([name]) => !['date', 'connection', 'keep-alive'].includes(name),
      );
      return { status: response.status, body: await response.text(), headers };
    }),
  );
  expect(answers[0]!.status).toBe(404);
  for (const answer of answers) expect(answer).toEqual(answers[0]);
});

test("one account's token, links, products, postbacks and customers never reach another account's data", async () => {
  const a = await activate('acct-sec-a');
  const b = await activate('acct-sec-b');
  // A's catalog and a click on A's link.
  expect(
    (
      await call('PUT', '/v1/accounts/acct-sec-a/merchants/m-a', {
        name: 'A Labs',
        paymentGateway: 'buygoods',
        settings: {},
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('PUT', '/v1/accounts/acct-sec-a/products/p-a', {
        name: 'A Burn',
        merchantId: 'm-a',
        fulfillmentProvider: 'buygoods',
        productCodename: 'aburn',
        settings: {},
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('PUT', '/v1/accounts/acct-sec-a/links/lnk-sec-a', {
        name: 'A link',
        destinationUrl: 'https://a.example.com/offer',
        campaign: 'a-camp',
      })
    ).status,
  ).toBe(201);
  const click = await fetch(`${service.url}/v1/click/lnk-sec-a`, { redirect: 'manual' });
  const clickId = new URL(click.headers.get('location')!).searchParams.get('subid')!;

  // A's purchase, with a customer; an attempt to steer it into B through the query.
  const fromA = await postback(
    a,
    { ORDERID: 'SHARED-1', COMMISSION_AMOUNT: '30.00', SUBID: clickId, PRODUCT_CODENAME: 'aburn' },
    '&accountId=acct-sec-b&account_id=acct-sec-b&customer_emailaddress=ann.a%40example.com&customer_name=Ann+Aardvark',
  );
  expect(await processed('acct-sec-a', fromA)).toMatchObject({
    accountId: 'acct-sec-a',
    outcome: 'accepted',
  });
  // B sends the same order id, A's click id and A's product codename.
  const fromB = await postback(
    b,
    { ORDERID: 'SHARED-1', COMMISSION_AMOUNT: '5.00', SUBID: clickId, PRODUCT_CODENAME: 'aburn' },
    '&customer_emailaddress=ann.a%40example.com',
  );
  expect(await processed('acct-sec-b', fromB)).toMatchObject({
    accountId: 'acct-sec-b',
    outcome: 'accepted',
  });

  const orderA = (await call('GET', '/v1/accounts/acct-sec-a/orders/SHARED-1')).body;
  const orderB = (await call('GET', '/v1/accounts/acct-sec-b/orders/SHARED-1')).body;
  expect(orderA.conversions).toHaveLength(1);
  expect(orderA.conversions[0]).toMatchObject({
    commissionCents: 3000,
    linkId: 'lnk-sec-a',
    productId: 'p-a',
    merchantId: 'm-a',
  });
  expect(orderB.conversions).toHaveLength(1);
  expect(orderB.conversions[0]).toMatchObject({
    commissionCents: 500,
    linkId: null,
    productId: null,
    merchantId: null,
  });

  // Reads, replays and erasure through B's paths never touch A's records.
  expect((await call('GET', `/v1/accounts/acct-sec-b/postbacks/${fromA}`)).status).toBe(404);
  expect((await call('POST', `/v1/accounts/acct-sec-b/postbacks/${fromA}/replay`)).status).toBe(404);
  const listedB = (await call('GET', '/v1/accounts/acct-sec-b/postbacks')).body.postbacks as Json[];
  expect(listedB.map((record) => record.postbackId)).toEqual([fromB]);
  const reportB = (
    await call(
      'GET',
      '/v1/accounts/acct-sec-b/reports/links?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z',
    )
  ).body.rows as Json[];
  expect(reportB.filter((row) => row.linkId === 'lnk-sec-a')).toEqual([]);
  expect((await call('DELETE', '/v1/accounts/acct-sec-b/customers?email=ann.a@example.com')).status).toBe(
    200,
  );
  const afterErasure = (await call('GET', '/v1/accounts/acct-sec-a/orders/SHARED-1')).body;
  expect(afterErasure.conversions[0].customer).toMatchObject({
    email: 'ann.a@example.com',
    name: 'Ann Aardvark',
  });

  // B cannot claim A's link id for itself.
  expect(
    (
      await call('PUT', '/v1/accounts/acct-sec-b/links/lnk-sec-a', {
        name: 'stolen',
        destinationUrl: 'https://evil.example/',
        campaign: null,
      })
    ).status,
  ).toBe(409);
});

test('the click redirect only ever goes to the stored http(s) destination', async () => {
  for (const destinationUrl of [
    'javascript:alert(1)',
    '//evil.example/x',
    '/relative',
    'data:text/html,hi',
    'ftp://files.example/x',
    'https://',
    'http://exa mple.com/',
  ]) {
    const refused = await call('PUT', '/v1/accounts/acct-sec-links/links/lnk-sec-bad', {
      name: 'bad',
      destinationUrl,
      campaign: null,
    });
    expect({ destinationUrl, status: refused.status }).toEqual({ destinationUrl, status: 422 });
  }
  expect(
    (
      await call('PUT', '/v1/accounts/acct-sec-links/links/lnk-sec-good', {
        name: 'good',
        destinationUrl: 'https://shop.example.com/p?ref=1',
        campaign: null,
      })
    ).status,
  ).toBe(201);
  const steering = [
    'url=https://evil.example',
    'destination=https://evil.example',
    'redirect=%2F%2Fevil.example',
    'subid=%0d%0aLocation:%20https://evil.example',
    'next=javascript:alert(1)',
  ];
  for (const query of steering) {
    const response = await fetch(`${service.url}/v1/click/lnk-sec-good?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example.com/p');
    expect([...location.searchParams.keys()]).toEqual(['ref', 'subid']);
  }
  for (const path of [
    '%2F%2Fevil.example',
    '..%2F..%2Fv1%2Fclick%2Flnk-sec-good',
    'https:%2F%2Fevil.example',
  ]) {
    const response = await fetch(`${service.url}/v1/click/${path}`, { redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(response.headers.get('location')).toBeNull();
  }
});
