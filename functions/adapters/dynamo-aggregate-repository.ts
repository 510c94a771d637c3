/**
 * The report aggregates in DynamoDB: bucket items moved with ADD inside transactions that also hold what
 * makes them exact (an order's contribution snapshot, conditional on its version; a click's or hit's
 * `counted` mark, conditional on its absence), the clicks awaited by early conversions, account settings.
 */
import { randomInt } from 'node:crypto';
import {
  GetCommand,
  PutCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  DAY_TOTAL_ATTRIBUTES,
  bucketId,
  groupOf,
  daySegments,
  isTotalsDay,
  parseBucketId,
  rolledRef,
  sumContributions,
  type Contribution,
  type DayRange,
} from '../domain/aggregates';
import { keys } from './dynamo-keys';
import { WRITE_SHARDS } from '../domain/shards';
import type { StoredBucket } from '../domain/link-report';
import type { CommissionEventRecord } from '../domain/order';
import type { ConversionRecord } from '../domain/conversion';
import type {
  AggregateRepository,
  AppliedContribution,
  TrafficCount,
  UnrolledBucket,
} from '../ports/aggregate-repository';
import { ServiceUnavailableError, WriteConflictError } from '../domain/errors';
import type { AccountSettings } from '../domain/account-settings';
import { batchGetAll, queryPages, stripKeys, type Item } from './dynamo-items';
import { PACKED_FIGURES, packFigures, unpackFigures } from './packed-figures';

const TRANSACTION_LIMIT = 100;
/** A bucket's write count (not a figure: parseFigureAttribute does not read it). */
const VERSION = 'ver';
const CONFLICT_ATTEMPTS = 6;
/** A bucket's first version is drawn from [0, 2^47): versions stay safe integers for any number of writes. */
const VERSION_STARTS = 2 ** 47;
/** `ADD #a123 :a123, ` is at most 15 characters: 200 of them stay well inside an expression's 4 KB. */
const FIGURES_PER_UPDATE = 200;
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

function cancellationCodes(error: unknown): string[] | null {
  if ((error as Error).name !== 'TransactionCanceledException') return null;
  return ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map(
    (reason) => reason.Code ?? 'None',
  );
}

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

