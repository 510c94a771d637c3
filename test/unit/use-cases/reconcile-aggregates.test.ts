import { trafficContribution } from '../../../functions/domain/aggregates';
import { shardOf } from '../../../functions/domain/shards';
import { countNewTraffic } from '../../../functions/use-cases/count-new-traffic';
import { reconcileAggregates } from '../../../functions/use-cases/reconcile-aggregates';
import { refreshOrderAggregate } from '../../../functions/use-cases/refresh-order-aggregate';
import { aggregateWorld, click, conversionOf } from '../../support/aggregate-world';

const DAY = { fromDay: '2026-12-01', toDay: '2026-12-01' };

/** One click on spring and one order carrying it, both counted as the aggregator and consumer would. */
async function counted() {
  const world = await aggregateWorld();
  const { deps, traffic, ledger } = world;
  const c = click('ck_1', 'spring');
  await traffic.putClick(c);
  await countNewTraffic(deps, [{ entity: 'click', click: c }]);
  await ledger.putConversion(conversionOf('A1', 'ck_1'), null);
  await refreshOrderAggregate(deps, 'acme', 'A1');
  return world;
}
const writesOf = (aggregates: Awaited<ReturnType<typeof aggregateWorld>>['aggregates']) => [
  jest.spyOn(aggregates, 'addToBuckets'),
  jest.spyOn(aggregates, 'applyOrderContribution'),
  jest.spyOn(aggregates, 'countTraffic'),
];

