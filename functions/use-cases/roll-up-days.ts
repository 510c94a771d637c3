/**
 * Rolling finished days: the written buckets of the UTC days before a given day (traffic shards, sales) are
 * moved into their rolled buckets, one per day and link for traffic and per day, link and product for sales,
 * each with its day-totals item (functions/domain/aggregates.ts, rolledContribution), each group in one
 * transaction that deletes its sources only as they were read. A click or sale counted into a source
 * meanwhile makes the transaction fail whole: the group is read again and rolled with it. Nothing is lost or
 * counted twice whatever runs at the same time (another roll-up, the aggregator, the consumer, a
 * reconciliation), and a roll-up that stops half-way leaves every figure where a read finds it.
 *
 * Cost (transactional writes, twice the units of plain ones; a delete costs the deleted item's size): per
 * link and day at saturation, 16 traffic shard deletes (2 units each), the rolled traffic item (2, its
 * quarter-hours packed) and its day totals (2): 36 units, next to that day's clicks at 1 unit each; per
 * link, product and day, the sales item's delete (6), the rolled sales item (4) and its day totals (2): 12.
 * A report read in the moment a roll-up's transaction commits is still one snapshot: the adapter reads the
 * day-totals items, which every such transaction moves, before and after the other partitions, and reads a
 * group that moved between the two again alone (DynamoAggregateRepository.listBuckets). Reads: the unrolled
 * items once (9 queries; a day already rolled has none left) and the rolled buckets they go into (one
 * consistent batch read, as they are written whole).
 */
import { bucketId, parseBucketId, rolledContribution, rolledRef, slotOfInstant } from '../domain/aggregates';
import { WriteConflictError } from '../domain/errors';
import type { AggregateRepository, UnrolledBucket } from '../ports/aggregate-repository';
import type { NewTraffic } from './count-new-traffic';

export interface RollUpDependencies {
  readonly aggregates: Pick<AggregateRepository, 'listUnrolled' | 'rollUpBuckets'>;
}

export interface RollUpResult {
  /** The UTC days whose buckets were rolled. */
  readonly days: string[];
  /** Written buckets moved, and the rolled buckets they moved into (each with its day-totals item). */
  readonly sources: number;
  readonly rolled: number;
  /** Transactions that failed because a write landed in one of their groups meanwhile (read again). */
  readonly conflicts: number;
  /** Written buckets read but still unrolled after the last attempt (rolled the next time). */
  readonly left: number;
  /** Whether nothing was left to roll at the end (false: a conflict or a bound stopped it; more may remain). */
  readonly complete: boolean;
}

/** Items one transaction holds (DynamoDB's limit); a group is at most 8 shards x 2 figures + 2. */
const TRANSACTION_ITEMS = 100;
const ATTEMPTS = 4;
const CONCURRENT_TRANSACTIONS = 4;
/** What a group writes beside deleting its sources: its rolled bucket and that bucket's day totals. */
const WRITES_PER_GROUP = 2;
/** A day turn's roll-up: at most this long per batch, this many written items a partition per read. */
const DAY_TURN_BUDGET_MS = 5_000;
const DAY_TURN_ITEMS_PER_READ = 200;

/** Groups by rolled bucket, packed into transactions of at most `limit` items: each group whole in one. */
function transactions(unrolled: readonly UnrolledBucket[], limit: number): UnrolledBucket[][] {
  const groups = new Map<string, UnrolledBucket[]>();
  for (const entry of unrolled) {
    const id = bucketId(rolledRef(entry.bucket.ref));
    (groups.get(id) ?? groups.set(id, []).get(id)!).push(entry);
  }
  const packed: UnrolledBucket[][] = [];
  let current: UnrolledBucket[] = [];
  let size = 0;
  for (const group of groups.values()) {
    if (size + group.length + WRITES_PER_GROUP > limit && current.length > 0) {
      packed.push(current);
      current = [];
      size = 0;
    }
    current.push(...group);
    size += group.length + WRITES_PER_GROUP;
  }
  if (current.length > 0) packed.push(current);
  return packed;
}

/** Bounds for a roll-up that must not hold up its caller (the first one after deploying may find months). */
export interface RollUpBounds {
  /** Written buckets read at a time from each partition, oldest first. */
  readonly itemsPerRead?: number;
  /** Once this says the time is up, no further read starts: what is left is rolled the next time. */
  readonly timeUp?: () => boolean;
}

