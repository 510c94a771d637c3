/**
 * The ledger in DynamoDB: conversions and commission events keyed by account and order, the postback log
 * keyed by account, write shard and arrival (its key derives from the postback id alone).
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll, getItem, queryPages, stripKeys } from './dynamo-items';
import type { ConversionRecord, ConversionSlot } from '../domain/conversion';
import { receivedAtOfPostbackId } from '../domain/ids';
import { shardOf, WRITE_SHARDS } from '../domain/shards';
import { indexes, indexKeyNames, keys } from './dynamo-keys';
import type { CommissionEventRecord } from '../domain/order';
import type { ConversionKind } from '../domain/postback';
import { findableCodes, type PostbackOutcome, type PostbackRecord } from '../domain/postback-log';
import type { LedgerRepository } from '../ports/ledger-repository';
import type { Page, TimeRange } from '../ports/page';
import type { PostbackFinder } from '../ports/postback-finder';
import { WriteConflictError } from '../domain/errors';
import { countAllShards, queryAllShards, querySharded, timeBounds, type ShardedQuery } from './sharded-query';

/** A replay filter (bulk replay reads the log's pages under it; see PostbackFinder). */
type PostbackQueryFilter = TimeRange & {
  readonly outcome: PostbackOutcome | null;
  readonly issue: string | null;
};

/** The common outcomes, filtered rather than indexed; every other outcome (rejected, updated, ...) is in gsi2. */
const FILTERED_OUTCOMES: ReadonlySet<string> = new Set(['accepted', 'duplicate']);

const SHARDS = Array.from({ length: WRITE_SHARDS }, (_, shard) => shard);

export interface LedgerRepositoryOptions {
  readonly postbackLogRetentionDays: number;
}

