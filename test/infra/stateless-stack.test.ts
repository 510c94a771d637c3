/** CDK assertions on the stateless stack: function defaults, least-privilege grants, the stream consumer, routes, their auth and throttles. */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  AGGREGATOR_STREAM,
  CONSUMER_TIMEOUT_SECONDS,
  ENV,
  type FunctionName,
  HTTP_ROUTES,
  MERCHANT_STREAM_FILTER,
  PIXEL_CREATOR_STREAM,
  POSTBACK_QUEUE,
  REPLAY_JOB_QUEUE,
  STREAM_FAILURE_QUEUE,
  TRAFFIC_STREAM_FILTER,
} from '../../lib/resources';
import { createServiceStacks } from '../../lib/service-stacks';
import { getStageConfig, type PublicFunctionName } from '../../lib/stage-config';
import {
  MANAGEMENT_ROUTE_PATH,
  POSTBACK_ROUTE_PATH,
  publicRouteSettings,
  routeKeys,
} from '../../lib/http-apis';

const config = getStageConfig('prod', { alarmEmails: 'ops@example.com' });
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const { stateful, stateless } = createServiceStacks(app, config);
const template = Template.fromStack(stateless);
const statefulTemplate = Template.fromStack(stateful);
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: any; DependsOn?: string[] }
>;

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const statefulResources = statefulTemplate.toJSON().Resources as Record<
  string,
  { Type: string; Properties: any }
>;
const resourceOfStateful = (construct: { node: { defaultChild?: unknown } }) =>
  statefulResources[stateful.getLogicalId(construct.node.defaultChild as CfnElement)]!;
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  stateless.getLogicalId(construct.node.defaultChild as CfnElement);
const roleId = (fn: IFunction) => stateless.getLogicalId(fn.role!.node.defaultChild as CfnElement);
/** How the stateless stack sees a stateful resource attribute: an import of the other stack's export. */
const imported = (token: string) => stateless.resolve(token) as { 'Fn::ImportValue': string };

/** Every statement of the policies attached to a function's role. */
function statementsOf(fn: IFunction): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId(fn) }]) },
  });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}
const actionsOf = (fn: IFunction) => statementsOf(fn).flatMap((statement) => asList(statement.Action));
/** Actions on data (not the log group and X-Ray every function has). */
const dataActionsOf = (fn: IFunction) =>
  actionsOf(fn)
    .filter((action) => !/^(xray|logs):/.test(action))
    .sort();
const functionProps = (fn: IFunction) => resources[logicalIdOf(fn)]!.Properties;
const variables = (fn: IFunction) => Object.keys(functionProps(fn).Environment.Variables);

const TABLE_READ = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
];
const TABLE_WRITE = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];
const STREAM_READ = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

