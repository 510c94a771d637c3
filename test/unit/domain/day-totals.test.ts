/**
 * Day totals (functions/domain/aggregates.ts, functions/domain/link-report.ts): their names, that every
 * contribution moves them with its quarter-hours, which days a report may read as totals, and that a
 * report answered from totals gives exactly the figures it gives from the quarter-hours alone, whichever
 * days' traffic was rolled (functions/use-cases/roll-up-days.ts) and whatever landed after.
 */
import fc from 'fast-check';
import {
  DAY_TOTAL_ATTRIBUTES,
  FIGURES,
  SLOTS_PER_DAY,
  bucketId,
  countFigure,
  dayTotalAttribute,
  daySegments,
  diffContributions,
  figureAttribute,
  groupOf,
  parseBucketId,
  rolledContribution,
  rolledRef,
  parseFigureAttribute,
  trafficContribution,
  type BucketRef,
  type Contribution,
  type Figure,
} from '../../../functions/domain/aggregates';
import {
  DATE_BASES,
  GROUP_BY,
  buildLinkReport,
  wholeDays,
  type ReportRequest,
  type StoredBucket,
} from '../../../functions/domain/link-report';
import { rollUpDays } from '../../../functions/use-cases/roll-up-days';
import { InMemoryAggregates, InMemoryLedger } from '../../support/fakes';

const figures = Object.keys(FIGURES) as Figure[];
const ms = (iso: string) => Date.parse(iso);

/** For each bucket, figure and basis: the quarter-hours add up to the day total. */
function totalsMatchSlots(contribution: Contribution) {
  for (const [id, attributes] of Object.entries(contribution)) {
    const sums = new Map<string, number>();
    for (const [name, amount] of Object.entries(attributes)) {
      const parsed = parseFigureAttribute(name)!;
      if (parsed.slot === null) continue;
      const total = dayTotalAttribute(parsed.figure, parsed.saleBasis);
      sums.set(total, (sums.get(total) ?? 0) + amount);
    }
    for (const name of new Set([...sums.keys(), ...Object.keys(attributes).filter((n) => n.endsWith('D'))]))
      expect([id, name, attributes[name] ?? 0]).toEqual([id, name, sums.get(name) ?? 0]);
  }
}

test('day totals are named `{code}D` (`s{code}D` by sale date): never a quarter-hour, never another figure', () => {
  const names = figures.flatMap((figure) =>
    [false, true].flatMap((sale) => [
      dayTotalAttribute(figure, sale),
      ...Array.from({ length: SLOTS_PER_DAY }, (_, slot) => figureAttribute(figure, slot, sale)),
    ]),
  );
  expect(new Set(names).size).toBe(figures.length * 2 * (SLOTS_PER_DAY + 1));
  expect(dayTotalAttribute('clicks')).toBe('cD');
  expect(dayTotalAttribute('refunds', true)).toBe('srD');
  expect(parseFigureAttribute('cD')).toEqual({ figure: 'clicks', slot: null, saleBasis: false });
  expect(parseFigureAttribute('sgD')).toEqual({
    figure: 'grossCommissionCents',
    slot: null,
    saleBasis: true,
  });
  expect(parseFigureAttribute('sg95')).toEqual({ figure: 'grossCommissionCents', slot: 95, saleBasis: true });
  for (const name of ['sk', 'pk', 'entity', 'c96', 'zD', 'cd', 'sD', 'c'])
    expect(parseFigureAttribute(name)).toBeNull();
  expect([...DAY_TOTAL_ATTRIBUTES].sort()).toEqual(
    figures.flatMap((f) => [dayTotalAttribute(f), dayTotalAttribute(f, true)]).sort(),
  );
});

test('a contribution moves each day total by what it adds to the quarter-hours: traffic, counts, diffs', () => {
  const traffic = trafficContribution('clicks', '2026-11-25T10:40:00.000Z', 'l-1', 3);
  expect(traffic).toEqual({ 'T|3|2026-11-25|clicks|l-1': { c42: 1, cD: 1 } });
  const ref: BucketRef = { kind: 'sales', day: '2026-11-25', linkId: 'l-1', productId: null };
  const before: Contribution = {};
  countFigure(before, ref, 'netCommissionCents', 4, false, 1000);
  countFigure(before, ref, 'netCommissionCents', 9, true, 1000);
  const after: Contribution = {};
  countFigure(after, ref, 'netCommissionCents', 4, false, 1000);
  countFigure(after, ref, 'netCommissionCents', 70, false, -400);
  const delta = diffContributions(before, after);
  expect(delta).toEqual({ [bucketId(ref)]: { n70: -400, nD: -400, sn9: -1000, snD: -1000 } });
  for (const contribution of [traffic, before, after, delta]) totalsMatchSlots(contribution);
});