export class DynamoLedgerRepository implements LedgerRepository, PostbackFinder {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: LedgerRepositoryOptions,
  ) {}

  getConversion(accountId: string, orderId: string, slot: ConversionSlot): Promise<ConversionRecord | null> {
    return getItem<ConversionRecord>(this.client, this.tableName, {
      pk: keys.order(accountId, orderId),
      sk: keys.conversionSort(slot),
    });
  }

  async putConversion(
    record: ConversionRecord,
    read: Pick<ConversionRecord, 'version' | 'updatedAt'> | null,
  ): Promise<void> {
    const item = {
      ...record,
      pk: keys.order(record.accountId, record.orderId),
      sk: keys.conversionSort(record.slot),
      gsi1pk: keys.conversionListPartition(record.accountId, shardOf(record.orderId)),
      gsi1sk: keys.timelineSort(record.occurredAt, record.conversionId),
      ...(record.kind === 'purchase'
        ? {}
        : {
            gsi2pk: keys.conversionKindPartition(record.accountId, record.kind, shardOf(record.orderId)),
            gsi2sk: keys.timelineSort(record.occurredAt, record.conversionId),
          }),
      entity: 'conversion',
    };
    await this.conditionalPut(
      item,
      read === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :version AND updatedAt = :updatedAt',
            ExpressionAttributeValues: { ':version': read.version, ':updatedAt': read.updatedAt },
          },
    );
  }

  async putCommissionEvent(event: CommissionEventRecord): Promise<boolean> {
    const item = {
      ...event,
      pk: keys.order(event.accountId, event.orderId),
      sk: keys.commissionEventSort(event.fingerprint),
      gsi1pk: keys.conversionListPartition(event.accountId, shardOf(event.orderId)),
      gsi1sk: keys.timelineSort(event.receivedAt, event.eventId),
      entity: 'commission_event',
    };
    try {
      await this.conditionalPut(item, { ConditionExpression: 'attribute_not_exists(pk)' });
      return true;
    } catch (error) {
      if (error instanceof WriteConflictError) return false;
      throw error;
    }
  }

  getCommissionEvent(
    accountId: string,
    orderId: string,
    fingerprint: string,
  ): Promise<CommissionEventRecord | null> {
    return getItem<CommissionEventRecord>(this.client, this.tableName, {
      pk: keys.order(accountId, orderId),
      sk: keys.commissionEventSort(fingerprint),
    });
  }

  async indexCustomer(
    accountId: string,
    emailHash: string,
    orderId: string,
    slot: ConversionSlot,
  ): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: keys.customer(accountId, emailHash),
          sk: keys.customerConversionSort(orderId, slot),
          orderId,
          slot,
          entity: 'customer_index',
        },
      }),
    );
  }

  async findCustomerConversions(accountId: string, emailHash: string) {
    const items = await this.queryPartition(keys.customer(accountId, emailHash));
    return items.map((item) => ({ orderId: item.orderId as string, slot: item.slot as ConversionSlot }));
  }

  async removeCustomerIndex(accountId: string, emailHash: string): Promise<void> {
    const items = await this.queryPartition(keys.customer(accountId, emailHash));
    for (const item of items)
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }),
      );
  }

  private async queryPartition(pk: string): Promise<Record<string, unknown>[]> {
    const { items } = await queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
    return items;
  }

  async linkGlobalOrder(accountId: string, orderIdGlobal: string, orderId: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.globalOrder(accountId, orderIdGlobal), orderId, entity: 'global_order' },
      }),
    );
  }

  async findOrderByGlobalId(accountId: string, orderIdGlobal: string): Promise<string | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.globalOrder(accountId, orderIdGlobal) }),
    );
    return typeof result.Item?.orderId === 'string' ? result.Item.orderId : null;
  }

  async getOrderItems(accountId: string, orderId: string) {
    const items = await this.queryPartition(keys.order(accountId, orderId));
    return {
      conversions: items
        .filter((item) => item.entity === 'conversion')
        .map((item) => stripKeys<ConversionRecord>(item)),
      events: items
        .filter((item) => item.entity === 'commission_event')
        .map((item) => stripKeys<CommissionEventRecord>(item)),
    };
  }

  async listConversions(
    accountId: string,
    range: TimeRange,
    kind: ConversionKind | null,
    limit: number,
    cursor: string | null,
  ): Promise<Page<ConversionRecord>> {
    if (kind !== null && kind !== 'purchase') {
      // The sparse index holds only this kind: a page reads what it returns.
      return this.querySparse<ConversionRecord>(
        (shard) => keys.conversionKindPartition(accountId, kind, shard),
        range,
        limit,
        cursor,
      );
    }
    // Purchases are most conversions: filtering the listing reads little more than the page.
    const page = await querySharded(this.client, {
      tableName: this.tableName,
      ...indexes.gsi1,
      keyNames: indexKeyNames.gsi1,
      partitions: SHARDS.map((shard) => keys.conversionListPartition(accountId, shard)),
      ...timeBounds(range),
      filter: kind
        ? {
            expression: '#entity = :conversion AND #kind = :kind',
            names: { '#entity': 'entity', '#kind': 'kind' },
            values: { ':conversion': 'conversion', ':kind': kind },
          }
        : {
            expression: '#entity = :conversion',
            names: { '#entity': 'entity' },
            values: { ':conversion': 'conversion' },
          },
      limit,
      cursor,
    });
    return { items: page.items.map((item) => stripKeys<ConversionRecord>(item)), cursor: page.cursor };
  }

  async listOrderActivity(accountId: string, range: TimeRange) {
    const items = await queryAllShards(this.client, {
      tableName: this.tableName,
      ...indexes.gsi1,
      partitions: SHARDS.map((shard) => keys.conversionListPartition(accountId, shard)),
      ...timeBounds(range),
    });
    return {
      conversions: items
        .filter((item) => item.entity === 'conversion')
        .map((item) => stripKeys<ConversionRecord>(item)),
      events: items
        .filter((item) => item.entity === 'commission_event')
        .map((item) => stripKeys<CommissionEventRecord>(item)),
    };
  }

  async getPrimaryConversions(
    accountId: string,
    orderIds: readonly string[],
  ): Promise<Map<string, ConversionRecord>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(orderIds)].map((orderId) => ({
        pk: keys.order(accountId, orderId),
        sk: keys.conversionSort('primary'),
      })),
    );
    return new Map(items.map((item) => [item.orderId as string, stripKeys<ConversionRecord>(item)]));
  }

  private postbackKey(accountId: string, postbackId: string) {
    const receivedAt = receivedAtOfPostbackId(postbackId);
    if (!receivedAt) return null;
    return {
      pk: keys.postbackPartition(accountId, shardOf(postbackId)),
      sk: keys.postbackSort(receivedAt, postbackId),
    };
  }

  async getPostback(accountId: string, postbackId: string): Promise<PostbackRecord | null> {
    const key = this.postbackKey(accountId, postbackId);
    return key ? getItem<PostbackRecord>(this.client, this.tableName, key) : null;
  }

  async putPostback(record: PostbackRecord): Promise<void> {
    const key = this.postbackKey(record.accountId, record.postbackId);
    if (!key) throw new Error(`postback id ${record.postbackId} does not carry its arrival time`);
    const expiresAt =
      Math.floor(Date.parse(record.receivedAt) / 1000) + this.options.postbackLogRetentionDays * 86400;
    const shard = shardOf(record.postbackId);
    // Indexed by outcome unless accepted or duplicate (most of the log: filtering reads a few pages at most),
    // so a duplicate still costs one write unit.
    const byOutcome = FILTERED_OUTCOMES.has(record.outcome)
      ? {}
      : { gsi2pk: keys.postbackOutcomePartition(record.accountId, record.outcome, shard), gsi2sk: key.sk };
    const issues = findableCodes(record);
    await Promise.all([
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...record, ...key, ...byOutcome, entity: 'postback', expiresAt },
        }),
      ),
      issues.length === 0
        ? Promise.resolve()
        : batchPutAll(
            this.client,
            this.tableName,
            issues.map((issue) => ({
              pk: keys.postbackIssuePartition(record.accountId, issue, shard),
              sk: key.sk,
              postbackId: record.postbackId,
              outcome: record.outcome,
              entity: 'postback_issue',
              expiresAt,
            })),
          ),
    ]);
  }

  /**
   * Where a filter's postbacks are, cheapest first: an issue's own items (the records then read by key),
   * the sparse outcome index (every outcome but accepted and duplicate), else the log's shards with the
   * outcome as a filter. The listing, bulk replay's pages and its count all read through it, so a
   * filtered read costs what it returns, not the range.
   */
  private postbackSource(
    accountId: string,
    filter: PostbackQueryFilter,
  ): { readonly query: Omit<ShardedQuery, 'limit' | 'cursor'>; readonly byIssue: boolean } {
    const outcomeFilter = filter.outcome
      ? {
          expression: '#outcome = :outcome',
          names: { '#outcome': 'outcome' },
          values: { ':outcome': filter.outcome },
        }
      : undefined;
    const table = {
      tableName: this.tableName,
      partitionKeyName: 'pk',
      sortKeyName: 'sk',
      keyNames: ['pk', 'sk'],
      ...timeBounds(filter),
    };
    if (filter.issue !== null) {
      const issue = filter.issue;
      return {
        byIssue: true,
        query: {
          ...table,
          partitions: SHARDS.map((shard) => keys.postbackIssuePartition(accountId, issue, shard)),
          filter: outcomeFilter,
        },
      };
    }
    if (filter.outcome !== null && !FILTERED_OUTCOMES.has(filter.outcome)) {
      const outcome = filter.outcome;
      return {
        byIssue: false,
        query: {
          tableName: this.tableName,
          ...indexes.gsi2,
          keyNames: indexKeyNames.gsi2,
          partitions: SHARDS.map((shard) => keys.postbackOutcomePartition(accountId, outcome, shard)),
          ...timeBounds(filter),
        },
      };
    }
    return {
      byIssue: false,
      query: {
        ...table,
        partitions: SHARDS.map((shard) => keys.postbackPartition(accountId, shard)),
        filter: outcomeFilter,
      },
    };
  }

  async listPostbacks(
    accountId: string,
    range: TimeRange,
    outcome: PostbackOutcome | null,
    limit: number,
    cursor: string | null,
    issue: string | null = null,
  ): Promise<Page<PostbackRecord>> {
    const source = this.postbackSource(accountId, { ...range, outcome, issue });
    const page = await querySharded(this.client, { ...source.query, limit, cursor });
    if (!source.byIssue)
      return { items: page.items.map((item) => stripKeys<PostbackRecord>(item)), cursor: page.cursor };
    const keysOf = page.items.flatMap((item) => this.postbackKey(accountId, item.postbackId as string) ?? []);
    const records = new Map(
      (await batchGetAll(this.client, this.tableName, keysOf)).map((item) => [
        item.postbackId as string,
        stripKeys<PostbackRecord>(item),
      ]),
    );
    return {
      items: page.items.flatMap((item) => records.get(item.postbackId as string) ?? []),
      cursor: page.cursor,
    };
  }

  async findPostbacks(
    accountId: string,
    filter: PostbackQueryFilter,
    limit: number,
    cursor: string | null,
  ): Promise<Page<PostbackRecord>> {
    return this.listPostbacks(accountId, filter, filter.outcome, limit, cursor, filter.issue);
  }

  async countPostbacks(
    accountId: string,
    filter: PostbackQueryFilter,
    budgetMs: number,
  ): Promise<{ count: number; exact: boolean }> {
    return countAllShards(this.client, this.postbackSource(accountId, filter).query, Date.now() + budgetMs);
  }

  /** A page of the sparse gsi2 over its shards: it holds only the items asked for. */
  private async querySparse<T>(
    partition: (shard: number) => string,
    range: TimeRange,
    limit: number,
    cursor: string | null,
  ): Promise<Page<T>> {
    const page = await querySharded(this.client, {
      tableName: this.tableName,
      ...indexes.gsi2,
      keyNames: indexKeyNames.gsi2,
      partitions: SHARDS.map(partition),
      ...timeBounds(range),
      limit,
      cursor,
    });
    return { items: page.items.map((item) => stripKeys<T>(item)), cursor: page.cursor };
  }

  private async conditionalPut(
    item: Record<string, unknown>,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ) {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new WriteConflictError();
      throw error;
    }
  }
}
