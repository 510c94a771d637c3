/**
 * Rolling finished days: the traffic shard buckets of UTC days before a given day are moved into one rolled
 * bucket per day and link (functions/domain/aggregates.ts, rollUp), each group in one transaction that
 * deletes its sources only as they were read. A click counted into a source meanwhile makes the transaction
 * fail whole: the group is read again and rolled with it. Nothing is lost or counted twice whatever runs at
 * the same time (another roll-up, the aggregator, a reconciliation), and a roll-up that stops half-way
 * leaves every figure where a read finds it.
 *
 * Cost: reads the unrolled shard items once (8 queries; none of a day already rolled), writes each source's
 * delete and one rolled item per day and link, as transactional writes (twice the units of plain ones): about
 * 36 write units per link and day at saturation, next to the day's clicks at 1 unit each.
 */
import { bucketId, rollUp, rolledRef, slotOfInstant } from '../domain/aggregates';
import { WriteConflictError } from '../domain/errors';
import type { AggregateRepository, UnrolledBucket } from '../ports/aggregate-repository';
import type { NewTraffic } from './count-new-traffic';

export interface RollUpDependencies {
  readonly aggregates: Pick<AggregateRepository, 'listUnrolledTraffic' | 'rollUpTraffic'>;
}

export interface RollUpResult {
  /** The UTC days whose traffic was rolled. */
  readonly days: string[];
  /** Traffic shard buckets moved, and the rolled buckets they moved into. */
  readonly sources: number;
  readonly rolled: number;
  /** Transactions that failed because a click landed in one of their groups meanwhile (read again). */
  readonly conflicts: number;
  /** Shard buckets still unrolled after the last attempt (rolled the next time). */
  readonly left: number;
}

/** Items one transaction holds (DynamoDB's limit); a group is at most 8 shards x 2 figures + 1. */
const TRANSACTION_ITEMS = 100;
const ATTEMPTS = 4;
const CONCURRENT_TRANSACTIONS = 4;

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
    if (size + group.length + 1 > limit && current.length > 0) {
      packed.push(current);
      current = [];
      size = 0;
    }
    current.push(...group);
    size += group.length + 1;
  }
  if (current.length > 0) packed.push(current);
  return packed;
}

/** Rolls the traffic of the UTC days from `fromDay` (null: the first) to the day before `beforeDay`. */
export async function rollUpTraffic(
  deps: RollUpDependencies,
  accountId: string,
  beforeDay: string,
  fromDay: string | null = null,
): Promise<RollUpResult> {
  const days = new Set<string>();
  const rolledIds = new Set<string>();
  let sources = 0;
  let conflicts = 0;
  let left = 0;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const unrolled = await deps.aggregates.listUnrolledTraffic(accountId, fromDay, beforeDay);
    left = unrolled.length;
    if (unrolled.length === 0) break;
    let conflicted = false;
    // After a conflict, one group a transaction: a busy group no longer holds back the others.
    const packs = transactions(unrolled, attempt === 1 ? TRANSACTION_ITEMS : 0);
    const roll = async (group: UnrolledBucket[]) => {
      const rolled = rollUp(group.map((entry) => entry.bucket));
      try {
        await deps.aggregates.rollUpTraffic(
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
      for (const id of Object.keys(rolled)) rolledIds.add(id);
    };
    // A few transactions at a time: an account with a thousand links rolls its day in seconds.
    for (let next = 0; next < packs.length; next += CONCURRENT_TRANSACTIONS)
      await Promise.all(packs.slice(next, next + CONCURRENT_TRANSACTIONS).map(roll));
    if (!conflicted) break;
  }
  return { days: [...days].sort(), sources, rolled: rolledIds.size, conflicts, left };
}

/**
 * When an account's traffic first shows a later UTC day, rolls the days before it: the aggregator's
 * trigger. Remembered per process (a cold start checks once more: 8 queries, half a read unit each when
 * nothing is left), so an account costs one check a day per running copy, not one per batch.
 */
export class DayTurns {
  private readonly rolledBefore = new Map<string, string>();
  constructor(private readonly deps: RollUpDependencies) {}

  async trafficCounted(accountId: string, latestDay: string): Promise<RollUpResult | null> {
    if ((this.rolledBefore.get(accountId) ?? '') >= latestDay) return null;
    const result = await rollUpTraffic(this.deps, accountId, latestDay);
    if (result.left === 0) this.rolledBefore.set(accountId, latestDay);
    return result;
  }
}

/** Each account's latest UTC day in a batch of traffic. */
export function latestDays(traffic: readonly NewTraffic[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const item of traffic) {
    const { accountId, at } = item.entity === 'click' ? item.click : item.hit;
    const { day } = slotOfInstant(at);
    if ((latest.get(accountId) ?? '') < day) latest.set(accountId, day);
  }
  return latest;
}
