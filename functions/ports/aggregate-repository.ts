import type { AccountSettings } from '../domain/account-settings';
import type { Contribution, DayRange } from '../domain/aggregates';
import type { ConversionRecord } from '../domain/conversion';
import type { StoredBucket } from '../domain/link-report';
import type { CommissionEventRecord } from '../domain/order';

/** The contribution an order last applied to the aggregates, and its version (for the conditional write). */
export interface AppliedContribution {
  readonly contribution: Contribution;
  readonly version: number;
}

/** A click or pixel hit not yet counted in the aggregates (from the table stream). */
export interface UncountedTraffic {
  readonly key: 'click' | 'pixel_hit';
  readonly id: string;
}

export interface TrafficCount {
  readonly traffic: UncountedTraffic;
  readonly delta: Contribution;
}

/** A written bucket of a day not rolled yet, with the version its next write will change (null: unversioned). */
export interface UnrolledBucket {
  readonly bucket: StoredBucket;
  readonly version: number | null;
}

/** The report aggregates and what keeps them exact (see functions/domain/aggregates.ts). */
export interface AggregateRepository {
  /** An order's conversions, commission events and last applied contribution: one query of its partition. */
  readOrder(
    accountId: string,
    orderId: string,
  ): Promise<{
    conversions: ConversionRecord[];
    events: CommissionEventRecord[];
    applied: AppliedContribution | null;
  }>;
  /**
   * Moves the buckets by `delta` and stores `next` as the order's contribution, in one transaction that
   * holds only if the stored contribution is still the one read (`read`): else WriteConflictError.
   */
  applyOrderContribution(
    accountId: string,
    orderId: string,
    delta: Contribution,
    next: Contribution,
    read: AppliedContribution | null,
  ): Promise<void>;
  /**
   * Adds traffic to the buckets and marks each click or hit counted, in one transaction per group; a
   * group holding an already counted item is left out whole and its items reported, so nothing counts twice.
   */
  countTraffic(accountId: string, items: readonly TrafficCount[]): Promise<{ alreadyCounted: string[] }>;
  /**
   * Buckets whose UTC day is in [fromDay, toDay] (YYYY-MM-DD; null: unbounded). For the days in
   * `wholeDays`: the written buckets with their day totals alone (no quarter-hours: see dayTotalAttribute;
   * one holding no day total, written before they existed, comes whole) and the day-totals items of the
   * rolled buckets, never the rolled buckets. For the other days: every written and rolled bucket whole,
   * never a day-totals item. One snapshot as far as roll-ups go: a roll-up committing during the read is
   * in it entirely or not at all, so no figure is found both written and rolled, or in neither.
   */
  listBuckets(
    accountId: string,
    fromDay: string | null,
    toDay: string | null,
    wholeDays?: readonly DayRange[],
  ): Promise<StoredBucket[]>;
  /**
   * The written buckets (traffic shards and sales, isWrittenBucket) of the UTC days from `fromDay` (null: the
   * first) to the day before `beforeDay`, whole and consistently read: what a roll-up moves.
   */
  listUnrolled(
    accountId: string,
    fromDay: string | null,
    beforeDay: string,
    /** At most this many from each partition, the oldest (unbounded when absent). */
    limitPerPartition?: number,
  ): Promise<UnrolledBucket[]>;
  /**
   * In one transaction: deletes the `sources` (each only if still at the version read) and adds `rolled`
   * (their figures under rolled and day-totals bucket ids: rolledContribution). WriteConflictError, and
   * nothing moved, if any source changed or is gone, or a rolled bucket was written meanwhile.
   */
  rollUpBuckets(
    accountId: string,
    sources: ReadonlyArray<{ readonly id: string; readonly version: number | null }>,
    rolled: Contribution,
  ): Promise<void>;
  /** Moves buckets by a reconciliation's corrections (no order snapshot involved). */
  addToBuckets(accountId: string, delta: Contribution): Promise<void>;
  /** A conversion whose click is not known yet: the click's arrival refreshes the order (see refreshOrderAggregate). */
  awaitClick(clickId: string, accountId: string, orderId: string): Promise<void>;
  /** The orders waiting for each of these clicks. */
  findClickWaiters(
    clickIds: readonly string[],
  ): Promise<Map<string, Array<{ accountId: string; orderId: string }>>>;
  getSettings(accountId: string): Promise<AccountSettings | null>;
  putSettings(settings: AccountSettings): Promise<void>;
}
