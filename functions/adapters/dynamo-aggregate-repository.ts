/**
 * The report aggregates in DynamoDB: bucket items moved with ADD inside transactions that also hold what
 * makes them exact (an order's contribution snapshot, conditional on its version; a click's or hit's
 * `counted` mark, conditional on its absence), the clicks awaited by early conversions, account settings.
 */
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  DAY_TOTAL_ATTRIBUTES,
  daySegments,
  parseBucketId,
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
import { WriteConflictError } from '../domain/errors';
import type { AccountSettings } from '../domain/account-settings';
import { batchGetAll, queryPages, stripKeys, type Item } from './dynamo-items';
import { PACKED_FIGURES, packFigures, unpackFigures } from './packed-figures';

const TRANSACTION_LIMIT = 100;
/** A bucket's write count (not a figure: parseFigureAttribute does not read it). */
const VERSION = 'ver';
const CONFLICT_ATTEMPTS = 6;
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
    // Every bucket counts its writes, so a roll-up deletes or replaces it only as it read it.
    names['#version'] = VERSION;
    values[':one'] = 1;
    adds.push('#version :one');
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.aggregateBucket(accountId, id),
        UpdateExpression: `ADD ${adds.join(', ')} SET entity = :entity`,
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
   * One query per partition and stretch of days: the 8 traffic shards and the sales, and for the stretches
   * of whole days the day-totals items of the rolled days, for the others their rolled buckets. The whole
   * days project the keys and the day totals only (a saturated traffic bucket reads 2 numbers instead of
   * 96); a bucket found there without any total (written before the totals) is read again whole.
   */
  async listBuckets(
    accountId: string,
    fromDay: string | null,
    toDay: string | null,
    wholeDays: readonly DayRange[] = [],
  ): Promise<StoredBucket[]> {
    const written = this.writtenPartitions(accountId);
    const rolled = keys.aggregatePartition(accountId, 'rolled');
    const dayTotals = keys.aggregatePartition(accountId, 'dayTotals');
    const totalNames = Object.fromEntries(DAY_TOTAL_ATTRIBUTES.map((name, index) => [`#t${index}`, name]));
    const projection = {
      ProjectionExpression: ['pk', 'sk', ...Object.keys(totalNames)].join(', '),
      ExpressionAttributeNames: totalNames,
    };
    const segments = daySegments(fromDay, toDay, wholeDays);
    const pages = await Promise.all(
      segments.flatMap((segment) =>
        [...written, segment.totals ? dayTotals : rolled].map(async (pk) => {
          const { items } = await queryPages(this.client, {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': pk,
              ':from': segment.from ?? '0000-00-00',
              ':to': `${segment.to ?? '9999-12-31'}~`,
            },
            ...(segment.totals ? projection : {}),
          });
          return { items, totals: segment.totals };
        }),
      ),
    );
    const buckets: StoredBucket[] = [];
    const withoutTotals: Item[] = [];
    for (const { items, totals } of pages)
      for (const item of items)
        if (totals && !Object.values(item).some((value) => typeof value === 'number'))
          withoutTotals.push({ pk: item.pk, sk: item.sk });
        else buckets.push(toBucket(item));
    if (withoutTotals.length > 0)
      for (const item of await batchGetAll(this.client, this.tableName, withoutTotals))
        buckets.push(toBucket(item));
    return buckets;
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
    // The rolled buckets are written whole, their figures packed into one attribute (packed-figures.ts; a
    // rolled sales bucket's ADD of 600 figures would pass the 4 KB an update expression may hold anyway):
    // read, added to, and put back only if no one wrote them meanwhile.
    const targets = Object.keys(rolled).map((id) => keys.aggregateBucket(accountId, id));
    const current = new Map(
      (await batchGetAll(this.client, this.tableName, targets, true)).map((item) => [
        item.sk as string,
        item,
      ]),
    );
    const puts: TransactItem[] = Object.entries(rolled).map(([id, attributes]) => {
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
 * rolled bucket since, by a reconcile --fix, counts beside them until the next roll-up packs it in).
 */
function toBucket(item: Item): StoredBucket {
  const attributes: Record<string, number> = {};
  for (const [name, value] of Object.entries(item))
    if (typeof value === 'number' && name !== VERSION) attributes[name] = value;
  const packed = item[PACKED_FIGURES];
  if (typeof packed === 'string') unpackFigures(packed, attributes);
  return { ref: parseBucketId((item.sk as string).slice(11)), attributes };
}
