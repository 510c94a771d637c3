/**
 * The stage's eight functions: what each may touch (tables, queues, the secret, the user pool: granted and
 * configured in one `bind*` call each) and what triggers it (queues, the table stream with its filter).
 * Created in the stack's own scope with the ids they always had, so their logical ids never move.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  AGGREGATOR_STREAM,
  CONSUMER_TIMEOUT_SECONDS,
  ENV,
  FUNCTION_ENTRIES,
  type FunctionName,
  MERCHANT_STREAM_FILTER,
  PIXEL_CREATOR_STREAM,
  POSTBACK_QUEUE,
  REPLAY_JOB_QUEUE,
  REPLAY_WORKER_TIMEOUT_SECONDS,
  TRAFFIC_STREAM_FILTER,
} from './resources';
import { ServiceFunction, type ServiceFunctionProps } from './service-function';
import type { StageConfig } from './stage-config';

export interface ServiceFunctionsProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly queue: IQueue;
  readonly streamFailureQueue: IQueue;
  readonly replayJobQueue: IQueue;
  readonly secret: ISecret;
  readonly userPool: cognito.IUserPool;
}

export type ServiceFunctions = Readonly<Record<FunctionName, ServiceFunction>>;

export function createServiceFunctions(stack: Stack, props: ServiceFunctionsProps): ServiceFunctions {
  const { config, table, queue, secret } = props;
  const fn = (
    name: FunctionName,
    description: string,
    settings: Omit<ServiceFunctionProps, 'entry' | 'config' | 'description'>,
  ) =>
    new ServiceFunction(stack, `${pascalCase(name)}Function`, {
      entry: FUNCTION_ENTRIES[name],
      config,
      description,
      ...settings,
    });
  // Only the functions that write postback log items need their lifetime.
  const postbackLogEnvironment = {
    [ENV.postbackLogRetentionDays]: String(config.postbackLogRetentionDays),
  };

  // The ingest path only looks a token hash up and enqueues: it can neither write the table nor read the secret.
  const ingest = fn('ingest', 'Accepts Buygoods postbacks and enqueues them', {
    timeout: Duration.seconds(5),
  })
    .bindTable(table, 'read')
    .bindQueue(queue, 'send');
  const consumer = fn('consumer', 'Records queued postbacks in the ledger', {
    timeout: Duration.seconds(CONSUMER_TIMEOUT_SECONDS),
    environment: postbackLogEnvironment,
  })
    .bindTable(table, 'readWrite')
    .bindQueue(queue, 'consume', {
      batchSize: POSTBACK_QUEUE.batchSize,
      maxBatchingWindow: Duration.seconds(POSTBACK_QUEUE.maxBatchingWindowSeconds),
    });
  // Sends to the queue for test postbacks and replays; reads the secret to show and rotate token URLs.
  const management = fn('management', 'Management API for accounts and integrations', {
    timeout: Duration.seconds(10),
    environment: postbackLogEnvironment,
  })
    .bindTable(table, 'readWrite')
    .bindQueue(queue, 'send')
    .bindQueue(props.replayJobQueue, 'send', { env: ENV.replayJobQueue })
    .bindSecret(secret)
    .bindUserPool(props.userPool);
  // Merchants and products: the catalog only, no queue and no secret.
  const merchants = fn('merchants', 'Management API for merchants and products', {
    timeout: Duration.seconds(10),
  }).bindTable(table, 'readWrite');
  // On a shopper's page load or click: small and quick, it records a hit and answers.
  const tracking = fn('tracking', 'Records clicks and pixel hits, redirects to link destinations', {
    timeout: Duration.seconds(3),
    memorySize: 256,
  }).bindTable(table, 'readWrite');
  const pixelCreator = fn('pixelCreator', "Creates Buygoods merchants' pixels from the table stream", {
    timeout: Duration.seconds(30),
    memorySize: 256,
  })
    .bindTable(table, 'readWrite')
    .bindTableStream(table, {
      batchSize: PIXEL_CREATOR_STREAM.batchSize,
      maxBatchingWindow: Duration.seconds(PIXEL_CREATOR_STREAM.maxBatchingWindowSeconds),
      retryAttempts: PIXEL_CREATOR_STREAM.retryAttempts,
      filterPattern: MERCHANT_STREAM_FILTER,
      failureQueue: props.streamFailureQueue,
    });
  // Bulk replay: a page of a job per message; it sends the replays and asks for its own next page.
  const replayWorker = fn('replayWorker', 'Works on bulk replay jobs, a page per message', {
    timeout: Duration.seconds(REPLAY_WORKER_TIMEOUT_SECONDS),
    environment: postbackLogEnvironment,
  })
    .bindTable(table, 'readWrite')
    .bindQueue(queue, 'send')
    .bindQueue(props.replayJobQueue, 'send', { env: ENV.replayJobQueue })
    .bindQueue(props.replayJobQueue, 'consume', {
      env: ENV.replayJobQueue,
      batchSize: REPLAY_JOB_QUEUE.batchSize,
      maxBatchingWindow: Duration.seconds(0),
    });
  // Counts new clicks and pixel hits into the report aggregates, in large batches (see resources.ts).
  const aggregator = fn('aggregator', 'Counts new clicks and pixel hits into the report aggregates', {
    timeout: Duration.seconds(30),
    memorySize: 256,
  })
    .bindTable(table, 'readWrite')
    .bindTableStream(table, {
      batchSize: AGGREGATOR_STREAM.batchSize,
      maxBatchingWindow: Duration.seconds(AGGREGATOR_STREAM.maxBatchingWindowSeconds),
      retryAttempts: AGGREGATOR_STREAM.retryAttempts,
      filterPattern: TRAFFIC_STREAM_FILTER,
      failureQueue: props.streamFailureQueue,
    });
  return { ingest, consumer, management, merchants, tracking, pixelCreator, replayWorker, aggregator };
}

export const pascalCase = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