export class DynamoAggregateRepository implements AggregateRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private bucketUpdate(
    accountId: string,
    id: string,
    attributes: Record<string, number>,
  ): TransactItem & { Update: object } {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':entity': 'aggregate' };
    const adds = Object.entries(attributes).map(([attribute, amount], index) => {
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = amount;
      return `#a${index} :a${index}`;
    });
    // Every bucket counts its writes, so a roll-up deletes or replaces it only as it read it. The count
    // starts at a random number whenever the item is created: a written bucket a roll-up deleted and a
    // later click or sale created again must never match a version an older listing read (else a second
    // roll-up from that listing would delete the new item and add the old figures again).
    names['#version'] = VERSION;
    values[':one'] = 1;
    values[':start'] = randomInt(VERSION_STARTS);
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.aggregateBucket(accountId, id),
        UpdateExpression: `ADD ${adds.join(', ')} SET entity = :entity, #version = if_not_exists(#version, :start) + :one`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private bucketUpdates(accountId: string, delta: Contribution) {
    return Object.entries(delta)
      .filter(([, attributes]) => Object.keys(attributes).length > 0)
      .map(([id, attributes]) => this.bucketUpdate(accountId, id, attributes));
  }

  async readOrder(accountId: string, orderId: string) {
    const { items } = await queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.order(accountId, orderId) },
      ConsistentRead: true,
    });
    const snapshot = items.find((item) => item.entity === 'order_aggregate');
    return {
      conversions: items
        .filter((item) => item.entity === 'conversion')
        .map((item) => stripKeys<ConversionRecord>(item)),
      events: items
        .filter((item) => item.entity === 'commission_event')
        .map((item) => stripKeys<CommissionEventRecord>(item)),
      applied: snapshot
        ? { contribution: snapshot.contribution as Contribution, version: snapshot.version as number }
        : null,
    };
  }

  async applyOrderContribution(
    accountId: string,
    orderId: string,
    delta: Contribution,
    next: Contribution,
    read: AppliedContribution | null,
  ): Promise<void> {
    const snapshot: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: keys.order(accountId, orderId),
          sk: keys.orderAggregateSort,
          accountId,
          orderId,
          contribution: next,
          version: (read?.version ?? 0) + 1,
          entity: 'order_aggregate',
        },
        ...(read === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': read.version },
            }),
      },
    };
    const items = [snapshot, ...this.bucketUpdates(accountId, delta)];
    if (items.length > TRANSACTION_LIMIT)
      throw new Error(
        `order ${orderId} touches ${items.length - 1} buckets, more than one transaction holds`,
      );
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      // Another writer applied a contribution first (or is applying one): re-read and decide again.
      const codes = cancellationCodes(error);
      if (codes && (codes[0] === 'ConditionalCheckFailed' || codes.includes('TransactionConflict')))
        throw new WriteConflictError('order aggregate changed meanwhile');
      throw error;
    }
  }

  async countTraffic(accountId: string, items: readonly TrafficCount[]) {
    const alreadyCounted: string[] = [];
    // Groups that fit one transaction: a mark per item plus the buckets they move.
    const groups: TrafficCount[][] = [];
    let group: TrafficCount[] = [];
    let buckets = new Set<string>();
    for (const item of items) {
      const ids = Object.keys(item.delta);
      const grown = new Set([...buckets, ...ids]);
      if (group.length > 0 && group.length + 1 + grown.size > TRANSACTION_LIMIT) {
        groups.push(group);
        group = [];
        buckets = new Set(ids);
      } else buckets = grown;
      group.push(item);
    }
    if (group.length > 0) groups.push(group);

    for (let pending of groups) {
      for (let attempt = 1; pending.length > 0; attempt++) {
        const marks: TransactItem[] = pending.map(({ traffic }) => ({
          Update: {
            TableName: this.tableName,
            Key: traffic.key === 'click' ? keys.click(traffic.id) : keys.pixelHit(traffic.id),
            UpdateExpression: 'SET counted = :true',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(counted)',
            ExpressionAttributeValues: { ':true': true },
          },
        }));
        try {
          await this.client.send(
            new TransactWriteCommand({
              TransactItems: [
                ...marks,
                ...this.bucketUpdates(accountId, sumContributions(pending.map((p) => p.delta))),
              ],
            }),
          );
          break;
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes || attempt >= CONFLICT_ATTEMPTS) throw error;
          const counted = new Set(
            pending.filter((_, index) => codes[index] === 'ConditionalCheckFailed').map((p) => p.traffic.id),
          );
          alreadyCounted.push(...counted);
          pending = pending.filter((p) => !counted.has(p.traffic.id));
          if (counted.size === 0) await pause(attempt);
        }
      }
    }
    return { alreadyCounted };
  }

  /**
   * One snapshot of the buckets, whatever rolls meanwhile. The queries: for each stretch of days, the 8
   * traffic shards and the sales, and for the stretches read whole their day-totals items, for the others
   * their rolled buckets (the whole days project the keys and the day totals only: a saturated traffic
   * bucket reads 2 numbers instead of 96; a written bucket found there without any total, written before
   * the totals, is read again whole).
   *
   * Queries of several partitions are no snapshot: in the moment a roll-up's transaction moves a group
   * (a written day of one link, or of one link and product, into its rolled bucket) they could see its
   * figures in both places or in neither. Every such transaction puts the group's day-totals item at a new
   * version, so the day-totals items of the range are read (consistently, like everything here) before the
   * other partitions and again after them: a group whose day-totals item changed, appeared or went is
   * dropped from what was read and read again alone, all its buckets (groupOf) in one transactional
   * read. The rest is exact: a transaction that committed before the first read of the day totals is seen
   * by every query after it, and one that committed after their second read by none. (That rests on a
   * committed transaction being seen whole by the queries after the first that sees any of it: DynamoDB
   * Local's behaviour; AWS documents queries as read-committed only, so a read within the milliseconds a
   * commit takes to be applied across partitions may still see part of it: docs/RUNBOOK.md section 12.)
   */
  async listBuckets(
    accountId: string,
    fromDay: string | null,
    toDay: string | null,
    wholeDays: readonly DayRange[] = [],
  ): Promise<StoredBucket[]> {
    const segments = daySegments(fromDay, toDay, wholeDays);
    const isWholeDay = (day: string) => isTotalsDay(segments, day);
    const dayTotals = keys.aggregatePartition(accountId, 'dayTotals');
    const totalsFirst = await this.queryRange(dayTotals, fromDay, toDay, [...DAY_TOTAL_ATTRIBUTES, VERSION]);
    const pages = await Promise.all(
      segments.flatMap((segment) =>
        [
          ...this.writtenPartitions(accountId),
          ...(segment.totals ? [] : [keys.aggregatePartition(accountId, 'rolled')]),
        ].map((pk) =>
          this.queryRange(pk, segment.from, segment.to, segment.totals ? DAY_TOTAL_ATTRIBUTES : null),
        ),
      ),
    );
    const read = [...totalsFirst.filter((item) => isWholeDay(dayOf(item))), ...pages.flat()];
    const legacy = new Set(read.filter((item) => isWholeDay(dayOf(item)) && !hasDayTotals(item)));
    const items = [
      ...read.filter((item) => !legacy.has(item)),
      ...(legacy.size === 0
        ? []
        : await batchGetAll(
            this.client,
            this.tableName,
            [...legacy].map((item) => ({ pk: item.pk, sk: item.sk })),
            true,
          )),
    ];
    const totalsAfter = await this.queryRange(dayTotals, fromDay, toDay, [VERSION]);
    const moved = movedGroups(totalsFirst, totalsAfter);
    const kept = items.filter((item) => !moved.has(groupIdOf(item)));
    const reread = await this.readGroups(accountId, [...moved], isWholeDay);
    return [...kept, ...reread].map((item) => toBucket(item, isWholeDay(dayOf(item))));
  }

  /** One partition's items of the UTC days [from, to], consistently read; `names`: only those (and the keys). */
  private async queryRange(
    pk: string,
    from: string | null,
    to: string | null,
    names: readonly string[] | null,
  ): Promise<Item[]> {
    const projected = names ? Object.fromEntries(names.map((name, index) => [`#n${index}`, name])) : null;
    const { items } = await queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': pk,
        ':from': from ?? '0000-00-00',
        ':to': `${to ?? '9999-12-31'}~`,
      },
      ConsistentRead: true,
      ...(projected
        ? {
            ProjectionExpression: ['pk', 'sk', ...Object.keys(projected)].join(', '),
            ExpressionAttributeNames: projected,
          }
        : {}),
    });
    return items;
  }

  /**
   * Groups read alone, each in one transactional read of all its buckets (whole groups a request): a
   * roll-up's transaction is in it entirely or not at all. One that is committing makes the read fail
   * (TransactionConflict): read again.
   */
  private async readGroups(
    accountId: string,
    groups: readonly string[],
    isWholeDay: (day: string) => boolean,
  ): Promise<Item[]> {
    const requests: Item[][] = [];
    let request: Item[] = [];
    for (const group of groups) {
      const ref = parseBucketId(group);
      const { written, rolled, dayTotals } = groupOf(ref);
      // A read of whole days finds a rolled bucket's day-totals item, of the other days the rolled bucket.
      const bucketKeys = [...written, isWholeDay(ref.day) ? dayTotals : rolled].map((member) =>
        keys.aggregateBucket(accountId, bucketId(member)),
      );
      if (request.length + bucketKeys.length > TRANSACTION_LIMIT) {
        requests.push(request);
        request = [];
      }
      request.push(...bucketKeys);
    }
    if (request.length > 0) requests.push(request);
    const found: Item[] = [];
    for (const keysRead of requests)
      for (let attempt = 1; ; attempt++) {
        try {
          const { Responses } = await this.client.send(
            new TransactGetCommand({
              TransactItems: keysRead.map((key) => ({ Get: { TableName: this.tableName, Key: key } })),
            }),
          );
          for (const response of Responses ?? []) if (response.Item) found.push(response.Item as Item);
          break;
        } catch (error) {
          if (!cancellationCodes(error)?.includes('TransactionConflict')) throw error;
          // Live clicks keep today's shard items in transactions: the caller may ask again in a moment.
          if (attempt >= CONFLICT_ATTEMPTS)
            throw new ServiceUnavailableError('The report figures are being rolled up; retry in a moment');
          await pause(attempt);
        }
      }
    return found;
  }

  /** The partitions the write path moves: 8 traffic shards and the sales. */
  private writtenPartitions(accountId: string) {
    return [
      ...Array.from({ length: WRITE_SHARDS }, (_, shard) => keys.aggregatePartition(accountId, shard)),
      keys.aggregatePartition(accountId, 'sales'),
    ];
  }

  /** One query per written partition (a day rolled is deleted from them, so this reads what is left). */
  async listUnrolled(
    accountId: string,
    fromDay: string | null,
    beforeDay: string,
    limitPerPartition?: number,
  ): Promise<UnrolledBucket[]> {
    if (fromDay !== null && fromDay >= beforeDay) return [];
    const pages = await Promise.all(
      this.writtenPartitions(accountId).map((pk) =>
        queryPages(
          this.client,
          {
            TableName: this.tableName,
            // `YYYY-MM-DD` sorts before every sort key of its day (`YYYY-MM-DD#...`): the bound leaves it out.
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :before',
            ExpressionAttributeValues: { ':pk': pk, ':from': fromDay ?? '0000-00-00', ':before': beforeDay },
            ConsistentRead: true,
            ...(limitPerPartition === undefined ? {} : { Limit: limitPerPartition }),
          },
          limitPerPartition,
        ),
      ),
    );
    return pages.flatMap(({ items }) =>
      items.slice(0, limitPerPartition).map((item) => ({
        bucket: toBucket(item),
        version: typeof item[VERSION] === 'number' ? item[VERSION] : null,
      })),
    );
  }

  async rollUpBuckets(
    accountId: string,
    sources: ReadonlyArray<{ readonly id: string; readonly version: number | null }>,
    rolled: Contribution,
  ): Promise<void> {
    const deletes: TransactItem[] = sources.map(({ id, version }) => ({
      Delete: { TableName: this.tableName, Key: keys.aggregateBucket(accountId, id), ...atVersion(version) },
    }));
    // Every group whose sources go puts its day-totals item at a new version, whether or not its day totals
    // move (sources whose figures only moved between quarter-hours add nothing to them): that version is
    // how a read finds that a roll-up committed while it read (listBuckets).
    const written: Contribution = { ...rolled };
    for (const { id } of sources) written[bucketId(groupOf(parseBucketId(id)).dayTotals)] ??= {};
    // The rolled buckets are written whole, their figures packed into one attribute (packed-figures.ts; a
    // rolled sales bucket's ADD of 600 figures would pass the 4 KB an update expression may hold anyway):
    // read, added to, and put back only if no one wrote them meanwhile.
    const targets = Object.keys(written).map((id) => keys.aggregateBucket(accountId, id));
    const current = new Map(
      (await batchGetAll(this.client, this.tableName, targets, true)).map((item) => [
        item.sk as string,
        item,
      ]),
    );
    const puts: TransactItem[] = Object.entries(written).map(([id, attributes]) => {
      const key = keys.aggregateBucket(accountId, id);
      const stored = current.get(key.sk);
      const sum: Record<string, number> = stored ? toBucket(stored).attributes : {};
      for (const [name, amount] of Object.entries(attributes)) sum[name] = (sum[name] ?? 0) + amount;
      const version = typeof stored?.[VERSION] === 'number' ? stored[VERSION] : null;
      // A day-totals item keeps its number attributes: a read of whole days projects them by name.
      const figures = parseBucketId(id).kind === 'dayTotals' ? sum : packFigures(sum);
      return {
        Put: {
          TableName: this.tableName,
          Item: {
            ...key,
            ...figures,
            entity: 'aggregate',
            [VERSION]: (version ?? 0) + 1,
          },
          ...(stored ? atVersion(version) : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      };
    });
    const items = [...deletes, ...puts];
    if (items.length === 0) return;
    if (items.length > TRANSACTION_LIMIT)
      throw new Error(`a roll-up of ${items.length} items is more than one transaction holds`);
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      // A click landed in a source meanwhile (or another roll-up took it, or wrote a rolled bucket): nothing
      // moved; read again.
      const codes = cancellationCodes(error);
      if (codes && (codes.includes('ConditionalCheckFailed') || codes.includes('TransactionConflict')))
        throw new WriteConflictError('buckets changed meanwhile');
      throw error;
    }
  }

  /** A correction may name hundreds of figures of one bucket: sent in parts an update expression holds. */
  async addToBuckets(accountId: string, delta: Contribution): Promise<void> {
    for (const [id, attributes] of Object.entries(delta)) {
      const entries = Object.entries(attributes);
      for (let start = 0; start < entries.length; start += FIGURES_PER_UPDATE) {
        const part = Object.fromEntries(entries.slice(start, start + FIGURES_PER_UPDATE));
        for (const update of this.bucketUpdates(accountId, { [id]: part }))
          await this.client.send(
            new UpdateCommand(update.Update as ConstructorParameters<typeof UpdateCommand>[0]),
          );
      }
    }
  }

  async awaitClick(clickId: string, accountId: string, orderId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.clickWait(clickId),
        UpdateExpression: 'ADD orders :order SET entity = :entity',
        ExpressionAttributeValues: {
          ':order': new Set([`${accountId}|${orderId}`]),
          ':entity': 'click_wait',
        },
      }),
    );
  }

  async findClickWaiters(clickIds: readonly string[]) {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(clickIds)].map((id) => keys.clickWait(id)),
      true,
    );
    const waiters = new Map<string, Array<{ accountId: string; orderId: string }>>();
    for (const item of items) {
      const clickId = (item.pk as string).slice('CLICKWAIT#'.length);
      const orders = [...((item.orders as Set<string> | undefined) ?? [])].map((entry) => {
        const split = entry.indexOf('|');
        return { accountId: entry.slice(0, split), orderId: entry.slice(split + 1) };
      });
      waiters.set(clickId, orders);
    }
    return waiters;
  }

  async getSettings(accountId: string): Promise<AccountSettings | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.settings(accountId) }),
    );
    return result.Item ? stripKeys<AccountSettings>(result.Item) : null;
  }

  async putSettings(settings: AccountSettings): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...settings, ...keys.settings(settings.accountId), entity: 'settings' },
      }),
    );
  }
}