/** Rolls the written buckets of the UTC days from `fromDay` (null: the first) to the day before `beforeDay`. */
export async function rollUpDays(
  deps: RollUpDependencies,
  accountId: string,
  beforeDay: string,
  fromDay: string | null = null,
  bounds: RollUpBounds = {},
): Promise<RollUpResult> {
  const days = new Set<string>();
  const rolledIds = new Set<string>();
  let sources = 0;
  let conflicts = 0;
  let left = 0;
  let complete = false;
  // Each round reads what is left (oldest first, `itemsPerRead` a partition) and rolls it; a round after a
  // conflict packs one group a transaction, so a busy group no longer holds back the others.
  for (let conflictedRounds = 0; ;) {
    const unrolled = await deps.aggregates.listUnrolled(accountId, fromDay, beforeDay, bounds.itemsPerRead);
    left = unrolled.length;
    if (unrolled.length === 0) {
      complete = true;
      break;
    }
    let conflicted = false;
    const packs = transactions(unrolled, conflictedRounds === 0 ? TRANSACTION_ITEMS : 0);
    const roll = async (group: UnrolledBucket[]) => {
      const rolled = rolledContribution(group.map((entry) => entry.bucket));
      try {
        await deps.aggregates.rollUpBuckets(
          accountId,
          group.map(({ bucket, version }) => ({ id: bucketId(bucket.ref), version })),
          rolled,
        );
      } catch (error) {
        if (!(error instanceof WriteConflictError)) throw error;
        conflicts++;
        conflicted = true;
        return;
      }
      sources += group.length;
      left -= group.length;
      for (const entry of group) days.add(entry.bucket.ref.day);
      for (const id of Object.keys(rolled)) if (parseBucketId(id).kind !== 'dayTotals') rolledIds.add(id);
    };
    // A few transactions at a time: an account with a thousand links rolls its day in seconds.
    for (let next = 0; next < packs.length; next += CONCURRENT_TRANSACTIONS)
      await Promise.all(packs.slice(next, next + CONCURRENT_TRANSACTIONS).map(roll));
    if (conflicted) conflictedRounds++;
    // Unbounded, a round without conflict rolled everything there was.
    if (!conflicted && bounds.itemsPerRead === undefined) {
      complete = true;
      break;
    }
    if (conflictedRounds >= ATTEMPTS || bounds.timeUp?.()) break;
  }
  return { days: [...days].sort(), sources, rolled: rolledIds.size, conflicts, left, complete };
}

/**
 * When an account's traffic or postbacks first show a later UTC day, rolls the days before it: the
 * aggregator's and the consumer's trigger. Remembered per process once complete (a cold start checks once
 * more: 9 queries, half a read unit each when nothing is left), so an account costs one check a day per
 * running copy, not one per batch. Bounded: a few seconds and a few hundred items a read, so months of
 * history (the first roll-up after deploying) are rolled a batch at a time, never holding one up for long.
 */
export class DayTurns {
  private readonly rolledBefore = new Map<string, string>();
  constructor(
    private readonly deps: RollUpDependencies,
    private readonly options: {
      readonly now?: () => number;
      readonly budgetMs?: number;
      readonly itemsPerRead?: number;
    } = {},
  ) {}

  async reached(accountId: string, latestDay: string): Promise<RollUpResult | null> {
    if ((this.rolledBefore.get(accountId) ?? '') >= latestDay) return null;
    const now = this.options.now ?? Date.now;
    const deadline = now() + (this.options.budgetMs ?? DAY_TURN_BUDGET_MS);
    const result = await rollUpDays(this.deps, accountId, latestDay, null, {
      itemsPerRead: this.options.itemsPerRead ?? DAY_TURN_ITEMS_PER_READ,
      timeUp: () => now() >= deadline,
    });
    if (result.complete) this.rolledBefore.set(accountId, latestDay);
    return result;
  }
}

/** Each account's latest UTC day among some moments (a batch's clicks, its postbacks' arrivals). */
export function latestDayPerAccount(
  moments: Iterable<{ readonly accountId: string; readonly at: string }>,
): Map<string, string> {
  const latest = new Map<string, string>();
  for (const { accountId, at } of moments) {
    if (!Number.isFinite(Date.parse(at))) continue;
    const { day } = slotOfInstant(at);
    if ((latest.get(accountId) ?? '') < day) latest.set(accountId, day);
  }
  return latest;
}

/** Each account's latest UTC day in a batch of traffic. */
export function latestDays(traffic: readonly NewTraffic[]): Map<string, string> {
  return latestDayPerAccount(traffic.map((item) => (item.entity === 'click' ? item.click : item.hit)));
}
