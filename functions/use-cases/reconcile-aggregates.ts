/**
 * Reconciliation: recomputes the aggregates of whole UTC days from the raw items (clicks, pixel hits, each
 * order's conversions and commission events), compares them with the stored buckets and, with `fix`,
 * repairs them: first by doing the work that may be missing (counting uncounted traffic, refreshing the
 * orders), both exactly once, then by correcting whatever drift remains. Traffic is compared per day and
 * link (foldRolled), so a rolled day and one still in its shards compare alike, both as quarter-hours and
 * as the whole days' totals a report reads (where the day-totals items answer for rolled days); a repair
 * rolls the range first, so its corrections land in the rolled buckets that then hold all of it, and in
 * their day-totals items alike. Its cost grows with the raw items of the range: an operator's tool, never
 * a request path.
 */
import {
  bucketId,
  dayTotalsOf,
  dayTotalsRef,
  diffContributions,
  foldRolled,
  parseBucketId,
  shiftDay,
  withDayTotalsItems,
  sumContributions,
  type Contribution,
} from '../domain/aggregates';
import type { StoredBucket } from '../domain/link-report';
import type { AggregateRepository } from '../ports/aggregate-repository';
import type { ConversionRepository } from '../ports/conversion-repository';
import type { TrafficRepository } from '../ports/traffic-repository';
import { countNewTraffic, trafficCounts } from './count-new-traffic';
import { computeOrderContribution, refreshOrderAggregate } from './refresh-order-aggregate';
import { rollUpDays } from './roll-up-days';

export interface ReconcileDependencies {
  readonly aggregates: AggregateRepository;
  readonly ledger: Pick<ConversionRepository, 'listOrderActivity'>;
  readonly traffic: Pick<TrafficRepository, 'listTraffic' | 'getClicks'>;
}

export interface Drift {
  readonly bucket: string;
  readonly attribute: string;
  readonly stored: number;
  readonly expected: number;
}

export interface ReconcileResult {
  readonly fromDay: string;
  readonly toDay: string;
  readonly clicks: number;
  readonly pageviews: number;
  readonly orders: number;
  readonly buckets: number;
  readonly drift: Drift[];
  /** With fix: the drift found before repairing (`drift` is then what remains: none). */
  readonly repaired: Drift[] | null;
}

const inDays = (contribution: Contribution, fromDay: string, toDay: string): Contribution =>
  Object.fromEntries(
    Object.entries(contribution).filter(([id]) => {
      const { day } = parseBucketId(id);
      return day >= fromDay && day <= toDay;
    }),
  );

async function compare(deps: ReconcileDependencies, accountId: string, fromDay: string, toDay: string) {
  const range = { from: `${fromDay}T00:00:00.000Z`, to: `${toDay}T23:59:59.999Z` };
  const [{ clicks, hits }, activity] = await Promise.all([
    deps.traffic.listTraffic(accountId, range),
    deps.ledger.listOrderActivity(accountId, range),
  ]);
  const pageviews = hits.filter((hit) => hit.event === 'pageview');
  const orderIds = [
    ...new Set([...activity.conversions.map((c) => c.orderId), ...activity.events.map((e) => e.orderId)]),
  ];
  const parts: Contribution[] = (await trafficCounts(deps, clicks, pageviews)).map((count) => count.delta);
  for (const orderId of orderIds)
    parts.push((await computeOrderContribution(deps, accountId, orderId, { awaitMissing: false })).next);
  // Compared folded per rolled bucket: the same figures whether a day is rolled or not.
  const expected = foldRolled(inDays(sumContributions(parts), fromDay, toDay));
  const asContribution = (buckets: readonly StoredBucket[]) =>
    foldRolled(Object.fromEntries(buckets.map((bucket) => [bucketId(bucket.ref), { ...bucket.attributes }])));
  // Read as a report reads them: by quarter-hours, and as whole days (day totals, day-totals items).
  const [buckets, wholeDays] = await Promise.all([
    deps.aggregates.listBuckets(accountId, fromDay, toDay),
    deps.aggregates.listBuckets(accountId, fromDay, toDay, [{ from: fromDay, to: toDay }]),
  ]);
  const stored = asContribution(buckets);
  const storedTotals = dayTotalsOf(asContribution(wholeDays));
  const delta = diffContributions(stored, expected);
  // The whole days' totals off by more than the buckets' own totals are: the day-totals items disagree.
  const totalsDelta = diffContributions(
    dayTotalsOf(delta),
    diffContributions(storedTotals, dayTotalsOf(expected)),
  );
  const driftOf = (changes: Contribution, from: Contribution, name: (id: string) => string) =>
    Object.entries(changes).flatMap(([bucket, attributes]) =>
      Object.entries(attributes).map(([attribute, change]) => ({
        bucket: name(bucket),
        attribute,
        stored: from[bucket]?.[attribute] ?? 0,
        expected: (from[bucket]?.[attribute] ?? 0) + change,
      })),
    );
  const totalsItem = (id: string) => bucketId(dayTotalsRef(parseBucketId(id)));
  const drift: Drift[] = [
    ...driftOf(delta, stored, (id) => id),
    ...driftOf(totalsDelta, storedTotals, totalsItem),
  ];
  // What repairs it: the buckets and their day-totals items by the drift, the day-totals items by the rest.
  const correction = sumContributions([
    withDayTotalsItems(delta),
    Object.fromEntries(Object.entries(totalsDelta).map(([id, attributes]) => [totalsItem(id), attributes])),
  ]);
  return { clicks, pageviews, orderIds, buckets: buckets.length, correction, drift };
}

export async function reconcileAggregates(
  deps: ReconcileDependencies,
  accountId: string,
  days: { fromDay: string; toDay: string },
  options: { fix: boolean },
): Promise<ReconcileResult> {
  const { fromDay, toDay } = days;
  let found = await compare(deps, accountId, fromDay, toDay);
  let repaired: Drift[] | null = null;
  if (options.fix && found.drift.length > 0) {
    repaired = found.drift;
    // The work that may be missing, done exactly once; then whatever drift remains is corrected in place.
    await countNewTraffic(deps, [
      ...found.clicks.map((click) => ({ entity: 'click' as const, click })),
      ...found.pageviews.map((hit) => ({ entity: 'pixel_hit' as const, hit })),
    ]);
    for (const orderId of found.orderIds) await refreshOrderAggregate(deps, accountId, orderId);
    // The range's traffic into its rolled buckets first (today's too: its later clicks roll at its next turn), so a
    // correction lands in the item that holds the day's quarter-hours and stays consistent with them.
    await rollUpDays(deps, accountId, shiftDay(toDay, 1), fromDay);
    const remaining = await compare(deps, accountId, fromDay, toDay);
    if (remaining.drift.length > 0) await deps.aggregates.addToBuckets(accountId, remaining.correction);
    found = await compare(deps, accountId, fromDay, toDay);
  }
  return {
    fromDay,
    toDay,
    clicks: found.clicks.length,
    pageviews: found.pageviews.length,
    orders: found.orderIds.length,
    buckets: found.buckets,
    drift: found.drift,
    repaired,
  };
}
