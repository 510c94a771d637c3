/**
 * The walking skeleton: one real purchase through every hop of the local service (HTTP API -> ingest ->
 * SQS -> consumer -> DynamoDB -> management API). Removing any hop makes it fail.
 */
import type { LocalService } from '../../local/service';
import { fillTemplate, startTestService, until, type Activation } from '../support/local-service';

let service: LocalService;

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.stop();
});

async function activate(accountId: string): Promise<Activation> {
  const response = await fetch(`${service.url}/v1/accounts/${accountId}/integrations/buygoods`, {
    method: 'POST',
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Activation;
}

test('a purchase postback on the conversion URL becomes a readable order and an accepted postback', async () => {
  const { conversionUrl, refundUrl } = await activate('acct-skeleton');
  expect(conversionUrl).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/v1\/postbacks\/buygoods\/[A-Za-z0-9_-]{43}\/conversion\?subid=\{SUBID\}&/,
  );
  expect(refundUrl).toContain('/refund?subid={SUBID}');

  const response = await fetch(
    fillTemplate(conversionUrl, {
      SUBID: 'clk-123',
      ORDERID: 'ORDER-1001',
      COMMISSION_AMOUNT: '47.90',
      PRODUCT_CODENAME: 'keto1',
      CONV_TYPE: 'frontend',
    }),
  );
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('OK');
  const postbackId = response.headers.get('x-postback-id');
  expect(postbackId).toMatch(/^pb_/);

  const order = await until('the order', async () => {
    const read = await fetch(`${service.url}/v1/accounts/acct-skeleton/orders/ORDER-1001`);
    return read.status === 200 ? ((await read.json()) as Record<string, any>) : null;
  });
  expect(order).toMatchObject({ orderId: 'ORDER-1001', status: 'purchased', netCommissionCents: 4790 });
  expect(order.conversions).toHaveLength(1);
  expect(order.conversions[0]).toMatchObject({
    kind: 'purchase',
    commissionCents: 4790,
    clickId: { raw: 'clk-123', value: 'clk-123', status: 'valid' },
    version: 1,
  });

  // The order is readable as soon as its conversion is written; the postback record comes just after it.
  const postback = await until('the postback record', async () => {
    const read = await fetch(`${service.url}/v1/accounts/acct-skeleton/postbacks/${postbackId}`);
    return read.status === 200 ? ((await read.json()) as Record<string, any>) : null;
  });
  expect(postback).toMatchObject({
    postbackId,
    accountId: 'acct-skeleton',
    channel: 'conversion',
    method: 'GET',
    outcome: 'accepted',
    kind: 'purchase',
    orderId: 'ORDER-1001',
    error: null,
  });
  expect(Date.parse(postback.processedAt)).toBeGreaterThanOrEqual(Date.parse(postback.receivedAt));
});

test('a URL past the limit gets a 414 with a body and is in the postback log; one past what the server reads gets a 431 with a body', async () => {
  const { conversionUrl } = await activate('acct-long');
  const long = await fetch(
    fillTemplate(conversionUrl, { SUBID: 'clk-long', ORDERID: 'LONG-1', COMMISSION_AMOUNT: '1.00' }) +
      `&pad=${'x'.repeat(20_000)}`,
  );
  expect(long.status).toBe(414);
  expect(await long.json()).toMatchObject({ error: { code: 'uri_too_long' } });
  const logged = await until('the refused postback in the log', async () => {
    const body = (await (
      await fetch(`${service.url}/v1/accounts/acct-long/postbacks?outcome=rejected`)
    ).json()) as { postbacks: { error: { code: string } | null }[] };
    return body.postbacks.length > 0 ? body.postbacks : null;
  });
  expect(logged.map((record) => record.error?.code)).toEqual(['uri_too_long']);
  const huge = await fetch(
    fillTemplate(conversionUrl, { SUBID: 'clk-huge', ORDERID: 'HUGE-1', COMMISSION_AMOUNT: '1.00' }) +
      `&pad=${'x'.repeat(100_000)}`,
  );
  expect(huge.status).toBe(431);
  expect(await huge.json()).toEqual({ message: 'Request Header Fields Too Large' });
});

test('an unknown token answers the same generic 404 as a malformed one', async () => {
  const unknown = await fetch(`${service.url}/v1/postbacks/buygoods/${'A'.repeat(43)}/conversion?orderid=X1`);
  const malformed = await fetch(`${service.url}/v1/postbacks/buygoods/nope/conversion?orderid=X1`);
  expect(unknown.status).toBe(404);
  expect(malformed.status).toBe(404);
  expect(await unknown.text()).toBe(await malformed.text());
  expect(unknown.headers.get('x-postback-id')).toBeNull();
});

test('the order of another account is not visible', async () => {
  const response = await fetch(`${service.url}/v1/accounts/acct-other/orders/ORDER-1001`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
});
