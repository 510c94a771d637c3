/**
 * Reads the benchmark account's postback log straight from the table (its own, uncounted client): when
 * each postback arrived (receivedAt) and when its conversion became readable (processedAt).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/adapters/dynamo-keys';
import { WRITE_SHARDS } from '../functions/domain/shards';

export interface LoggedPostback {
  readonly receivedAt: string;
  readonly processedAt: string | null;
  readonly outcome: string;
}

export class PostbackLogReader {
  private readonly client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

  constructor(
    private readonly tableName: string,
    private readonly accountId: string,
  ) {}

  /** Every postback record of the account received since an ISO instant (all of them without one), by postback id. */
  async readAll(since?: string): Promise<Map<string, LoggedPostback>> {
    const found = new Map<string, LoggedPostback>();
    for (let shard = 0; shard < WRITE_SHARDS; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            // The sort key starts with receivedAt: a phase reads only its own records.
            KeyConditionExpression: since === undefined ? 'pk = :pk' : 'pk = :pk AND sk >= :since',
            ExpressionAttributeValues: {
              ':pk': keys.postbackPartition(this.accountId, shard),
              ...(since === undefined ? {} : { ':since': since }),
            },
            ExpressionAttributeNames: { '#outcome': 'outcome' },
            ProjectionExpression: 'postbackId, receivedAt, processedAt, #outcome',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          found.set(item.postbackId as string, {
            receivedAt: item.receivedAt as string,
            processedAt: (item.processedAt as string | null) ?? null,
            outcome: item.outcome as string,
          });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return found;
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** Freshness of each postback: processedAt - receivedAt in ms (only those processed). */
export function freshnessMs(ids: readonly string[], records: ReadonlyMap<string, LoggedPostback>): number[] {
  return ids.flatMap((id) => {
    const record = records.get(id);
    if (!record?.processedAt) return [];
    return [Date.parse(record.processedAt) - Date.parse(record.receivedAt)];
  });
}

export function countProcessed(ids: readonly string[], records: ReadonlyMap<string, LoggedPostback>): number {
  return ids.filter((id) => Boolean(records.get(id)?.processedAt)).length;
}