describe('reconciling the aggregates', () => {
  test('aggregates that match the raw items: no drift, nothing repaired', async () => {
    const { deps } = await counted();
    expect(await reconcileAggregates(deps, 'acme', DAY, { fix: true })).toEqual({
      ...DAY,
      clicks: 1,
      pageviews: 0,
      orders: 1,
      buckets: expect.any(Number),
      drift: [],
      repaired: null,
    });
  });

  test('a click never counted is drift; a check alone writes nothing', async () => {
    const { deps, traffic, aggregates } = await counted();
    await traffic.putClick(click('ck_2', 'spring', '2026-12-01T09:25:00.000Z'));
    const writes = writesOf(aggregates);
    const result = await reconcileAggregates(deps, 'acme', DAY, { fix: false });
    expect(result.clicks).toBe(2);
    // The click's quarter-hour and its UTC day's total are both short by one (traffic compared per day and link).
    expect(result.drift).toEqual([
      { bucket: 'R|2026-12-01|spring', attribute: expect.stringMatching(/^c\d+$/), stored: 1, expected: 2 },
      { bucket: 'R|2026-12-01|spring', attribute: 'cD', stored: 1, expected: 2 },
    ]);
    expect(result.repaired).toBeNull();
    for (const write of writes) expect(write).not.toHaveBeenCalled();
  });

  test('with fix the missing count is done the aggregator’s way, once: the click is marked counted', async () => {
    const { deps, traffic, aggregates, report } = await counted();
    const late = click('ck_2', 'spring', '2026-12-01T09:25:00.000Z');
    await traffic.putClick(late);
    const before = await reconcileAggregates(deps, 'acme', DAY, { fix: false });
    const fixed = await reconcileAggregates(deps, 'acme', DAY, { fix: true });
    expect(fixed).toMatchObject({ drift: [], repaired: before.drift });
    expect((await report()).spring).toMatchObject({ clicks: 2 });
    // The aggregator seeing the click later adds nothing.
    expect(await countNewTraffic(deps, [{ entity: 'click', click: late }])).toMatchObject({
      counted: 0,
      alreadyCounted: 1,
    });
    expect(aggregates.counted.has('ck_2')).toBe(true);
  });

  test('an order never refreshed is refreshed, so its snapshot is in place for the next change', async () => {
    const { deps, ledger, aggregates, report } = await counted();
    await ledger.putConversion(conversionOf('A2', 'ck_1'), null);
    const fixed = await reconcileAggregates(deps, 'acme', DAY, { fix: true });
    expect(fixed.repaired!.length).toBeGreaterThan(0);
    expect(fixed.drift).toEqual([]);
    expect(aggregates.snapshots.has('acme|A2')).toBe(true);
    expect((await report()).spring).toMatchObject({ purchases: 2 });
    expect(await refreshOrderAggregate(deps, 'acme', 'A2')).toEqual({ conflicts: 0 });
    expect((await report()).spring).toMatchObject({ purchases: 2 });
  });

  test('drift no missing work explains (a bucket off by 5) is corrected in place', async () => {
    const { deps, aggregates, report } = await counted();
    for (let n = 0; n < 5; n++)
      await aggregates.addToBuckets(
        'acme',
        trafficContribution('clicks', '2026-12-01T09:20:00.000Z', 'spring', shardOf('ck_1')),
      );
    const result = await reconcileAggregates(deps, 'acme', DAY, { fix: true });
    expect(result.repaired).toEqual([
      expect.objectContaining({ attribute: expect.stringMatching(/^c\d+$/), stored: 6, expected: 1 }),
      expect.objectContaining({ attribute: 'cD', stored: 6, expected: 1 }),
    ]);
    expect(result.drift).toEqual([]);
    expect((await report()).spring).toMatchObject({ clicks: 1 });
  });

  test('a bucket written before day totals gains them from reconcile --fix, and its report never changes', async () => {
    const world = await aggregateWorld();
    const { deps, traffic, aggregates, report } = world;
    const c = click('ck_1', 'spring');
    await traffic.putClick(c);
    // What the aggregator wrote before day totals existed: the quarter-hour alone.
    const withTotals = trafficContribution('clicks', c.at, 'spring', shardOf('ck_1'));
    const legacy = Object.fromEntries(
      Object.entries(withTotals).map(([id, attributes]) => [
        id,
        Object.fromEntries(Object.entries(attributes).filter(([name]) => name !== 'cD')),
      ]),
    );
    await aggregates.addToBuckets('acme', legacy);
    expect((await report()).spring).toMatchObject({ clicks: 1 });
    const checked = await reconcileAggregates(deps, 'acme', DAY, { fix: false });
    expect(checked.drift).toEqual([{ bucket: expect.any(String), attribute: 'cD', stored: 0, expected: 1 }]);
    await reconcileAggregates(deps, 'acme', DAY, { fix: true });
    expect((await reconcileAggregates(deps, 'acme', DAY, { fix: false })).drift).toEqual([]);
    expect((await report()).spring).toMatchObject({ clicks: 1 });
  });

  test('days outside the range are neither reported nor touched', async () => {
    const { deps, aggregates, report } = await counted();
    await aggregates.addToBuckets(
      'acme',
      trafficContribution('clicks', '2026-11-30T12:00:00.000Z', 'keto', 0),
    );
    const result = await reconcileAggregates(deps, 'acme', DAY, { fix: true });
    expect(result).toMatchObject({ drift: [], repaired: null });
    expect((await report()).keto).toMatchObject({ clicks: 1 });
  });

  test("an order reaching into the range from outside it is compared on the range's days only", async () => {
    const { deps, ledger, report } = await counted();
    await ledger.putConversion(conversionOf('OLD', 'ck_1', { occurredAt: '2026-11-30T10:00:00.000Z' }), null);
    await ledger.putConversion(
      conversionOf('OLD', 'ck_1', {
        kind: 'refund',
        slot: 'refund',
        commissionCents: 1500,
        occurredAt: '2026-12-01T11:00:00.000Z',
      }),
      null,
    );
    await refreshOrderAggregate(deps, 'acme', 'OLD');
    const result = await reconcileAggregates(deps, 'acme', DAY, { fix: true });
    expect(result).toMatchObject({ orders: 2, drift: [], repaired: null });
    expect((await report()).spring).toMatchObject({ purchases: 2, refunds: 1 });
  });

  test('page views are counted; conversion pixel hits are not figures', async () => {
    const { deps, traffic } = await counted();
    const hit = (hitId: string, event: 'pageview' | 'conversion') =>
      traffic.recordPixelHit({
        hitId,
        accountId: 'acme',
        pixelId: 'px_1',
        merchantId: 'm1',
        event,
        clickId: 'ck_1',
        orderId: null,
        at: '2026-12-01T09:30:00.000Z',
      });
    await hit('ph_1', 'pageview');
    await hit('ph_2', 'conversion');
    const result = await reconcileAggregates(deps, 'acme', DAY, { fix: true });
    expect(result).toMatchObject({ pageviews: 1, drift: [] });
    expect(result.repaired).toHaveLength(2); // the page view's quarter-hour and its day's total
  });
});
