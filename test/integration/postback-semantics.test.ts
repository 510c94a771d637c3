/**
 * Postback semantics through the local service: duplicates (sequential and concurrent), updates,
 * reversals before purchases, commission voids, upsell linking, rejects in the log and IPN form posts.
 */
import type { SQSEvent } from 'aws-lambda';
import type { LocalService } from '../../local/service';
import { postbackMessage, sqsEvent } from '../support/factories';
import { fillTemplate, startTestService, until, type Activation } from '../support/local-service';

let service: LocalService;
let urls: Activation;
const account = 'acct-semantics';

beforeAll(async () => {
  service = await startTestService({ pollers: 3 });
  urls = (await (
    await fetch(`${service.url}/v1/accounts/${account}/integrations/buygoods`, { method: 'POST' })
  ).json()) as Activation;
});
afterAll(async () => {
  await service?.stop();
});

type Json = Record<string, any>;

async function getJson(path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.url}/v1/accounts/${account}${path}`);
  return { status: response.status, body: (await response.json()) as Json };
}

/** Waits until the postback is processed and returns its record. */
async function processed(postbackId: string): Promise<Json> {
  return until(`postback ${postbackId}`, async () => {
    const { status, body } = await getJson(`/postbacks/${postbackId}`);
    return status === 200 ? body : null;
  });
}

async function send(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; postbackId: string; body: string }> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    postbackId: response.headers.get('x-postback-id') ?? '',
    body: await response.text(),
  };
}

const conversion = (values: Record<string, string>) => fillTemplate(urls.conversionUrl, values);
const refund = (values: Record<string, string>, extra = '') => fillTemplate(urls.refundUrl, values) + extra;

test('a repeated purchase is recorded once and the repeat is a duplicate', async () => {
  const url = conversion({ SUBID: 'clk-dup', ORDERID: 'DUP-1', COMMISSION_AMOUNT: '30.00' });
  const first = await send(url);
  expect((await processed(first.postbackId)).outcome).toBe('accepted');
  const second = await send(url);
  expect(second.status).toBe(200);
  expect((await processed(second.postbackId)).outcome).toBe('duplicate');
  const order = await getJson('/orders/DUP-1');
  expect(order.body.conversions).toHaveLength(1);
});

test('concurrent copies of one postback yield one conversion and duplicates for the rest', async () => {
  const url = conversion({ SUBID: 'clk-conc', ORDERID: 'CONC-1', COMMISSION_AMOUNT: '12.34' });
  const sent = await Promise.all(Array.from({ length: 12 }, () => send(url)));
  const outcomes = await Promise.all(
    sent.map(async ({ postbackId }) => (await processed(postbackId)).outcome),
  );
  expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
  expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(11);
  const order = await getJson('/orders/CONC-1');
  expect(order.body.conversions).toHaveLength(1);
  expect(order.body.conversions[0].version).toBe(1);
});

/** Runs the real consumer handler on one queued message, as one invocation of its own. */
async function consume(
  query: Record<string, string>,
  receivedAt = new Date(),
): Promise<{ batchItemFailures: unknown[] }> {
  const { handler } = await import('../../functions/entries/consumer');
  const context = {
    getRemainingTimeInMillis: () => 30000,
    functionName: 'consumer',
    awsRequestId: 'test',
  } as never;
  return (handler as unknown as (e: SQSEvent, c: never) => Promise<{ batchItemFailures: unknown[] }>)(
    sqsEvent([postbackMessage({ accountId: account, query, receivedAt })]),
    context,
  );
}

test('copies processed by separate consumer invocations at the same moment still settle on one conversion', async () => {
  const results = await Promise.all(
    Array.from({ length: 8 }, () => consume({ subid: 'clk-par', orderid: 'PAR-1', commission: '5.00' })),
  );
  expect(results.every((r) => r.batchItemFailures.length === 0)).toBe(true);
  const order = await getJson('/orders/PAR-1');
  expect(order.body.conversions).toHaveLength(1);
  const log = await getJson('/postbacks?limit=100');
  const outcomes = log.body.postbacks
    .filter((p: Json) => p.orderId === 'PAR-1')
    .map((p: Json) => p.outcome)
    .sort();
  expect(outcomes).toEqual(['accepted', ...Array(7).fill('duplicate')]);
});

test('a corrected commission updates the conversion in place and keeps the old value in its history', async () => {
  const first = await send(conversion({ SUBID: 'clk-upd', ORDERID: 'UPD-1', COMMISSION_AMOUNT: '47.90' }));
  await processed(first.postbackId);
  const second = await send(conversion({ SUBID: 'clk-upd', ORDERID: 'UPD-1', COMMISSION_AMOUNT: '45.00' }));
  expect((await processed(second.postbackId)).outcome).toBe('updated');
  const order = await getJson('/orders/UPD-1');
  expect(order.body.conversions).toHaveLength(1);
  expect(order.body.conversions[0]).toMatchObject({
    commissionCents: 4500,
    version: 2,
    history: [expect.objectContaining({ version: 1, previous: { commissionCents: 4790 } })],
  });
  expect(order.body.netCommissionCents).toBe(4500);
});

test('an original processed after its correction (say, redriven from the dead-letter queue) does not undo it', async () => {
  const receivedOriginal = new Date(Date.now() - 60_000);
  expect(
    (await consume({ subid: 'clk-late', orderid: 'LATE-1', commission: '45.00' })).batchItemFailures,
  ).toEqual([]);
  expect(
    (await consume({ subid: 'clk-late', orderid: 'LATE-1', commission: '47.90' }, receivedOriginal))
      .batchItemFailures,
  ).toEqual([]);
  const order = await getJson('/orders/LATE-1');
  expect(order.body.conversions).toHaveLength(1);
  expect(order.body.conversions[0]).toMatchObject({
    commissionCents: 4500,
    version: 2,
    occurredAt: receivedOriginal.toISOString(),
    history: [expect.objectContaining({ version: 1, previous: {}, superseded: { commissionCents: 4790 } })],
  });
  expect(order.body.netCommissionCents).toBe(4500);
});

test("a superseded original's customer can still be erased", async () => {
  const { hashEmail } = await import('../../functions/domain/email');
  const receivedOriginal = new Date(Date.now() - 60_000);
  expect(
    (await consume({ subid: 'clk-late2', orderid: 'LATE-2', commission: '45.00' })).batchItemFailures,
  ).toEqual([]);
  expect(
    (
      await consume(
        {
          subid: 'clk-late2',
          orderid: 'LATE-2',
          commission: '47.90',
          emailhash: hashEmail('late.lou@example.com'),
        },
        receivedOriginal,
      )
    ).batchItemFailures,
  ).toEqual([]);
  const before = await getJson('/orders/LATE-2');
  expect(before.body.conversions[0].history[0].superseded).toMatchObject({
    customer: { emailHash: hashEmail('late.lou@example.com') },
  });
  const erased = await fetch(`${service.url}/v1/accounts/${account}/customers?email=late.lou@example.com`, {
    method: 'DELETE',
  });
  expect(await erased.json()).toMatchObject({ conversions: 1 });
  const after = await getJson('/orders/LATE-2');
  expect(JSON.stringify(after.body)).not.toContain(hashEmail('late.lou@example.com'));
  expect(after.body.conversions[0]).toMatchObject({ commissionCents: 4500, version: 2 });
});

test('a refund that arrives before its purchase is linked when the purchase comes', async () => {
  const early = await send(refund({ SUBID: 'clk-rf', ORDERID: 'RF-1', COMMISSION_AMOUNT: '-20.00' }));
  expect((await processed(early.postbackId)).kind).toBe('refund');
  const before = await getJson('/orders/RF-1');
  expect(before.body).toMatchObject({ status: 'refunded', netCommissionCents: 0 });

  const purchase = await send(conversion({ SUBID: 'clk-rf', ORDERID: 'RF-1', COMMISSION_AMOUNT: '20.00' }));
  await processed(purchase.postbackId);
  const after = await getJson('/orders/RF-1');
  const purchaseId = after.body.conversions.find((c: Json) => c.kind === 'purchase').conversionId;
  expect(after.body.conversions.find((c: Json) => c.kind === 'refund')).toMatchObject({
    commissionCents: 2000,
    linkedConversionId: purchaseId,
  });
  expect(after.body).toMatchObject({ status: 'refunded', netCommissionCents: 0 });
});

test('a chargeback without an amount reverses the full commission and wins the status', async () => {
  await processed((await send(conversion({ ORDERID: 'CB-1', COMMISSION_AMOUNT: '10.00' }))).postbackId);
  await processed((await send(refund({ ORDERID: 'CB-1' }, '&event=cancel'))).postbackId);
  await processed((await send(refund({ ORDERID: 'CB-1' }, '&type=chargeback'))).postbackId);
  const order = await getJson('/orders/CB-1');
  expect(order.body).toMatchObject({ status: 'charged_back', netCommissionCents: 0 });
  expect(order.body.conversions.map((c: Json) => c.kind)).toEqual(['purchase', 'cancel', 'chargeback']);
});

test('a commission void is a commission event on the order, not a conversion', async () => {
  await processed((await send(conversion({ ORDERID: 'CV-1', COMMISSION_AMOUNT: '40.00' }))).postbackId);
  const voided = await send(
    refund({ ORDERID: 'CV-1', COMMISSION_AMOUNT: '15.00' }, '&event=commission_void'),
  );
  expect((await processed(voided.postbackId)).kind).toBe('commission_void');
  const order = await getJson('/orders/CV-1');
  expect(order.body.conversions).toHaveLength(1);
  expect(order.body.commissionEvents).toEqual([
    expect.objectContaining({ kind: 'commission_void', commissionCents: 1500 }),
  ]);
  expect(order.body).toMatchObject({ status: 'purchased', netCommissionCents: 2500 });
});

test('an upsell has its own order and links to its front-end purchase', async () => {
  const front = await send(
    conversion({ SUBID: 'clk-up', ORDERID: 'FE-1', COMMISSION_AMOUNT: '50.00', CONV_TYPE: 'frontend' }),
  );
  await processed(front.postbackId);
  const upsell = await send(
    conversion({ SUBID: 'clk-up', ORDERID: 'UP-1', COMMISSION_AMOUNT: '25.00', CONV_TYPE: 'upsell' }) +
      '&upsell_parent=FE-1',
  );
  expect((await processed(upsell.postbackId)).kind).toBe('upsell');
  const frontOrder = await getJson('/orders/FE-1');
  const upsellOrder = await getJson('/orders/UP-1');
  expect(upsellOrder.body.conversions[0]).toMatchObject({
    kind: 'upsell',
    parentOrderId: 'FE-1',
    linkedConversionId: frontOrder.body.conversions[0].conversionId,
  });
});

test('an upsell IPN finds its front-end order through order_id_global', async () => {
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    body: new URLSearchParams(fields).toString(),
  });
  const base = urls.conversionUrl.split('?')[0]!;
  const front = await send(
    base,
    form({
      action_type: 'neworder',
      order_id: 'IPN-FE',
      order_id_global: 'G-77',
      aff_commission: '30.00',
      subid: 'clk-ipn',
    }),
  );
  await processed(front.postbackId);
  const upsell = await send(
    base,
    form({
      action_type: 'neworder',
      order_id: 'IPN-UP',
      order_id_global: 'G-77',
      flag_upsell: '1',
      aff_commission: '10.00',
      subid: 'clk-ipn',
    }),
  );
  expect((await processed(upsell.postbackId)).kind).toBe('upsell');
  const frontOrder = await getJson('/orders/IPN-FE');
  const upsellOrder = await getJson('/orders/IPN-UP');
  expect(upsellOrder.body.conversions[0].linkedConversionId).toBe(
    frontOrder.body.conversions[0].conversionId,
  );
});

test('an IPN form post with repeated equal keys is recorded with the customer, and its log copy is redacted', async () => {
  const body =
    'action_type=neworder&order_id=IPN-1&order_id=IPN-1&product_codename=keto1&customer_name=Jane+Doe&customer_emailaddress=Jane%40Example.com&aff_commission=%2433.10&total_clean=69.00&currency=usd&subid=clk-ipn1&is_test=0';
  const sent = await send(urls.conversionUrl.split('?')[0]!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(sent.status).toBe(200);
  const record = await processed(sent.postbackId);
  expect(record).toMatchObject({ outcome: 'accepted', kind: 'purchase', method: 'POST', orderId: 'IPN-1' });
  expect(record.body).not.toMatch(/Jane|example/i);
  const order = await getJson('/orders/IPN-1');
  expect(order.body.conversions[0]).toMatchObject({
    commissionCents: 3310,
    totalCents: 6900,
    currency: 'USD',
    customer: { name: 'Jane Doe', email: 'jane@example.com' },
  });
});

test('an IPN refund wins over the conversion URL it was sent to', async () => {
  const base = urls.conversionUrl.split('?')[0]!;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  await processed(
    (
      await send(base, {
        method: 'POST',
        headers,
        body: 'action_type=neworder&order_id=IPN-2&aff_commission=20.00',
      })
    ).postbackId,
  );
  const refunded = await send(base, { method: 'POST', headers, body: 'action_type=refund&order_id=IPN-2' });
  expect((await processed(refunded.postbackId)).kind).toBe('refund');
  expect((await getJson('/orders/IPN-2')).body).toMatchObject({ status: 'refunded', netCommissionCents: 0 });
});

test('a rejected postback answers 400 with its id and is still in the postback log', async () => {
  const sent = await send(conversion({ SUBID: 'clk-bad', COMMISSION_AMOUNT: '10.00' })); // {ORDERID} never filled
  expect(sent.status).toBe(400);
  expect(JSON.parse(sent.body)).toMatchObject({
    error: { code: expect.stringMatching(/^order_id_/) },
    postbackId: sent.postbackId,
  });
  const record = await processed(sent.postbackId);
  expect(record).toMatchObject({
    outcome: 'rejected',
    error: { code: expect.stringMatching(/^order_id_/) },
    clickId: { value: 'clk-bad', status: 'valid' },
  });
  const rejected = await getJson('/postbacks?outcome=rejected');
  expect(rejected.body.postbacks.map((p: Json) => p.postbackId)).toContain(sent.postbackId);
});

test('malformed JSON and conflicting keys are rejected with 400 and logged', async () => {
  const base = urls.conversionUrl.split('?')[0]!;
  const malformed = await send(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: '{"orderid": "J-1",',
  });
  expect(malformed.status).toBe(400);
  expect((await processed(malformed.postbackId)).error.code).toBe('malformed_json');
  const conflict = await send(`${base}?orderid=K-1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"orderid":"K-2"}',
  });
  expect(conflict.status).toBe(400);
  expect((await processed(conflict.postbackId)).error.code).toBe('parameter_conflict');
});

