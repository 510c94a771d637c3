/**
 * Rolling finished days (functions/use-cases/roll-up-days.ts) over the in-memory aggregates: which days
 * move (traffic shards into rolled buckets, sales into rolledSales, each with its day-totals item), that every
 * report reads the same figures after, that a click or sale landing meanwhile is neither lost nor counted
 * twice, that a late write to a rolled day rolls the next time, how groups are packed into transactions, and
 * when the aggregator's DayTurns rolls again.
 */
import {
  bucketId,
  countFigure,
  dayTotalsRef,
  foldRolled,
  isWrittenBucket,
  parseBucketId,
  parseFigureAttribute,
  rolledRef,
  sumContributions,
  trafficContribution,
  type BucketRef,
  type Contribution,
  type Figure,
} from '../../../functions/domain/aggregates';
import { WriteConflictError } from '../../../functions/domain/errors';
import { shardOf, WRITE_SHARDS } from '../../../functions/domain/shards';
import { getLinkReport } from '../../../functions/use-cases/get-link-report';
import { DayTurns, latestTurns, rollUpDays, turnOf } from '../../../functions/use-cases/roll-up-days';
import { saveLink } from '../../../functions/use-cases/save-link';
import { click } from '../../support/aggregate-world';
import { totalsFromQuarterHours } from '../../support/slot-sums';
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
/** The written buckets (traffic shards and sales) of the days `day` keeps: what a roll-up moves. */
const writtenOf = (contribution: Contribution, day: (d: string) => boolean) =>
  only(contribution, (ref) => isWrittenBucket(ref) && day(ref.day));
const kindOf = (contribution: Contribution, kind: BucketRef['kind']) =>
  only(contribution, (ref) => ref.kind === kind);

/** The day-total attributes alone of a bucket (zeros kept, as the store keeps them). */
const totalsOf = (attributes: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(attributes).filter(([name]) => parseFigureAttribute(name)?.slot === null),
  );
/** Rolled buckets' day-totals items: each one's day totals alone, under its day-totals id. */
const dayTotalsItems = (rolled: Contribution): Contribution =>
  Object.fromEntries(
    Object.entries(rolled).map(([id, attributes]) => [
      bucketId(dayTotalsRef(parseBucketId(id))),
      totalsOf(attributes),
    ]),
  );
/** What written buckets (all holding day totals) roll into: their rolled buckets and day-totals items. */
function rolledFrom(written: Contribution): Contribution {
  const rolled = foldRolled(written);
  return { ...rolled, ...dayTotalsItems(rolled) };
}
/**
 * What must hold of stored buckets after any roll-up: every rolled bucket's day totals are its quarter-hours
 * added up, and its day-totals item holds exactly those totals; no day-totals item is without its bucket.
 */
function expectDayTotalsConsistent(contribution: Contribution) {
  const rolled = only(contribution, (ref) => ref.kind === 'rolled' || ref.kind === 'rolledSales');
  expect(Object.keys(rolled).length).toBeGreaterThan(0);
  expect(kindOf(contribution, 'dayTotals')).toEqual(dayTotalsItems(rolled));
  for (const [id, attributes] of Object.entries(rolled))
    expect([id, totalsFromQuarterHours(attributes)]).toEqual([id, totalsOf(attributes)]);
}

type TrafficRef = Extract<BucketRef, { kind: 'traffic' }>;
type SalesRef = Extract<BucketRef, { kind: 'sales' }>;
const isTraffic = (ref: BucketRef): ref is TrafficRef => ref.kind === 'traffic';

/** One more in a traffic bucket's figure: quarter-hour 50 (12:30 UTC, used by no fixture) and the day total. */
function lateClick(ref: BucketRef, slot = 50): Contribution {
  if (!isTraffic(ref)) throw new Error('a traffic bucket');
  const contribution: Contribution = {};
  countFigure(contribution, ref, ref.figure, slot, false, 1);
  return contribution;
}

/** Sales figures in one quarter-hour of a sales bucket, by event time or (saleBasis) by sale time. */
function salesIn(ref: SalesRef, slot: number, saleBasis: boolean, figures: Partial<Record<Figure, number>>) {
  const contribution: Contribution = {};
  for (const [figure, amount] of Object.entries(figures))
    countFigure(contribution, ref, figure as Figure, slot, saleBasis, amount);
  return contribution;
}
const salesRef = (day: string, linkId = 'spring'): SalesRef => ({
  kind: 'sales',
  day,
  linkId,
  productId: null,
});

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
        {
          groupBy: 'product',
          dateBasis: 'sale',
          from: '2026-11-29T10:00:00.000Z',
          to: '2026-12-01T23:59:59Z',
        },
      ].map((query) => getLinkReport({ catalog, aggregates }, ACME, query)),
    );
  /** All clicks of acme, all time, as the report counts them. */
  const totalClicks = async () =>
    (await getLinkReport({ catalog, aggregates }, ACME, {})).rows.reduce((sum, row) => sum + row.clicks, 0);
  return { aggregates, catalog, deps, reports, totalClicks, clicks };
}