describe('functions', () => {
  it("are exactly the eight service functions and the console's bucket deployment (no hidden helper functions)", () => {
    template.resourceCountIs('AWS::Lambda::Function', 9);
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    expect(Object.keys(stateless.functions).sort()).toEqual([
      'aggregator',
      'consumer',
      'ingest',
      'management',
      'merchants',
      'pixelCreator',
      'replayWorker',
      'tracking',
    ]);
  });

  it.each(Object.entries(stateless.functions))(
    '%s runs Node.js 22 on arm64 without tracing or custom metrics (prod), JSON logs without platform lines, and its own log group with retention',
    (_, fn) => {
      const props = functionProps(fn);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_LOG_LEVEL: config.logLevel,
            POWERTOOLS_TRACE_ENABLED: 'false',
            POWERTOOLS_METRICS_DISABLED: 'true',
          }),
        },
        LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' },
      });
      expect(props.TracingConfig).toBeUndefined();
      const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
      expect(resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: config.logRetention },
      });
    },
  );

  it('gives each function the timeout and memory its job needs', () => {
    expect(functionProps(stateless.ingest)).toMatchObject({ Timeout: 5, MemorySize: 512 });
    expect(functionProps(stateless.consumer)).toMatchObject({ Timeout: CONSUMER_TIMEOUT_SECONDS });
    // A shopper waits on every click and pixel: a small, quick function that gives up fast.
    expect(functionProps(stateless.tracking)).toMatchObject({ Timeout: 3, MemorySize: 256 });
  });

  it('sets the env var of every resource a function is granted, and only those', () => {
    expect(variables(stateless.ingest)).toEqual(expect.arrayContaining([ENV.ledgerTable, ENV.postbackQueue]));
    expect(variables(stateless.ingest)).not.toContain(ENV.tokenSecretArn);
    expect(variables(stateless.management)).toEqual(
      expect.arrayContaining([ENV.ledgerTable, ENV.postbackQueue, ENV.tokenSecretArn]),
    );
    expect(actionsOf(stateless.management)).toContain('secretsmanager:GetSecretValue');
    for (const fn of [
      stateless.merchants,
      stateless.tracking,
      stateless.pixelCreator,
      stateless.aggregator,
    ]) {
      expect(variables(fn)).toContain(ENV.ledgerTable);
      expect(variables(fn)).not.toContain(ENV.postbackQueue);
      expect(variables(fn)).not.toContain(ENV.tokenSecretArn);
    }
  });

  it('tells only the functions that write postback log items how long those live', () => {
    const withRetention = Object.entries(stateless.functions)
      .filter(([, fn]) => variables(fn).includes(ENV.postbackLogRetentionDays))
      .map(([name]) => name);
    expect(withRetention.sort()).toEqual(['consumer', 'management', 'replayWorker']);
    expect(functionProps(stateless.consumer).Environment.Variables[ENV.postbackLogRetentionDays]).toBe(
      String(config.postbackLogRetentionDays),
    );
  });
});

describe('permissions', () => {
  it('lets ingest read the table and send to the queue, and nothing more', () => {
    expect(dataActionsOf(stateless.ingest)).toEqual([...TABLE_READ, 'sqs:SendMessage'].sort());
  });

  it('lets the consumer write the ledger but not send to the queue or read the secret', () => {
    const actions = actionsOf(stateless.consumer);
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
      ]),
    );
    expect(
      actions.filter((action) => action === 'sqs:SendMessage' || action.startsWith('secretsmanager:')),
    ).toEqual([]);
  });

  it.each([['merchants'], ['tracking']] as const)(
    'lets %s read and write the table only: no queue, no secret, no stream',
    (name) => {
      expect(dataActionsOf(stateless.functions[name])).toEqual([...TABLE_READ, ...TABLE_WRITE].sort());
    },
  );

  it.each([['pixelCreator'], ['aggregator']] as const)(
    'lets the %s read and write the table, read its stream and report failures to the stream-failure queue only',
    (name) => {
      expect(dataActionsOf(stateless.functions[name])).toEqual(
        [
          ...TABLE_READ,
          ...TABLE_WRITE,
          ...STREAM_READ,
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:SendMessage',
        ].sort(),
      );
      const statements = statementsOf(stateless.functions[name]);
      const on = (action: string) =>
        statements
          .filter((statement) => asList(statement.Action).includes(action))
          .map((statement) => statement.Resource);
      expect(on('dynamodb:GetRecords')).toEqual([imported(stateful.table.tableStreamArn!)]);
      expect(on('sqs:SendMessage')).toEqual([imported(stateful.streamFailureQueue.queueArn)]);
      expect(on('sqs:SendMessage')).not.toContainEqual(imported(stateful.queue.queueArn));
    },
  );

  it('uses a "*" resource only for actions that support nothing else: ListStreams for the stream reader (and no X-Ray in prod)', () => {
    for (const [name, fn] of Object.entries(stateless.functions)) {
      const wildcard = statementsOf(fn).filter((statement) =>
        JSON.stringify(statement.Resource).includes('*'),
      );
      for (const statement of wildcard) expect(statement.Resource).toBe('*');
      expect(wildcard.flatMap((statement) => asList(statement.Action)).sort()).toEqual(
        name === 'pixelCreator' || name === 'aggregator' ? ['dynamodb:ListStreams'] : [],
      );
    }
  });

  it('grants no function an AWS-managed policy', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('postback consumer', () => {
  it('reads the postback queue in batches and reports partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(stateless.consumer) },
      EventSourceArn: imported(stateful.queue.queueArn),
      BatchSize: POSTBACK_QUEUE.batchSize,
      MaximumBatchingWindowInSeconds: POSTBACK_QUEUE.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs within a sixth of the queue visibility timeout, so a slow batch is not delivered twice', () => {
    const queues = Object.values(
      statefulTemplate.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }),
    );
    expect(queues).toHaveLength(2); // the postback queue and the replay job queue
    const postbackQueue = resourceOfStateful(stateful.queue);
    expect(postbackQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * functionProps(stateless.consumer).Timeout,
    );
  });
});

