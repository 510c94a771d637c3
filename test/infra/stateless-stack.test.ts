/** CDK assertions on the stateless stack: function defaults, least-privilege grants, routes and their auth. */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CONSUMER_TIMEOUT_SECONDS, ENV, POSTBACK_QUEUE } from '../../lib/resources';
import { createServiceStacks } from '../../lib/service-stacks';
import { getStageConfig } from '../../lib/stage-config';
import { MANAGEMENT_ROUTE_PATH, POSTBACK_ROUTE_PATH } from '../../lib/stateless-stack';

const config = getStageConfig('prod');
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const { stateful, stateless } = createServiceStacks(app, config);
const template = Template.fromStack(stateless);
const statefulTemplate = Template.fromStack(stateful);

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const logicalId = (fn: IFunction) => stateless.getLogicalId(fn.role!.node.defaultChild as CfnElement);

/** Every statement of the policies attached to a function's role. */
function statementsOf(fn: IFunction): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: logicalId(fn) }]) },
  });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}
const actionsOf = (fn: IFunction) => statementsOf(fn).flatMap((statement) => asList(statement.Action));
const functionProps = (fn: IFunction) => template.toJSON().Resources[stateless.getLogicalId(fn.node.defaultChild as CfnElement)].Properties;

const functions = { ingest: stateless.ingest, consumer: stateless.consumer, management: stateless.management };

describe('functions', () => {
  it('are exactly the three service functions (no hidden helper functions)', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
  });

  it.each(Object.entries(functions))('%s runs Node.js 22 on arm64 with tracing and its own log group with retention', (_, fn) => {
    const props = functionProps(fn);
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_LOG_LEVEL: config.logLevel }) },
    });
    const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: config.logRetention },
    });
  });

  it('gives each function the timeout its job needs', () => {
    expect(functionProps(stateless.ingest)).toMatchObject({ Timeout: 5, MemorySize: 512 });
    expect(functionProps(stateless.consumer)).toMatchObject({ Timeout: CONSUMER_TIMEOUT_SECONDS });
  });

  it('sets the env var of every resource a function is granted, and only those', () => {
    const variables = (fn: IFunction) => Object.keys(functionProps(fn).Environment.Variables);
    expect(variables(stateless.ingest)).toEqual(expect.arrayContaining([ENV.ledgerTable, ENV.postbackQueue]));
    expect(variables(stateless.ingest)).not.toContain(ENV.tokenSecretArn);
    expect(variables(stateless.management)).toEqual(expect.arrayContaining([ENV.ledgerTable, ENV.postbackQueue, ENV.tokenSecretArn]));
    expect(actionsOf(stateless.management)).toContain('secretsmanager:GetSecretValue');
  });
});

describe('permissions', () => {
  it('lets ingest read the table and send to the queue, and nothing more', () => {
    const actions = actionsOf(stateless.ingest);
    const dataActions = actions.filter((action) => !/^(xray|logs):/.test(action));
    expect(dataActions.sort()).toEqual(
      ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'sqs:SendMessage'].sort(),
    );
  });

  it('lets the consumer write the ledger but not send to the queue or read the secret', () => {
    const actions = actionsOf(stateless.consumer);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(actions.filter((action) => action === 'sqs:SendMessage' || action.startsWith('secretsmanager:'))).toEqual([]);
  });

  it('uses a "*" resource only for the X-Ray actions that support nothing else', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(statements.length).toBeGreaterThan(0);
    const wildcard = statements.filter((statement) => JSON.stringify(statement.Resource).includes('*'));
    for (const statement of wildcard) {
      expect(statement.Resource).toBe('*');
      expect(asList(statement.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
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
      FunctionName: { Ref: stateless.getLogicalId(stateless.consumer.node.defaultChild as CfnElement) },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('PostbackQueue') },
      BatchSize: POSTBACK_QUEUE.batchSize,
      MaximumBatchingWindowInSeconds: POSTBACK_QUEUE.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs within a sixth of the queue visibility timeout, so a slow batch is not delivered twice', () => {
    const queues = Object.values(statefulTemplate.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }));
    expect(queues).toHaveLength(1);
    expect(queues[0]!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * functionProps(stateless.consumer).Timeout);
  });
});

describe('HTTP API', () => {
  it('serves postbacks without authorization, the token in the path being the credential', () => {
    for (const method of ['GET', 'POST']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${method} ${POSTBACK_ROUTE_PATH}`,
        AuthorizationType: 'NONE',
      });
    }
  });

  it('requires IAM (SigV4) authorization on every management route', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: `ANY ${MANAGEMENT_ROUTE_PATH}`,
      AuthorizationType: 'AWS_IAM',
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 3);
  });

  it('throttles the default stage and writes access logs without the path (it holds the token)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: config.throttling.rateLimit, ThrottlingBurstLimit: config.throttling.burstLimit },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.routeKey'),
      },
    });
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage!.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });

  it('outputs the API base URL, which has no trailing slash', () => {
    template.hasOutput('ApiBaseUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] } });
    expect(Stack.of(stateless.api).resolve(stateless.api.apiEndpoint)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'ApiEndpoint'] });
  });
});
