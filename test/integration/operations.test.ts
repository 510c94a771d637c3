/**
 * Operations through the local service: token rotation and deactivation, test postbacks, replay (single
 * and bulk), postback log expiry (TTL attribute), and GDPR erasure.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/clients';
import { keys } from '../../functions/adapters/dynamo-keys';
import { shardOf } from '../../functions/domain/shards';
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

async function send(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, postbackId: response.headers.get('x-postback-id') ?? '' };
}

const processed = (account: string, postbackId: string) =>
  until(`postback ${postbackId}`, async () => {
    const read = await call('GET', `/v1/accounts/${account}/postbacks/${postbackId}`);
    return read.status === 200 ? read.body : null;
  });

test('rotation retires the old URLs at once; deactivation answers 404 like an unknown token; activation is idempotent', async () => {
  const first = await call('POST', '/v1/accounts/acct-ops/integrations/buygoods');
  const again = await call('POST', '/v1/accounts/acct-ops/integrations/buygoods');
  expect(again.body.conversionUrl).toBe(first.body.conversionUrl);
  expect((await call('GET', '/v1/accounts/acct-ops/integrations/buygoods')).body).toMatchObject({
    status: 'active',
    conversionUrl: first.body.conversionUrl,
  });

  const rotated = await call('POST', '/v1/accounts/acct-ops/integrations/buygoods/rotate');
  expect(rotated.status).toBe(200);
  expect(rotated.body.conversionUrl).not.toBe(first.body.conversionUrl);
  const old = await fetch(fillTemplate(first.body.conversionUrl, { ORDERID: 'ROT-1' }));
  const unknown = await fetch(
    `${service.url}/v1/postbacks/buygoods/${'Z'.repeat(43)}/conversion?orderid=ROT-1`,
  );
  expect(old.status).toBe(404);
  expect(await old.text()).toBe(await unknown.text());
  expect((await fetch(fillTemplate(rotated.body.conversionUrl, { ORDERID: 'ROT-1' }))).status).toBe(200);

  const deactivated = await call('DELETE', '/v1/accounts/acct-ops/integrations/buygoods');
  expect(deactivated.body).toMatchObject({ status: 'inactive', conversionUrl: null });
  expect((await fetch(fillTemplate(rotated.body.conversionUrl, { ORDERID: 'ROT-2' }))).status).toBe(404);
  expect((await call('POST', '/v1/accounts/acct-ops/integrations/buygoods/test')).status).toBe(409);
  expect((await call('POST', '/v1/accounts/acct-ops/integrations/buygoods/rotate')).status).toBe(409);

  const reactivated = await call('POST', '/v1/accounts/acct-ops/integrations/buygoods');
  expect(reactivated.status).toBe(201);
  expect(reactivated.body.conversionUrl).not.toBe(rotated.body.conversionUrl);
  expect((await call('GET', '/v1/accounts/acct-none/integrations/buygoods')).status).toBe(404);
});

test('URLs pasted with stray spaces still work', async () => {
  const { conversionUrl } = (await call('POST', '/v1/accounts/acct-space/integrations/buygoods'))
    .body as Activation;
  const [root, query] = conversionUrl.split('?');
  const token = root!.split('/').at(-2)!;
  const spaced = `${root!.replace(token, `%20${token}%20`)}?${query}`;
  expect((await fetch(fillTemplate(spaced, { ORDERID: 'SP-1' }))).status).toBe(200);
});

test('a replayed accepted postback is a duplicate; a bulk replay re-runs every rejected one in a range', async () => {
  const { conversionUrl } = (await call('POST', '/v1/accounts/acct-replay/integrations/buygoods'))
    .body as Activation;
  const accepted = await send(
    fillTemplate(conversionUrl, { SUBID: 'clk-r', ORDERID: 'RP-1', COMMISSION_AMOUNT: '12.00' }),
  );
  await processed('acct-replay', accepted.postbackId);
  const replay = await call('POST', `/v1/accounts/acct-replay/postbacks/${accepted.postbackId}/replay`);
  expect(replay.status).toBe(200);
  expect(replay.body).toMatchObject({ outcome: 'duplicate', replayOf: accepted.postbackId, orderId: 'RP-1' });

  const ipnBody =
    'action_type=neworder&order_id=RP-2&customer_name=Ann+Lee&customer_emailaddress=ann%40example.com&aff_commission=5.00';
  const ipn = await send(conversionUrl.split('?')[0]!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: ipnBody,
  });
  await processed('acct-replay', ipn.postbackId);
  const ipnReplay = await call('POST', `/v1/accounts/acct-replay/postbacks/${ipn.postbackId}/replay`);
  expect(ipnReplay.body.outcome).toBe('duplicate'); // its redacted copy inherits the customer it replays

  const since = new Date().toISOString();
  const rejected = await Promise.all(
    ['', '', ''].map(() => send(fillTemplate(conversionUrl, { SUBID: 'clk-x' }))),
  ); // {ORDERID} unfilled
  for (const { postbackId } of rejected)
    expect((await processed('acct-replay', postbackId)).outcome).toBe('rejected');
  const bulk = await call('POST', '/v1/accounts/acct-replay/postbacks/replay', {
    outcome: 'rejected',
    from: since,
  });
  expect(bulk.status).toBe(202);
  expect(bulk.body).toMatchObject({ jobId: expect.any(String), state: 'queued' });
  const job = await until('the bulk replay job', async () => {
    const progress = await call('GET', `/v1/accounts/acct-replay/replays/${bulk.body.jobId}`);
    return progress.body.state === 'done' ? progress.body : null;
  });
  expect(job).toMatchObject({ matched: 3, sent: 3, failed: 0 });
  const replays = await until('the three replays recorded', async () => {
    const log = await call(
      'GET',
      `/v1/accounts/acct-replay/postbacks?from=${encodeURIComponent(bulk.body.createdAt)}`,
    );
    const found = log.body.postbacks.filter((p: Json) => p.replayOf);
    return found.length === 3 ? found : null;
  });
  expect(replays.map((p: Json) => p.replayOf).sort()).toEqual(rejected.map((r) => r.postbackId).sort());
  for (const replay of replays)
    expect(replay).toMatchObject({ outcome: 'rejected', replayOf: expect.any(String) });
  expect((await call('POST', '/v1/accounts/acct-replay/postbacks/replay', { outcome: 'bogus' })).status).toBe(
    422,
  );
  expect((await call('POST', '/v1/accounts/acct-replay/postbacks/pb_nope/replay')).status).toBe(404);
});

test('postback log items carry their expiry for DynamoDB TTL', async () => {
  const { conversionUrl } = (await call('POST', '/v1/accounts/acct-ttl/integrations/buygoods'))
    .body as Activation;
  const sent = await send(fillTemplate(conversionUrl, { ORDERID: 'TTL-1', COMMISSION_AMOUNT: '1.00' }));
  const record = await processed('acct-ttl', sent.postbackId);
  const documents = createDocumentClient();
  const item = await documents.send(
    new GetCommand({
      TableName: service.resources.tableName,
      Key: {
        pk: keys.postbackPartition('acct-ttl', shardOf(sent.postbackId)),
        sk: keys.postbackSort(record.receivedAt, sent.postbackId),
      },
    }),
  );
  const expectedDays = Number(process.env.POSTBACK_LOG_RETENTION_DAYS ?? 90);
  expect(item.Item?.expiresAt).toBe(Math.floor(Date.parse(record.receivedAt) / 1000) + expectedDays * 86400);
  expect(record.expiresAt).toBeUndefined();
});

test("erasure removes a customer's name, email and hash everywhere and keeps the financial trail", async () => {
  const { conversionUrl } = (await call('POST', '/v1/accounts/acct-gdpr/integrations/buygoods'))
    .body as Activation;
  const base = conversionUrl.split('?')[0]!;
  const form = (body: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const first = await send(
    base,
    form(
      'action_type=neworder&order_id=GD-1&customer_name=Erin+Moss&customer_emailaddress=Erin.Moss%40Example.com&aff_commission=20.00',
    ),
  );
  await processed('acct-gdpr', first.postbackId);
  const update = await send(
    base,
    form(
      'action_type=neworder&order_id=GD-1&customer_name=Erin+M+Moss&customer_emailaddress=erin.moss%40example.com&aff_commission=18.00',
    ),
  );
  expect((await processed('acct-gdpr', update.postbackId)).outcome).toBe('updated');
  const hashOnly = await send(`${base}?orderid=GD-2&commission=3.00&emailhash=${'ab'.repeat(32)}`);
  await processed('acct-gdpr', hashOnly.postbackId);
  const other = await send(
    base,
    form(
      'action_type=neworder&order_id=GD-3&customer_name=Sam+Fox&customer_emailaddress=sam%40example.com&aff_commission=7.00',
    ),
  );
  await processed('acct-gdpr', other.postbackId);
  // An order whose customer was corrected from Erin to Ada: Erin is only in its history.
  const wrong = await send(
    base,
    form(
      'action_type=neworder&order_id=GD-4&customer_name=Erin+Moss&customer_emailaddress=erin.moss%40example.com&aff_commission=9.00',
    ),
  );
  await processed('acct-gdpr', wrong.postbackId);
  const corrected = await send(
    base,
    form(
      'action_type=neworder&order_id=GD-4&customer_name=Ada+Lake&customer_emailaddress=ada%40example.com&aff_commission=9.00',
    ),
  );
  expect((await processed('acct-gdpr', corrected.postbackId)).outcome).toBe('updated');

  const erased = await call('DELETE', '/v1/accounts/acct-gdpr/customers?email=%20ERIN.moss@example.com%20');
  expect(erased.status).toBe(200);
  expect(erased.body).toMatchObject({ conversions: 2 });
  const order = (await call('GET', '/v1/accounts/acct-gdpr/orders/GD-1')).body;
  expect(JSON.stringify(order)).not.toMatch(/erin|moss/i);
  expect(order).toMatchObject({ status: 'purchased', netCommissionCents: 1800 });
  expect(order.conversions[0]).toMatchObject({
    customer: { name: null, email: null, emailHash: null },
    commissionCents: 1800,
    version: 2,
    erasedAt: expect.any(String),
  });
  expect((await call('GET', '/v1/accounts/acct-gdpr/orders/GD-3')).body.conversions[0].customer.name).toBe(
    'Sam Fox',
  );
  const correctedOrder = (await call('GET', '/v1/accounts/acct-gdpr/orders/GD-4')).body;
  expect(JSON.stringify(correctedOrder)).not.toMatch(/erin|moss/i);
  expect(correctedOrder.conversions[0].customer).toMatchObject({
    name: 'Ada Lake',
    email: 'ada@example.com',
  });
  expect((await call('DELETE', '/v1/accounts/acct-gdpr/customers?email=not-an-email')).status).toBe(422);
  expect((await call('DELETE', '/v1/accounts/acct-gdpr/customers')).status).toBe(422);
});
