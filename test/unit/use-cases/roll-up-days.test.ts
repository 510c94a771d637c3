/**
 * Rolling finished days (functions/use-cases/roll-up-traffic.ts) over the in-memory aggregates: which days
 * move, that every report reads the same figures after, that a click landing meanwhile is neither lost nor
 * counted twice, how groups are packed into transactions, and when the aggregator's DayTurns rolls again.
 */
import {
  bucketId,
  countFigure,
  foldTraffic,
  parseBucketId,
  rolledRef,
  trafficContribution,
  type BucketRef,
  type Contribution,
} from '../../../functions/domain/aggregates';
import { WriteConflictError } from '../../../functions/domain/errors';
import { shardOf, WRITE_SHARDS } from '../../../functions/domain/shards';
import { getLinkReport } from '../../../functions/use-cases/get-link-report';
import { DayTurns, latestDays, rollUpTraffic } from '../../../functions/use-cases/roll-up-traffic';
import { saveLink } from '../../../functions/use-cases/save-link';
import { click } from '../../support/aggregate-world';
import { FixedClock, InMemoryAggregates, InMemoryCatalog, InMemoryLedger } from '../../support/fakes';

const ACME = 'acme';
const DAYS = ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'];
const LINKS = ['spring', 'keto'];

/** The stored buckets of an account, by bucket id (a copy). */
function stored(aggregates: InMemoryAggregates, accountId = ACME): Contribution {
  return Object.fromEntries(
    [...aggregates.buckets.entries()]
      .filter(([key]) => key.startsWith(`${accountId}|`))
      .map(([key, attributes]) => [key.slice(accountId.length + 1), { ...attributes }])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}
const only = (contribution: Contribution, keep: (ref: BucketRef) => boolean): Contribution =>
  Object.fromEntries(Object.entries(contribution).filter(([id]) => keep(parseBucketId(id))));
const trafficOf = (contribution: Contribution, day: (d: string) => boolean) =>
  only(contribution, (ref) => ref.kind === 'traffic' && day(ref.day));
const kindOf = (contribution: Contribution, kind: BucketRef['kind']) =>
  only(contribution, (ref) => ref.kind === kind);

type TrafficRef = Extract<BucketRef, { kind: 'traffic' }>;
const isTraffic = (ref: BucketRef): ref is TrafficRef => ref.kind === 'traffic';

/** One more in a traffic bucket's figure: quarter-hour 50 (12:30 UTC, used by no fixture) and the day total. */
function lateClick(ref: BucketRef, slot = 50): Contribution {
  if (!isTraffic(ref)) throw new Error('a traffic bucket');
  const contribution: Contribution = {};
  countFigure(contribution, ref, ref.figure, slot, false, 1);
  return contribution;
}

/**
 * Two links of acme with clicks and page views on four UTC days (spread over the shards by their ids,
 * some in a day's last quarter-hour), sales on two of them, and another account's traffic.
 */
async function setup() {
  const catalog = new InMemoryCatalog();
  const aggregates = new InMemoryAggregates(new InMemoryLedger());
  for (const linkId of LINKS)
    await saveLink({ catalog, clock: new FixedClock() }, ACME, linkId, {
      name: linkId,
      destinationUrl: 'https://example.com/',
    });
  let clicks = 0;
  for (const [d, day] of DAYS.entries())
    for (let i = 0; i < 12; i++) {
      const linkId = LINKS[i % 2]!;
      // Quarter-hours 0, 8, ..., 80 of the day, and its very last instant (quarter-hour 95).
      const at =
        i === 11
          ? `${day}T23:59:59.999Z`
          : new Date(Date.parse(`${day}T00:07:00.000Z`) + i * 2 * 3_600_000).toISOString();
      await aggregates.addToBuckets(ACME, trafficContribution('clicks', at, linkId, shardOf(`ck-${d}-${i}`)));
      clicks++;
      if (i % 3 === 0)
        await aggregates.addToBuckets(
          ACME,
          trafficContribution('pageviews', at, linkId, shardOf(`hit-${d}-${i}`)),
        );
    }
  for (const day of [DAYS[1]!, DAYS[3]!]) {
    const sale: Contribution = {};
    const ref: BucketRef = { kind: 'sales', day, linkId: 'spring', productId: null };
    countFigure(sale, ref, 'purchases', 40, false, 1);
    countFigure(sale, ref, 'purchases', 40, true, 1);
    countFigure(sale, ref, 'netCommissionCents', 40, false, 2500);
    countFigure(sale, ref, 'netCommissionCents', 40, true, 2500);
    await aggregates.addToBuckets(ACME, sale);
  }
  await aggregates.addToBuckets('other', trafficContribution('clicks', `${DAYS[0]}T10:00:00.000Z`, 'x', 2));
  const deps = { aggregates };
  /** The link report every way the aggregates can be read: whole days as totals, quarter-hours, partial days. */
  const reports = () =>
    Promise.all(
      [
        {},
        { groupBy: 'day', tz: 'UTC', from: '2026-11-28T00:00:00.000Z', to: '2026-12-01T23:59:59.999Z' },
        { groupBy: 'day', tz: 'Asia/Kathmandu', from: '2026-11-28T00:00:00Z', to: '2026-12-01T23:59:59Z' },
        { groupBy: 'day', tz: 'UTC', dateBasis: 'sale', from: '2026-11-27', to: '2026-12-02' },
        { from: '2026-11-29T06:00:00.000Z', to: '2026-11-30T18:00:00.000Z' },
        { groupBy: 'campaign', from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T23:59:59.999Z' },
      ].map((query) => getLinkReport({ catalog, aggregates }, ACME, query)),
    );
  /** All clicks of acme, all time, as the report counts them. */
  const totalClicks = async () =>
    (await getLinkReport({ catalog, aggregates }, ACME, {})).rows.reduce((sum, row) => sum + row.clicks, 0);
  return { aggregates, catalog, deps, reports, totalClicks, clicks };
}

describe('rolling the finished days of an account', () => {
  test('moves the traffic of the days before beforeDay into one bucket per day and link; the rest stays; every report reads the same', async () => {
    const { aggregates, deps, reports } = await setup();
    const before = stored(aggregates);
    const otherBefore = stored(aggregates, 'other');
    const reportsBefore = await reports();
    const rolledDays = trafficOf(before, (d) => d < DAYS[3]!);
    // More shard buckets than rolled ones: several shards and both figures per day and link.
    expect(Object.keys(rolledDays).length).toBeGreaterThan(3 * LINKS.length);

    const result = await rollUpTraffic(deps, ACME, DAYS[3]!);

    expect(result).toEqual({
      days: DAYS.slice(0, 3),
      sources: Object.keys(rolledDays).length,
      rolled: 3 * LINKS.length,
      conflicts: 0,
      left: 0,
    });
    const after = stored(aggregates);
    // No shard bucket of a finished day is left; the rolled ones hold exactly their figures.
    expect(trafficOf(after, (d) => d < DAYS[3]!)).toEqual({});
    expect(kindOf(after, 'rolled')).toEqual(foldTraffic(rolledDays));
    expect(Object.keys(kindOf(after, 'rolled')).sort()).toEqual(
      DAYS.slice(0, 3)
        .flatMap((day) => LINKS.map((linkId) => bucketId({ kind: 'rolled', day, linkId })))
        .sort(),
    );
    // beforeDay and later stay in their shards, untouched; sales and other accounts too.
    expect(trafficOf(after, (d) => d >= DAYS[3]!)).toEqual(trafficOf(before, (d) => d >= DAYS[3]!));
    expect(Object.keys(trafficOf(after, (d) => d >= DAYS[3]!)).length).toBeGreaterThan(0);
    expect(kindOf(after, 'sales')).toEqual(kindOf(before, 'sales'));
    expect(stored(aggregates, 'other')).toEqual(otherBefore);
    expect(await reports()).toEqual(reportsBefore);

    const again = await rollUpTraffic(deps, ACME, DAYS[3]!);
    expect(again).toEqual({ days: [], sources: 0, rolled: 0, conflicts: 0, left: 0 });
    expect(stored(aggregates)).toEqual(after);
  });

  test('fromDay bounds it: the days before fromDay stay in their shards', async () => {
    const { aggregates, deps, reports } = await setup();
    const before = stored(aggregates);
    const reportsBefore = await reports();
    const result = await rollUpTraffic(deps, ACME, DAYS[3]!, DAYS[1]!);
    expect(result).toMatchObject({ days: DAYS.slice(1, 3), rolled: 2 * LINKS.length, left: 0 });
    const after = stored(aggregates);
    expect(trafficOf(after, (d) => d < DAYS[1]!)).toEqual(trafficOf(before, (d) => d < DAYS[1]!));
    expect(trafficOf(after, (d) => d >= DAYS[1]! && d < DAYS[3]!)).toEqual({});
    expect(kindOf(after, 'rolled')).toEqual(
      foldTraffic(trafficOf(before, (d) => d >= DAYS[1]! && d < DAYS[3]!)),
    );
    expect(await reports()).toEqual(reportsBefore);
  });

  test('a click landing in a source between the listing and the transaction conflicts; the retry rolls it too, nothing lost or doubled', async () => {
    const { aggregates, deps, clicks, totalClicks } = await setup();
    const list = aggregates.listUnrolledTraffic.bind(aggregates);
    const landed: { ref?: TrafficRef } = {};
    const listing = jest.spyOn(aggregates, 'listUnrolledTraffic').mockImplementationOnce(async (...args) => {
      const listed = await list(...args);
      landed.ref = listed
        .map((entry) => entry.bucket.ref)
        .find((ref) => isTraffic(ref) && ref.figure === 'clicks') as TrafficRef;
      await aggregates.addToBuckets(ACME, lateClick(landed.ref));
      return listed;
    });
    const transactions = jest.spyOn(aggregates, 'rollUpTraffic');

    const result = await rollUpTraffic(deps, ACME, DAYS[3]!);

    expect(result).toMatchObject({ days: DAYS.slice(0, 3), rolled: 3 * LINKS.length, conflicts: 1, left: 0 });
    expect(listing).toHaveBeenCalledTimes(2);
    // The six groups fit one transaction: it conflicted whole, nothing moved, and went again with the click,
    // one group a transaction (so a busy group holds back no other).
    expect(transactions).toHaveBeenCalledTimes(1 + 3 * LINKS.length);
    expect(transactions.mock.calls.slice(1).flatMap((call) => call[1].map(({ id }) => id))).toContain(
      bucketId(landed.ref!),
    );
    const after = stored(aggregates);
    expect(trafficOf(after, (d) => d < DAYS[3]!)).toEqual({});
    expect(after[bucketId(rolledRef(landed.ref!))]).toMatchObject({ c50: 1 });
    expect(await totalClicks()).toBe(clicks + 1);
    // Each finished day's rolled clicks: the day's 12, and the late one on its own day.
    for (const day of DAYS.slice(0, 3)) {
      const dayClicks = LINKS.reduce(
        (sum, linkId) => sum + (after[bucketId({ kind: 'rolled', day, linkId })]?.cD ?? 0),
        0,
      );
      expect([day, dayClicks]).toEqual([day, 12 + (landed.ref!.day === day ? 1 : 0)]);
    }
  });

  test('a source with quarter-hours but no day total (written before them) rolls into a bucket whose total covers it', async () => {
    const { aggregates, deps, catalog } = await setup();
    const day = DAYS[2]!;
    const spring = bucketId({ kind: 'rolled', day, linkId: 'spring' });
    // Spring's 6 clicks of the day use at most 6 of the 8 shards: the legacy bucket takes a free one.
    const shard = [...Array(WRITE_SHARDS).keys()].find(
      (s) =>
        !aggregates.buckets.has(
          `${ACME}|${bucketId({ kind: 'traffic', figure: 'clicks', day, linkId: 'spring', shard: s })}`,
        ),
    )!;
    const legacy = bucketId({ kind: 'traffic', figure: 'clicks', day, linkId: 'spring', shard });
    // Written before day totals and before versions: quarter-hours only, no version.
    aggregates.buckets.set(`${ACME}|${legacy}`, { c3: 4, c90: 1 });
    expect(
      (await aggregates.listUnrolledTraffic(ACME, day, DAYS[3]!)).find(
        (e) => bucketId(e.bucket.ref) === legacy,
      ),
    ).toEqual({
      bucket: { ref: parseBucketId(legacy), attributes: { c3: 4, c90: 1 } },
      version: null,
    });
    const series = () =>
      getLinkReport({ catalog, aggregates }, ACME, {
        groupBy: 'day',
        tz: 'UTC',
        from: `${day}T00:00:00.000Z`,
        to: `${day}T23:59:59.999Z`,
      });
    const seriesBefore = await series();
    expect(seriesBefore.rows).toEqual([expect.objectContaining({ day, clicks: 12 + 5 })]);

    expect(await rollUpTraffic(deps, ACME, DAYS[3]!)).toMatchObject({ left: 0, conflicts: 0 });

    const rolled = stored(aggregates)[spring]!;
    expect(rolled).toMatchObject({ c3: 4, c90: 1, cD: 6 + 5 });
    const slots = Object.entries(rolled).filter(([name]) => /^c\d+$/.test(name));
    expect(slots.reduce((sum, [, amount]) => sum + amount, 0)).toBe(rolled.cD);
    // The day read as its totals alone (the rolled buckets hold them all) counts the legacy clicks.
    const listed = await aggregates.listBuckets(ACME, day, day, [{ from: day, to: day }]);
    expect(listed.every((b) => Object.keys(b.attributes).every((name) => name.endsWith('D')))).toBe(true);
    expect(await series()).toEqual(seriesBefore);
  });

  test('more groups than one transaction holds are packed: at most 100 items a transaction, each group whole in one', async () => {
    const aggregates = new InMemoryAggregates(new InMemoryLedger());
    const day = '2026-11-30';
    const links = Array.from({ length: 12 }, (_, index) => `link-${index}`);
    // Every link's 8 shards of both figures: 16 sources and its rolled bucket, 17 items; but the sixth link
    // (listed sixth) has 15, so after five groups (85 items) it makes 101: it must go to the next transaction.
    for (const linkId of links)
      for (let shard = 0; shard < WRITE_SHARDS; shard++)
        for (const figure of ['clicks', 'pageviews'] as const) {
          if (linkId === 'link-5' && figure === 'pageviews' && shard === 7) continue;
          const contribution: Contribution = {};
          countFigure(contribution, { kind: 'traffic', figure, day, linkId, shard }, figure, shard, false, 1);
          await aggregates.addToBuckets(ACME, contribution);
        }
    const before = stored(aggregates);
    const transactions = jest.spyOn(aggregates, 'rollUpTraffic');

    const result = await rollUpTraffic({ aggregates }, ACME, '2026-12-01');

    expect(result).toEqual({ days: [day], sources: 12 * 16 - 1, rolled: 12, conflicts: 0, left: 0 });
    const calls = transactions.mock.calls.map(([, sources, rolled]) => ({ sources, rolled }));
    // 203 items: at least 3 transactions; fewer than 12: groups share them.
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.length).toBeLessThan(12);
    const callOfGroup = new Map<string, Set<number>>();
    calls.forEach(({ sources, rolled }, index) => {
      expect(sources.length + Object.keys(rolled).length).toBeLessThanOrEqual(100);
      for (const { id } of sources) {
        const group = bucketId(rolledRef(parseBucketId(id)));
        expect(Object.keys(rolled)).toContain(group);
        (callOfGroup.get(group) ?? callOfGroup.set(group, new Set()).get(group)!).add(index);
      }
    });
    expect(callOfGroup.size).toBe(12);
    for (const [group, inCalls] of callOfGroup) expect([group, inCalls.size]).toEqual([group, 1]);
    expect(calls.flatMap(({ sources }) => sources.map(({ id }) => id)).sort()).toEqual(
      Object.keys(before).sort(),
    );
    expect(stored(aggregates)).toEqual(foldTraffic(before));
  });

  test('a conflict every time: after 4 attempts it returns what is left, throws nothing, and moves nothing', async () => {
    const { aggregates, deps, reports } = await setup();
    const before = stored(aggregates);
    const reportsBefore = await reports();
    const listing = jest.spyOn(aggregates, 'listUnrolledTraffic');
    const transactions = jest.spyOn(aggregates, 'rollUpTraffic').mockRejectedValue(new WriteConflictError());

    const result = await rollUpTraffic(deps, ACME, DAYS[3]!);

    expect(result).toEqual({
      days: [],
      sources: 0,
      rolled: 0,
      // One per transaction tried: each attempt tries every transaction of what it listed.
      conflicts: transactions.mock.calls.length,
      left: Object.keys(trafficOf(before, (d) => d < DAYS[3]!)).length,
    });
    expect(transactions.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(listing).toHaveBeenCalledTimes(4);
    expect(stored(aggregates)).toEqual(before);
    expect(await reports()).toEqual(reportsBefore);
  });

  test('a click after every listing: after 4 attempts it returns with the busy group left in its shards, and every click is counted once', async () => {
    const { aggregates, deps, clicks, totalClicks } = await setup();
    const sourcesBefore = Object.keys(trafficOf(stored(aggregates), (d) => d < DAYS[3]!)).length;
    const busy = bucketId({ kind: 'rolled', day: DAYS[0]!, linkId: 'spring' });
    const groupOf = (ref: BucketRef) => bucketId(rolledRef(ref));
    const list = aggregates.listUnrolledTraffic.bind(aggregates);
    const listing = jest.spyOn(aggregates, 'listUnrolledTraffic').mockImplementation(async (...args) => {
      const listed = await list(...args);
      const source = listed.find((entry) => groupOf(entry.bucket.ref) === busy);
      if (source) await aggregates.addToBuckets(ACME, lateClick(source.bucket.ref));
      return listed;
    });

    const result = await rollUpTraffic(deps, ACME, DAYS[3]!);

    expect(listing).toHaveBeenCalledTimes(4);
    expect(result.conflicts).toBeGreaterThanOrEqual(4);
    const left = Object.keys(trafficOf(stored(aggregates), (d) => d < DAYS[3]!));
    expect(left.length).toBe(result.left);
    expect(result.sources + result.left).toBe(sourcesBefore);
    // The busy group is still whole in its shards, never half-rolled; after the first conflict every other
    // group rolled in a transaction of its own.
    expect(left.length).toBeGreaterThan(0);
    expect(left.filter((id) => groupOf(parseBucketId(id)) !== busy)).toEqual([]);
    expect(stored(aggregates)[busy]).toBeUndefined();
    expect(await totalClicks()).toBe(clicks + 4);
  });

  test('an error other than a conflict is thrown, not counted as a conflict', async () => {
    const { aggregates, deps } = await setup();
    jest.spyOn(aggregates, 'rollUpTraffic').mockRejectedValueOnce(new Error('throttled'));
    await expect(rollUpTraffic(deps, ACME, DAYS[3]!)).rejects.toThrow('throttled');
  });
});

describe('DayTurns: the aggregator rolls an account’s finished days when its traffic reaches a new day', () => {
  test('once per account and day; a later day, or another account, rolls again; an earlier day does nothing', async () => {
    const { aggregates, deps } = await setup();
    const turns = new DayTurns(deps);
    const listing = jest.spyOn(aggregates, 'listUnrolledTraffic');

    expect(await turns.trafficCounted(ACME, DAYS[3]!)).toMatchObject({ days: DAYS.slice(0, 3), left: 0 });
    expect(listing).toHaveBeenCalledTimes(1);
    expect(await turns.trafficCounted(ACME, DAYS[3]!)).toBeNull();
    expect(await turns.trafficCounted(ACME, DAYS[2]!)).toBeNull();
    expect(listing).toHaveBeenCalledTimes(1);

    expect(await turns.trafficCounted('other', DAYS[3]!)).toMatchObject({ days: [DAYS[0]], left: 0 });
    expect(listing).toHaveBeenCalledTimes(2);

    expect(await turns.trafficCounted(ACME, '2026-12-02')).toMatchObject({ days: [DAYS[3]], left: 0 });
    expect(listing).toHaveBeenCalledTimes(3);
    expect(listing).toHaveBeenLastCalledWith(ACME, null, '2026-12-02');
    expect(trafficOf(stored(aggregates), () => true)).toEqual({});
  });

  test('when something is left (conflicts) or it fails, the next call for the same day tries again', async () => {
    const { aggregates, deps } = await setup();
    const turns = new DayTurns(deps);
    const listing = jest.spyOn(aggregates, 'listUnrolledTraffic');
    const transactions = jest.spyOn(aggregates, 'rollUpTraffic').mockRejectedValue(new WriteConflictError());

    expect((await turns.trafficCounted(ACME, DAYS[3]!))!.left).toBeGreaterThan(0);
    expect(listing).toHaveBeenCalledTimes(4);

    transactions.mockReset().mockRejectedValue(new Error('throttled'));
    await expect(turns.trafficCounted(ACME, DAYS[3]!)).rejects.toThrow('throttled');
    expect(listing).toHaveBeenCalledTimes(5);

    transactions.mockRestore();
    expect(await turns.trafficCounted(ACME, DAYS[3]!)).toMatchObject({ days: DAYS.slice(0, 3), left: 0 });
    expect(listing).toHaveBeenCalledTimes(6);
    expect(await turns.trafficCounted(ACME, DAYS[3]!)).toBeNull();
    expect(listing).toHaveBeenCalledTimes(6);
  });

  test('latestDays: each account’s latest UTC day in a batch of clicks and page views', () => {
    const hit = (accountId: string, at: string) => ({
      entity: 'pixel_hit' as const,
      hit: {
        hitId: `hit-${at}`,
        accountId,
        pixelId: 'px',
        merchantId: 'm',
        event: 'pageview' as const,
        clickId: null,
        orderId: null,
        at,
      },
    });
    const clickOf = (accountId: string, at: string) => ({
      entity: 'click' as const,
      click: click(`ck-${at}`, 'spring', at, accountId),
    });
    expect(
      latestDays([
        clickOf(ACME, '2026-11-30T23:59:59.999Z'),
        clickOf(ACME, '2026-12-01T00:00:00.000Z'),
        clickOf(ACME, '2026-11-29T12:00:00.000Z'),
        hit('other', '2026-12-03T05:00:00.000Z'),
        clickOf('other', '2026-12-02T23:00:00.000Z'),
        hit('third', '2026-11-30T23:59:59.999Z'),
      ]),
    ).toEqual(
      new Map([
        [ACME, '2026-12-01'],
        ['other', '2026-12-03'],
        ['third', '2026-11-30'],
      ]),
    );
    expect(latestDays([])).toEqual(new Map());
  });
});