describe('wholeDays: the UTC days a report may read as day totals', () => {
  const range = (from: string | null, to: string | null, groupBy: ReportRequest['groupBy'] = 'link') => ({
    groupBy,
    timeZone: 'UTC',
    fromMs: from === null ? null : ms(from),
    toMs: to === null ? null : ms(to),
  });
  test.each([
    ['2026-11-20T10:07:00Z', '2026-11-25T13:52:00Z', [{ from: '2026-11-21', to: '2026-11-24' }]],
    ['2026-11-20T00:00:00Z', '2026-11-25T23:45:00Z', [{ from: '2026-11-20', to: '2026-11-25' }]],
    ['2026-11-20T00:14:59.999Z', '2026-11-25T23:44:59.999Z', [{ from: '2026-11-20', to: '2026-11-24' }]],
    ['2026-11-20T00:15:00Z', '2026-11-25T23:59:59.999Z', [{ from: '2026-11-21', to: '2026-11-25' }]],
    ['2026-11-20T00:00:00Z', '2026-11-20T23:44:59Z', []],
    ['2026-11-20T03:00:00Z', '2026-11-21T22:00:00Z', []],
    [null, '2026-11-25T12:00:00Z', [{ from: null, to: '2026-11-24' }]],
    ['2026-11-20T12:00:00Z', null, [{ from: '2026-11-21', to: null }]],
    [null, null, [{ from: null, to: null }]],
  ] as const)('from %s to %s (a quarter-hour counts when it overlaps the range)', (from, to, expected) => {
    expect(wholeDays(range(from, to))).toEqual(expected);
  });

  test('a daily series: only UTC days that are one day of the zone (UTC, London in winter; never New York or +05:45)', () => {
    const series = (timeZone: string, from: string, to: string) =>
      wholeDays({ ...range(from, to, 'day'), timeZone });
    expect(series('UTC', '2026-11-20T06:00:00Z', '2026-11-23T06:00:00Z')).toEqual([
      { from: '2026-11-21', to: '2026-11-22' },
    ]);
    expect(series('America/New_York', '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual([]);
    expect(series('Asia/Kathmandu', '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual([]);
    // London leaves UTC on 2026-03-29 at 01:00 UTC (that UTC day ends on London's 30th) and comes back on
    // 2026-10-25 at 01:00 UTC (that UTC day is London's 25th from 01:00 BST to 23:59 GMT: one day).
    expect(series('Europe/London', '2026-03-26T00:00:00Z', '2026-10-27T23:59:59Z')).toEqual([
      { from: '2026-03-26', to: '2026-03-28' },
      { from: '2026-10-25', to: '2026-10-27' },
    ]);
  });
});

test('daySegments cuts a day range into stretches read as totals and stretches read whole, covering it once', () => {
  expect(daySegments('2026-11-19', '2026-11-26', [{ from: '2026-11-21', to: '2026-11-24' }])).toEqual([
    { from: '2026-11-19', to: '2026-11-20', totals: false },
    { from: '2026-11-21', to: '2026-11-24', totals: true },
    { from: '2026-11-25', to: '2026-11-26', totals: false },
  ]);
  expect(daySegments('2026-11-19', '2026-11-26', [])).toEqual([
    { from: '2026-11-19', to: '2026-11-26', totals: false },
  ]);
  expect(daySegments(null, null, [{ from: null, to: null }])).toEqual([
    { from: null, to: null, totals: true },
  ]);
  expect(daySegments(null, '2026-11-25', [{ from: null, to: '2026-11-24' }])).toEqual([
    { from: null, to: '2026-11-24', totals: true },
    { from: '2026-11-25', to: '2026-11-25', totals: false },
  ]);
  expect(
    daySegments('2026-03-25', '2026-03-31', [
      { from: '2026-03-30', to: '2026-04-02' },
      { from: '2026-03-26', to: '2026-03-26' },
    ]),
  ).toEqual([
    { from: '2026-03-25', to: '2026-03-25', totals: false },
    { from: '2026-03-26', to: '2026-03-26', totals: true },
    { from: '2026-03-27', to: '2026-03-29', totals: false },
    { from: '2026-03-30', to: '2026-03-31', totals: true },
  ]);
  expect(daySegments('2026-12-01', null, [{ from: '2026-12-01', to: '9999-12-31' }])).toEqual([
    { from: '2026-12-01', to: '9999-12-31', totals: true },
  ]);
});

test('groupOf: every bucket a roll-up moves figures between, for any member of the group', () => {
  const traffic = groupOf({ kind: 'traffic', figure: 'clicks', day: '2026-11-20', linkId: 'l-1', shard: 3 });
  expect(traffic.written.map(bucketId).sort()).toEqual(
    Array.from({ length: 8 }, (_, shard) => [
      `T|${shard}|2026-11-20|clicks|l-1`,
      `T|${shard}|2026-11-20|pageviews|l-1`,
    ])
      .flat()
      .sort(),
  );
  expect([bucketId(traffic.rolled), bucketId(traffic.dayTotals)]).toEqual([
    'R|2026-11-20|l-1',
    'D|R|2026-11-20|l-1',
  ]);
  const sales = groupOf(parseBucketId('D|Q|2026-11-20|~|p%7C1'));
  expect([...sales.written, sales.rolled, sales.dayTotals].map(bucketId)).toEqual([
    'S|2026-11-20|~|p%7C1',
    'Q|2026-11-20|~|p%7C1',
    'D|Q|2026-11-20|~|p%7C1',
  ]);
  // Whatever a roll-up of written buckets writes stays inside their group.
  const written = [
    ...traffic.written.map((ref) => ({ ref, attributes: { [figureAttribute('clicks', 7)]: 1 } })),
    ...sales.written.map((ref) => ({ ref, attributes: { [figureAttribute('purchases', 9)]: 2 } })),
  ];
  for (const id of Object.keys(rolledContribution(written))) {
    const group = groupOf(parseBucketId(id));
    expect([group.rolled, group.dayTotals].map(bucketId)).toContain(id);
    expect(bucketId(rolledRef(parseBucketId(id)))).toBe(bucketId(group.rolled));
  }
});

describe('the report counts a bucket by its quarter-hours when it has any, else by its day totals', () => {
  const request = (overrides: Partial<ReportRequest>): ReportRequest => ({
    groupBy: 'link',
    dateBasis: 'event',
    timeZone: 'UTC',
    fromMs: ms('2026-11-20T10:00:00Z'),
    toMs: ms('2026-11-26T10:00:00Z'),
    links: new Map([['l-1', null]]),
    products: new Map(),
    ...overrides,
  });
  const bucket = (day: string, attributes: Record<string, number>): StoredBucket => ({
    ref: { kind: 'traffic', figure: 'clicks', day, linkId: 'l-1', shard: 0 },
    attributes,
  });
  const clicks = (buckets: StoredBucket[], overrides: Partial<ReportRequest> = {}) =>
    buildLinkReport(buckets, request(overrides)).map((row) => [Object.values(row)[0], row.clicks]);

  test('a bucket read whole never counts its totals too (nor instead: a wrong total changes nothing)', () => {
    expect(clicks([bucket('2026-11-22', { c0: 2, c95: 3, cD: 5 })])).toEqual([['l-1', 5]]);
    expect(clicks([bucket('2026-11-22', { c0: 2, c95: 3, cD: 500 })])).toEqual([['l-1', 5]]);
    // An edge day: only its quarter-hours inside the range count.
    expect(clicks([bucket('2026-11-20', { c39: 2, c40: 3, cD: 5 })])).toEqual([['l-1', 3]]);
  });

  test('a bucket that came with its totals alone counts them once, in its day’s row', () => {
    expect(clicks([bucket('2026-11-22', { cD: 7 }), bucket('2026-11-23', { cD: 1 })])).toEqual([['l-1', 8]]);
    const days = clicks([bucket('2026-11-22', { cD: 7 })], { groupBy: 'day' });
    expect(days.filter(([, n]) => n)).toEqual([['2026-11-22', 7]]);
  });

  test('totals of a day the range does not cover whole are a bug: the report throws rather than miscount', () => {
    expect(() => clicks([bucket('2026-11-20', { cD: 7 })])).toThrow(/does not cover that day whole/);
    expect(() =>
      clicks([bucket('2026-11-22', { cD: 7 })], { groupBy: 'day', timeZone: 'America/New_York' }),
    ).toThrow(/does not cover that day whole/);
  });
});

describe('property: a report read with day totals gives exactly the figures of the quarter-hours alone', () => {
  const ZONES = ['UTC', 'America/New_York', 'Asia/Kathmandu', 'Europe/London', 'Asia/Kolkata'];
  const START = ms('2026-03-24T00:00:00Z');
  const SPAN = 10 * 86_400_000; // across London's and Kathmandu's days, and London's change of offset
  const LINKS = ['l-1', 'l-2', null];
  const countArb = fc.record({
    at: fc.integer({ min: START, max: START + SPAN }),
    saleAt: fc.integer({ min: START, max: START + SPAN }),
    traffic: fc.boolean(),
    figure: fc.constantFrom(...figures.filter((f) => f !== 'clicks' && f !== 'pageviews')),
    link: fc.constantFrom(...LINKS),
    product: fc.constantFrom('p-1', 'p-2', null),
    shard: fc.integer({ min: 0, max: 7 }),
    amount: fc.integer({ min: -3, max: 9 }),
  });
  const boundArb = fc.option(fc.integer({ min: START - 86_400_000, max: START + SPAN + 86_400_000 }), {
    nil: null,
  });

  type Count = typeof countArb extends fc.Arbitrary<infer T> ? T : never;
  function build(counts: readonly Count[]): Contribution {
    const contribution: Contribution = {};
    for (const c of counts) {
      const slotOf = (at: number) => {
        const day = new Date(at).toISOString().slice(0, 10);
        return { day, slot: Math.floor((at - ms(`${day}T00:00:00Z`)) / 900_000) };
      };
      const event = slotOf(c.at);
      if (c.traffic) {
        const figure = c.amount % 2 ? 'clicks' : 'pageviews';
        countFigure(
          contribution,
          { kind: 'traffic', figure, day: event.day, linkId: c.link, shard: c.shard },
          figure,
          event.slot,
          false,
          Math.abs(c.amount) + 1,
        );
        continue;
      }
      const sale = slotOf(c.saleAt);
      const ref = (day: string): BucketRef => ({ kind: 'sales', day, linkId: c.link, productId: c.product });
      countFigure(contribution, ref(event.day), c.figure, event.slot, false, c.amount);
      countFigure(contribution, ref(sale.day), c.figure, sale.slot, true, c.amount);
    }
    return contribution;
  }

  /** The same buckets as they were before the totals: quarter-hours only, every bucket read whole. */
  const withoutTotals = (contribution: Contribution): StoredBucket[] =>
    Object.entries(contribution).map(([id, attributes]) => ({
      ref: parseBucketId(id),
      attributes: Object.fromEntries(Object.entries(attributes).filter(([name]) => !name.endsWith('D'))),
    }));

  test('any buckets, range (edges at any millisecond), zone, grouping and date basis; any days rolled, late clicks after', async () => {
    let answeredByTotals = 0;
    let rolled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(countArb, { minLength: 1, maxLength: 40 }),
        boundArb,
        boundArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom(...GROUP_BY),
        fc.constantFrom(...DATE_BASES),
        fc.option(fc.integer({ min: 0, max: 11 })),
        fc.nat(),
        async (counts, a, b, timeZone, groupBy, dateBasis, rollDays, lateFrom) => {
          let [fromMs, toMs] = a !== null && b !== null && a > b ? [b, a] : [a, b];
          if (groupBy === 'day') [fromMs, toMs] = [fromMs ?? START, toMs ?? START + SPAN];
          const contribution = build(counts);
          totalsMatchSlots(contribution);
          const aggregates = new InMemoryAggregates(new InMemoryLedger());
          // Some of the buckets, then the days before START + rollDays rolled, then the rest (clicks and
          // sales that land after their day was rolled): the same report as the buckets never rolled.
          const late = lateFrom % (counts.length + 1);
          await aggregates.addToBuckets('acc', build(counts.slice(0, late)));
          if (rollDays !== null) {
            const beforeDay = new Date(START + rollDays * 86_400_000).toISOString().slice(0, 10);
            if ((await rollUpDays({ aggregates }, 'acc', beforeDay)).sources > 0) rolled++;
          }
          await aggregates.addToBuckets('acc', build(counts.slice(late)));
          const request: ReportRequest = {
            groupBy,
            dateBasis,
            timeZone,
            fromMs,
            toMs,
            links: new Map([
              ['l-1', 'spring'],
              ['l-2', null],
            ]),
            products: new Map([['p-1', 'm-1']]),
          };
          const utcDay = (at: number | null) =>
            at === null ? null : new Date(at).toISOString().slice(0, 10);
          const read = await aggregates.listBuckets('acc', utcDay(fromMs), utcDay(toMs), wholeDays(request));
          if (read.some((bucket) => Object.keys(bucket.attributes).every((name) => name.endsWith('D'))))
            answeredByTotals++;
          expect(buildLinkReport(read, request)).toEqual(
            buildLinkReport(withoutTotals(contribution), request),
          );
        },
      ),
      { numRuns: 400 },
    );
    expect(answeredByTotals).toBeGreaterThan(50); // the totals were read, not just carried
    expect(rolled).toBeGreaterThan(50); // rolled buckets were read, not just possible
  });
});