describe('rolling the finished days of an account', () => {
  test('moves the written buckets of the days before beforeDay into rolled buckets (traffic: one per day and link; sales: one per day, link and product), each with its day-totals item; the rest stays; every report reads the same', async () => {
    const { aggregates, deps, reports } = await setup();
    const before = stored(aggregates);
    const otherBefore = stored(aggregates, 'other');
    const reportsBefore = await reports();
    const finished = writtenOf(before, (d) => d < DAYS[3]!);
    // More shard buckets than rolled ones (several shards and both figures per day and link), and a sale.
    expect(Object.keys(trafficOf(before, (d) => d < DAYS[3]!)).length).toBeGreaterThan(3 * LINKS.length);
    expect(Object.keys(kindOf(finished, 'sales'))).toEqual([bucketId(salesRef(DAYS[1]!))]);

    const result = await rollUpDays(deps, ACME, DAYS[3]!);

    expect(result).toEqual({
      days: DAYS.slice(0, 3),
      sources: Object.keys(finished).length,
      // Rolled buckets, not items: each also has its day-totals item.
      rolled: 3 * LINKS.length + 1,
      conflicts: 0,
      left: 0,
      complete: true,
    });
    const after = stored(aggregates);
    // No written bucket of a finished day is left; the rolled ones and their day-totals items hold exactly
    // their figures.
    expect(writtenOf(after, (d) => d < DAYS[3]!)).toEqual({});
    expect(only(after, (ref) => !isWrittenBucket(ref))).toEqual(rolledFrom(finished));
    expect(Object.keys(kindOf(after, 'rolled')).sort()).toEqual(
      DAYS.slice(0, 3)
        .flatMap((day) => LINKS.map((linkId) => bucketId({ kind: 'rolled', day, linkId })))
        .sort(),
    );
    const rolledSale = bucketId(rolledRef(salesRef(DAYS[1]!)));
    expect(Object.keys(kindOf(after, 'rolledSales'))).toEqual([rolledSale]);
    expect(after[rolledSale]).toEqual(before[bucketId(salesRef(DAYS[1]!))]);
    expect(Object.keys(kindOf(after, 'dayTotals')).length).toBe(3 * LINKS.length + 1);
    expect(after[bucketId(dayTotalsRef(salesRef(DAYS[1]!)))]).toEqual({ pD: 1, spD: 1, nD: 2500, snD: 2500 });
    expectDayTotalsConsistent(after);
    // beforeDay and later stay written, untouched, traffic and sales alike; other accounts too.
    expect(writtenOf(after, (d) => d >= DAYS[3]!)).toEqual(writtenOf(before, (d) => d >= DAYS[3]!));
    expect(Object.keys(trafficOf(after, (d) => d >= DAYS[3]!)).length).toBeGreaterThan(0);
    expect(after[bucketId(salesRef(DAYS[3]!))]).toEqual(before[bucketId(salesRef(DAYS[3]!))]);
    expect(stored(aggregates, 'other')).toEqual(otherBefore);
    expect(await reports()).toEqual(reportsBefore);

    const again = await rollUpDays(deps, ACME, DAYS[3]!);
    expect(again).toEqual({ days: [], sources: 0, rolled: 0, conflicts: 0, left: 0, complete: true });
    expect(stored(aggregates)).toEqual(after);
  });

  test('fromDay bounds it: the written buckets of the days before fromDay stay', async () => {
    const { aggregates, deps, reports } = await setup();
    const before = stored(aggregates);
    const reportsBefore = await reports();
    const result = await rollUpDays(deps, ACME, DAYS[3]!, DAYS[1]!);
    expect(result).toMatchObject({ days: DAYS.slice(1, 3), rolled: 2 * LINKS.length + 1, left: 0 });
    const after = stored(aggregates);
    expect(Object.keys(writtenOf(before, (d) => d < DAYS[1]!)).length).toBeGreaterThan(0);
    expect(writtenOf(after, (d) => d < DAYS[1]!)).toEqual(writtenOf(before, (d) => d < DAYS[1]!));
    expect(writtenOf(after, (d) => d >= DAYS[1]! && d < DAYS[3]!)).toEqual({});
    expect(only(after, (ref) => !isWrittenBucket(ref))).toEqual(
      rolledFrom(writtenOf(before, (d) => d >= DAYS[1]! && d < DAYS[3]!)),
    );
    expect(await reports()).toEqual(reportsBefore);
  });

  test('a report then reads the UTC days it covers whole from the day-totals items, and only its edge days from the rolled buckets', async () => {
    const { aggregates, deps, catalog } = await setup();
    // From 06:00 of the first day to 18:00 of the third: the second whole, the first and third its edges.
    const query = { from: `${DAYS[0]}T06:00:00.000Z`, to: `${DAYS[2]}T18:00:00.000Z` };
    const report = () => getLinkReport({ catalog, aggregates }, ACME, query);
    const reportBefore = await report();
    await rollUpDays(deps, ACME, DAYS[3]!);
    const reads = jest.spyOn(aggregates, 'listBuckets');

    expect(await report()).toEqual(reportBefore);

    expect(reads).toHaveBeenCalledTimes(1);
    const read = (await reads.mock.results[0]!.value) as Awaited<ReturnType<typeof aggregates.listBuckets>>;
    const kindsOn = (day: string) =>
      [...new Set(read.filter((b) => b.ref.day === day).map((b) => b.ref.kind))].sort();
    expect(kindsOn(DAYS[0]!)).toEqual(['rolled']);
    expect(kindsOn(DAYS[1]!)).toEqual(['dayTotals']);
    expect(kindsOn(DAYS[2]!)).toEqual(['rolled']);
    // The whole day: one small item per link, and one for the sale, of day totals alone.
    const whole = read.filter((b) => b.ref.day === DAYS[1]!);
    expect(whole.length).toBe(LINKS.length + 1);
    for (const bucket of whole)
      expect(Object.keys(bucket.attributes).every((n) => n.endsWith('D'))).toBe(true);
  });

  test('a click landing in a source between the listing and the transaction conflicts; the retry rolls it too, nothing lost or doubled', async () => {
    const { aggregates, deps, clicks, totalClicks } = await setup();
    const finished = Object.keys(writtenOf(stored(aggregates), (d) => d < DAYS[3]!)).length;
    const list = aggregates.listUnrolled.bind(aggregates);
    const landed: { ref?: TrafficRef } = {};
    const listing = jest.spyOn(aggregates, 'listUnrolled').mockImplementationOnce(async (...args) => {
      const listed = await list(...args);
      landed.ref = listed
        .map((entry) => entry.bucket.ref)
        .find((ref) => isTraffic(ref) && ref.figure === 'clicks') as TrafficRef;
      await aggregates.addToBuckets(ACME, lateClick(landed.ref));
      return listed;
    });
    const transactions = jest.spyOn(aggregates, 'rollUpBuckets');

    const result = await rollUpDays(deps, ACME, DAYS[3]!);

    const groups = 3 * LINKS.length + 1;
    expect(result).toMatchObject({ days: DAYS.slice(0, 3), rolled: groups, conflicts: 1, left: 0 });
    expect(listing).toHaveBeenCalledTimes(2);
    // The seven groups (six of traffic, one of sales: each its sources, its rolled bucket and day totals) fit
    // one transaction: it conflicted whole, nothing moved, and went again with the click, one group a
    // transaction (so a busy group holds back no other).
    const [first, ...retries] = transactions.mock.calls;
    expect(first![1].length).toBe(finished);
    expect(Object.keys(first![2]).length).toBe(2 * groups);
    expect(retries.length).toBe(groups);
    for (const [, , rolled] of retries) expect(Object.keys(rolled).length).toBe(2);
    expect(retries.flatMap((call) => call[1].map(({ id }) => id))).toContain(bucketId(landed.ref!));
    const after = stored(aggregates);
    expect(writtenOf(after, (d) => d < DAYS[3]!)).toEqual({});
    expect(after[bucketId(rolledRef(landed.ref!))]).toMatchObject({ c50: 1 });
    expect(after[bucketId(dayTotalsRef(landed.ref!))]!.cD).toBe(after[bucketId(rolledRef(landed.ref!))]!.cD);
    expectDayTotalsConsistent(after);
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

  test('a sale written into a sales source between the listing and the transaction (its version changed) conflicts and moves nothing; the retry rolls the sale too', async () => {
    const { aggregates, deps, catalog } = await setup();
    const source = salesRef(DAYS[1]!);
    const upsell = sumContributions([
      salesIn(source, 60, false, { upsells: 1, netCommissionCents: 1200 }),
      salesIn(source, 60, true, { upsells: 1, netCommissionCents: 1200 }),
    ]);
    const list = aggregates.listUnrolled.bind(aggregates);
    const landed: { state?: Contribution } = {};
    jest.spyOn(aggregates, 'listUnrolled').mockImplementationOnce(async (...args) => {
      const listed = await list(...args);
      const entry = listed.find((e) => bucketId(e.bucket.ref) === bucketId(source))!;
      expect(entry.version).not.toBeNull();
      await aggregates.addToBuckets(ACME, upsell);
      landed.state = stored(aggregates);
      return listed;
    });
    const roll = aggregates.rollUpBuckets.bind(aggregates);
    const afterConflicts: Contribution[] = [];
    const transactions = jest.spyOn(aggregates, 'rollUpBuckets').mockImplementation(async (...args) => {
      try {
        await roll(...args);
      } catch (error) {
        afterConflicts.push(stored(aggregates));
        throw error;
      }
    });

    const result = await rollUpDays(deps, ACME, DAYS[3]!);

    expect(result).toMatchObject({
      days: DAYS.slice(0, 3),
      rolled: 3 * LINKS.length + 1,
      conflicts: 1,
      left: 0,
    });
    // The transaction that conflicted held the sales source, and moved nothing at all.
    expect(transactions.mock.calls[0]![1].map(({ id }) => id)).toContain(bucketId(source));
    expect(afterConflicts).toEqual([landed.state]);
    const after = stored(aggregates);
    expect(writtenOf(after, (d) => d < DAYS[3]!)).toEqual({});
    expect(after[bucketId(rolledRef(source))]).toEqual({
      p40: 1,
      sp40: 1,
      pD: 1,
      spD: 1,
      n40: 2500,
      sn40: 2500,
      u60: 1,
      su60: 1,
      uD: 1,
      suD: 1,
      n60: 1200,
      sn60: 1200,
      nD: 3700,
      snD: 3700,
    });
    expectDayTotalsConsistent(after);
    const series = await getLinkReport({ catalog, aggregates }, ACME, {
      groupBy: 'day',
      tz: 'UTC',
      dateBasis: 'sale',
      from: `${DAYS[1]}T00:00:00.000Z`,
      to: `${DAYS[1]}T23:59:59.999Z`,
    });
    expect(series.rows).toEqual([
      expect.objectContaining({ day: DAYS[1], purchases: 1, upsells: 1, netCommissionCents: 3700 }),
    ]);
  });

  test('a refund by sale date of a rolled day lands in its sales bucket again: every report counts it, and the next roll-up moves it into that day’s rolledSales', async () => {
    const { aggregates, deps, catalog, reports } = await setup();
    await rollUpDays(deps, ACME, DAYS[3]!);
    const saleDay = salesRef(DAYS[1]!);
    // Refunded on the last day (event time: not rolled) of the sale of the second (sale time: rolled).
    await aggregates.addToBuckets(
      ACME,
      sumContributions([
        salesIn(salesRef(DAYS[3]!), 20, false, { refunds: 1, netCommissionCents: -2500 }),
        salesIn(saleDay, 40, true, { refunds: 1, netCommissionCents: -2500 }),
      ]),
    );
    expect(stored(aggregates)[bucketId(saleDay)]).toEqual({ sr40: 1, srD: 1, sn40: -2500, snD: -2500 });
    const listed = await aggregates.listUnrolled(ACME, null, DAYS[3]!);
    expect(listed.map((entry) => bucketId(entry.bucket.ref))).toEqual([bucketId(saleDay)]);
    expect(listed[0]!.version).not.toBeNull();
    const bySale = (from: string, to: string) =>
      getLinkReport({ catalog, aggregates }, ACME, {
        groupBy: 'day',
        tz: 'UTC',
        dateBasis: 'sale',
        from,
        to,
      });
    // The day read whole (the sales bucket's totals beside the day-totals item) and by its quarter-hours.
    const wholeDay = await bySale(`${DAYS[1]}T00:00:00.000Z`, `${DAYS[1]}T23:59:59.999Z`);
    const partOfDay = await bySale(`${DAYS[1]}T09:00:00.000Z`, `${DAYS[1]}T11:00:00.000Z`);
    for (const report of [wholeDay, partOfDay])
      expect(report.rows).toEqual([
        expect.objectContaining({ day: DAYS[1], purchases: 1, refunds: 1, netCommissionCents: 0 }),
      ]);
    const reportsBefore = await reports();

    expect(await rollUpDays(deps, ACME, DAYS[3]!)).toEqual({
      days: [DAYS[1]],
      sources: 1,
      rolled: 1,
      conflicts: 0,
      left: 0,
      complete: true,
    });

    const after = stored(aggregates);
    expect(after[bucketId(saleDay)]).toBeUndefined();
    expect(after[bucketId(rolledRef(saleDay))]).toEqual({
      p40: 1,
      sp40: 1,
      pD: 1,
      spD: 1,
      n40: 2500,
      nD: 2500,
      sn40: 0,
      snD: 0,
      sr40: 1,
      srD: 1,
    });
    expect(after[bucketId(dayTotalsRef(saleDay))]).toEqual({ pD: 1, spD: 1, nD: 2500, snD: 0, srD: 1 });
    expectDayTotalsConsistent(after);
    // The refund's own day is not finished: its event-time bucket stays written.
    expect(after[bucketId(salesRef(DAYS[3]!))]).toMatchObject({ r20: 1, rD: 1 });
    expect(await reports()).toEqual(reportsBefore);
    expect(await bySale(`${DAYS[1]}T00:00:00.000Z`, `${DAYS[1]}T23:59:59.999Z`)).toEqual(wholeDay);
    expect(await bySale(`${DAYS[1]}T09:00:00.000Z`, `${DAYS[1]}T11:00:00.000Z`)).toEqual(partOfDay);
  });

  test('after every roll-up, the first and those adding late clicks and sales to rolled days, each day-totals item equals its rolled bucket’s totals', async () => {
    const { aggregates, deps, reports } = await setup();
    await rollUpDays(deps, ACME, DAYS[3]!);
    expectDayTotalsConsistent(stored(aggregates));
    const springDay0 = bucketId({ kind: 'rolled', day: DAYS[0]!, linkId: 'spring' });
    const springDay0Totals = bucketId(dayTotalsRef(parseBucketId(springDay0)));
    const totalsBefore = stored(aggregates)[springDay0Totals]!;
    expect(totalsBefore.cD).toBe(stored(aggregates)[springDay0]!.cD);

    // Late writes to rolled days: two clicks, an upsell by sale date, a legacy sales bucket of totals-less
    // quarter-hours; and the last day finishes too.
    await aggregates.addToBuckets(
      ACME,
      sumContributions([
        trafficContribution('clicks', `${DAYS[0]}T12:34:00.000Z`, 'spring', 3),
        trafficContribution('clicks', `${DAYS[0]}T12:40:00.000Z`, 'spring', 6),
        salesIn(salesRef(DAYS[1]!), 41, true, { upsells: 1, netCommissionCents: 900 }),
      ]),
    );
    aggregates.buckets.set(`${ACME}|${bucketId(salesRef(DAYS[2]!, 'keto'))}`, { p3: 2, sp3: 2 });
    const reportsBefore = await reports();

    expect(await rollUpDays(deps, ACME, '2026-12-02')).toMatchObject({
      days: [DAYS[0], DAYS[1], DAYS[2], DAYS[3]],
      conflicts: 0,
      left: 0,
    });

    const after = stored(aggregates);
    expect(writtenOf(after, () => true)).toEqual({});
    expectDayTotalsConsistent(after);
    expect(after[springDay0Totals]).toEqual({ ...totalsBefore, cD: totalsBefore.cD! + 2 });
    expect(after[bucketId(dayTotalsRef(salesRef(DAYS[1]!)))]).toMatchObject({ suD: 1, snD: 3400 });
    expect(after[bucketId(dayTotalsRef(salesRef(DAYS[2]!, 'keto')))]).toEqual({ pD: 2, spD: 2 });
    expect(await reports()).toEqual(reportsBefore);
  });

  test('a source with quarter-hours but no day total (written before them) rolls into a bucket whose totals, and day-totals item, cover it', async () => {
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
    // No sale on that day: the legacy sales bucket is the only one.
    const legacySale = bucketId(salesRef(day));
    expect(aggregates.buckets.has(`${ACME}|${legacySale}`)).toBe(false);
    // Written before day totals and before versions: quarter-hours only, no version.
    aggregates.buckets.set(`${ACME}|${legacy}`, { c3: 4, c90: 1 });
    aggregates.buckets.set(`${ACME}|${legacySale}`, { p3: 2, sp3: 2 });
    const listedLegacy = (await aggregates.listUnrolled(ACME, day, DAYS[3]!)).filter((e) =>
      [legacy, legacySale].includes(bucketId(e.bucket.ref)),
    );
    expect(listedLegacy).toEqual([
      { bucket: { ref: parseBucketId(legacy), attributes: { c3: 4, c90: 1 } }, version: null },
      { bucket: { ref: parseBucketId(legacySale), attributes: { p3: 2, sp3: 2 } }, version: null },
    ]);
    const series = () =>
      getLinkReport({ catalog, aggregates }, ACME, {
        groupBy: 'day',
        tz: 'UTC',
        from: `${day}T00:00:00.000Z`,
        to: `${day}T23:59:59.999Z`,
      });
    const seriesBefore = await series();
    expect(seriesBefore.rows).toEqual([expect.objectContaining({ day, clicks: 12 + 5, purchases: 2 })]);

    expect(await rollUpDays(deps, ACME, DAYS[3]!)).toMatchObject({ left: 0, conflicts: 0 });

    const after = stored(aggregates);
    expect(after[spring]).toMatchObject({ c3: 4, c90: 1, cD: 6 + 5 });
    expect(after[bucketId(dayTotalsRef(parseBucketId(spring)))]).toMatchObject({ cD: 6 + 5 });
    expect(after[bucketId(rolledRef(salesRef(day)))]).toEqual({ p3: 2, sp3: 2, pD: 2, spD: 2 });
    expect(after[bucketId(dayTotalsRef(salesRef(day)))]).toEqual({ pD: 2, spD: 2 });
    expectDayTotalsConsistent(after);
    // The day read as its totals alone: the day-totals items alone, which count the legacy clicks and sale.
    const listed = await aggregates.listBuckets(ACME, day, day, [{ from: day, to: day }]);
    expect(new Set(listed.map((b) => b.ref.kind))).toEqual(new Set(['dayTotals']));
    expect(listed.every((b) => Object.keys(b.attributes).every((name) => name.endsWith('D')))).toBe(true);
    expect(await series()).toEqual(seriesBefore);
  });

  test('more groups than one transaction holds are packed in listing order: each group its sources plus 2 items, at most 100 a transaction, each group whole in one', async () => {
    const aggregates = new InMemoryAggregates(new InMemoryLedger());
    const day = '2026-11-30';
    // Named to sort in their order: a listing is by sort key, so its groups come in this order.
    const links = Array.from({ length: 12 }, (_, index) => `link-${String(index).padStart(2, '0')}`);
    // Every link's 8 shards of both figures: 16 sources, its rolled bucket and its day totals, 18 items.
    // Five groups make 90; link-05 has 9 sources (11 items, 101 with them): it opens the second transaction,
    // which link-10's 15 sources (17 items) fill to exactly 100; link-11 goes to a third. (A packer counting
    // one item per group beside its sources would put link-05 in the first: 101 items.)
    const skipped = (linkId: string, figure: string, shard: number) =>
      (linkId === 'link-05' && figure === 'pageviews' && shard >= 1) ||
      (linkId === 'link-10' && figure === 'pageviews' && shard === 7);
    for (const linkId of links)
      for (let shard = 0; shard < WRITE_SHARDS; shard++)
        for (const figure of ['clicks', 'pageviews'] as const) {
          if (skipped(linkId, figure, shard)) continue;
          const contribution: Contribution = {};
          countFigure(contribution, { kind: 'traffic', figure, day, linkId, shard }, figure, shard, false, 1);
          await aggregates.addToBuckets(ACME, contribution);
        }
    const before = stored(aggregates);
    const transactions = jest.spyOn(aggregates, 'rollUpBuckets');

    const result = await rollUpDays({ aggregates }, ACME, '2026-12-01');

    expect(result).toEqual({
      days: [day],
      sources: 12 * 16 - 7 - 1,
      rolled: 12,
      conflicts: 0,
      left: 0,
      complete: true,
    });
    const calls = transactions.mock.calls.map(([, sources, rolled]) => ({ sources, rolled }));
    expect(calls.map(({ sources, rolled }) => sources.length + Object.keys(rolled).length)).toEqual([
      90, 100, 18,
    ]);
    const linksOf = (sources: ReadonlyArray<{ id: string }>) => [
      ...new Set(sources.map(({ id }) => parseBucketId(id).linkId)),
    ];
    expect(calls.map(({ sources }) => linksOf(sources))).toEqual([
      links.slice(0, 5),
      links.slice(5, 11),
      links.slice(11),
    ]);
    for (const { sources, rolled } of calls) {
      // Each group's rolled bucket and its day totals, nothing else.
      expect(Object.keys(rolled).sort()).toEqual(
        linksOf(sources)
          .flatMap((linkId) => {
            const ref: BucketRef = { kind: 'rolled', day, linkId };
            return [bucketId(ref), bucketId(dayTotalsRef(ref))];
          })
          .sort(),
      );
    }
    expect(calls.flatMap(({ sources }) => sources.map(({ id }) => id)).sort()).toEqual(
      Object.keys(before).sort(),
    );
    expect(stored(aggregates)).toEqual(rolledFrom(before));
  });

  test('a conflict every time: after 4 attempts it returns what is left, throws nothing, and moves nothing', async () => {
    const { aggregates, deps, reports } = await setup();
    const before = stored(aggregates);
    const reportsBefore = await reports();
    const listing = jest.spyOn(aggregates, 'listUnrolled');
    const transactions = jest.spyOn(aggregates, 'rollUpBuckets').mockRejectedValue(new WriteConflictError());

    const result = await rollUpDays(deps, ACME, DAYS[3]!);

    expect(result).toEqual({
      days: [],
      sources: 0,
      rolled: 0,
      // One per transaction tried: each attempt tries every transaction of what it listed.
      conflicts: transactions.mock.calls.length,
      left: Object.keys(writtenOf(before, (d) => d < DAYS[3]!)).length,
      complete: false,
    });
    expect(transactions.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(listing).toHaveBeenCalledTimes(4);
    expect(stored(aggregates)).toEqual(before);
    expect(await reports()).toEqual(reportsBefore);
  });

  test('a click after every listing: after 4 attempts it returns with the busy group left in its shards, and every click is counted once', async () => {
    const { aggregates, deps, clicks, totalClicks } = await setup();
    const sourcesBefore = Object.keys(writtenOf(stored(aggregates), (d) => d < DAYS[3]!)).length;
    const busy = bucketId({ kind: 'rolled', day: DAYS[0]!, linkId: 'spring' });
    const groupOf = (ref: BucketRef) => bucketId(rolledRef(ref));
    const list = aggregates.listUnrolled.bind(aggregates);
    const listing = jest.spyOn(aggregates, 'listUnrolled').mockImplementation(async (...args) => {
      const listed = await list(...args);
      const source = listed.find((entry) => groupOf(entry.bucket.ref) === busy);
      if (source) await aggregates.addToBuckets(ACME, lateClick(source.bucket.ref));
      return listed;
    });

    const result = await rollUpDays(deps, ACME, DAYS[3]!);

    expect(listing).toHaveBeenCalledTimes(4);
    expect(result.conflicts).toBeGreaterThanOrEqual(4);
    const left = Object.keys(writtenOf(stored(aggregates), (d) => d < DAYS[3]!));
    expect(left.length).toBe(result.left);
    expect(result.sources + result.left).toBe(sourcesBefore);
    // The busy group is still whole in its shards, never half-rolled (no rolled bucket, no day totals);
    // after the first conflict every other group, the sale's too, rolled in a transaction of its own.
    expect(left.length).toBeGreaterThan(0);
    expect(left.filter((id) => groupOf(parseBucketId(id)) !== busy)).toEqual([]);
    expect(stored(aggregates)[busy]).toBeUndefined();
    expect(stored(aggregates)[bucketId(dayTotalsRef(parseBucketId(busy)))]).toBeUndefined();
    expect(stored(aggregates)[bucketId(rolledRef(salesRef(DAYS[1]!)))]).toBeDefined();
    expect(result.rolled).toBe(3 * LINKS.length + 1 - 1);
    expect(await totalClicks()).toBe(clicks + 4);
  });

  test('an error other than a conflict is thrown, not counted as a conflict', async () => {
    const { aggregates, deps } = await setup();
    jest.spyOn(aggregates, 'rollUpBuckets').mockRejectedValueOnce(new Error('throttled'));
    await expect(rollUpDays(deps, ACME, DAYS[3]!)).rejects.toThrow('throttled');
  });
});

describe('DayTurns: an account’s finished days roll when its traffic reaches a new day, the day so far at each of its 3-hour turns', () => {
  test('once per account and day; a later day, or another account, rolls again; an earlier day does nothing', async () => {
    const { aggregates, deps } = await setup();
    const turns = new DayTurns(deps);
    const listing = jest.spyOn(aggregates, 'listUnrolled');

    // Bounded reads: one that rolls, one that finds nothing left.
    expect(await turns.reached(ACME, DAYS[3]!)).toMatchObject({
      days: DAYS.slice(0, 3),
      left: 0,
      complete: true,
    });
    expect(listing).toHaveBeenCalledTimes(2);
    expect(await turns.reached(ACME, DAYS[3]!)).toBeNull();
    expect(await turns.reached(ACME, DAYS[2]!)).toBeNull();
    expect(listing).toHaveBeenCalledTimes(2);

    expect(await turns.reached('other', DAYS[3]!)).toMatchObject({ days: [DAYS[0]], left: 0 });
    expect(listing).toHaveBeenCalledTimes(4);

    expect(await turns.reached(ACME, '2026-12-02')).toMatchObject({ days: [DAYS[3]], left: 0 });
    expect(listing).toHaveBeenCalledTimes(6);
    expect(listing).toHaveBeenLastCalledWith(ACME, null, '2026-12-02', 200);
    // Every written bucket of acme rolled, the last day's sale too.
    expect(writtenOf(stored(aggregates), () => true)).toEqual({});
    expectDayTotalsConsistent(stored(aggregates));
  });

  test('when something is left (conflicts) or it fails, the next call for the same day tries again', async () => {
    const { aggregates, deps } = await setup();
    const turns = new DayTurns(deps);
    const listing = jest.spyOn(aggregates, 'listUnrolled');
    const transactions = jest.spyOn(aggregates, 'rollUpBuckets').mockRejectedValue(new WriteConflictError());

    expect((await turns.reached(ACME, DAYS[3]!))!.left).toBeGreaterThan(0);
    expect(listing).toHaveBeenCalledTimes(4);

    transactions.mockReset().mockRejectedValue(new Error('throttled'));
    await expect(turns.reached(ACME, DAYS[3]!)).rejects.toThrow('throttled');
    expect(listing).toHaveBeenCalledTimes(5);

    transactions.mockRestore();
    expect(await turns.reached(ACME, DAYS[3]!)).toMatchObject({ days: DAYS.slice(0, 3), left: 0 });
    expect(listing).toHaveBeenCalledTimes(7);
    expect(await turns.reached(ACME, DAYS[3]!)).toBeNull();
    expect(listing).toHaveBeenCalledTimes(7);
  });

  test('bounded: months of history roll a few hundred items a read, and a batch stops when its time is up; the next goes on', async () => {
    const { aggregates, deps, totalClicks, reports } = await setup();
    const clicksBefore = await totalClicks();
    const reportsBefore = await reports();
    const listing = jest.spyOn(aggregates, 'listUnrolled');
    // A clock that moves 3 s at each read: the 5 s budget ends after the second.
    let now = 0;
    const turns = new DayTurns(deps, { now: () => now, budgetMs: 5_000, itemsPerRead: 2 });
    listing.mockImplementation(async (...args) => {
      now += 3_000;
      return InMemoryAggregates.prototype.listUnrolled.apply(aggregates, args);
    });
    const limited = await rollUpDays(deps, ACME, DAYS[3]!, null, {
      itemsPerRead: 2,
      timeUp: () => now >= 5_000,
    });
    expect(limited.complete).toBe(false);
    expect(listing).toHaveBeenCalledTimes(2);
    // Each read asked for 2 a partition, and got the oldest.
    for (const call of listing.mock.calls) expect(call[3]).toBe(2);
    expect(limited.sources).toBeGreaterThan(0);
    expect(Object.keys(writtenOf(stored(aggregates), (d) => d < DAYS[3]!)).length).toBeGreaterThan(0);
    // Whatever is half done, every report reads the same.
    expect(await reports()).toEqual(reportsBefore);
    now = 0;
    const first = await turns.reached(ACME, DAYS[3]!);
    expect(first!.complete).toBe(false);
    // Not remembered: the next batch goes on from where it stopped, until nothing is left.
    let result = first;
    for (let batch = 0; batch < 20 && result && !result.complete; batch++) {
      now = 0;
      result = await turns.reached(ACME, DAYS[3]!);
    }
    expect(result).toMatchObject({ complete: true });
    expect(await turns.reached(ACME, DAYS[3]!)).toBeNull();
    expect(writtenOf(stored(aggregates), (d) => d < DAYS[3]!)).toEqual({});
    expect(await totalClicks()).toBe(clicksBefore);
    expect(await reports()).toEqual(reportsBefore);
    expectDayTotalsConsistent(stored(aggregates));
  });

  test('latestTurns: each account’s latest turn (UTC day and 3-hour part) in a batch of clicks and page views', () => {
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
      latestTurns([
        clickOf(ACME, '2026-11-30T23:59:59.999Z'),
        clickOf(ACME, '2026-12-01T00:00:00.000Z'),
        clickOf(ACME, '2026-11-29T12:00:00.000Z'),
        hit('other', '2026-12-03T05:00:00.000Z'),
        clickOf('other', '2026-12-02T23:00:00.000Z'),
        hit('third', '2026-11-30T23:59:59.999Z'),
      ]),
    ).toEqual(
      new Map([
        [ACME, '2026-12-01/00'],
        ['other', '2026-12-03/01'],
        ['third', '2026-11-30/07'],
      ]),
    );
    expect(latestTurns([])).toEqual(new Map());
  });

  test('turnOf: a UTC day and its 3-hour part, sortable as text', () => {
    expect(turnOf('2026-12-03T00:00:00.000Z')).toBe('2026-12-03/00');
    expect(turnOf('2026-12-03T02:59:59.999Z')).toBe('2026-12-03/00');
    expect(turnOf('2026-12-03T03:00:00.000Z')).toBe('2026-12-03/01');
    expect(turnOf('2026-12-03T23:59:59.999Z')).toBe('2026-12-03/07');
    expect(turnOf('2026-12-03T23:59:59.999Z') < turnOf('2026-12-04T00:00:00.000Z')).toBe(true);
  });

  test('from a day’s second turn on, the day so far is rolled too, once a turn; the first turn rolls finished days only', async () => {
    const { aggregates, deps, totalClicks, reports } = await setup();
    const clicksBefore = await totalClicks();
    const reportsBefore = await reports();
    const turns = new DayTurns(deps);
    const last = DAYS[3]!;
    expect(await turns.reached(ACME, `${last}/00`)).toMatchObject({ days: DAYS.slice(0, 3), complete: true });
    expect(Object.keys(writtenOf(stored(aggregates), (d) => d === last)).length).toBeGreaterThan(0);

    const listing = jest.spyOn(aggregates, 'listUnrolled');
    // The day's fourth turn: its finished days are rolled already; the day so far goes in one read.
    expect(await turns.reached(ACME, `${last}/03`)).toMatchObject({ days: [last], left: 0 });
    expect(listing).toHaveBeenCalledTimes(1);
    expect(listing).toHaveBeenLastCalledWith(ACME, last, '2026-12-02', 200);
    expect(writtenOf(stored(aggregates), () => true)).toEqual({});
    expectDayTotalsConsistent(stored(aggregates));
    expect(await reports()).toEqual(reportsBefore);

    // Once a turn: the same turn or an earlier one does nothing; live traffic lands in written buckets again.
    expect(await turns.reached(ACME, `${last}/03`)).toBeNull();
    expect(await turns.reached(ACME, last)).toBeNull();
    expect(listing).toHaveBeenCalledTimes(1);
    const live = trafficContribution('clicks', `${last}T13:05:00.000Z`, 'spring', 3);
    await aggregates.addToBuckets(ACME, live);
    expect(Object.keys(writtenOf(stored(aggregates), () => true))).toEqual(Object.keys(live));
    expect(await turns.reached(ACME, `${last}/04`)).toMatchObject({ days: [last], sources: 1, left: 0 });
    expect(writtenOf(stored(aggregates), () => true)).toEqual({});
    expect(await totalClicks()).toBe(clicksBefore + 1);
    expectDayTotalsConsistent(stored(aggregates));
  });

  test('in a pass over the day so far, a group that live traffic conflicts with holds back no other: each rolls in its own transaction', async () => {
    const { aggregates, deps, totalClicks, reports } = await setup();
    const clicksBefore = await totalClicks();
    const reportsBefore = await reports();
    const last = DAYS[3]!;
    const turns = new DayTurns(deps);
    await turns.reached(ACME, `${last}/00`);
    const busy = bucketId({ kind: 'rolled', day: last, linkId: 'spring' });
    const roll = aggregates.rollUpBuckets.bind(aggregates);
    const transactions = jest.spyOn(aggregates, 'rollUpBuckets').mockImplementation(async (...args) => {
      if (Object.keys(args[2]).includes(busy)) throw new WriteConflictError();
      return roll(...args);
    });
    const result = await turns.reached(ACME, `${last}/02`);
    expect(result).toMatchObject({ days: [last], conflicts: 1, complete: false });
    // Every group in a transaction of its own: only the busy one is left in its written buckets.
    for (const [, , rolled] of transactions.mock.calls)
      expect(new Set(Object.keys(rolled).map((id) => bucketId(rolledRef(parseBucketId(id))))).size).toBe(1);
    const left = Object.keys(writtenOf(stored(aggregates), () => true));
    expect(left.length).toBe(result!.left);
    expect(left.length).toBeGreaterThan(0);
    expect(left.filter((id) => bucketId(rolledRef(parseBucketId(id))) !== busy)).toEqual([]);
    expect(await totalClicks()).toBe(clicksBefore);
    expect(await reports()).toEqual(reportsBefore);
  });

  test('out of time after the finished days, the day so far waits for the next batch of the same turn', async () => {
    const { aggregates, deps } = await setup();
    const last = DAYS[3]!;
    let now = 0;
    const turns = new DayTurns(deps, { now: () => now, budgetMs: 5_000 });
    const list = aggregates.listUnrolled.bind(aggregates);
    jest.spyOn(aggregates, 'listUnrolled').mockImplementation(async (...args) => {
      now += 3_000;
      return list(...args);
    });
    expect(await turns.reached(ACME, `${last}/02`)).toMatchObject({ days: DAYS.slice(0, 3), complete: true });
    expect(Object.keys(writtenOf(stored(aggregates), (d) => d === last)).length).toBeGreaterThan(0);
    now = 0;
    expect(await turns.reached(ACME, `${last}/02`)).toMatchObject({ days: [last], left: 0 });
    expect(writtenOf(stored(aggregates), () => true)).toEqual({});
    expect(await turns.reached(ACME, `${last}/02`)).toBeNull();
  });

  test('a pass over the day so far that meets a conflict leaves that group in its written buckets for the next turn, and is not repeated within its turn', async () => {
    const { aggregates, deps, totalClicks, reports } = await setup();
    const clicksBefore = await totalClicks();
    const reportsBefore = await reports();
    const turns = new DayTurns(deps);
    const last = DAYS[3]!;
    await turns.reached(ACME, `${last}/00`);
    const transactions = jest.spyOn(aggregates, 'rollUpBuckets').mockRejectedValue(new WriteConflictError());
    const result = await turns.reached(ACME, `${last}/02`);
    expect(result).toMatchObject({ sources: 0, complete: false });
    expect(result!.left).toBeGreaterThan(0);
    const calls = transactions.mock.calls.length;
    expect(await turns.reached(ACME, `${last}/02`)).toBeNull();
    expect(transactions.mock.calls.length).toBe(calls);
    expect(await reports()).toEqual(reportsBefore);

    transactions.mockRestore();
    expect(await turns.reached(ACME, `${last}/03`)).toMatchObject({ days: [last], left: 0 });
    expect(writtenOf(stored(aggregates), () => true)).toEqual({});
    expect(await totalClicks()).toBe(clicksBefore);
    expect(await reports()).toEqual(reportsBefore);
  });
});
