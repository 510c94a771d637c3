/**
 * Clicks and pixel hits in DynamoDB: each keyed by its own id (a click is found by the click id a
 * conversion carries) and listed by account and time through sharded gsi1 partitions.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll, stripKeys } from './dynamo-items';
import { indexes, keys } from './dynamo-keys';
import { shardOf, WRITE_SHARDS } from '../domain/shards';
import type { TimeRange } from '../ports/page';
import type { TrafficRepository } from '../ports/traffic-repository';
import type { Click, PixelHit } from '../domain/traffic';
import { queryAllShards, timeBounds } from './sharded-query';

export class DynamoTrafficRepository implements TrafficRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private listed(accountId: string, id: string, at: string) {
    return { gsi1pk: keys.trafficPartition(accountId, shardOf(id)), gsi1sk: keys.timelineSort(at, id) };
  }

  private clickItem(click: Click) {
    return {
      ...click,
      ...keys.click(click.clickId),
      ...this.listed(click.accountId, click.clickId, click.at),
      entity: 'click',
    };
  }

  private hitItem(hit: PixelHit) {
    return {
      ...hit,
      ...keys.pixelHit(hit.hitId),
      ...this.listed(hit.accountId, hit.hitId, hit.at),
      entity: 'pixel_hit',
    };
  }

  async putClick(click: Click): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.clickItem(click) }));
  }

  /**
   * Many clicks and page views in batches (the seed). `counted`: written with the aggregator's mark, for a
   * writer that adds their contribution to the aggregates itself; the aggregator's stream filter then
   * lets them pass by.
   */
  async putTraffic(
    clicks: readonly Click[],
    hits: readonly PixelHit[],
    options: { readonly counted?: boolean } = {},
  ): Promise<void> {
    const mark = options.counted ? { counted: true } : {};
    await batchPutAll(this.client, this.tableName, [
      ...clicks.map((click) => ({ ...this.clickItem(click), ...mark })),
      ...hits.map((hit) => ({ ...this.hitItem(hit), ...mark })),
    ]);
  }

  async getClicks(
    clickIds: readonly string[],
    options: { readonly consistent?: boolean } = {},
  ): Promise<Map<string, Click>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(clickIds)].map((id) => keys.click(id)),
      options.consistent === true,
    );
    return new Map(items.map((item) => [item.clickId as string, stripKeys<Click>(item)]));
  }

  async recordPixelHit(hit: PixelHit): Promise<void> {
    await Promise.all([
      this.client.send(new PutCommand({ TableName: this.tableName, Item: this.hitItem(hit) })),
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
      ...indexes.gsi1,
      partitions: Array.from({ length: WRITE_SHARDS }, (_, shard) => keys.trafficPartition(accountId, shard)),
      ...timeBounds(range),
    });
    return {
      clicks: items.filter((item) => item.entity === 'click').map((item) => stripKeys<Click>(item)),
      hits: items.filter((item) => item.entity === 'pixel_hit').map((item) => stripKeys<PixelHit>(item)),
    };
  }
}
