/**
 * The floor pipeline running beside the service: its own table and queues in the same DynamoDB Local
 * and SQS emulator (provisioned from the same definitions), its ingest behind the same local HTTP API
 * code on its own port, its consumer driven by the same local event source mapping, every handler
 * invocation timed and every SDK request counted like the service's, on a tally of its own.
 */
import type { Server } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HTTP_ROUTES, POSTBACK_QUEUE } from '../../lib/resources';
import { createLocalApi } from '../../local/api-gateway';
import { provisionLocalResources, type LocalResources } from '../../local/provision';
import { startSqsEventSource } from '../../local/sqs-event-source';
import { countingMiddleware, instrumentEventSourceClient, Tally } from '../counters';
import { InvocationLog } from '../invocations';
import { createFloorConsumer } from './consumer';
import { createFloorIngest } from './ingest';

export interface FloorService {
  /** Origin of its HTTP API (http://127.0.0.1:PORT). */
  readonly origin: string;
  readonly resources: LocalResources;
  readonly tally: Tally;
  readonly invocations: InvocationLog;
  stop(): Promise<void>;
}

const INGEST_ROUTE = HTTP_ROUTES.find((route) => route.function === 'ingest')!;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/** Starts the floor on the engines the service already runs on (the SDK's endpoint variables are set). */
export async function startFloorService(options: {
  readonly tokenTableName: string;
  readonly chunkBytes: number;
  readonly onError: (error: unknown) => void;
}): Promise<FloorService> {
  const tally = new Tally();
  const invocations = new InvocationLog();
  const runnerSqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const runnerDynamo = new DynamoDBClient({});
  const resources = await provisionLocalResources(runnerDynamo, runnerSqs, { suffix: '-floor' });
  runnerDynamo.destroy();
  const queueArn = (
    await runnerSqs.send(
      new GetQueueAttributesCommand({ QueueUrl: resources.queueUrl, AttributeNames: ['QueueArn'] }),
    )
  ).Attributes!.QueueArn!;
  instrumentEventSourceClient(tally, options.chunkBytes)(runnerSqs);

  // The bare clients of the floor's functions, counted like the service's.
  const dynamo = new DynamoDBClient({});
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  dynamo.middlewareStack.use(countingMiddleware(tally, 'service', 'dynamodb', options.chunkBytes));
  sqs.middlewareStack.use(countingMiddleware(tally, 'service', 'sqs', options.chunkBytes));

  const ingest = invocations.wrapHttp(
    'ingest',
    createFloorIngest({ dynamo, sqs, tokenTableName: options.tokenTableName, queueUrl: resources.queueUrl }),
  );
  const consumer = invocations.wrapConsumer(createFloorConsumer({ dynamo, tableName: resources.tableName }));
  const server = createLocalApi([
    { methods: INGEST_ROUTE.methods, path: INGEST_ROUTE.path, handler: ingest },
  ]);
  const port = await listen(server);
  const eventSource = startSqsEventSource({
    sqs: runnerSqs,
    queueUrl: resources.queueUrl,
    queueArn,
    handler: consumer,
    batchSize: POSTBACK_QUEUE.batchSize,
    onError: options.onError,
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    resources,
    tally,
    invocations,
    async stop() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await eventSource.stop();
      dynamo.destroy();
      sqs.destroy();
      runnerSqs.destroy();
    },
  };
}
