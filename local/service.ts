/**
 * The whole service on this machine: local engines, the table and queues from the shared definitions,
 * the real handlers behind a local HTTP API, and the queue consumer polled as Lambda would.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  AGGREGATOR_STREAM,
  ENV,
  type FunctionName,
  HTTP_ROUTES,
  MERCHANT_STREAM_FILTER,
  PIXEL_CREATOR_STREAM,
  POSTBACK_QUEUE,
  REPLAY_JOB_QUEUE,
  TRAFFIC_STREAM_FILTER,
} from '../lib/resources';
import { buildConsole } from '../console/build';
import {
  CONSOLE_CONFIG_FILE,
  CONSOLE_PATH,
  consoleHeaderValues,
  type ConsoleConfig,
} from '../lib/console-definition';
import type { ConsoleFiles } from '../console/build';
import { startDynamoDbStreamSource, type StreamHandler } from './dynamodb-stream-source';
import { createLocalApi, type HttpHandler, type LocalRoute } from './api-gateway';
import {
  createLocalIdentityProvider,
  LOCAL_IDP_PATH,
  type LocalIdentityProvider,
  localAuthorizer,
} from './identity-provider';
import { localIdentityRoutes } from './login';
import { localAwsEnvironment, startEmulators, type Emulators } from './emulators';
import { provisionLocalResources, type LocalResources } from './provision';
import { startSqsEventSource, type EventSource, type SqsHandler } from './sqs-event-source';

export interface LocalServiceOptions {
  readonly port?: number;
  readonly host?: string;
  /** Reuse engines already running (the test setup starts them once per run). */
  readonly endpoints?: { readonly dynamoEndpoint: string; readonly sqsEndpoint: string };
  /** Resource name suffix, so several services can share one engine. */
  readonly suffix?: string;
  readonly visibilityTimeoutSeconds?: number;
  readonly pollers?: number;
  /** Tests wrap the consumer to inject crashes; the local runner never does. */
  readonly wrapConsumer?: (consumer: SqsHandler) => SqsHandler;
  /** Tests wrap the replay worker likewise. */
  readonly wrapReplayWorker?: (worker: SqsHandler) => SqsHandler;
  /** The benchmark wraps the HTTP handlers to time each invocation; the local runner never does. */
  readonly wrapHttpHandler?: (functionName: FunctionName, handler: HttpHandler) => HttpHandler;
  /**
   * Called once with the runner's own SQS client (provisioning, and the poller standing in for Lambda's
   * event source mapping), so the benchmark can count its receives and deletes.
   */
  readonly instrumentRunnerSqs?: (sqs: SQSClient) => void;
  /** Serve the console at /console/ (`npm start` does; tests that only need the API skip the build). */
  readonly console?: boolean;
  /** Where a failed consumer invocation is reported (stderr by default). */
  readonly onConsumerError?: (error: unknown) => void;
  /**
   * 'required' (`AUTH=required npm start`): every management call needs a valid token, as in AWS.
   * 'loopback-operator' (the default): a loopback call with no token acts as an operator; a token, when
   * given, is always checked.
   */
  readonly auth?: 'required' | 'loopback-operator';
}

