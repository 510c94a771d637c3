import { WriteConflictError } from '../../../functions/domain/errors';
import {
  computeOrderContribution,
  refreshOrderAggregate,
} from '../../../functions/use-cases/refresh-order-aggregate';
import { aggregateWorld, click, conversionOf } from '../../support/aggregate-world';

describe("refreshing an order's share of the report", () => {
  test('a purchase is added once, for the link of its click; refreshing again writes nothing', async () => {
    const { deps, ledger, traffic, aggregates, report } = await aggregateWorld();
    await traffic.putClick(click('ck_1', 'spring'));
    await ledger.putConversion(conversionOf('A1', 'ck_1'), null);
    expect(await refreshOrderAggregate(deps, 'acme', 'A1')).toEqual({ conflicts: 0 });
    expect((await report()).spring).toMatchObject({ purchases: 1, net: 1500 });

    const writes = jest.spyOn(aggregates, 'applyOrderContribution');
    expect(await refreshOrderAggregate(deps, 'acme', 'A1')).toEqual({ conflicts: 0 });
    expect(writes).not.toHaveBeenCalled();
    expect((await report()).spring).toMatchObject({ purchases: 1, net: 1500 });
  });

  test('a change to the order moves the buckets by the difference only', async () => {
    const { deps, ledger, traffic, report } = await aggregateWorld();
    await traffic.putClick(click('ck_1', 'spring'));
    await ledger.putConversion(conversionOf('A1', 'ck_1'), null);
    await refreshOrderAggregate(deps, 'acme', 'A1');
    await ledger.putConversion(
      conversionOf('A1', 'ck_1', { kind: 'refund', slot: 'refund', commissionCents: 1500 }),
      null,
    );
    await refreshOrderAggregate(deps, 'acme', 'A1');
    expect((await report()).spring).toMatchObject({ purchases: 1, refunds: 1, net: 0 });
  });

  test('a conversion before its click (one the redirect issued) waits for it, and counts for no link yet', async () => {
    const { deps, ledger, aggregates, report } = await aggregateWorld();
    await ledger.putConversion(conversionOf('A1', 'ck_late'), null);
    await refreshOrderAggregate(deps, 'acme', 'A1');
    expect(aggregates.waiters.get('ck_late')).toEqual(new Set(['acme|A1']));
    expect((await report()).null).toMatchObject({ purchases: 1 });
  });

  test("another tracker's click id is never waited for", async () => {
    const { deps, ledger, aggregates } = await aggregateWorld();
    await ledger.putConversion(conversionOf('A1', 'their-click-77'), null);
    await refreshOrderAggregate(deps, 'acme', 'A1');
    expect(aggregates.waiters.size).toBe(0);
  });

  test('a click that lands between the first read and the wait is found by the consistent read', async () => {
    const { deps, ledger, traffic, report } = await aggregateWorld();
    await ledger.putConversion(conversionOf('A1', 'ck_1'), null);
    const getClicks = traffic.getClicks.bind(traffic);
    traffic.getClicks = async (ids, options) => {
      if (options?.consistent) await traffic.putClick(click('ck_1', 'keto'));
      return getClicks(ids, options);
    };
    await refreshOrderAggregate(deps, 'acme', 'A1');
    expect((await report()).keto).toMatchObject({ purchases: 1 });
  });

  test("a click of another account is never the order's link", async () => {
    const { deps, ledger, traffic, report } = await aggregateWorld();
    await traffic.putClick(click('ck_1', 'spring', undefined, 'other'));
    await ledger.putConversion(conversionOf('A1', 'ck_1'), null);
    await refreshOrderAggregate(deps, 'acme', 'A1');
    expect((await report()).spring).toMatchObject({ purchases: 0 });
    expect((await report()).null).toMatchObject({ purchases: 1 });
  });

  test('a test order counts for nothing', async () => {
    const { deps, ledger, traffic, report } = await aggregateWorld();
    await traffic.putClick(click('ck_1', 'spring'));
    await ledger.putConversion(conversionOf('T1', 'ck_1', { isTest: true }), null);
    await refreshOrderAggregate(deps, 'acme', 'T1');
    expect((await report()).spring).toMatchObject({ purchases: 0, net: 0 });
  });

  test('a lost race is read and decided again, and adds once', async () => {
    const { deps, ledger, aggregates, report } = await aggregateWorld();
    await ledger.putConversion(conversionOf('A1', null), null);
    const apply = aggregates.applyOrderContribution.bind(aggregates);
    let calls = 0;
    aggregates.applyOrderContribution = async (...args) => {
      if (++calls === 1) throw new WriteConflictError();
      return apply(...args);
    };
    expect(await refreshOrderAggregate(deps, 'acme', 'A1')).toEqual({ conflicts: 1 });
    expect((await report()).null).toMatchObject({ purchases: 1 });
  });

  test('it gives up after 8 lost races, and never retries another error', async () => {
    const { deps, ledger, aggregates } = await aggregateWorld();
    await ledger.putConversion(conversionOf('A1', null), null);
    const lost: number[] = [];
    const conflicting = jest.fn(async () => {
      lost.push(performance.now());
      return Promise.reject(new WriteConflictError());
    });
    aggregates.applyOrderContribution = conflicting;
    await expect(refreshOrderAggregate(deps, 'acme', 'A1')).rejects.toBeInstanceOf(WriteConflictError);
    expect(conflicting).toHaveBeenCalledTimes(8);
    // Read again at once after the first loss, then after growing pauses (timers never fire early).
    const gaps = lost.slice(1).map((at, index) => at - lost[index]!);
    for (const [index, least] of [0, 10, 20, 40, 80, 160, 320].entries())
      expect(gaps[index]).toBeGreaterThanOrEqual(least - 1);

    const failing = jest.fn(async () => Promise.reject(new Error('throttled')));
    aggregates.applyOrderContribution = failing;
    await expect(refreshOrderAggregate(deps, 'acme', 'A1')).rejects.toThrow('throttled');
    expect(failing).toHaveBeenCalledTimes(1);
  });

  test('computing without waiting registers nothing (what reconciliation reads)', async () => {
    const { deps, ledger, aggregates } = await aggregateWorld();
    await ledger.putConversion(conversionOf('A1', 'ck_late'), null);
    const { next, applied } = await computeOrderContribution(deps, 'acme', 'A1', { awaitMissing: false });
    expect(Object.keys(next).length).toBeGreaterThan(0);
    expect(applied).toBeNull();
    expect(aggregates.waiters.size).toBe(0);
  });
});