describe('replay worker', () => {
  const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
    Properties: { FunctionName: { Ref: logicalIdOf(stateless.replayWorker) } },
  });

  it('takes one job message (one page) at a time from the job queue, within a sixth of its visibility timeout', () => {
    expect(Object.values(mappings).map((mapping) => mapping.Properties)).toEqual([
      expect.objectContaining({
        EventSourceArn: imported(stateful.replayJobQueue.queueArn),
        BatchSize: REPLAY_JOB_QUEUE.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
    expect(resourceOfStateful(stateful.replayJobQueue).Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * functionProps(stateless.replayWorker).Timeout,
    );
    expect(resourceOfStateful(stateful.replayJobQueue).Properties.RedrivePolicy).toMatchObject({
      maxReceiveCount: REPLAY_JOB_QUEUE.maxReceiveCount,
    });
  });

  it('may send to the postback queue and to its own queue (the next page), and read and write the table; management may start jobs', () => {
    const sends = (fn: IFunction) =>
      statementsOf(fn)
        .filter((statement) => asList(statement.Action).includes('sqs:SendMessage'))
        .map((statement) => statement.Resource);
    expect(sends(stateless.replayWorker)).toEqual(
      expect.arrayContaining([imported(stateful.queue.queueArn), imported(stateful.replayJobQueue.queueArn)]),
    );
    expect(sends(stateless.management)).toEqual(
      expect.arrayContaining([imported(stateful.queue.queueArn), imported(stateful.replayJobQueue.queueArn)]),
    );
    expect(actionsOf(stateless.replayWorker)).toEqual(
      expect.arrayContaining([...TABLE_READ, ...TABLE_WRITE, 'sqs:ReceiveMessage', 'sqs:DeleteMessage']),
    );
    expect(
      actionsOf(stateless.replayWorker).filter((action) => action.startsWith('secretsmanager:')),
    ).toEqual([]);
    for (const fn of [stateless.replayWorker, stateless.management])
      expect(variables(fn)).toEqual(expect.arrayContaining([ENV.replayJobQueue, ENV.postbackQueue]));
  });
});

describe('pixel creator stream consumer', () => {
  const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
    Properties: { FunctionName: { Ref: logicalIdOf(stateless.pixelCreator) } },
  });
  const mapping = Object.values(mappings)[0]!.Properties;

  it('is one of the two functions on the table stream (with the aggregator), from its start, in the batches PIXEL_CREATOR_STREAM sets', () => {
    expect(Object.keys(mappings)).toHaveLength(1);
    const onStream = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (resource) =>
        JSON.stringify(resource.Properties.EventSourceArn) ===
        JSON.stringify(imported(stateful.table.tableStreamArn!)),
    );
    expect(onStream.map((resource) => resource.Properties.FunctionName.Ref).sort()).toEqual(
      [logicalIdOf(stateless.aggregator), logicalIdOf(stateless.pixelCreator)].sort(),
    );
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: PIXEL_CREATOR_STREAM.batchSize,
      MaximumBatchingWindowInSeconds: PIXEL_CREATOR_STREAM.maxBatchingWindowSeconds,
      MaximumRetryAttempts: PIXEL_CREATOR_STREAM.retryAttempts,
    });
  });

  it('is invoked only for Buygoods merchants: its one filter pattern is MERCHANT_STREAM_FILTER', () => {
    const filters = mapping.FilterCriteria.Filters as Array<{ Pattern: string }>;
    expect(filters).toHaveLength(1);
    expect(JSON.parse(filters[0]!.Pattern)).toEqual(MERCHANT_STREAM_FILTER);
  });

  it('reports partial batch failures, bisects a failing batch, and sends what still fails to the stream-failure queue', () => {
    expect(mapping).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: imported(stateful.streamFailureQueue.queueArn) } },
    });
    expect(imported(stateful.streamFailureQueue.queueArn)['Fn::ImportValue']).toContain(
      STREAM_FAILURE_QUEUE.id,
    );
  });
});

