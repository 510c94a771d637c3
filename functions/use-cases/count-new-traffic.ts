/**
 * Counts new clicks and page views into the report aggregates (driven by the table stream, in batches):
 * each is marked counted in the same transaction that adds it, so a redelivered batch adds nothing. A new
 * click also refreshes the orders that were recorded before it and wait for it.
 */
import { trafficContribution } from '../domain/aggregates';
import { shardOf } from '../domain/shards';
import type { TrafficCount } from '../ports/aggregate-repository';
import type { Click, PixelHit } from '../domain/traffic';
import { refreshOrderAggregate, type AggregateDependencies } from './refresh-order-aggregate';

export type NewTraffic =
  | { readonly entity: 'click'; readonly click: Click }
  | { readonly entity: 'pixel_hit'; readonly hit: PixelHit };

/** What new clicks and page views add: each to one slot of its own shard's bucket, page views by their click's link. */
export async function trafficCounts(
  deps: Pick<AggregateDependencies, 'traffic'>,
  clicks: readonly Click[],
  pageviews: readonly PixelHit[],
): Promise<TrafficCount[]> {
  // A page view's click is often in the same batch; only the others are read.
  const known = new Map(clicks.map((click) => [click.clickId, click] as const));
  const viewedClicks = await deps.traffic.getClicks(
    pageviews.flatMap((hit) => (hit.clickId && !known.has(hit.clickId) ? [hit.clickId] : [])),
  );
  for (const [clickId, click] of known) viewedClicks.set(clickId, click);
  const linkOfView = (hit: PixelHit) => {
    const click = hit.clickId ? viewedClicks.get(hit.clickId) : undefined;
    return click && click.accountId === hit.accountId ? click.linkId : null;
  };
  return [
    ...clicks.map((click): TrafficCount => ({
      traffic: { key: 'click', id: click.clickId },
      delta: trafficContribution('clicks', click.at, click.linkId, shardOf(click.clickId)),
    })),
    ...pageviews.map((hit): TrafficCount => ({
      traffic: { key: 'pixel_hit', id: hit.hitId },
      delta: trafficContribution('pageviews', hit.at, linkOfView(hit), shardOf(hit.hitId)),
    })),
  ];
}

export async function countNewTraffic(
  deps: AggregateDependencies,
  traffic: readonly NewTraffic[],
): Promise<{ counted: number; alreadyCounted: number; ordersRefreshed: number }> {
  const clicks = traffic.flatMap((t) => (t.entity === 'click' ? [t.click] : []));
  // Only page views are report figures; a conversion pixel's hit is not counted.
  const pageviews = traffic.flatMap((t) =>
    t.entity === 'pixel_hit' && t.hit.event === 'pageview' ? [t.hit] : [],
  );
  const counts = await trafficCounts(deps, clicks, pageviews);
  const accountOf = new Map([
    ...clicks.map((c) => [c.clickId, c.accountId] as const),
    ...pageviews.map((h) => [h.hitId, h.accountId] as const),
  ]);
  const byAccount = new Map<string, TrafficCount[]>();
  for (const count of counts) {
    const accountId = accountOf.get(count.traffic.id)!;
    (byAccount.get(accountId) ?? byAccount.set(accountId, []).get(accountId)!).push(count);
  }

  let counted = 0;
  let alreadyCounted = 0;
  for (const [accountId, items] of byAccount) {
    const result = await deps.aggregates.countTraffic(accountId, items);
    alreadyCounted += result.alreadyCounted.length;
    counted += items.length - result.alreadyCounted.length;
  }

  let ordersRefreshed = 0;
  const waiters =
    clicks.length > 0 ? await deps.aggregates.findClickWaiters(clicks.map((c) => c.clickId)) : new Map();
  for (const orders of waiters.values()) {
    for (const { accountId, orderId } of orders) {
      await refreshOrderAggregate(deps, accountId, orderId);
      ordersRefreshed++;
    }
  }
  return { counted, alreadyCounted, ordersRefreshed };
}
