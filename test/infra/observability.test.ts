/** CDK assertions on what operators watch a stage with: alarms and their thresholds per stage, the topic, dashboard, saved queries, log retention. */
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createServiceStacks } from '../../lib/service-stacks';
import { type AlarmId } from '../../lib/observability';
import { getStageConfig, STAGE_NAMES, type StageConfig, type StageName } from '../../lib/stage-config';

function synthStage(config: StageConfig) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = createServiceStacks(app, config);
  return {
    ...stacks,
    template: Template.fromStack(stacks.stateless),
    statefulTemplate: Template.fromStack(stacks.stateful),
  };
}
/** Prod refuses to synth without a subscriber: every stage gets the one a deploy would give on the command line. */
const SUBSCRIBER = { alarmEmails: 'ops@example.com' };
const stages = Object.fromEntries(
  STAGE_NAMES.map((stage) => [stage, synthStage(getStageConfig(stage, SUBSCRIBER))]),
) as Record<StageName, ReturnType<typeof synthStage>>;

type Resource = { Type: string; Properties: any };
const alarmsOf = (stage: StageName) =>
  stages[stage].template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
function alarm(stage: StageName, id: AlarmId): any {
  const { stateless } = stages[stage];
  return alarmsOf(stage)[
    stateless.getLogicalId(stateless.observability.alarms[id].node.defaultChild as CfnElement)
  ]!.Properties;
}

describe.each(STAGE_NAMES)('alarms of the %s stage', (stage) => {
  const { stateless, stateful } = stages[stage];
  const { alarms: thresholds } = getStageConfig(stage);
  const imported = (token: string) => stateless.resolve(token);

  it('are the seven alarms of the runbook, each named after its stage', () => {
    expect(
      Object.values(alarmsOf(stage))
        .map((resource) => resource.Properties.AlarmName)
        .sort(),
    ).toEqual(
      [
        'Api5xx',
        'ConsumerErrors',
        'DeadLetterQueueNotEmpty',
        'PostbackQueueBacklogAge',
        'PostbacksSilent',
        'ReplayJobDeadLetterQueueNotEmpty',
        'StreamFailureQueueNotEmpty',
      ]
        .map((id) => `buygoods-postbacks-${stage}-${id}`)
        .sort(),
    );
  });

  it.each([
    [
      'DeadLetterQueueNotEmpty',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'Maximum',
      () => ({ QueueName: imported(stateful.dlq.queueName) }),
      () => thresholds.deadLetterMessages,
    ],
    [
      'StreamFailureQueueNotEmpty',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'Maximum',
      () => ({ QueueName: imported(stateful.streamFailureQueue.queueName) }),
      () => thresholds.deadLetterMessages,
    ],
    [
      'ReplayJobDeadLetterQueueNotEmpty',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'Maximum',
      () => ({ QueueName: imported(stateful.replayJobDlq.queueName) }),
      () => thresholds.deadLetterMessages,
    ],
    [
      'ConsumerErrors',
      'AWS/Lambda',
      'Errors',
      'Sum',
      () => ({ FunctionName: imported(stateless.consumer.functionName) }),
      () => thresholds.consumerErrorsPer5Min,
    ],
    [
      'Api5xx',
      'AWS/ApiGateway',
      '5xx',
      'Sum',
      () => ({ ApiId: imported(stateless.api.apiId) }),
      () => thresholds.api5xxPer5Min,
    ],
    [
      'PostbackQueueBacklogAge',
      'AWS/SQS',
      'ApproximateAgeOfOldestMessage',
      'Maximum',
      () => ({ QueueName: imported(stateful.queue.queueName) }),
      () => thresholds.oldestMessageAgeSeconds,
    ],
  ] as const)(
    '%s fires when %s %s over 5 minutes exceeds the stage threshold',
    (id, namespace, metricName, statistic, dimensions, threshold) => {
      const props = alarm(stage, id);
      expect(props).toMatchObject({
        Namespace: namespace,
        MetricName: metricName,
        Statistic: statistic,
        Period: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: threshold(),
        TreatMissingData: 'notBreaching',
      });
      const expected = Object.entries(dimensions()).map(([Name, Value]) => ({ Name, Value }));
      expect(props.Dimensions).toEqual(expected);
    },
  );

  it(`fires the silence alarm after ${thresholds.silenceHours} hours with no postback enqueued, missing data counting as silence`, () => {
    const props = alarm(stage, 'PostbacksSilent');
    expect(props).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Dimensions: [{ Name: 'QueueName', Value: imported(stateful.queue.queueName) }],
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    expect(props.Period * props.EvaluationPeriods).toBe(thresholds.silenceHours * 3600);
    expect(props.DatapointsToAlarm).toBe(props.EvaluationPeriods);
    // CloudWatch's limits: a period of 10, 30 or a multiple of 60 s; at most 7 days evaluated.
    expect(props.Period % 60).toBe(0);
    expect(props.Period * props.EvaluationPeriods).toBeLessThanOrEqual(7 * 86_400);
  });

  it('notify the alarm topic on alarm and on recovery, and nothing else', () => {
    const topicRef = {
      Ref: stateless.getLogicalId(stateless.observability.topic.node.defaultChild as CfnElement),
    };
    for (const resource of Object.values(alarmsOf(stage))) {
      expect(resource.Properties.AlarmActions).toEqual([topicRef]);
      expect(resource.Properties.OKActions).toEqual([topicRef]);
    }
  });
});

