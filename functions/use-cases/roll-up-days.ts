/**
 * Rolling finished days: the written buckets of the UTC days before a given day (traffic shards, sales) are
 * moved into their rolled buckets, one per day and link for traffic and per day, link and product for sales,
 * each with its day-totals item (functions/domain/aggregates.ts, rolledContribution), each group in one
 * transaction that deletes its sources only as they were read. A click or sale counted into a source
 * meanwhile makes the transaction fail whole: the group is read again and rolled with it. Nothing is lost or
 * counted twice whatever runs at the same time (another roll-up, the aggregator, the consumer, a
 * reconciliation), and a roll-up that stops half-way leaves every figure where a read finds it.
 *
 * Cost (transactional writes, twice the units of plain ones; a delete costs the deleted item's size, 1 KB at
 * least): per link and roll at saturation, 16 traffic shard deletes (2 units each), the rolled traffic item
 * (2, its quarter-hours packed) and its day totals (2): 36 units; per link, product and roll, the sales
 * item's delete (2 to 6, as it fills), the rolled sales item (4) and its day totals (2): 8 to 12. A day is
 * rolled at each of its 3-hour turns and once it is over (DayTurns): 8 rolls, about 4.5% of what its clicks
 * and page views cost at 1 unit each for a saturated account. A report read in the moment a roll-up's
 * transaction commits is still one snapshot: the adapter reads the day-totals items, which every such
 * transaction moves, before and after the other partitions, and reads a group that moved between the two
 * again alone (DynamoAggregateRepository.listBuckets). Reads: the unrolled items once (9 queries; a day
 * already rolled has none left) and the rolled buckets they go into (one consistent batch read, as they are
 * written whole).
 */
import {
  bucketId,
  parseBucketId,
  rolledContribution,
  rolledRef,
  shiftDay,
  slotOfInstant,
} from '../domain/aggregates';
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
  /** At most this many reads (each rolls what it read): 1 for a day still being written. */
  readonly rounds?: number;
  /** Each group in a transaction of its own from the first read (a day still being written: a group that
   * live traffic conflicts with then holds back no other). */
  readonly separately?: boolean;
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
  for (let conflictedRounds = 0, round = 1; ; round++) {
    const unrolled = await deps.aggregates.listUnrolled(accountId, fromDay, beforeDay, bounds.itemsPerRead);
    left = unrolled.length;
    if (unrolled.length === 0) {
      complete = true;
      break;
    }
    let conflicted = false;
    const packs = transactions(
      unrolled,
      conflictedRounds === 0 && !bounds.separately ? TRANSACTION_ITEMS : 0,
    );
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
    if (conflictedRounds >= ATTEMPTS || bounds.timeUp?.() || round === bounds.rounds) break;
  }
  return { days: [...days].sort(), sources, rolled: rolledIds.size, conflicts, left, complete };
}

/**
 * Hours between the roll-ups of the day so far: today's written buckets fill up with the day's traffic (a
 * saturated link's 16 traffic shard items hold 96 quarter-hours each by midnight) and every report whose
 * range reaches now reads them. Rolled every 3 hours, they hold at most 3 hours of quarter-hours; the rest
 * of today is in its rolled buckets, packed, like a finished day's.
 */
export const TURN_HOURS = 3;

/** A moment's turn: its UTC day and which TURN_HOURS part of it (`2026-12-03/05` from 15:00), sortable as text. */
export function turnOf(at: string): string {
  const { day, slot } = slotOfInstant(at);
  return `${day}/${String(Math.floor(slot / (4 * TURN_HOURS))).padStart(2, '0')}`;
}

/**
 * When an account's traffic or postbacks first show a later turn (turnOf), rolls what is before it: first the
 * finished days, until none is left; then, from the day's second turn on, the day so far, in one pass, each
 * group in its own transaction (live traffic keeps landing in the day's written buckets: a group it
 * conflicts with is left for the next turn, which loses nothing, and holds back no other). The pass reads
 * 200 items a partition, oldest first: an account with more of the day's items than that (more than about
 * 100 links with traffic in a shard) rolls the rest once the day is over. The aggregator's and the
 * consumer's trigger. Remembered per process (a cold start checks once more: 9 queries, half a read unit
 * each when nothing is left), so an account costs
 * one check a turn per running copy, not one per batch. Bounded: a few seconds and a few hundred items a
 * read, so months of history (the first roll-up after deploying) are rolled a batch at a time, never
 * holding one up for long.
 */
export class DayTurns {
  /** Per account: the day before which everything is rolled, and the last turn rolled. */
  private readonly rolledBefore = new Map<string, string>();
  private readonly turnRolled = new Map<string, string>();
  constructor(
    private readonly deps: RollUpDependencies,
    private readonly options: {
      readonly now?: () => number;
      readonly budgetMs?: number;
      readonly itemsPerRead?: number;
    } = {},
  ) {}

  /** `latest`: the account's latest turn in a batch (turnOf), or a day (its first turn). */
  async reached(accountId: string, latest: string): Promise<RollUpResult | null> {
    const [day, part = '00'] = latest.split('/') as [string, string?];
    const turn = `${day}/${part}`;
    if ((this.turnRolled.get(accountId) ?? '') >= turn) return null;
    const now = this.options.now ?? Date.now;
    const deadline = now() + (this.options.budgetMs ?? DAY_TURN_BUDGET_MS);
    const bounds = {
      itemsPerRead: this.options.itemsPerRead ?? DAY_TURN_ITEMS_PER_READ,
      timeUp: () => now() >= deadline,
    };
    let finished: RollUpResult | null = null;
    if ((this.rolledBefore.get(accountId) ?? '') < day) {
      finished = await rollUpDays(this.deps, accountId, day, null, bounds);
      if (!finished.complete) return finished;
      this.rolledBefore.set(accountId, day);
    }
    let today: RollUpResult | null = null;
    if (Number(part) > 0) {
      // Out of time after the finished days: the day so far waits for the account's next batch.
      if (bounds.timeUp()) return finished;
      today = await rollUpDays(this.deps, accountId, shiftDay(day, 1), day, {
        ...bounds,
        rounds: 1,
        separately: true,
      });
    }
    this.turnRolled.set(accountId, turn);
    return finished && today ? addResults(finished, today) : (finished ?? today);
  }
}

function addResults(a: RollUpResult, b: RollUpResult): RollUpResult {
  return {
    days: [...new Set([...a.days, ...b.days])].sort(),
    sources: a.sources + b.sources,
    rolled: a.rolled + b.rolled,
    conflicts: a.conflicts + b.conflicts,
    left: a.left + b.left,
    complete: a.complete && b.complete,
  };
}

/** Each account's latest turn (turnOf) among some moments (a batch's clicks, its postbacks' arrivals). */
export function latestTurnPerAccount(
  moments: Iterable<{ readonly accountId: string; readonly at: string }>,
): Map<string, string> {
  const latest = new Map<string, string>();
  for (const { accountId, at } of moments) {
    if (!Number.isFinite(Date.parse(at))) continue;
    const turn = turnOf(at);
    if ((latest.get(accountId) ?? '') < turn) latest.set(accountId, turn);
  }
  return latest;
}

/** Each account's latest turn in a batch of traffic. */
export function latestTurns(traffic: readonly NewTraffic[]): Map<string, string> {
  return latestTurnPerAccount(traffic.map((item) => (item.entity === 'click' ? item.click : item.hit)));
}
