/**
 * The floor's ingest handler: the least this architecture must do to accept a postback, with the bare
 * SDK and nothing else (no middleware, no logging, no parsing beyond the token): one strongly consistent
 * `GetItem` of the token, one `SendMessage` of the raw request, an answer.
 */
import { randomUUID } from 'node:crypto';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { keys } from '../../functions/adapters/dynamo-keys';
import { hashToken } from '../../functions/domain/token';

export interface FloorIngestDependencies {
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  /** Where the token items are (the service's own table: the floor checks the same tokens). */
  readonly tokenTableName: string;
  readonly queueUrl: string;
}

/** The queue message of the floor pipeline. */
export interface FloorMessage {
  readonly postbackId: string;
  readonly accountId: string;
  readonly receivedAt: string;
  readonly method: string;
  readonly rawQuery: string;
  readonly body: string | null;
}

export function createFloorIngest(deps: FloorIngestDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const key = keys.token(hashToken(event.pathParameters?.token ?? ''));
    const found = await deps.dynamo.send(
      new GetItemCommand({
        TableName: deps.tokenTableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        ConsistentRead: true,
      }),
    );
    const accountId = found.Item?.accountId?.S;
    if (!accountId) return { statusCode: 404, body: 'Not Found' };
    const body =
      event.body === undefined
        ? null
        : event.isBase64Encoded
          ? Buffer.from(event.body, 'base64').toString('utf8')
          : event.body;
    const message: FloorMessage = {
      postbackId: randomUUID(),
      accountId,
      receivedAt: new Date().toISOString(),
      method: event.requestContext.http.method,
      rawQuery: event.rawQueryString ?? '',
      body,
    };
    await deps.sqs.send(
      new SendMessageCommand({ QueueUrl: deps.queueUrl, MessageBody: JSON.stringify(message) }),
    );
    return { statusCode: 200, headers: { 'x-postback-id': message.postbackId }, body: 'OK' };
  };
}
