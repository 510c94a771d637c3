/**
 * What a vendor's IPN sends besides orders, through the local service with bodies shaped like Buygoods':
 * the connection test and the lifecycle events that are not conversions (answered 200, logged as
 * ignored, nothing created), unknown events (rejected, named), and rebills that reuse their order's
 * order_id (a conversion per charge, a retry a duplicate, a refund taking back the charge it names).
 */
import type { LocalService } from '../../local/service';
import { buygoodsIpn } from '../support/factories';
import { startTestService, until, type Activation } from '../support/local-service';

let service: LocalService;

beforeAll(async () => {
  service = await startTestService({ pollers: 2 });
});
afterAll(async () => {
  await service?.stop();
});

type Json = Record<string, any>;

async function activate(account: string): Promise<Activation> {
  return (await (
    await fetch(`${service.url}/v1/accounts/${account}/integrations/buygoods`, { method: 'POST' })
  ).json()) as Activation;
}

async function getJson(account: string, path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.url}/v1/accounts/${account}${path}`);
  return { status: response.status, body: (await response.json()) as Json };
}

async function processed(account: string, postbackId: string): Promise<Json> {
  return until(`postback ${postbackId}`, async () => {
    const { status, body } = await getJson(account, `/postbacks/${postbackId}`);
    return status === 200 ? body : null;
  });
}

/** Posts an IPN form to the conversion URL (without its query template), as the vendor's IPN is set up. */
async function postIpn(
  urls: Activation,
  body: string,
  channel: 'conversionUrl' | 'refundUrl' = 'conversionUrl',
) {
  const response = await fetch(urls[channel].split('?')[0]!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return {
    status: response.status,
    text: await response.text(),
    postbackId: response.headers.get('x-postback-id') ?? '',
  };
}

describe('events that are not conversions', () => {
  const account = 'acct-ipn-events';
  let urls: Activation;
  beforeAll(async () => {
    urls = await activate(account);
  });

  test('the connection test is answered 200 OK, logged as ignored with its reason, and creates nothing', async () => {
    const sent = await postIpn(urls, 'action_type=connection_test');
    expect(sent).toMatchObject({ status: 200, text: 'OK' });
    const record = await processed(account, sent.postbackId);
    expect(record).toMatchObject({
      outcome: 'ignored',
      reason: 'connection_test',
      kind: null,
      orderId: null,
      error: null,
      conversionId: null,
      issues: [],
    });
  });

  test.each([['abandon'], ['newcustomer'], ['failedrebill'], ['uncancel'], ['test']])(
    '%s is answered 200, logged as ignored with the event named, and creates nothing',
    async (event) => {
      const orderId = `EV-${event}`;
      const sent = await postIpn(urls, buygoodsIpn({ action_type: event, order_id: orderId }));
      expect(sent).toMatchObject({ status: 200, text: 'OK' });
      expect(await processed(account, sent.postbackId)).toMatchObject({
        outcome: 'ignored',
        reason: event,
        kind: null,
        orderId,
        error: null,
        conversionId: null,
      });
      expect((await getJson(account, `/orders/${orderId}`)).status).toBe(404);
    },
  );

  test('a test postback with no order at all is ignored too', async () => {
    const sent = await postIpn(urls, buygoodsIpn({ order_id: null, is_test: '1' }));
    expect(sent.status).toBe(200);
    expect(await processed(account, sent.postbackId)).toMatchObject({
      outcome: 'ignored',
      reason: 'test_without_order',
    });
  });

  test('an unknown action_type stays a visible rejection, its message naming the value', async () => {
    const sent = await postIpn(
      urls,
      buygoodsIpn({ action_type: 'subscription_paused', order_id: 'EV-UNKNOWN' }),
    );
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.text).error).toEqual({
      code: 'unsupported_event',
      message: 'The action_type "subscription_paused" is not a supported event',
    });
    expect(await processed(account, sent.postbackId)).toMatchObject({
      outcome: 'rejected',
      reason: null,
      error: { code: 'unsupported_event' },
    });
  });

  test('the log lists ignored postbacks by their outcome, apart from rejections', async () => {
    const ignored = await until('ignored postbacks listed', async () => {
      const { body } = await getJson(account, '/postbacks?outcome=ignored&limit=100');
      return body.postbacks.length >= 7 ? body.postbacks : null;
    });
    expect(ignored.every((p: Json) => p.outcome === 'ignored' && p.error === null)).toBe(true);
    const rejected = (await getJson(account, '/postbacks?outcome=rejected&limit=100')).body.postbacks;
    expect(rejected.map((p: Json) => p.orderId)).toEqual(['EV-UNKNOWN']);
  });
});

describe('rebills', () => {
  const account = 'acct-ipn-rebills';
  let urls: Activation;
  beforeAll(async () => {
    urls = await activate(account);
  });

  const rebill = (orderId: string, date: string, commission = '20.00') =>
    buygoodsIpn({
      action_type: 'rebill',
      order_id: orderId,
      rr_createdate: date,
      aff_commission: commission,
    });

  test('a rebill reusing its order id is a separate conversion per charge, a retry of a charge is a duplicate, and a refund takes back the charge it names', async () => {
    const purchase = await postIpn(
      urls,
      buygoodsIpn({ order_id: 'RB-1', rr_createdate: '2026-10-01 10:30:00', aff_commission: '30.00' }),
    );
    expect((await processed(account, purchase.postbackId)).outcome).toBe('accepted');
    const first = await postIpn(urls, rebill('RB-1', '2026-11-01 10:30:00'));
    expect(first).toMatchObject({ status: 200, text: 'OK' });
    expect(await processed(account, first.postbackId)).toMatchObject({
      outcome: 'accepted',
      kind: 'rebill',
      orderId: 'RB-1',
    });
    const retry = await postIpn(urls, rebill('RB-1', '2026-11-01 10:30:00'));
    expect((await processed(account, retry.postbackId)).outcome).toBe('duplicate');
    const second = await postIpn(urls, rebill('RB-1', '2026-12-01 10:30:00', '25.00'));
    expect((await processed(account, second.postbackId)).outcome).toBe('accepted');

    let order = (await getJson(account, '/orders/RB-1')).body;
    expect(order.status).toBe('purchased');
    const purchaseId = order.conversions.find((c: Json) => c.kind === 'purchase').conversionId;
    expect(
      order.conversions.map((c: Json) => [c.kind, c.chargedAt, c.commissionCents, c.linkedConversionId]),
    ).toEqual([
      ['purchase', '2026-10-01T10:30:00Z', 3000, null],
      ['rebill', '2026-11-01T10:30:00Z', 2000, purchaseId],
      ['rebill', '2026-12-01T10:30:00Z', 2500, purchaseId],
    ]);
    expect(order).toMatchObject({ grossCommissionCents: 7500, netCommissionCents: 7500 });

    // The refund IPN names the November charge by its rr_createdate: that charge's commission is taken back.
    const refund = await postIpn(
      urls,
      buygoodsIpn({
        action_type: 'refund',
        order_id: 'RB-1',
        rr_createdate: '2026-11-01 10:30:00',
        aff_commission: '-20.00',
      }),
    );
    expect((await processed(account, refund.postbackId)).outcome).toBe('accepted');
    order = (await getJson(account, '/orders/RB-1')).body;
    const november = order.conversions.find(
      (c: Json) => c.chargedAt === '2026-11-01T10:30:00Z' && c.kind === 'rebill',
    );
    expect(order.conversions.find((c: Json) => c.kind === 'refund').linkedConversionId).toBe(
      november.conversionId,
    );
    expect(order).toMatchObject({ status: 'refunded', grossCommissionCents: 7500, netCommissionCents: 5500 });

    // A chargeback naming no charge takes back the latest one (December), not the purchase.
    const chargeback = await postIpn(
      urls,
      buygoodsIpn({
        action_type: 'chargeback',
        order_id: 'RB-1',
        rr_createdate: '0000-00-00 00:00:00',
        aff_commission: null,
      }),
      'refundUrl',
    );
    expect((await processed(account, chargeback.postbackId)).outcome).toBe('accepted');
    order = (await getJson(account, '/orders/RB-1')).body;
    expect(order).toMatchObject({ status: 'charged_back', netCommissionCents: 3000 });

    const rebills = (await getJson(account, '/conversions?kind=rebill')).body.conversions;
    expect(rebills.map((c: Json) => c.chargedAt).sort()).toEqual([
      '2026-11-01T10:30:00Z',
      '2026-12-01T10:30:00Z',
    ]);
  });

  test('a rebill with a new order id is its own conversion too, flagged as a rebill', async () => {
    const sent = await postIpn(urls, rebill('RB-NEW', '2026-12-03 08:00:00'));
    expect(await processed(account, sent.postbackId)).toMatchObject({ outcome: 'accepted', kind: 'rebill' });
    const order = (await getJson(account, '/orders/RB-NEW')).body;
    expect(order).toMatchObject({ status: 'purchased', grossCommissionCents: 2000 });
    expect(order.conversions.map((c: Json) => [c.kind, c.linkedConversionId])).toEqual([['rebill', null]]);
  });

  test('a rebill dated 0000-00-00 is keyed by its content: a retry is a duplicate, a different charge a new rebill, and the missing date is flagged', async () => {
    const undated = rebill('RB-2', '0000-00-00 00:00:00');
    const first = await postIpn(urls, undated);
    expect(await processed(account, first.postbackId)).toMatchObject({
      outcome: 'accepted',
      kind: 'rebill',
      issues: ['charge_date_missing'],
    });
    const retry = await postIpn(urls, undated);
    expect((await processed(account, retry.postbackId)).outcome).toBe('duplicate');
    const other = await postIpn(
      urls,
      buygoodsIpn({ action_type: 'rebill', order_id: 'RB-2', rr_createdate: null, aff_commission: '15.00' }),
    );
    expect((await processed(account, other.postbackId)).outcome).toBe('accepted');
    const order = (await getJson(account, '/orders/RB-2')).body;
    expect(order.conversions.map((c: Json) => [c.kind, c.commissionCents, c.chargedAt])).toEqual([
      ['rebill', 2000, null],
      ['rebill', 1500, null],
    ]);
  });

  test('replaying a recorded rebill is a duplicate of its charge', async () => {
    const sent = await postIpn(urls, rebill('RB-3', '2026-12-04 09:00:00'));
    expect((await processed(account, sent.postbackId)).outcome).toBe('accepted');
    const replay = await fetch(`${service.url}/v1/accounts/${account}/postbacks/${sent.postbackId}/replay`, {
      method: 'POST',
    });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as Json).outcome).toBe('duplicate');
    expect((await getJson(account, '/orders/RB-3')).body.conversions).toHaveLength(1);
  });

  test('erasing the customer reaches every rebill charge, and the amounts stay', async () => {
    const sent = await postIpn(
      urls,
      buygoodsIpn({
        action_type: 'rebill',
        order_id: 'RB-4',
        rr_createdate: '2026-12-05 09:00:00',
        aff_commission: '20.00',
        customer_emailaddress: 'rhea@example.com',
        customer_name: 'Rhea',
      }),
    );
    const next = await postIpn(
      urls,
      buygoodsIpn({
        action_type: 'rebill',
        order_id: 'RB-4',
        rr_createdate: '2027-01-05 09:00:00',
        aff_commission: '20.00',
        customer_emailaddress: 'rhea@example.com',
        customer_name: 'Rhea',
      }),
    );
    for (const id of [sent.postbackId, next.postbackId])
      expect((await processed(account, id)).outcome).toBe('accepted');
    const erased = await fetch(`${service.url}/v1/accounts/${account}/customers?email=rhea@example.com`, {
      method: 'DELETE',
    });
    expect(erased.status).toBe(200);
    expect(((await erased.json()) as Json).conversions).toBe(2);
    const order = (await getJson(account, '/orders/RB-4')).body;
    expect(order.conversions.map((c: Json) => [c.customer, c.commissionCents])).toEqual([
      [{ name: null, email: null, emailHash: null }, 2000],
      [{ name: null, email: null, emailHash: null }, 2000],
    ]);
  });

  test("today's link report counts the rebills beside the purchases, with their commission", async () => {
    const rows = (await getJson(account, '/reports/links')).body.rows as Json[];
    const unattributed = rows.find((r) => r.linkId === null)!;
    // RB-1: purchase 30 + rebills 20, 25, less its refund (20) and chargeback (25); RB-NEW 20; RB-2 20 + 15; RB-3 20; RB-4 20 + 20.
    expect(unattributed).toMatchObject({
      purchases: 1,
      rebills: 8,
      refunds: 1,
      chargebacks: 1,
      grossCommissionCents: 3000 + 4500 + 2000 + 3500 + 2000 + 4000,
      netCommissionCents: 3000 + 2000 + 3500 + 2000 + 4000,
    });
  });
});