export interface LocalService {
  readonly url: string;
  readonly resources: LocalResources;
  readonly endpoints: { readonly dynamoEndpoint: string; readonly sqsEndpoint: string };
  /** The local signing key's issuer: tokens for local users (`npm run login`, tests). */
  readonly identity: LocalIdentityProvider;
  /** Resolves once both stream sources have delivered every record written before the call. */
  streamsCaughtUp(): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function missingHandler(name: string): never {
  throw new Error(`no local handler for function ${name}`);
}

export async function startLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  const emulators: Emulators | null = options.endpoints ? null : await startEmulators();
  const endpoints = options.endpoints ?? emulators!;
  try {
    Object.assign(process.env, localAwsEnvironment(endpoints));
    const dynamo = new DynamoDBClient({});
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    options.instrumentRunnerSqs?.(sqs);
    const resources = await provisionLocalResources(dynamo, sqs, {
      suffix: options.suffix,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    });
    const arnOf = async (queueUrl: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
        .Attributes!.QueueArn!;
    const queueArn = await arnOf(resources.queueUrl);
    Object.assign(process.env, {
      [ENV.ledgerTable]: resources.tableName,
      [ENV.postbackQueue]: resources.queueUrl,
      [ENV.replayJobQueue]: resources.replayJobQueueUrl,
      [ENV.tokenSecret]: process.env[ENV.tokenSecret] ?? randomBytes(32).toString('hex'),
      // Invitations go to the in-process stand-in of the user pool (functions/adapters/cognito-user-directory.ts).
      [ENV.userPoolId]: 'local',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // EMF metrics are CloudWatch's business; locally they would only flood stdout.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });

    // Imported only now: the entry files read their configuration at module scope, as on a cold start.
    const wrapHttp = options.wrapHttpHandler ?? ((_name: FunctionName, handler: HttpHandler) => handler);
    const httpHandlers: Partial<Record<FunctionName, HttpHandler>> = {
      ingest: wrapHttp(
        'ingest',
        (await import('../functions/entries/ingest')).handler as unknown as HttpHandler,
      ),
      management: wrapHttp(
        'management',
        (await import('../functions/entries/management')).handler as unknown as HttpHandler,
      ),
      merchants: wrapHttp(
        'merchants',
        (await import('../functions/entries/merchants')).handler as unknown as HttpHandler,
      ),
      tracking: wrapHttp(
        'tracking',
        (await import('../functions/entries/tracking')).handler as unknown as HttpHandler,
      ),
    };
    const realConsumer = (await import('../functions/entries/consumer')).handler as unknown as SqsHandler;
    const consumer = options.wrapConsumer ? options.wrapConsumer(realConsumer) : realConsumer;
    const pixelCreator = (await import('../functions/entries/pixel-creator'))
      .handler as unknown as StreamHandler;
    const realReplayWorker = (await import('../functions/entries/replay-worker'))
      .handler as unknown as SqsHandler;
    const replayWorker = options.wrapReplayWorker
      ? options.wrapReplayWorker(realReplayWorker)
      : realReplayWorker;
    const aggregator = (await import('../functions/entries/aggregator')).handler as unknown as StreamHandler;

    const identity = await createLocalIdentityProvider();
    const authorizer = localAuthorizer(identity, options.auth === 'required');
    const { membershipRepository } = await import('../functions/adapters/wiring');
    const routes: LocalRoute[] = [
      ...localIdentityRoutes(identity, membershipRepository()),
      ...HTTP_ROUTES.map((route) => ({
        methods: route.methods.includes('ANY') ? ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] : route.methods,
        path: route.path,
        handler: httpHandlers[route.function] ?? missingHandler(route.function),
        authorizer: route.auth === 'management' ? authorizer : undefined,
      })),
    ];
    const site = options.console
      ? {
          prefix: CONSOLE_PATH,
          files: withConsoleConfig(await buildConsole(), identity),
          headers: consoleHeaderValues(),
        }
      : undefined;
    const server = createLocalApi(routes, site);
    const host = options.host ?? '127.0.0.1';
    const port = await listen(server, options.port ?? 0, host);
    identity.issuer = `http://${host}:${port}${LOCAL_IDP_PATH}`;
    const eventSource: EventSource = startSqsEventSource({
      sqs,
      queueUrl: resources.queueUrl,
      queueArn,
      handler: consumer,
      batchSize: POSTBACK_QUEUE.batchSize,
      pollers: options.pollers,
      onError: options.onConsumerError ?? ((error) => console.error('local consumer:', error)),
    });

    // The replay worker like its event source mapping: one job message (one page) per invocation.
    const replayJobSource: EventSource = startSqsEventSource({
      sqs,
      queueUrl: resources.replayJobQueueUrl,
      queueArn: await arnOf(resources.replayJobQueueUrl),
      handler: replayWorker,
      batchSize: REPLAY_JOB_QUEUE.batchSize,
      pollers: 1,
      onError: options.onConsumerError ?? ((error) => console.error('local replay worker:', error)),
    });

    const streamSource = startDynamoDbStreamSource({
      streamArn: resources.tableStreamArn,
      handler: pixelCreator,
      filter: MERCHANT_STREAM_FILTER,
      batchSize: PIXEL_CREATOR_STREAM.batchSize,
      retryAttempts: PIXEL_CREATOR_STREAM.retryAttempts,
      onError: options.onConsumerError ?? ((error) => console.error('local stream consumer:', error)),
    });
    const aggregatorSource = startDynamoDbStreamSource({
      streamArn: resources.tableStreamArn,
      handler: aggregator,
      functionName: 'aggregator',
      filter: TRAFFIC_STREAM_FILTER,
      batchSize: AGGREGATOR_STREAM.batchSize,
      retryAttempts: AGGREGATOR_STREAM.retryAttempts,
      onError: options.onConsumerError ?? ((error) => console.error('local aggregator:', error)),
    });

    return {
      url: `http://${host}:${port}`,
      resources,
      endpoints: { dynamoEndpoint: endpoints.dynamoEndpoint, sqsEndpoint: endpoints.sqsEndpoint },
      identity,
      async streamsCaughtUp() {
        await Promise.all([streamSource.caughtUp(), aggregatorSource.caughtUp()]);
      },
      async stop() {
        server.closeAllConnections?.();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([
          eventSource.stop(),
          replayJobSource.stop(),
          streamSource.stop(),
          aggregatorSource.stop(),
        ]);
        dynamo.destroy();
        sqs.destroy();
        await emulators?.stop();
      },
    };
  } catch (error) {
    await emulators?.stop();
    throw error;
  }
}

/** The console's config.json: it signs in at the local identity provider, on this origin (as it does at Cognito's domain in AWS). */
function withConsoleConfig(files: ConsoleFiles, identity: LocalIdentityProvider): ConsoleFiles {
  const config: ConsoleConfig = { signIn: { domain: LOCAL_IDP_PATH, clientId: identity.clientId } };
  return new Map([
    ...files,
    [CONSOLE_CONFIG_FILE, { contentType: 'application/json', body: Buffer.from(JSON.stringify(config)) }],
  ]);
}
