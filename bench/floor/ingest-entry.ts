/**
 * The floor ingest as a Lambda entry, bundled by the benchmark like the service's functions: its cold
 * import is the floor of the service's ingest cold import (the bare SDK clients and the handler).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../../lib/resources';
import { createFloorIngest } from './ingest';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export const handler = createFloorIngest({
  dynamo: new DynamoDBClient({}),
  sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
  tokenTableName: required(ENV.ledgerTable),
  queueUrl: required(ENV.postbackQueue),
});
