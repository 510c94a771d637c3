/**
 * The AggregateRepository contract (functions/ports/aggregate-repository.ts), run against InMemoryAggregates
 * and the DynamoDB adapter: order contributions conditional on the snapshot version, traffic counted once
 * per click or hit, bucket ranges (whole days read as day totals), rolling finished days' written buckets
 * (traffic shards and sales, conditional on each source's version) into rolled buckets and their day-totals
 * items, click waiters, settings.
 */
import {
  DAY_TOTAL_ATTRIBUTES,
  bucketId,
  countFigure,
  dayTotalsOf,
  dayTotalsRef,
  foldRolled,
  isWrittenBucket,
  parseBucketId,
  rolledContribution,
  rolledRef,
  sumContributions,
  trafficContribution,
  withDayTotalsItems,
  type Contribution,
  type DayRange,
} from '../../functions/domain/aggregates';
import { WriteConflictError } from '../../functions/domain/errors';
import type { StoredBucket } from '../../functions/domain/link-report';
import type {
  AggregateRepository,
  AppliedContribution,
  TrafficCount,
  UnrolledBucket,
} from '../../functions/ports/aggregate-repository';
import type { CatalogRepository } from '../../functions/ports/catalog-repository';
import type { ConversionRepository } from '../../functions/ports/conversion-repository';
import type { TrafficRepository } from '../../functions/ports/traffic-repository';
import { totalsFromQuarterHours } from '../support/slot-sums';
import { at, commissionEvent, conversion, freshAccount } from './records';

/** The aggregates with the stores they read: the ledger (readOrder) and the traffic (countTraffic marks). */
export interface AggregateWorld {
  readonly aggregates: AggregateRepository;
  readonly ledger: ConversionRepository;
  readonly traffic: TrafficRepository;
  readonly catalog: CatalogRepository;
}

