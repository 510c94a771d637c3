import { recordPostback } from '../../../functions/use-cases/record-postback';
import { getOrder } from '../../../functions/use-cases/get-order';
import { postbackMessage } from '../../support/factories';
import {
  CountingRandom,
  FixedClock,
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryTraffic,
} from '../../support/fakes';

function setup() {
  const ledger = new InMemoryLedger();
  const catalog = new InMemoryCatalog();
  const traffic = new InMemoryTraffic(catalog);
  const deps = {
    ledger,
    catalog,
    traffic,
    aggregates: new InMemoryAggregates(ledger, traffic),
    clock: new FixedClock(),
    random: new CountingRandom(),
  };
  return {
    ledger,
    catalog,
    traffic,
    deps,
    record: (message: Parameters<typeof recordPostback>[1]) => recordPostback(deps, message),
  };
}

const purchase = { subid: 'clk-1', orderid: 'ORD-1', commission: '47.90', product: 'keto1' };

describe('recording a postback', () => {
  test("a new purchase is accepted and becomes the order's only conversion", async () => {
    const { deps, record } = setup();
    const { record: logged } = await record(postbackMessage({ query: purchase }));
    expect(logged).toMatchObject({ outcome: 'accepted', kind: 'purchase', orderId: 'ORD-1', error: null });
    const order = await getOrder(deps, 'acct-1', 'ORD-1');
    expect(order.conversions).toHaveLength(1);
    expect(order).toMatchObject({ status: 'purchased', netCommissionCents: 4790 });
  });

  test('the same content again, in another parameter order, is a duplicate and changes nothing', async () => {
    const { ledger, record } = setup();
    await record(postbackMessage({ query: purchase }));
    const reordered = { product: 'keto1', commission: '47.90', orderid: 'ORD-1', subid: 'clk-1' };
    const { record: logged } = await record(postbackMessage({ query: reordered }));
    expect(logged.outcome).toBe('duplicate');
    expect([...ledger.conversions.values()][0]!.version).toBe(1);
  });

  test('a corrected commission updates the conversion in place, bumps its version and keeps the old value', async () => {
    const { ledger, record } = setup();
    await record(postbackMessage({ query: purchase }));
    const {
      record: logged,
      changed,
      writeConflicts,
    } = await record(postbackMessage({ query: { ...purchase, commission: '45.00' } }));
    expect(logged.outcome).toBe('updated');
    expect(changed).toEqual(['commissionCents']);
    expect(writeConflicts).toBe(0);
    const conversion = [...ledger.conversions.values()][0]!;
    expect(ledger.conversions.size).toBe(1);
    expect(conversion).toMatchObject({ version: 2, commissionCents: 4500 });
    expect(conversion.history).toEqual([
      expect.objectContaining({ version: 1, previous: { commissionCents: 4790 } }),
    ]);
  });

  test('a late retry of the original content after an update is a duplicate, not a flip back', async () => {
    const { ledger, record } = setup();
    await record(postbackMessage({ query: purchase }));
    await record(postbackMessage({ query: { ...purchase, commission: '45.00' } }));
    const { record: logged } = await record(postbackMessage({ query: purchase }));
    expect(logged.outcome).toBe('duplicate');
    expect([...ledger.conversions.values()][0]!.commissionCents).toBe(4500);
  });

  test('a redelivered message keeps its outcome and is recorded once', async () => {
    const { ledger, record } = setup();
    const message = postbackMessage({ query: purchase });
    await record(message);
    ledger.postbacks.clear(); // as if the log write had been lost after the conversion write
    const { record: again } = await record(message);
    expect(again.outcome).toBe('accepted');
    expect(ledger.conversions.size).toBe(1);
  });

  test('a first delivery skips the log read, and a copy SQS delivers twice as first still gets one conversion and the same outcome', async () => {
    const { ledger, deps } = setup();
    const reads = jest.spyOn(ledger, 'getPostback');
    const message = postbackMessage({ query: purchase });
    const [first, copy] = await Promise.all([
      recordPostback(deps, message, { firstDelivery: true }),
      recordPostback(deps, message, { firstDelivery: true }),
    ]);
    expect(reads).not.toHaveBeenCalled();
    expect([first.record.outcome, copy.record.outcome]).toEqual(['accepted', 'accepted']);
    expect(ledger.conversions.size).toBe(1);
    expect([...ledger.conversions.values()][0]!.version).toBe(1);
  });

  test('losing a write race to an identical copy re-reads and reports a duplicate', async () => {
    const { ledger, record } = setup();
    // Another consumer writes the same content between this one's read and its conditional write.
    ledger.beforeConversionWrite = (incoming) => {
      ledger.beforeConversionWrite = null;
      ledger.conversions.set('acct-1|ORD-1|primary', {
        ...incoming,
        conversionId: 'cv_other',
        appliedPostbackIds: ['pb_other'],
      });
    };
    const { record: logged, writeConflicts } = await record(postbackMessage({ query: purchase }));
    expect(logged).toMatchObject({ outcome: 'duplicate', conversionId: 'cv_other' });
    expect(writeConflicts).toBe(1);
    expect(ledger.conversions.size).toBe(1);
  });

  test('a replay competes as of when its original arrived: replaying an old original does not undo its correction', async () => {
    const { ledger, record } = setup();
    const original = postbackMessage({ query: purchase });
    await record(postbackMessage({ query: { ...purchase, commission: '45.00' } }));
    // The original failed and is replayed now, after its correction was recorded.
    const replay = {
      ...postbackMessage({ query: purchase }),
      replayOf: original.postbackId,
      originalReceivedAt: original.receivedAt,
    };
    const { record: logged } = await record(replay);
    expect(logged).toMatchObject({
      outcome: 'updated',
      replayOf: original.postbackId,
      originalReceivedAt: original.receivedAt,
    });
    const conversion = [...ledger.conversions.values()][0]!;
    expect(conversion).toMatchObject({ commissionCents: 4500, version: 2, occurredAt: original.receivedAt });
    expect(conversion.history).toEqual([
      expect.objectContaining({ postbackId: replay.postbackId, superseded: { commissionCents: 4790 } }),
    ]);
  });

  test('a refund before its purchase is linked once the purchase arrives', async () => {
    const { deps, record } = setup();
    await record(postbackMessage({ channel: 'refund', query: { orderid: 'ORD-1', commission: '-47.90' } }));
    const early = await getOrder(deps, 'acct-1', 'ORD-1');
    expect(early).toMatchObject({ status: 'refunded', netCommissionCents: 0 });
    expect(early.conversions[0]).toMatchObject({
      kind: 'refund',
      commissionCents: 4790,
      linkedConversionId: null,
    });

    await record(postbackMessage({ query: purchase }));
    const order = await getOrder(deps, 'acct-1', 'ORD-1');
    const purchaseConversion = order.conversions.find((c) => c.kind === 'purchase')!;
    expect(order.conversions.find((c) => c.kind === 'refund')!.linkedConversionId).toBe(
      purchaseConversion.conversionId,
    );
    expect(order).toMatchObject({ status: 'refunded', netCommissionCents: 0 });
  });

  test('a commission void is a commission event, never a conversion, and a repeat is a duplicate', async () => {
    const { deps, ledger, record } = setup();
    await record(postbackMessage({ query: purchase }));
    const voidQuery = { orderid: 'ORD-1', event: 'commission_void', commission: '10.00' };
    expect((await record(postbackMessage({ channel: 'refund', query: voidQuery }))).record.outcome).toBe(
      'accepted',
    );
    expect((await record(postbackMessage({ channel: 'refund', query: voidQuery }))).record.outcome).toBe(
      'duplicate',
    );
    const order = await getOrder(deps, 'acct-1', 'ORD-1');
    expect(order.conversions).toHaveLength(1);
    expect(order.commissionEvents).toEqual([
      expect.objectContaining({ kind: 'commission_void', commissionCents: 1000 }),
    ]);
    expect(order.netCommissionCents).toBe(3790);
    expect(ledger.events.size).toBe(1);
  });

  test('a postback with a bad order id is logged as rejected with its reason', async () => {
    const { ledger, record } = setup();
    const { record: logged } = await record(
      postbackMessage({ query: { subid: 'clk-1', orderid: '{ORDERID}', commission: '1' } }),
    );
    expect(logged.outcome).toBe('rejected');
    expect(logged.error?.code).toMatch(/^order_id_/);
    expect(ledger.postbacks.get(logged.postbackId)).toBeDefined();
    expect(ledger.conversions.size).toBe(0);
  });

  test('the stored raw copy has customer name and email redacted', async () => {
    const { record } = setup();
    const body =
      'action_type=neworder&order_id=ORD-9&customer_name=Jane+Doe&customer_emailaddress=jane%40example.com&aff_commission=12.00';
    const { record: logged } = await record(postbackMessage({ body }));
    expect(logged.outcome).toBe('accepted');
    expect(logged.body).not.toMatch(/Jane|jane|example\.com/);
    expect(logged.body).toContain('order_id=ORD-9');
  });
});

