/**
 * The floor's queue consumer: per postback one conditional `PutItem` (the conversion, first copy wins)
 * and one `PutItem` (the postback log item, with the raw request as the service keeps it for replays),
 * the records of a batch in parallel, with the bare SDK: no middleware, no logging, no metrics.
 */
import {
  ConditionalCheckFailedException,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { keys } from '../../functions/adapters/dynamo-keys';
import { shardOf } from '../../functions/domain/shards';
import type { FloorMessage } from './ingest';

export interface FloorConsumerDependencies {
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
}

export function createFloorConsumer(deps: FloorConsumerDependencies) {
  async function recordOne(record: SQSRecord): Promise<void> {
    const message = JSON.parse(record.body) as FloorMessage;
    const params = new URLSearchParams(message.method === 'POST' ? (message.body ?? '') : message.rawQuery);
    const orderId = params.get('ORDERID') ?? params.get('order_id') ?? message.postbackId;
    let outcome = 'accepted';
    try {
      await deps.dynamo.send(
        new PutItemCommand({
          TableName: deps.tableName,
          Item: {
            pk: { S: keys.order(message.accountId, orderId) },
            sk: { S: 'CONVERSION' },
            postbackId: { S: message.postbackId },
            clickId: { S: params.get('SUBID') ?? params.get('subid') ?? '' },
            commission: { S: params.get('COMMISSION_AMOUNT') ?? params.get('aff_commission') ?? '' },
            receivedAt: { S: message.receivedAt },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      outcome = 'duplicate';
    }
    await deps.dynamo.send(
      new PutItemCommand({
        TableName: deps.tableName,
        Item: {
          pk: { S: keys.postbackPartition(message.accountId, shardOf(message.postbackId)) },
          sk: { S: keys.postbackSort(message.receivedAt, message.postbackId) },
          postbackId: { S: message.postbackId },
          receivedAt: { S: message.receivedAt },
          processedAt: { S: new Date().toISOString() },
          outcome: { S: outcome },
          method: { S: message.method },
          rawQuery: { S: message.rawQuery },
          ...(message.body === null ? {} : { body: { S: message.body } }),
        },
      }),
    );
  }

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const results = await Promise.allSettled(event.Records.map(recordOne));
    return {
      batchItemFailures: event.Records.flatMap((record, index) =>
        results[index]!.status === 'rejected' ? [{ itemIdentifier: record.messageId }] : [],
      ),
    };
  };
}