describe('aggregator stream consumer', () => {
  const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
    Properties: { FunctionName: { Ref: logicalIdOf(stateless.aggregator) } },
  });
  const mapping = Object.values(mappings)[0]!.Properties;

  it('counts only new clicks and pixel hits (TRAFFIC_STREAM_FILTER), in the batches AGGREGATOR_STREAM sets, failures to the stream-failure queue', () => {
    expect(Object.keys(mappings)).toHaveLength(1);
    expect(
      (mapping.FilterCriteria.Filters as Array<{ Pattern: string }>).map((filter) =>
        JSON.parse(filter.Pattern),
      ),
    ).toEqual([TRAFFIC_STREAM_FILTER]);
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: AGGREGATOR_STREAM.batchSize,
      MaximumBatchingWindowInSeconds: AGGREGATOR_STREAM.maxBatchingWindowSeconds,
      MaximumRetryAttempts: AGGREGATOR_STREAM.retryAttempts,
      DestinationConfig: { OnFailure: { Destination: imported(stateful.streamFailureQueue.queueArn) } },
    });
  });
});

describe('HTTP API', () => {
  const apiId = logicalIdOf(stateless.api);
  const routes = Object.values(resources).filter(
    (resource) => resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties.ApiId.Ref === apiId,
  );
  const apiStages = () =>
    Object.entries(
      template.findResources('AWS::ApiGatewayV2::Stage', { Properties: { ApiId: { Ref: apiId } } }),
    );
  /** The function logical id a route key reaches, through its integration. */
  function functionBehind(routeKey: string): string {
    const route = routes.find((candidate) => candidate.Properties.RouteKey === routeKey);
    if (!route) throw new Error(`no route ${routeKey}`);
    const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
    return resources[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
  }
  const expectedRoutes = HTTP_ROUTES.flatMap((definition) =>
    routeKeys(definition).map((routeKey) => ({ routeKey, definition })),
  );

  it('has exactly the routes of HTTP_ROUTES', () => {
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      expectedRoutes.map(({ routeKey }) => routeKey).sort(),
    );
    expect(expectedRoutes.map(({ routeKey }) => routeKey)).toEqual(
      expect.arrayContaining([
        `GET ${POSTBACK_ROUTE_PATH}`,
        `POST ${POSTBACK_ROUTE_PATH}`,
        `ANY ${MANAGEMENT_ROUTE_PATH}`,
      ]),
    );
  });

  it.each(
    expectedRoutes.map(
      ({ routeKey, definition }) => [routeKey, definition.function, definition.auth] as const,
    ),
  )('%s goes to the %s function with auth %s', (routeKey, name, auth) => {
    expect(functionBehind(routeKey)).toBe(logicalIdOf(stateless.functions[name as FunctionName]));
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: auth === 'management' ? 'JWT' : 'NONE',
    });
  });

  it('lets API Gateway invoke each function only through its own routes', () => {
    const permissions = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Permission',
    );
    // Each route of the API, and each management route again on the operator API.
    const managementRoutes = expectedRoutes.filter(({ definition }) => definition.auth === 'management');
    expect(permissions).toHaveLength(expectedRoutes.length + managementRoutes.length);
    for (const permission of permissions)
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
  });

  it('throttles the default stage and writes access logs without the path (it holds the token)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: config.throttling.stageDefault.rateLimit,
        ThrottlingBurstLimit: config.throttling.stageDefault.burstLimit,
      },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.routeKey'),
      },
    });
    const [[, stage]] = apiStages() as [[string, { Properties: any }]];
    expect(stage.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });

  it('throttles each public route on its own, with its kind limits from the stage config, and no IAM route', () => {
    const [stageId, stage] = apiStages()[0]!;
    const publicRoutes = expectedRoutes.filter(({ definition }) => definition.auth === 'none');
    const expected = Object.fromEntries(
      publicRoutes.map(({ routeKey, definition }) => {
        const throttle = config.throttling.publicRoutes[definition.function as PublicFunctionName];
        return [
          routeKey,
          { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
        ];
      }),
    );
    expect(stage.Properties.RouteSettings).toEqual(expected);
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining([
        `GET ${POSTBACK_ROUTE_PATH}`,
        'GET /v1/click/{linkId}',
        'GET /v1/pixel/{pixelId}',
      ]),
    );
    // API Gateway refuses route settings for a route that does not exist yet.
    const routeIds = Object.entries(resources)
      .filter(
        ([, resource]) =>
          resource.Type === 'AWS::ApiGatewayV2::Route' &&
          resource.Properties.ApiId.Ref === apiId &&
          resource.Properties.RouteKey in expected,
      )
      .map(([id]) => id);
    expect(resources[stageId]!.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('refuses to make a route public for a function nobody justified or throttled', () => {
    expect(() => publicRouteSettings('management', config)).toThrow(
      /management is public .* no justification/,
    );
    expect(publicRouteSettings('tracking', config)).toEqual({
      reason: expect.stringContaining('public'),
      throttle: config.throttling.publicRoutes.tracking,
    });
  });

  it('outputs the API base URL, which has no trailing slash', () => {
    template.hasOutput('ApiBaseUrl', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] },
    });
    expect(Stack.of(stateless.api).resolve(stateless.api.apiEndpoint)).toEqual({
      'Fn::GetAtt': [expect.any(String), 'ApiEndpoint'],
    });
  });
});