describe('alarm topic', () => {
  const { template } = stages.prod;

  it('is encrypted with a rotated customer key that CloudWatch may use, and refuses plain HTTP', () => {
    const [keyId] = Object.keys(
      template.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } }),
    );
    expect(keyId).toBeDefined();
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets CloudWatch publish, but only alarms of this stage in this account (the topic policy replaces the default one)', () => {
    const { stateless } = stages.prod;
    const [policy, ...others] = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as Resource[];
    expect(others).toHaveLength(0);
    expect(policy!.Properties.Topics).toEqual([
      { Ref: stateless.getLogicalId(stateless.observability.topic.node.defaultChild as CfnElement) },
    ]);
    const allows = (policy!.Properties.PolicyDocument.Statement as any[]).filter(
      (statement) => statement.Effect === 'Allow',
    );
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: {
          Ref: stateless.getLogicalId(stateless.observability.topic.node.defaultChild as CfnElement),
        },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudwatch:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':alarm:buygoods-postbacks-prod-*',
                ],
              ],
            },
          },
        },
      }),
    ]);
    // Every alarm the statement must cover has a name the pattern matches.
    for (const resource of Object.values(alarmsOf('prod')))
      expect(resource.Properties.AlarmName).toMatch(/^buygoods-postbacks-prod-/);
  });

  it('has no subscribers in dev unless given, and one e-mail subscription per configured address', () => {
    const dev = synthStage(getStageConfig('dev'));
    dev.template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    const configured = synthStage({
      ...getStageConfig('staging'),
      alarmEmails: ['ops@example.com', 'oncall@example.com'],
    });
    const subscriptions = Object.values(configured.template.findResources('AWS::SNS::Subscription')).map(
      (resource) => resource.Properties,
    );
    expect(subscriptions.map((subscription) => [subscription.Protocol, subscription.Endpoint])).toEqual([
      ['email', 'ops@example.com'],
      ['email', 'oncall@example.com'],
    ]);
  });

  it('fails a prod synth that names no subscriber, saying how to give one; dev and staging may stay silent', () => {
    expect(() => synthStage(getStageConfig('prod'))).toThrow(
      /Stage prod needs someone to receive its alarms: pass -c alarmEmails=.* or -c alarmTopicArn=arn:aws:sns:/,
    );
    expect(() => synthStage(getStageConfig('dev'))).not.toThrow();
    expect(() => synthStage(getStageConfig('staging'))).not.toThrow();
  });

  it('notifies an existing topic instead of its own when given one', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-paging';
    const { template: existing } = synthStage(getStageConfig('prod', { alarmTopicArn: arn }));
    existing.resourceCountIs('AWS::SNS::Topic', 0);
    existing.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    const alarms = Object.values(existing.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    expect(alarms).toHaveLength(7);
    for (const resource of alarms) expect(resource.Properties.AlarmActions).toEqual([arn]);
    existing.hasOutput('AlarmTopicArn', { Value: arn });
  });

  it('refuses a silence window CloudWatch cannot evaluate', () => {
    const config = getStageConfig('dev');
    expect(() => synthStage({ ...config, alarms: { ...config.alarms, silenceHours: 8 * 24 } })).toThrow(
      /silenceHours .* 1 to 168/,
    );
  });
});