const day = (iso: string) => iso.slice(0, 10);
const sales = (
  when: string,
  linkId: string | null,
  amount: number,
  figure: 'purchases' | 'grossCommissionCents' = 'purchases',
): Contribution => {
  const contribution: Contribution = {};
  countFigure(
    contribution,
    { kind: 'sales', day: day(when), linkId, productId: null },
    figure,
    0,
    false,
    amount,
  );
  return contribution;
};
const merge = (...parts: Contribution[]): Contribution => {
  const total: Contribution = {};
  for (const part of parts)
    for (const [id, attributes] of Object.entries(part))
      for (const [name, amount] of Object.entries(attributes))
        (total[id] ??= {})[name] = (total[id]![name] ?? 0) + amount;
  return total;
};
/** The buckets as a map from bucket id to attributes, whatever order a store lists them in. */
const asMap = (buckets: readonly StoredBucket[]) =>
  Object.fromEntries(
    buckets
      .map((b) => [bucketId(b.ref), { ...b.attributes }])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
const sortedContribution = (contribution: Contribution) =>
  Object.fromEntries(Object.entries(contribution).sort(([a], [b]) => a.localeCompare(b)));

export function describeAggregateRepositoryContract(
  name: string,
  makeWorld: () => AggregateWorld | Promise<AggregateWorld>,
): void {
  describe(`AggregateRepository contract: ${name}`, () => {
    let world: AggregateWorld;
    let aggregates: AggregateRepository;
    let account: string;
    beforeEach(async () => {
      world = await makeWorld();
      aggregates = world.aggregates;
      account = freshAccount('agg');
    });
    const buckets = async (from: string | null = null, to: string | null = null, whole?: DayRange[]) =>
      asMap(await aggregates.listBuckets(account, from, to, whole));

    test('an order reads as its conversions, its events and the contribution it last applied', async () => {
      expect(await aggregates.readOrder(account, 'o-1')).toEqual({
        conversions: [],
        events: [],
        applied: null,
      });
      const record = conversion(account, 'o-1');
      await world.ledger.putConversion(record, null);
      const event = commissionEvent(account, 'o-1', 'fp-1');
      await world.ledger.putCommissionEvent(event);
      await world.ledger.putConversion(conversion(account, 'o-2'), null);
      const next = sales(at(0), 'l-1', 1);
      await aggregates.applyOrderContribution(account, 'o-1', next, next, null);
      expect(await aggregates.readOrder(account, 'o-1')).toEqual({
        conversions: [record],
        events: [event],
        applied: { contribution: next, version: 1 },
      });
    });

    test('each applied contribution moves the buckets by its delta and bumps the snapshot version', async () => {
      const first = sales(at(0), 'l-1', 1);
      await aggregates.applyOrderContribution(account, 'o-1', first, first, null);
      const read = (await aggregates.readOrder(account, 'o-1')).applied;
      expect(read).toEqual({ contribution: first, version: 1 });
      const second = merge(first, sales(at(0), 'l-1', 1500, 'grossCommissionCents'));
      await aggregates.applyOrderContribution(
        account,
        'o-1',
        sales(at(0), 'l-1', 1500, 'grossCommissionCents'),
        second,
        read,
      );
      expect((await aggregates.readOrder(account, 'o-1')).applied).toEqual({
        contribution: second,
        version: 2,
      });
      expect(await buckets()).toEqual(sortedContribution(second));
    });

    const staleReads: Array<[string, (current: AppliedContribution) => AppliedContribution | null]> = [
      ['nothing applied yet (a snapshot exists)', () => null],
      ['an older version', (current) => ({ ...current, version: current.version - 1 })],
      ['a newer version than stored', (current) => ({ ...current, version: current.version + 1 })],
    ];
    test.each(staleReads)(
      'an apply that read %s conflicts, and neither buckets nor snapshot move',
      async (_case, readOf) => {
        const first = sales(at(0), 'l-1', 1);
        await aggregates.applyOrderContribution(account, 'o-1', first, first, null);
        const v1 = (await aggregates.readOrder(account, 'o-1')).applied!;
        await aggregates.applyOrderContribution(account, 'o-1', first, merge(first, first), v1);
        const current = (await aggregates.readOrder(account, 'o-1')).applied!;
        const before = await buckets();
        await expect(
          aggregates.applyOrderContribution(
            account,
            'o-1',
            first,
            merge(first, first, first),
            readOf(current),
          ),
        ).rejects.toBeInstanceOf(WriteConflictError);
        expect((await aggregates.readOrder(account, 'o-1')).applied).toEqual(current);
        expect(await buckets()).toEqual(before);
      },
    );

    test('of concurrent applies that read the same snapshot, at most one lands; the others conflict and move nothing', async () => {
      const first = sales(at(0), 'l-1', 1);
      await aggregates.applyOrderContribution(account, 'o-1', first, first, null);
      const read = (await aggregates.readOrder(account, 'o-1')).applied!;
      const deltas = [1, 2, 3].map((amount) => sales(at(0), 'l-2', amount));
      const results = await Promise.allSettled(
        deltas.map((delta) =>
          aggregates.applyOrderContribution(account, 'o-1', delta, merge(first, delta), read),
        ),
      );
      const landed = deltas.filter((_, index) => results[index]!.status === 'fulfilled');
      expect(landed.length).toBeLessThanOrEqual(1);
      for (const result of results)
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(WriteConflictError);
      expect((await aggregates.readOrder(account, 'o-1')).applied).toEqual(
        landed.length === 1 ? { contribution: merge(first, landed[0]!), version: 2 } : read,
      );
      expect(await buckets()).toEqual(sortedContribution(merge(first, ...landed)));
    });

    test('an apply that read a snapshot of an order that has none conflicts', async () => {
      const delta = sales(at(0), 'l-1', 1);
      await expect(
        aggregates.applyOrderContribution(account, 'o-1', delta, delta, { contribution: {}, version: 1 }),
      ).rejects.toBeInstanceOf(WriteConflictError);
      expect((await aggregates.readOrder(account, 'o-1')).applied).toBeNull();
      expect(await buckets()).toEqual({});
    });

    describe('countTraffic', () => {
      // Clicks and hits are keyed by their own id, table-wide: each test's ids carry its account.
      const key = (id: string) => `${id}@${account}`;
      const click = (id: string, when: string) => ({
        clickId: key(id),
        accountId: account,
        linkId: 'l-1',
        campaign: null,
        at: when,
        sourceIp: null,
        userAgent: null,
      });
      const countOf = (
        id: string,
        when: string,
        figure: 'clicks' | 'pageviews' = 'clicks',
      ): TrafficCount => ({
        traffic: { key: figure === 'clicks' ? 'click' : 'pixel_hit', id: key(id) },
        delta: trafficContribution(figure, when, 'l-1', 0),
      });

      test('counts each click once: a second count reports it already counted and moves nothing', async () => {
        await world.traffic.putClick(click('ck-1', at(0)));
        await world.traffic.putClick(click('ck-2', at(20)));
        expect(
          await aggregates.countTraffic(account, [countOf('ck-1', at(0)), countOf('ck-2', at(20))]),
        ).toEqual({ alreadyCounted: [] });
        const counted = await buckets();
        expect(counted).toEqual(
          sortedContribution(merge(countOf('ck-1', at(0)).delta, countOf('ck-2', at(20)).delta)),
        );
        expect(await aggregates.countTraffic(account, [countOf('ck-1', at(0))])).toEqual({
          alreadyCounted: [key('ck-1')],
        });
        expect(await buckets()).toEqual(counted);
      });

      test('a batch mixing counted and new clicks counts only the new ones', async () => {
        for (const [id, minute] of [
          ['ck-1', 0],
          ['ck-2', 15],
          ['ck-3', 30],
        ] as const)
          await world.traffic.putClick(click(id, at(minute)));
        await aggregates.countTraffic(account, [countOf('ck-2', at(15))]);
        const result = await aggregates.countTraffic(account, [
          countOf('ck-1', at(0)),
          countOf('ck-2', at(15)),
          countOf('ck-3', at(30)),
        ]);
        expect(result.alreadyCounted).toEqual([key('ck-2')]);
        expect(await buckets()).toEqual(
          sortedContribution(
            merge(countOf('ck-1', at(0)).delta, countOf('ck-2', at(15)).delta, countOf('ck-3', at(30)).delta),
          ),
        );
      });

      test('concurrent counts of the same clicks count each once', async () => {
        const ids = ['ck-1', 'ck-2', 'ck-3'];
        for (const [index, id] of ids.entries()) await world.traffic.putClick(click(id, at(index)));
        const counts = ids.map((id, index) => countOf(id, at(index)));
        const results = await Promise.all(
          [counts, [...counts].reverse(), counts.slice(1)].map((batch) =>
            aggregates.countTraffic(account, batch),
          ),
        );
        const reported = results.flatMap((result) => result.alreadyCounted).sort();
        // Three batches hold ck-1 twice and ck-2, ck-3 three times: each counted by exactly one of them.
        expect(reported).toEqual([key('ck-1'), key('ck-2'), key('ck-2'), key('ck-3'), key('ck-3')].sort());
        expect(await buckets()).toEqual(sortedContribution(merge(...counts.map((count) => count.delta))));
      });

      test('a click or hit whose item does not exist is not counted', async () => {
        await world.traffic.putClick(click('ck-1', at(0)));
        const result = await aggregates.countTraffic(account, [
          countOf('ck-missing', at(0)),
          countOf('ck-1', at(0)),
          countOf('hit-missing', at(0), 'pageviews'),
        ]);
        expect([...result.alreadyCounted].sort()).toEqual([key('ck-missing'), key('hit-missing')].sort());
        expect(await buckets()).toEqual(sortedContribution(countOf('ck-1', at(0)).delta));
      });

      test('a pixel hit is counted once', async () => {
        const pixel = {
          pixelId: `px-${account}`,
          accountId: account,
          merchantId: 'm-1',
          event: 'pageview' as const,
          createdAt: at(0),
          hits: 0,
          lastHitAt: null,
        };
        await world.catalog.createPixel(pixel);
        await world.traffic.recordPixelHit({
          hitId: key('hit'),
          accountId: account,
          pixelId: pixel.pixelId,
          merchantId: 'm-1',
          event: 'pageview',
          clickId: null,
          orderId: null,
          at: at(0),
        });
        const hit = countOf('hit', at(0), 'pageviews');
        expect(await aggregates.countTraffic(account, [hit])).toEqual({ alreadyCounted: [] });
        expect(await aggregates.countTraffic(account, [hit])).toEqual({ alreadyCounted: [hit.traffic.id] });
        expect(await buckets()).toEqual(sortedContribution(hit.delta));
      });
    });

    describe('buckets', () => {
      const days = [
        '2026-11-19T10:00:00.000Z',
        '2026-11-20T00:00:00.000Z',
        '2026-11-20T23:59:59.999Z',
        '2026-11-21T08:00:00.000Z',
        '2026-11-23T12:00:00.000Z',
      ];
      let all: Contribution;
      let other: string;
      beforeEach(async () => {
        all = merge(
          ...days.map((when, index) =>
            merge(
              sales(when, index % 2 ? 'l-1' : null, 1),
              trafficContribution('clicks', when, 'l-1', index % 3),
            ),
          ),
        );
        await aggregates.addToBuckets(account, all);
        other = freshAccount();
        await aggregates.addToBuckets(other, all);
      });
      test.each([
        [null, null],
        ['2026-11-20', '2026-11-20'],
        ['2026-11-20', '2026-11-21'],
        [null, '2026-11-20'],
        ['2026-11-21', null],
        ['2026-11-22', '2026-11-22'],
      ] as Array<[string | null, string | null]>)(
        'listBuckets from %s to %s: the buckets whose day is in the range, both ends included',
        async (from, to) => {
          const expected = Object.fromEntries(
            Object.entries(all).filter(([id]) => {
              const bucketDay = id.startsWith('T|') ? id.split('|')[2]! : id.split('|')[1]!;
              return (from === null || bucketDay >= from) && (to === null || bucketDay <= to);
            }),
          );
          expect(await buckets(from, to)).toEqual(sortedContribution(expected));
        },
      );

      const onlyTotals = (attributes: Record<string, number>) =>
        Object.fromEntries(
          Object.entries(attributes).filter(([name]) => DAY_TOTAL_ATTRIBUTES.includes(name)),
        );
      const dayOf = (id: string) => (id.startsWith('T|') ? id.split('|')[2]! : id.split('|')[1]!);

      test.each([
        ['2026-11-19', '2026-11-23', [{ from: '2026-11-20', to: '2026-11-21' }]],
        [
          '2026-11-19',
          '2026-11-23',
          [
            { from: '2026-11-19', to: '2026-11-19' },
            { from: '2026-11-23', to: '2026-11-23' },
          ],
        ],
        [null, null, [{ from: null, to: null }]],
        [null, '2026-11-21', [{ from: '2026-11-20', to: null }]],
      ] as Array<[string | null, string | null, DayRange[]]>)(
        'listBuckets from %s to %s, whole days %j: their buckets with the day totals alone, the others whole',
        async (from, to, whole) => {
          const inWhole = (day: string) =>
            whole.some((r) => (r.from === null || day >= r.from) && (r.to === null || day <= r.to));
          const expected = Object.fromEntries(
            Object.entries(all)
              .filter(([id]) => (from === null || dayOf(id) >= from) && (to === null || dayOf(id) <= to))
              .map(([id, attributes]) => [id, inWhole(dayOf(id)) ? onlyTotals(attributes) : attributes]),
          );
          expect(await buckets(from, to, whole)).toEqual(sortedContribution(expected));
          expect(Object.values(expected).some((a) => Object.keys(a).every((n) => n.endsWith('D')))).toBe(
            whole.length > 0,
          );
        },
      );

      test('a bucket holding no day total (written before they existed) comes whole, even on a whole day', async () => {
        const old = bucketId({
          kind: 'traffic',
          figure: 'clicks',
          day: '2026-11-20',
          linkId: 'l-old',
          shard: 5,
        });
        await aggregates.addToBuckets(account, { [old]: { c3: 4, c90: 1 } });
        const read = await buckets('2026-11-20', '2026-11-20', [{ from: '2026-11-20', to: '2026-11-20' }]);
        expect(read[old]).toEqual({ c3: 4, c90: 1 });
        const other = Object.keys(read).find((id) => id !== old)!;
        expect(read[other]).toEqual(onlyTotals(all[other]!));
      });

      test('addToBuckets adds to what the buckets hold; negative corrections take away', async () => {
        const first = Object.keys(all)[0]!;
        const attribute = Object.keys(all[first]!)[0]!;
        await aggregates.addToBuckets(account, { [first]: { [attribute]: -1 } });
        await aggregates.addToBuckets(account, { [first]: { [attribute]: 5 } });
        expect((await buckets())[first]).toEqual({ ...all[first], [attribute]: all[first]![attribute]! + 4 });
      });

      describe('rolling finished days', () => {
        const ofDays = (contribution: Contribution, keep: (day: string) => boolean) =>
          Object.fromEntries(Object.entries(contribution).filter(([id]) => keep(parseBucketId(id).day)));
        /** The written buckets (traffic shards and sales) of the days from `from` to the day before `before`. */
        const writtenIn = (from: string | null, before: string) =>
          Object.fromEntries(
            Object.entries(all).filter(([id]) => {
              const ref = parseBucketId(id);
              return isWrittenBucket(ref) && (from === null || ref.day >= from) && ref.day < before;
            }),
          );
        const unrolled = async (from: string | null, before: string, accountId = account) =>
          aggregates.listUnrolled(accountId, from, before);
        const sourcesOf = (listed: readonly UnrolledBucket[]) =>
          listed.map(({ bucket, version }) => ({ id: bucketId(bucket.ref), version }));
        const rollListed = (listed: readonly UnrolledBucket[]) =>
          aggregates.rollUpBuckets(
            account,
            sourcesOf(listed),
            rolledContribution(listed.map((entry) => entry.bucket)),
          );
        /** Rolled buckets' day-totals items: each one's day totals alone, under its day-totals id. */
        const dayTotalsItems = (rolled: Contribution): Contribution =>
          Object.fromEntries(
            Object.entries(dayTotalsOf(rolled)).map(([id, totals]) => [
              bucketId(dayTotalsRef(parseBucketId(id))),
              totals,
            ]),
          );
        const untouched = (before: string) =>
          Object.fromEntries(Object.entries(all).filter(([id]) => !(id in writtenIn(null, before))));
        /** What a read of quarter-hours finds once the days before `before` are rolled: no day-totals item. */
        const rolledBefore = (before: string) =>
          sortedContribution({ ...untouched(before), ...foldRolled(writtenIn(null, before)) });
        /** What a read of every day whole finds then: written buckets' totals and day-totals items alone. */
        const totalsBefore = (before: string) =>
          sortedContribution({
            ...Object.fromEntries(
              Object.entries(untouched(before)).map(([id, attributes]) => [id, onlyTotals(attributes)]),
            ),
            ...dayTotalsItems(foldRolled(writtenIn(null, before))),
          });
        const allWhole = [{ from: null, to: null }];

        test('listUnrolled with a limit: at most that many of each partition (a traffic shard, the sales), the oldest', async () => {
          const everything = writtenIn(null, '2026-12-01');
          const partitionOf = (id: string) => {
            const ref = parseBucketId(id);
            return ref.kind === 'traffic' ? `T${ref.shard}` : 'S';
          };
          const byPartition = new Map<string, string[]>();
          for (const id of Object.keys(everything))
            (
              byPartition.get(partitionOf(id)) ?? byPartition.set(partitionOf(id), []).get(partitionOf(id))!
            ).push(id);
          expect([...byPartition.values()].some((ids) => ids.length > 1)).toBe(true);
          const sortKey = (id: string) => `${parseBucketId(id).day}#${id}`;
          const oldest = [...byPartition.values()].flatMap((ids) =>
            ids.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)).slice(0, 1),
          );
          const listed = await aggregates.listUnrolled(account, null, '2026-12-01', 1);
          expect(listed.map(({ bucket }) => bucketId(bucket.ref)).sort()).toEqual(oldest.sort());
          expect((await aggregates.listUnrolled(account, null, '2026-12-01', 1000)).length).toBe(
            Object.keys(everything).length,
          );
        });

        test.each([
          [null, '2026-11-21'],
          [null, '2026-11-24'],
          ['2026-11-20', '2026-11-23'],
          ['2026-11-20', '2026-11-21'],
          ['2026-11-21', '2026-11-21'],
          ['2026-11-24', '2026-12-01'],
        ] as Array<[string | null, string]>)(
          'listUnrolled from %s before %s: the written buckets of those days, traffic shards and sales, whole, each with a version',
          async (from, before) => {
            const listed = await unrolled(from, before);
            const expected = writtenIn(from, before);
            expect(asMap(listed.map((entry) => entry.bucket))).toEqual(sortedContribution(expected));
            expect(new Set(listed.map((entry) => entry.bucket.ref.kind))).toEqual(
              new Set(Object.keys(expected).length > 0 ? ['traffic', 'sales'] : []),
            );
            for (const { version } of listed) expect(typeof version).toBe('number');
          },
        );

        test('a write to a written bucket, traffic (counted) or sales (an order applied), changes its version, and only its own', async () => {
          const listed = await unrolled(null, '2026-11-24');
          const traffic = listed.find((entry) => entry.bucket.ref.kind === 'traffic')!;
          const sale = sales('2026-11-20T00:00:00.000Z', 'l-1', 1);
          const saleId = Object.keys(sale)[0]!;
          expect(listed.map((entry) => bucketId(entry.bucket.ref))).toContain(saleId);
          await aggregates.addToBuckets(account, { [bucketId(traffic.bucket.ref)]: { c50: 1, cD: 1 } });
          await aggregates.applyOrderContribution(account, 'o-1', sale, sale, null);

          const again = await unrolled(null, '2026-11-24');
          const versionOf = (id: string) => again.find((entry) => bucketId(entry.bucket.ref) === id)!.version;
          for (const changed of [bucketId(traffic.bucket.ref), saleId]) {
            const read = listed.find((entry) => bucketId(entry.bucket.ref) === changed)!;
            expect(versionOf(changed)).not.toBeNull();
            expect([changed, versionOf(changed)]).not.toEqual([changed, read.version]);
          }
          for (const entry of listed)
            if (![bucketId(traffic.bucket.ref), saleId].includes(bucketId(entry.bucket.ref)))
              expect(versionOf(bucketId(entry.bucket.ref))).toBe(entry.version);
        });

        test('rollUpBuckets moves the sources into rolled and rolledSales buckets, each with its day-totals item; the other account and later days are untouched', async () => {
          const listed = await unrolled(null, '2026-11-23');
          // 19 to 21 November: 4 traffic shard buckets and 4 sales buckets.
          expect(listed.length).toBe(8);
          await rollListed(listed);

          expect(await buckets()).toEqual(rolledBefore('2026-11-23'));
          expect(await buckets(null, null, allWhole)).toEqual(totalsBefore('2026-11-23'));
          const rolledDay = bucketId({ kind: 'rolled', day: '2026-11-20', linkId: 'l-1' });
          const rolledSale = bucketId({
            kind: 'rolledSales',
            day: '2026-11-20',
            linkId: 'l-1',
            productId: null,
          });
          // Two shard buckets of 20 November, one click each: one rolled bucket holding both. Its two sales
          // buckets (l-1, no link) each roll into their own rolledSales bucket.
          const read = await buckets('2026-11-20', '2026-11-20');
          expect(read[rolledDay]).toEqual({ c0: 1, c95: 1, cD: 2 });
          expect(read[rolledSale]).toEqual({ p0: 1, pD: 1 });
          expect(
            Object.keys(read)
              .map((id) => parseBucketId(id).kind)
              .sort(),
          ).toEqual(['rolled', 'rolledSales', 'rolledSales']);
          expect(read).toEqual(
            sortedContribution(ofDays(rolledBefore('2026-11-23'), (d) => d === '2026-11-20')),
          );

          // Only 23 November is left unrolled; the other account is untouched.
          expect(asMap((await unrolled(null, '2026-12-01')).map((entry) => entry.bucket))).toEqual(
            sortedContribution(writtenIn('2026-11-23', '2026-12-01')),
          );
          expect(asMap(await aggregates.listBuckets(other, null, null))).toEqual(sortedContribution(all));
          expect(asMap(await aggregates.listBuckets(other, null, null, allWhole))).toEqual(
            sortedContribution(
              Object.fromEntries(Object.entries(all).map(([id, attributes]) => [id, onlyTotals(attributes)])),
            ),
          );
        });

        test('a read of whole days finds the day-totals items, never the rolled buckets; a read of the other days the rolled buckets whole, never the day-totals items', async () => {
          await rollListed(await unrolled(null, '2026-11-24'));
          const rolled = foldRolled(writtenIn(null, '2026-11-24'));
          // A late click of the 20th, after the roll-up: in a shard bucket again, beside the day-totals items.
          const late = trafficContribution('clicks', '2026-11-20T12:00:00.000Z', 'l-1', 7);
          await aggregates.addToBuckets(account, late);

          const read = await aggregates.listBuckets(account, '2026-11-19', '2026-11-23', [
            { from: '2026-11-20', to: '2026-11-21' },
          ]);
          const kindsOn = (day: string) =>
            [...new Set(read.filter((b) => b.ref.day === day).map((b) => b.ref.kind))].sort();
          expect(kindsOn('2026-11-19')).toEqual(['rolled', 'rolledSales']);
          expect(kindsOn('2026-11-20')).toEqual(['dayTotals', 'traffic']);
          expect(kindsOn('2026-11-21')).toEqual(['dayTotals']);
          expect(kindsOn('2026-11-23')).toEqual(['rolled', 'rolledSales']);
          const partial = (d: string) => d === '2026-11-19' || d === '2026-11-23';
          expect(asMap(read)).toEqual(
            sortedContribution({
              ...ofDays(rolled, partial),
              ...ofDays(dayTotalsItems(rolled), (d) => !partial(d)),
              ...dayTotalsOf(late),
            }),
          );
          // Each day-totals item names the bucket it is the totals of.
          for (const bucket of read.filter((b) => b.ref.kind === 'dayTotals'))
            expect(rolled).toHaveProperty([bucketId(rolledRef(bucket.ref))]);
        });

        test('after a roll-up each day-totals item holds exactly its rolled bucket’s day totals, sources written before day totals included', async () => {
          // Two sources of quarter-hours alone (written before day totals): their totals are derived.
          const legacyTraffic = bucketId({
            kind: 'traffic',
            figure: 'clicks',
            day: '2026-11-20',
            linkId: 'l-1',
            shard: 5,
          });
          const legacySale = bucketId({ kind: 'sales', day: '2026-11-21', linkId: 'l-old', productId: null });
          await aggregates.addToBuckets(account, {
            [legacyTraffic]: { c3: 4, c90: 1 },
            [legacySale]: { p7: 2, sp7: 2, n7: 900, sn7: 900 },
          });
          await rollListed(await unrolled(null, '2026-11-24'));

          const rolled = await buckets();
          const totals = await buckets(null, null, allWhole);
          expect(rolled[bucketId({ kind: 'rolled', day: '2026-11-20', linkId: 'l-1' })]).toEqual({
            c0: 1,
            c3: 4,
            c90: 1,
            c95: 1,
            cD: 7,
          });
          expect(
            totals[
              bucketId({
                kind: 'dayTotals',
                of: 'rolledSales',
                day: '2026-11-21',
                linkId: 'l-old',
                productId: null,
              })
            ],
          ).toEqual({ pD: 2, spD: 2, nD: 900, snD: 900 });
          const rolledIds = Object.keys(rolled).filter((id) => !isWrittenBucket(parseBucketId(id)));
          // 19 to 23 November: 4 rolled (l-1's traffic), 6 rolledSales (with the legacy one of l-old).
          expect(rolledIds.length).toBe(10);
          expect(Object.keys(totals).filter((id) => parseBucketId(id).kind === 'dayTotals').length).toBe(10);
          for (const id of rolledIds) {
            const attributes = rolled[id] as Record<string, number>;
            const totalsId = bucketId(dayTotalsRef(parseBucketId(id)));
            expect([totalsId, totals[totalsId]]).toEqual([totalsId, onlyTotals(attributes)]);
            // And the bucket's totals are its quarter-hours added up, figure by figure.
            expect([id, totalsFromQuarterHours(attributes)]).toEqual([id, onlyTotals(attributes)]);
          }
        });

        test('rolled buckets and day-totals items are never listed by listUnrolled; a late click or refund by sale date of a rolled day lands in a written bucket, which is listed, read, and rolled the next time', async () => {
          await rollListed(await unrolled(null, '2026-11-24'));
          const rolledDay = bucketId({ kind: 'rolled', day: '2026-11-20', linkId: 'l-1' });
          const rolledDayTotals = bucketId(dayTotalsRef(parseBucketId(rolledDay)));
          // A reconciliation's correction moves a rolled bucket and its day-totals item: neither is listed.
          await aggregates.addToBuckets(account, withDayTotalsItems({ [rolledDay]: { c3: 1, cD: 1 } }));
          expect(await unrolled(null, '9999-12-31')).toEqual([]);
          expect(await unrolled('2026-11-20', '2026-11-21')).toEqual([]);
          expect((await buckets())[rolledDay]).toEqual({ c0: 1, c3: 1, c95: 1, cD: 3 });
          expect((await buckets(null, null, allWhole))[rolledDayTotals]).toEqual({ cD: 3 });

          // After its day was rolled, a late click lands in a shard bucket, a refund by sale date in a sales one.
          const late = trafficContribution('clicks', '2026-11-20T12:00:00.000Z', 'l-1', 7);
          const saleRef = { kind: 'sales', day: '2026-11-20', linkId: 'l-1', productId: null } as const;
          const refund: Contribution = {};
          countFigure(refund, saleRef, 'refunds', 0, true, 1);
          countFigure(refund, saleRef, 'netCommissionCents', 0, true, -700);
          await aggregates.addToBuckets(account, merge(late, refund));
          const listed = await unrolled(null, '9999-12-31');
          expect(asMap(listed.map((entry) => entry.bucket))).toEqual(sortedContribution(merge(late, refund)));
          expect(listed.every((entry) => typeof entry.version === 'number')).toBe(true);
          const rolledSale = bucketId(rolledRef(saleRef));
          const rolledSaleTotals = bucketId(dayTotalsRef(saleRef));
          // Read beside what was rolled: both whole on a partial day, both as totals on a whole day.
          const partial = await buckets('2026-11-20', '2026-11-20');
          expect(partial[bucketId(saleRef)]).toEqual({ sr0: 1, srD: 1, sn0: -700, snD: -700 });
          expect(partial[rolledSale]).toEqual({ p0: 1, pD: 1 });
          const whole = await buckets('2026-11-20', '2026-11-20', [{ from: '2026-11-20', to: '2026-11-20' }]);
          expect(whole[bucketId(saleRef)]).toEqual({ srD: 1, snD: -700 });
          expect(whole[rolledSaleTotals]).toEqual({ pD: 1 });

          await rollListed(listed);
          expect(await unrolled(null, '9999-12-31')).toEqual([]);
          const after = await buckets();
          expect(after[rolledSale]).toEqual({ p0: 1, pD: 1, sr0: 1, srD: 1, sn0: -700, snD: -700 });
          expect(after[rolledDay]).toEqual({ c0: 1, c3: 1, c48: 1, c95: 1, cD: 4 });
          const afterTotals = await buckets(null, null, allWhole);
          expect(afterTotals[rolledSaleTotals]).toEqual({ pD: 1, srD: 1, snD: -700 });
          expect(afterTotals[rolledDayTotals]).toEqual({ cD: 4 });
          expect(afterTotals[bucketId(saleRef)]).toBeUndefined();
        });

        test('concurrent roll-ups of different sources into the same rolled bucket each land or conflict; none overwrites another, every figure counted once', async () => {
          await rollListed(await unrolled(null, '2026-11-24'));
          // Late clicks of the rolled 20th in three shard buckets, each rolled by its own roll-up at once.
          const lates = [3, 4, 6].map((shard, index) =>
            trafficContribution('clicks', `2026-11-20T1${index}:00:00.000Z`, 'l-1', shard),
          );
          await aggregates.addToBuckets(account, merge(...lates));
          const listed = await unrolled(null, '2026-11-24');
          expect(listed.length).toBe(3);
          const results = await Promise.allSettled(listed.map((entry) => rollListed([entry])));
          for (const result of results)
            if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(WriteConflictError);
          const left = await unrolled(null, '2026-11-24');
          expect(left.length).toBe(results.filter((result) => result.status === 'rejected').length);
          for (const entry of left) await rollListed([entry]);

          const rolledDay = bucketId({ kind: 'rolled', day: '2026-11-20', linkId: 'l-1' });
          expect((await buckets())[rolledDay]).toEqual({ c0: 1, c40: 1, c44: 1, c48: 1, c95: 1, cD: 5 });
          expect(
            (await buckets(null, null, allWhole))[bucketId(dayTotalsRef(parseBucketId(rolledDay)))],
          ).toEqual({
            cD: 5,
          });
        });

        const trafficOf = (listed: UnrolledBucket[]) => listed.find((e) => e.bucket.ref.kind === 'traffic')!;
        const stale: Array<
          [string, (listed: UnrolledBucket[]) => Promise<Array<{ id: string; version: number | null }>>]
        > = [
          [
            'a click landed in a traffic source since it was read',
            async (listed) => {
              await aggregates.addToBuckets(account, {
                [bucketId(trafficOf(listed).bucket.ref)]: { c50: 1, cD: 1 },
              });
              return sourcesOf(listed);
            },
          ],
          [
            'a sale landed in a sales source since it was read (an order applied)',
            async (listed) => {
              const sale = sales('2026-11-20T00:00:00.000Z', 'l-1', 1);
              expect(listed.map((entry) => bucketId(entry.bucket.ref))).toContain(Object.keys(sale)[0]);
              await aggregates.applyOrderContribution(account, 'o-late', sale, sale, null);
              return sourcesOf(listed);
            },
          ],
          [
            'a version newer than stored',
            async (listed) =>
              sourcesOf(listed).map((source, index) =>
                index === 1 ? { ...source, version: source.version! + 1 } : source,
              ),
          ],
          [
            'no version (null) for a source that has one',
            async (listed) =>
              sourcesOf(listed).map((source, index) => (index === 1 ? { ...source, version: null } : source)),
          ],
          [
            'a source that does not exist (no version)',
            async (listed) => [
              ...sourcesOf(listed),
              {
                id: bucketId({
                  kind: 'traffic',
                  figure: 'clicks',
                  day: '2026-11-20',
                  linkId: 'l-9',
                  shard: 4,
                }),
                version: null,
              },
            ],
          ],
          [
            'a source that does not exist (a version)',
            async (listed) => [
              ...sourcesOf(listed),
              {
                id: bucketId({
                  kind: 'traffic',
                  figure: 'pageviews',
                  day: '2026-11-20',
                  linkId: 'l-1',
                  shard: 4,
                }),
                version: 1,
              },
            ],
          ],
          [
            'a sales source that does not exist (a version)',
            async (listed) => [
              ...sourcesOf(listed),
              {
                id: bucketId({ kind: 'sales', day: '2026-11-20', linkId: 'l-9', productId: 'p-9' }),
                version: 1,
              },
            ],
          ],
        ];
        test.each(stale)('a roll-up that read %s conflicts, and nothing moves', async (_case, sourcesFor) => {
          const listed = await unrolled(null, '2026-11-23');
          const sources = await sourcesFor(listed);
          const before = await buckets();
          const wholeBefore = await buckets(null, null, allWhole);
          const versions = await unrolled(null, '2026-12-01');
          await expect(
            aggregates.rollUpBuckets(
              account,
              sources,
              rolledContribution(listed.map((entry) => entry.bucket)),
            ),
          ).rejects.toBeInstanceOf(WriteConflictError);
          expect(await buckets()).toEqual(before);
          // No rolled bucket, and no day-totals item either.
          expect(await buckets(null, null, allWhole)).toEqual(wholeBefore);
          expect(Object.keys(wholeBefore).every((id) => isWrittenBucket(parseBucketId(id)))).toBe(true);
          expect(await unrolled(null, '2026-12-01')).toEqual(expect.arrayContaining(versions));
          expect((await unrolled(null, '2026-12-01')).length).toBe(versions.length);
        });

        test('a source already rolled by another roll-up conflicts, and nothing moves: no figure counted twice', async () => {
          const listed = await unrolled(null, '2026-11-23');
          const ofDay = (day: string) => listed.filter((entry) => entry.bucket.ref.day === day);
          await rollListed(ofDay('2026-11-19'));
          const once = await buckets();
          const onceWhole = await buckets(null, null, allWhole);
          // The same sources again, and again with 20 November's beside them: the one gone fails it whole.
          await expect(rollListed(ofDay('2026-11-19'))).rejects.toBeInstanceOf(WriteConflictError);
          await expect(rollListed([...ofDay('2026-11-19'), ...ofDay('2026-11-20')])).rejects.toBeInstanceOf(
            WriteConflictError,
          );
          expect(await buckets()).toEqual(once);
          expect(await buckets(null, null, allWhole)).toEqual(onceWhole);
          expect(asMap((await unrolled(null, '2026-11-23')).map((entry) => entry.bucket))).toEqual(
            sortedContribution(writtenIn('2026-11-20', '2026-11-23')),
          );
        });

        test('a source rolled, deleted and written again is a new item: a roll-up from the older listing conflicts and moves nothing', async () => {
          // Each source written once before the listing and once after the first roll-up deleted it: the
          // same number of writes, so a version that restarted with the item would match the old listing.
          const mine = freshAccount('aba');
          const written = {
            ...trafficContribution('clicks', '2026-11-19T10:05:00.000Z', 'l-1', 2),
            ...sales('2026-11-19T11:00:00.000Z', 'l-1', 1),
          };
          await aggregates.addToBuckets(mine, written);
          const listed = await unrolled(null, '2026-11-20', mine);
          const roll = () =>
            aggregates.rollUpBuckets(
              mine,
              sourcesOf(listed),
              rolledContribution(listed.map((entry) => entry.bucket)),
            );
          await roll();
          await aggregates.addToBuckets(mine, written);
          await expect(roll()).rejects.toBeInstanceOf(WriteConflictError);
          // Every figure twice (rolled once, written again once), never three times or once.
          const read = await aggregates.listBuckets(mine, null, null);
          expect(
            sortedContribution(
              foldRolled(Object.fromEntries(read.map((bucket) => [bucketId(bucket.ref), bucket.attributes]))),
            ),
          ).toEqual(sortedContribution(foldRolled(sumContributions([written, written]))));
        });

        test('of concurrent roll-ups of the same sources at most one lands; the others conflict; nothing doubles', async () => {
          const listed = await unrolled(null, '2026-11-23');
          const results = await Promise.allSettled([1, 2, 3].map(() => rollListed(listed)));
          for (const result of results)
            if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(WriteConflictError);
          const landed = results.filter((result) => result.status === 'fulfilled').length;
          expect(landed).toBeLessThanOrEqual(1);
          expect(await buckets()).toEqual(
            landed === 1 ? rolledBefore('2026-11-23') : sortedContribution(all),
          );
          if (landed === 0) await rollListed(await unrolled(null, '2026-11-23'));
          expect(await buckets()).toEqual(rolledBefore('2026-11-23'));
          expect(await buckets(null, null, allWhole)).toEqual(totalsBefore('2026-11-23'));
        });
      });

      test('a delta naming a bucket with nothing to add leaves no bucket behind', async () => {
        const account2 = freshAccount();
        await aggregates.addToBuckets(account2, {
          [bucketId({ kind: 'sales', day: '2026-11-20', linkId: null, productId: null })]: {},
        });
        expect(await aggregates.listBuckets(account2, null, null)).toEqual([]);
      });
    });

    test('the orders waiting for a click are found by its id, each once', async () => {
      const clickA = `ck-a-${account}`;
      const clickB = `ck-b-${account}`;
      await aggregates.awaitClick(clickA, account, 'o-1');
      await aggregates.awaitClick(clickA, account, 'o-2');
      await aggregates.awaitClick(clickA, account, 'o-1');
      await aggregates.awaitClick(clickB, account, 'o-3');
      const waiters = await aggregates.findClickWaiters([clickA, clickB, `ck-none-${account}`]);
      expect([...waiters.keys()].sort()).toEqual([clickA, clickB].sort());
      expect([...waiters.get(clickA)!].sort((a, b) => a.orderId.localeCompare(b.orderId))).toEqual([
        { accountId: account, orderId: 'o-1' },
        { accountId: account, orderId: 'o-2' },
      ]);
      expect(waiters.get(clickB)).toEqual([{ accountId: account, orderId: 'o-3' }]);
      expect((await aggregates.findClickWaiters([])).size).toBe(0);
    });

    test('settings read as null until put; a put replaces them', async () => {
      expect(await aggregates.getSettings(account)).toBeNull();
      await aggregates.putSettings({ accountId: account, timeZone: 'Europe/Belgrade', updatedAt: at(0) });
      await aggregates.putSettings({ accountId: account, timeZone: 'America/New_York', updatedAt: at(1) });
      expect(await aggregates.getSettings(account)).toEqual({
        accountId: account,
        timeZone: 'America/New_York',
        updatedAt: at(1),
      });
      expect(await aggregates.getSettings(freshAccount())).toBeNull();
    });
  });
}
