/**
 * Creates the table and queues in the local engines from the same definitions the CDK stacks use
 * (lib/resources.ts), so local mode and AWS cannot drift apart.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  LEDGER_TABLE,
  POSTBACK_QUEUE,
  REPLAY_JOB_QUEUE,
  type KeyAttribute,
  type TableDefinition,
} from '../lib/resources';

export interface LocalResources {
  readonly tableName: string;
  readonly tableStreamArn: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly replayJobQueueUrl: string;
  readonly replayJobDeadLetterQueueUrl: string;
}

export interface ProvisionOptions {
  /** Appended to every name so several runs can share one engine (tests). */
  readonly suffix?: string;
  /**
   * Tests that exercise retries and redrive shorten the visibility timeout; everything else, including
   * `npm start`, uses the deployed value.
   */
  readonly visibilityTimeoutSeconds?: number;
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    { AttributeName: sortKey.name, KeyType: 'RANGE' },
  ];
}

function attributeDefinitions(table: TableDefinition) {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const unique = new Map(keys.map((key) => [key.name, key.type]));
  return [...unique].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

export async function createTable(
  dynamo: DynamoDBClient,
  table: TableDefinition,
  tableName: string,
): Promise<string> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions(table),
      KeySchema: keySchema(table.partitionKey, table.sortKey),
      GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
    }),
  );
  await dynamo.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute },
    }),
  );
  const description = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = description.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  return streamArn;
}

/** A queue and its dead-letter queue, as lib/resources.ts defines them (POSTBACK_QUEUE, REPLAY_JOB_QUEUE). */
interface QueueDefinition {
  readonly visibilityTimeoutSeconds: number;
  readonly retentionDays: number;
  readonly maxReceiveCount: number;
  readonly deadLetter: { readonly retentionDays: number };
}

export async function createQueues(
  sqs: SQSClient,
  name: string,
  options: ProvisionOptions = {},
  definition: QueueDefinition = POSTBACK_QUEUE,
) {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq`,
      Attributes: { MessageRetentionPeriod: String(definition.deadLetter.retentionDays * 86400) },
    }),
  );
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? definition.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(definition.retentionDays * 86400),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: attributes.Attributes!.QueueArn,
          maxReceiveCount: definition.maxReceiveCount,
        }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl!, deadLetterQueueUrl };
}

export async function provisionLocalResources(
  dynamo: DynamoDBClient,
  sqs: SQSClient,
  options: ProvisionOptions = {},
): Promise<LocalResources> {
  const suffix = options.suffix ?? '';
  const tableName = `buygoods-ledger${suffix}`;
  const tableStreamArn = await createTable(dynamo, LEDGER_TABLE, tableName);
  const queues = await createQueues(sqs, `buygoods-postbacks${suffix}`, options);
  const jobs = await createQueues(sqs, `buygoods-replay-jobs${suffix}`, options, REPLAY_JOB_QUEUE);
  return {
    tableName,
    tableStreamArn,
    ...queues,
    replayJobQueueUrl: jobs.queueUrl,
    replayJobDeadLetterQueueUrl: jobs.deadLetterQueueUrl,
  };
}