describe('dashboard and saved queries', () => {
  const { template, stateless } = stages.prod;
  const consumerLogGroup = {
    Ref: stateless.getLogicalId(stateless.consumer.logGroup.node.defaultChild as CfnElement),
  };

  it('has one dashboard per stage covering intake, outcomes, lag, DLQs, Lambda errors and throttles, API errors and latency', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // Dashboard names are global per account: the region keeps two regions of one stage apart.
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['buygoods-postbacks-prod-', { Ref: 'AWS::Region' }]] },
    });
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody,
    );
    for (const fragment of [
      'NumberOfMessagesSent', // intake
      'Invocations',
      "filter message = 'postback recorded'", // outcomes and lag from the consumer's log lines
      'by outcome',
      'pct(lagMs, 95)',
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible', // DLQs
      'Throttles',
      'Errors',
      '4xx',
      '5xx',
      'Latency',
    ]) {
      expect(body).toContain(fragment);
    }
    expect(body).toContain(JSON.stringify(consumerLogGroup).slice(1, -1));
    template.hasOutput('DashboardName', {
      Value: {
        Ref: stateless.getLogicalId(stateless.observability.dashboard.node.defaultChild as CfnElement),
      },
    });
  });

  it('saves the four Logs Insights queries of the runbook, over the consumer log group (and ingest and management for an order trail)', () => {
    const queries = Object.values(template.findResources('AWS::Logs::QueryDefinition')).map(
      (resource) => resource.Properties,
    );
    expect(queries).toHaveLength(4);
    const byName = Object.fromEntries(
      queries.map((query) => [query.Name.replace('buygoods-postbacks-prod/', ''), query]),
    );
    expect(Object.keys(byName).sort()).toEqual(
      [
        'Malformed click ids',
        'Rejected postbacks by reason',
        'Slowest postbacks (receipt to record)',
        'Trail of one order (replace REPLACE_ME)',
      ].sort(),
    );
    expect(byName['Rejected postbacks by reason']).toMatchObject({
      LogGroupNames: [consumerLogGroup],
      QueryString: expect.stringMatching(
        /filter outcome = 'rejected'[\s\S]*stats count\(\*\) as postbacks by errorCode/,
      ),
    });
    expect(byName['Malformed click ids']).toMatchObject({
      LogGroupNames: [consumerLogGroup],
      QueryString: expect.stringContaining("filter clickIdStatus = 'malformed'"),
    });
    expect(byName['Slowest postbacks (receipt to record)']).toMatchObject({
      LogGroupNames: [consumerLogGroup],
      QueryString: expect.stringContaining('sort lagMs desc'),
    });
    const trail = byName['Trail of one order (replace REPLACE_ME)'];
    expect(trail.QueryString).toMatch(/filter orderId = 'REPLACE_ME'[\s\S]*sort @timestamp asc/);
    const logGroupOf = (fn: typeof stateless.consumer) => ({
      Ref: stateless.getLogicalId(fn.logGroup.node.defaultChild as CfnElement),
    });
    expect(trail.LogGroupNames).toEqual([
      logGroupOf(stateless.consumer),
      logGroupOf(stateless.ingest),
      logGroupOf(stateless.management),
    ]);
  });

  it('outputs the alarm topic for operators', () => {
    template.hasOutput('AlarmTopicArn', {
      Value: { Ref: stateless.getLogicalId(stateless.observability.topic.node.defaultChild as CfnElement) },
    });
  });
});

describe.each(STAGE_NAMES)('log groups of the %s stage', (stage) => {
  it('all keep logs for the stage retention, and no function writes to a log group created at run time', () => {
    const { logRetention } = getStageConfig(stage);
    const { template, statefulTemplate } = stages[stage];
    const logGroups = [template, statefulTemplate].flatMap((t) =>
      Object.values(t.findResources('AWS::Logs::LogGroup')),
    );
    expect(logGroups).toHaveLength(11); // eight functions, the console's bucket deployment and the access logs of the API and the operator API
    for (const logGroup of logGroups) expect(logGroup.Properties.RetentionInDays).toBe(logRetention);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function')))
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
  });
});