/** The condition that an existing bucket is still at the version read (null: it never had one). */
function atVersion(version: number | null) {
  return {
    ExpressionAttributeNames: { '#version': VERSION },
    ...(version === null
      ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#version)' }
      : { ConditionExpression: '#version = :version', ExpressionAttributeValues: { ':version': version } }),
  };
}

/**
 * A stored bucket's figures: its number attributes, plus a rolled bucket's packed ones (a figure ADDed to a
 * rolled bucket since, by a reconcile --fix, counts beside them until the next roll-up packs it in). Read
 * for a whole day (`dayTotalsOnly`), a bucket holding day totals gives those alone.
 */
function toBucket(item: Item, dayTotalsOnly = false): StoredBucket {
  const attributes: Record<string, number> = {};
  const onlyTotals = dayTotalsOnly && hasDayTotals(item);
  for (const [name, value] of Object.entries(item))
    if (typeof value === 'number' && name !== VERSION && (!onlyTotals || DAY_TOTAL_NAMES.has(name)))
      attributes[name] = value;
  const packed = item[PACKED_FIGURES];
  if (typeof packed === 'string' && !onlyTotals) unpackFigures(packed, attributes);
  return { ref: parseBucketId(bucketIdOf(item)), attributes };
}

const DAY_TOTAL_NAMES = new Set(DAY_TOTAL_ATTRIBUTES);
/** An aggregate item's sort key is its UTC day, `#`, its bucket id. */
const dayOf = (item: Item) => (item.sk as string).slice(0, 10);
const bucketIdOf = (item: Item) => (item.sk as string).slice(11);
const hasDayTotals = (item: Item) => DAY_TOTAL_ATTRIBUTES.some((name) => typeof item[name] === 'number');
/** The rolled bucket whose group (groupOf) an item belongs to. */
const groupIdOf = (item: Item) => bucketId(rolledRef(parseBucketId(bucketIdOf(item))));

/** The groups whose day-totals item differs between two reads of the day-totals partition (version, presence). */
function movedGroups(first: readonly Item[], second: readonly Item[]): Set<string> {
  const versions = new Map(first.map((item) => [item.sk as string, item[VERSION]]));
  const moved = new Set<string>();
  for (const item of second) {
    if (versions.get(item.sk as string) !== item[VERSION]) moved.add(groupIdOf(item));
    versions.delete(item.sk as string);
  }
  for (const sk of versions.keys()) moved.add(groupIdOf({ sk }));
  return moved;
}
