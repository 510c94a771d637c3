/**
 * The AWS SDK clients, built in exactly one place. Endpoints and credentials come from the SDK's standard
 * environment (AWS_ENDPOINT_URL_DYNAMODB / _SQS point them at the local engines in local mode).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Pluggable } from '@smithy/types';
import { tracingOn } from './tracing-switch';

export type ServiceName = 'dynamodb' | 'sqs' | 'secretsmanager' | 'cognito';
// Each client has its own input and output types: a plugin for all of them can only say `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPluggable = Pluggable<any, any>;
type Plugin = (service: ServiceName) => AnyPluggable | null;

/**
 * SDK middleware added to every client created after registration: the benchmark counts requests and
 * consumed capacity with it, the reliability tests inject faults. Never used by the deployed handlers.
 */
const plugins: Plugin[] = [];

export function instrumentClients(plugin: Plugin): () => void {
  plugins.push(plugin);
  return () => void plugins.splice(plugins.indexOf(plugin), 1);
}

type Client = DynamoDBClient | SQSClient | SecretsManagerClient | CognitoIdentityProviderClient;

/**
 * Where tracing is on, the tracer (./tracing.ts) loads on the first invocation, after the clients were
 * built at cold start: they wait here until it captures them, and it captures every later one at once.
 */
let captureClient: ((client: Client) => void) | null = null;
const awaitingTracer: Client[] = [];

export function traceClients(capture: (client: Client) => void): void {
  captureClient = capture;
  for (const client of awaitingTracer.splice(0)) capture(client);
}

function instrumented<C extends Client>(client: C, service: ServiceName): C {
  for (const plugin of plugins) {
    const pluggable = plugin(service);
    if (pluggable) client.middlewareStack.use(pluggable);
  }
  if (captureClient) captureClient(client);
  else if (tracingOn()) awaitingTracer.push(client);
  return client;
}

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(instrumented(new DynamoDBClient({}), 'dynamodb'), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

/** useQueueUrlAsEndpoint false: harmless in AWS, and lets the emulator's queue URLs work locally. */
export function createSqsClient(): SQSClient {
  return instrumented(new SQSClient({ useQueueUrlAsEndpoint: false }), 'sqs');
}

export function createSecretsManagerClient(): SecretsManagerClient {
  return instrumented(new SecretsManagerClient({}), 'secretsmanager');
}

export function createCognitoClient(): CognitoIdentityProviderClient {
  return instrumented(new CognitoIdentityProviderClient({}), 'cognito');
}