describe('tracing and custom metrics, stage settings', () => {
  const staging = (() => {
    const stagingApp = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = createServiceStacks(stagingApp, getStageConfig('staging'));
    return { stack: stacks.stateless, template: Template.fromStack(stacks.stateless) };
  })();

  it('is on in dev and staging, off in prod; so are the custom metrics', () => {
    expect(['dev', 'staging', 'prod'].map((stage) => getStageConfig(stage).tracing)).toEqual([
      true,
      true,
      false,
    ]);
    expect(['dev', 'staging', 'prod'].map((stage) => getStageConfig(stage).customMetrics)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('where it is on, every function traces actively, says so to Powertools, and may write to X-Ray (the only "*" besides ListStreams)', () => {
    const stagingResources = staging.template.toJSON().Resources as Record<
      string,
      { Type: string; Properties: any }
    >;
    for (const [name, fn] of Object.entries(staging.stack.functions)) {
      const props =
        stagingResources[staging.stack.getLogicalId(fn.node.defaultChild as CfnElement)]!.Properties;
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
      expect(props.Environment.Variables.POWERTOOLS_METRICS_DISABLED).toBe('false');
      const roleRef = staging.stack.getLogicalId(fn.role!.node.defaultChild as CfnElement);
      const policies = staging.template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: Match.arrayWith([{ Ref: roleRef }]) },
      });
      const wildcardActions = Object.values(policies)
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
        .filter((statement) => statement.Resource === '*')
        .flatMap((statement) => asList(statement.Action))
        .sort();
      expect(wildcardActions).toEqual(
        [
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
          ...(name === 'pixelCreator' || name === 'aggregator' ? ['dynamodb:ListStreams'] : []),
        ].sort(),
      );
    }
  });
});
