/** CDK assertions on the stateful stack: the ledger table, the queues, the token secret and the outputs, per stage. */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  CONSUMER_TIMEOUT_SECONDS,
  LEDGER_TABLE,
  POSTBACK_QUEUE,
  STREAM_FAILURE_QUEUE,
} from '../../lib/resources';
import { createServiceStacks } from '../../lib/service-stacks';
import { getStageConfig, type StageName } from '../../lib/stage-config';

function synthStateful(stage: StageName) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateful } = createServiceStacks(app, getStageConfig(stage, { alarmEmails: 'ops@example.com' }));
  return { stack: stateful, template: Template.fromStack(stateful) };
}

const prod = synthStateful('prod');
const dev = synthStateful('dev');

describe('ledger table', () => {
  it('is on-demand, encrypted, keyed and indexed as LEDGER_TABLE says, with TTL and a NEW_AND_OLD_IMAGES stream', () => {
    prod.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      KeySchema: [
        { AttributeName: LEDGER_TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: LEDGER_TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: LEDGER_TABLE.globalSecondaryIndexes.map((gsi) =>
        Match.objectLike({
          IndexName: gsi.indexName,
          KeySchema: [
            { AttributeName: gsi.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ),
      TimeToLiveSpecification: { AttributeName: LEDGER_TABLE.timeToLiveAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('is retained in prod, with point-in-time recovery, deletion and termination protection', () => {
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
    expect(prod.stack.terminationProtection).toBe(true);
  });

  it('can be destroyed in dev: delete policy, no point-in-time recovery, no deletion protection', () => {
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        DeletionProtectionEnabled: false,
      }),
    });
    expect(dev.stack.terminationProtection).toBe(false);
  });
});

describe('postback queue', () => {
  it('hides a message for at least six consumer timeouts and moves it to the DLQ after maxReceiveCount tries', () => {
    expect(POSTBACK_QUEUE.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * CONSUMER_TIMEOUT_SECONDS);
    prod.template.resourceCountIs('AWS::SQS::Queue', 5); // postbacks, replay jobs, their DLQs, stream failures
    prod.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: POSTBACK_QUEUE.visibilityTimeoutSeconds,
      MessageRetentionPeriod: POSTBACK_QUEUE.retentionDays * 86_400,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: Match.anyValue(),
        maxReceiveCount: POSTBACK_QUEUE.maxReceiveCount,
      },
    });
    prod.template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: POSTBACK_QUEUE.deadLetter.retentionDays * 86_400,
      SqsManagedSseEnabled: true,
      RedrivePolicy: Match.absent(),
    });
  });

  it('refuses requests without TLS on every queue', () => {
    const policies = prod.template.findResources('AWS::SQS::QueuePolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(5);
  });

  it('is found by the redrive script through the stack outputs: both queues by URL and ARN', () => {
    const ref = (id: string) =>
      Object.keys(prod.template.findResources('AWS::SQS::Queue')).find((logicalId) =>
        logicalId.startsWith(id),
      )!;
    prod.template.hasOutput('PostbackQueueUrl', { Value: { Ref: ref(POSTBACK_QUEUE.id) } });
    prod.template.hasOutput('PostbackQueueArn', { Value: { 'Fn::GetAtt': [ref(POSTBACK_QUEUE.id), 'Arn'] } });
    prod.template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: ref(POSTBACK_QUEUE.deadLetter.id) } });
    prod.template.hasOutput('DeadLetterQueueArn', {
      Value: { 'Fn::GetAtt': [ref(POSTBACK_QUEUE.deadLetter.id), 'Arn'] },
    });
    prod.template.hasOutput('StreamFailureQueueUrl', { Value: { Ref: ref(STREAM_FAILURE_QUEUE.id) } });
  });
});

describe('stream-failure queue', () => {
  it('keeps what the table-stream consumers gave up on for its retention, encrypted, with no redrive of its own', () => {
    const queues = prod.template.findResources('AWS::SQS::Queue');
    const [logicalId, queue] = Object.entries(queues).find(([id]) => id.startsWith(STREAM_FAILURE_QUEUE.id))!;
    expect(queue.Properties).toEqual({
      MessageRetentionPeriod: STREAM_FAILURE_QUEUE.retentionDays * 86_400,
      SqsManagedSseEnabled: true,
    });
    expect(queue.DeletionPolicy).toBe('Retain');
    expect(prod.stack.resolve(prod.stack.streamFailureQueue.queueArn)).toEqual({
      'Fn::GetAtt': [logicalId, 'Arn'],
    });
  });
});

describe('token secret', () => {
  it('is generated, 64 characters long, and exposed to the stateless stack by ARN', () => {
    prod.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
    expect(prod.stack.secret.secretArn).toBeDefined();
  });
});
