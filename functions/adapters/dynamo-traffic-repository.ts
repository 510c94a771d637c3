/**
 * Clicks and pixel hits in DynamoDB: each keyed by its own id (a click is found by the click id a
 * conversion carries) and listed by account and time through sharded gsi1 partitions.
 */
import { BatchGetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, shardOf, WRITE_SHARDS } from '../domain/keys';
import type { Click, PixelHit, TimeRange, TrafficRepository } from '../ports';
import { queryAllShards } from './sharded-query';

const BOOKKEEPING = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity'];
const strip = <T>(item: Record<string, unknown>): T => Object.fromEntries(Object.entries(item).filter(([name]) => !BOOKKEEPING.includes(name))) as T;
const BATCH_GET_LIMIT = 100;

export class DynamoTrafficRepository implements TrafficRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private listed(accountId: string, id: string, at: string) {
    return { gsi1pk: keys.trafficPartition(accountId, shardOf(id)), gsi1sk: `${at}#${id}` };
  }

  async putClick(click: Click): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...click, ...keys.click(click.clickId), ...this.listed(click.accountId, click.clickId, click.at), entity: 'click' } }),
    );
  }

  async getClicks(clickIds: readonly string[]): Promise<Map<string, Click>> {
    const found = new Map<string, Click>();
    const unique = [...new Set(clickIds)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let requested: Record<string, unknown>[] | undefined = unique.slice(start, start + BATCH_GET_LIMIT).map((id) => keys.click(id));
      // BatchGet may leave keys unprocessed under load: ask again for those.
      for (let attempt = 0; requested?.length && attempt < 5; attempt++) {
        const result = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: requested } } }));
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(item.clickId as string, strip<Click>(item));
        requested = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  async recordPixelHit(hit: PixelHit): Promise<void> {
    await Promise.all([
      this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...hit, ...keys.pixelHit(hit.hitId), ...this.listed(hit.accountId, hit.hitId, hit.at), entity: 'pixel_hit' } })),
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.pixel(hit.pixelId),
          UpdateExpression: 'ADD hits :one SET lastHitAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1, ':at': hit.at },
        }),
      ),
    ]);
  }

  async listTraffic(accountId: string, range: TimeRange) {
    const items = await queryAllShards(this.client, {
      tableName: this.tableName,
      indexName: 'gsi1',
      partitionKeyName: 'gsi1pk',
      sortKeyName: 'gsi1sk',
      partitions: Array.from({ length: WRITE_SHARDS }, (_, shard) => keys.trafficPartition(accountId, shard)),
      lowest: range.from,
      highest: range.to === null ? null : `${range.to}#\uffff`,
    });
    return {
      clicks: items.filter((item) => item.entity === 'click').map((item) => strip<Click>(item)),
      hits: items.filter((item) => item.entity === 'pixel_hit').map((item) => strip<PixelHit>(item)),
    };
  }
}