test('a product value no product could have (2,000 characters) is flagged and the conversion still recorded', async () => {
  const sent = await send(
    conversion({
      SUBID: 'clk-prod',
      ORDERID: 'PROD-1',
      COMMISSION_AMOUNT: '5.00',
      PRODUCT_CODENAME: 'p'.repeat(2000),
    }),
  );
  expect(sent.status).toBe(200);
  expect(await processed(sent.postbackId)).toMatchObject({
    outcome: 'accepted',
    issues: expect.arrayContaining(['product_codename_invalid']),
    error: null,
  });
  expect((await getJson('/orders/PROD-1')).body.conversions[0]).toMatchObject({
    productCodename: null,
    productId: null,
    commissionCents: 500,
  });
});

test('a malformed click id is still recorded, flagged and kept raw for review', async () => {
  const sent = await send(
    conversion({ SUBID: 'bad click<id>', ORDERID: 'MAL-1', COMMISSION_AMOUNT: '9.99' }),
  );
  const record = await processed(sent.postbackId);
  expect(record).toMatchObject({
    outcome: 'accepted',
    clickId: { raw: 'bad click<id>', value: null, status: 'malformed' },
  });
  expect(record.issues).toContain('click_id_malformed');
  const placeholder = await send(conversion({ ORDERID: 'MAL-2', COMMISSION_AMOUNT: '9.99' })); // {SUBID} never filled
  const unfilled = await processed(placeholder.postbackId);
  expect(unfilled.clickId.value).toBeNull();
  expect(unfilled.clickId.status).not.toBe('valid');
});

test('the log lists newest first, filters by time and pages with a cursor', async () => {
  const all = await getJson('/postbacks?limit=500');
  const times = all.body.postbacks.map((p: Json) => p.receivedAt);
  expect(times).toEqual([...times].sort().reverse());
  const pages: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: Json } = await getJson(`/postbacks?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(...page.body.postbacks);
    cursor = page.body.cursor;
  } while (cursor);
  expect(pages.map((p) => p.postbackId)).toEqual(all.body.postbacks.map((p: Json) => p.postbackId));
  const middle = times[Math.floor(times.length / 2)];
  const newer = await getJson(`/postbacks?limit=500&from=${encodeURIComponent(middle)}`);
  expect(newer.body.postbacks.every((p: Json) => p.receivedAt >= middle)).toBe(true);
  expect((await getJson('/postbacks?from=yesterday')).status).toBe(422);
});

test('conversions are listed by kind and time', async () => {
  const refunds = await getJson('/conversions?kind=refund&limit=500');
  expect(refunds.body.conversions.length).toBeGreaterThan(0);
  expect(refunds.body.conversions.every((c: Json) => c.kind === 'refund')).toBe(true);
  expect(refunds.body.conversions[0].fingerprints).toBeUndefined();
});
