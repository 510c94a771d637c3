/**
 * Brings an order's share of the report aggregates up to date with its stored items: recomputes its
 * contribution, moves the buckets by the difference from the one last applied, conditionally on that
 * snapshot. Safe to call any number of times, concurrently, in any order: the same state adds nothing.
 */
import { isIssuedClickId } from '../domain/ids';
import {
  diffContributions,
  orderContribution,
  unresolvedClickIds,
  type Contribution,
} from '../domain/aggregates';
import type { AggregateRepository, AppliedContribution } from '../ports/aggregate-repository';
import type { TrafficRepository } from '../ports/traffic-repository';
import { WriteConflictError } from '../domain/errors';
import type { Click } from '../domain/traffic';

export interface AggregateDependencies {
  readonly aggregates: AggregateRepository;
  readonly traffic: Pick<TrafficRepository, 'getClicks'>;
}

const MAX_ATTEMPTS = 8;
/**
 * After a lost conditional write the order is read again at once (the winner has usually committed); from
 * the second loss on, after a growing pause (10, 20, 40 ... ms, up to half as much again at random), so
 * copies that keep colliding on one busy order (a transaction still in flight cancels ours) spread out
 * instead of retrying in step.
 */
const retryPause = (losses: number) => {
  if (losses < 2) return Promise.resolve();
  const base = 5 * 2 ** (losses - 1);
  return new Promise((resolve) => setTimeout(resolve, base * (1 + Math.random() / 2)));
};

/**
 * An order's contribution as its stored items give it now, and the one it last applied. `awaitMissing`:
 * a conversion recorded before its click registers as waiting for it, then looks again (consistently), so
 * that either this read finds the click or the click's arrival finds the order (countNewTraffic).
 */
export async function computeOrderContribution(
  deps: AggregateDependencies,
  accountId: string,
  orderId: string,
  options: { readonly awaitMissing: boolean },
): Promise<{ next: Contribution; applied: AppliedContribution | null }> {
  const { conversions, events, applied } = await deps.aggregates.readOrder(accountId, orderId);
  const clickIds = unresolvedClickIds(conversions);
  const clicks = clickIds.length > 0 ? await deps.traffic.getClicks(clickIds) : new Map<string, Click>();
  // Another tracker's click ids never become clicks here: only ours are worth waiting for.
  const missing = clickIds.filter((id) => !clicks.has(id) && isIssuedClickId(id));
  if (options.awaitMissing && missing.length > 0) {
    for (const clickId of missing) await deps.aggregates.awaitClick(clickId, accountId, orderId);
    for (const [id, click] of await deps.traffic.getClicks(missing, { consistent: true }))
      clicks.set(id, click);
  }
  const clickLinks = new Map(
    [...clicks].filter(([, click]) => click.accountId === accountId).map(([id, click]) => [id, click.linkId]),
  );
  return { next: orderContribution({ conversions, events, clickLinks }), applied };
}

/** Returns the conditional writes lost to a concurrent refresh (each re-read and decided again). */
export async function refreshOrderAggregate(
  deps: AggregateDependencies,
  accountId: string,
  orderId: string,
): Promise<{ conflicts: number }> {
  for (let attempt = 1; ; attempt++) {
    const { next, applied } = await computeOrderContribution(deps, accountId, orderId, {
      awaitMissing: true,
    });
    const delta = diffContributions(applied?.contribution ?? {}, next);
    if (Object.keys(delta).length === 0) return { conflicts: attempt - 1 };
    try {
      await deps.aggregates.applyOrderContribution(accountId, orderId, delta, next, applied);
      return { conflicts: attempt - 1 };
    } catch (error) {
      if (!(error instanceof WriteConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      await retryPause(attempt);
    }
  }
}