describe('attribution when recording', () => {
  test('a valid click id of a recorded click carries its link and campaign; the product codename its product and merchant', async () => {
    const { catalog, traffic, record, ledger } = setup();
    await traffic.putClick({
      clickId: 'clk-9',
      accountId: 'acct-1',
      linkId: 'l-1',
      campaign: 'spring',
      at: '2026-11-25T09:00:00.000Z',
      sourceIp: null,
      userAgent: null,
    });
    await catalog.putProduct(
      {
        accountId: 'acct-1',
        productId: 'p-1',
        merchantId: 'm-1',
        name: 'Keto',
        fulfillmentProvider: 'buygoods',
        productCodename: 'Keto1',
        settings: {},
        createdAt: 'x',
        updatedAt: 'x',
      },
      null,
    );
    await record(
      postbackMessage({ query: { subid: 'clk-9', orderid: 'ATT-1', commission: '10', product: 'keto1' } }),
    );
    expect([...ledger.conversions.values()][0]).toMatchObject({
      linkId: 'l-1',
      campaign: 'spring',
      productId: 'p-1',
      merchantId: 'm-1',
    });
  });

  test('a click of another account never attributes', async () => {
    const { traffic, record, ledger } = setup();
    await traffic.putClick({
      clickId: 'clk-x',
      accountId: 'acct-other',
      linkId: 'l-theirs',
      campaign: null,
      at: '2026-11-25T09:00:00.000Z',
      sourceIp: null,
      userAgent: null,
    });
    await record(postbackMessage({ query: { subid: 'clk-x', orderid: 'ATT-2', commission: '10' } }));
    expect([...ledger.conversions.values()][0]).toMatchObject({ linkId: null, campaign: null });
  });

  test('an update keeps the attribution it had', async () => {
    const { traffic, record, ledger } = setup();
    await traffic.putClick({
      clickId: 'clk-u',
      accountId: 'acct-1',
      linkId: 'l-1',
      campaign: null,
      at: '2026-11-25T09:00:00.000Z',
      sourceIp: null,
      userAgent: null,
    });
    await record(postbackMessage({ query: { subid: 'clk-u', orderid: 'ATT-3', commission: '10' } }));
    traffic.clicks.clear();
    await record(postbackMessage({ query: { subid: 'clk-u', orderid: 'ATT-3', commission: '12' } }));
    expect([...ledger.conversions.values()][0]).toMatchObject({
      version: 2,
      linkId: 'l-1',
      commissionCents: 1200,
    });
  });
});
