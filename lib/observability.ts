/**
 * What an operator watches a stage with: the alarms (to an encrypted SNS topic, with the stage's e-mail
 * subscribers), one dashboard, and saved Logs Insights queries over the functions' JSON logs. What each
 * alarm means and what to do about it is in docs/RUNBOOK.md.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ERROR_CODE_FIELD } from '../functions/handlers/log-fields';
import type { FunctionName } from './resources';
import { SERVICE_NAME, type ServiceFunction } from './service-function';
import { assertAlarmSubscribers, type StageConfig } from './stage-config';

export interface ObservabilityProps {
  readonly config: StageConfig;
  readonly api: IHttpApi;
  readonly functions: Readonly<Record<FunctionName, ServiceFunction>>;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly streamFailureQueue: IQueue;
  readonly replayJobDeadLetterQueue: IQueue;
}

/** The alarms, by the id the runbook uses for them. */
export type AlarmId =
  | 'DeadLetterQueueNotEmpty'
  | 'StreamFailureQueueNotEmpty'
  | 'ReplayJobDeadLetterQueueNotEmpty'
  | 'ConsumerErrors'
  | 'Api5xx'
  | 'PostbackQueueBacklogAge'
  | 'PostbacksSilent';

/** The consumer's one JSON line per postback (functions/handlers/consumer.ts). */
const RECORDED = "message = 'postback recorded'";
const FIVE_MINUTES = Duration.minutes(5);
/** CloudWatch caps an alarm's period x evaluation periods at 7 days (for periods of an hour or more). */
const MAX_SILENCE_HOURS = 7 * 24;

export class Observability extends Construct {
  /** The stack's own alarm topic, or the existing one the stage names (`alarmTopicArn`). */
  readonly topic: sns.ITopic;
  readonly alarms: Readonly<Record<AlarmId, cloudwatch.Alarm>>;
  readonly dashboard: cloudwatch.Dashboard;
  readonly queries: readonly logs.QueryDefinition[];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, api, functions, queue, deadLetterQueue, streamFailureQueue, replayJobDeadLetterQueue } =
      props;
    const prefix = `${SERVICE_NAME}-${config.stageName}`;

    assertAlarmSubscribers(config);
    this.topic = config.alarmTopicArn
      ? sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn)
      : this.createTopic(prefix, config);
    const thresholds = config.alarms;
    if (
      !Number.isInteger(thresholds.silenceHours) ||
      thresholds.silenceHours < 1 ||
      thresholds.silenceHours > MAX_SILENCE_HOURS
    ) {
      throw new Error(
        `alarms.silenceHours must be a whole number of hours from 1 to ${MAX_SILENCE_HOURS}, got ${thresholds.silenceHours}`,
      );
    }
    const greaterThan = (metric: cloudwatch.IMetric, threshold: number) => ({
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops publishing for an idle queue and Lambda for an idle function: no data is good news.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const definitions: Record<AlarmId, Omit<cloudwatch.AlarmProps, 'alarmName'>> = {
      DeadLetterQueueNotEmpty: {
        ...greaterThan(
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
          }),
          thresholds.deadLetterMessages,
        ),
        alarmDescription:
          'Postbacks failed 5 deliveries and wait in the dead-letter queue: fix the cause, then `npm run redrive`.',
      },
      StreamFailureQueueNotEmpty: {
        ...greaterThan(
          streamFailureQueue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
          }),
          thresholds.deadLetterMessages,
        ),
        alarmDescription:
          'The pixel creator or the aggregator gave up on table-stream records: read the queue and the two log groups, fix, then re-save the merchants named or run npm run reconcile -- --fix over the days named (runbook, section 5).',
      },
      ReplayJobDeadLetterQueueNotEmpty: {
        ...greaterThan(
          replayJobDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
          }),
          thresholds.deadLetterMessages,
        ),
        alarmDescription:
          'A bulk replay page failed every delivery (the worker crashed or timed out 5 times): see the replay worker log, then the job.',
      },
      ConsumerErrors: {
        ...greaterThan(
          functions.consumer.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          thresholds.consumerErrorsPer5Min,
        ),
        alarmDescription:
          'Consumer invocations crashed or timed out (whole batches retried): see its log group.',
      },
      Api5xx: {
        ...greaterThan(
          api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
          thresholds.api5xxPer5Min,
        ),
        alarmDescription:
          'The HTTP API answered 5xx (a postback 503 means the queue was unavailable; Buygoods retries).',
      },
      PostbackQueueBacklogAge: {
        ...greaterThan(
          queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
          thresholds.oldestMessageAgeSeconds,
        ),
        alarmDescription:
          'Postbacks wait in the queue longer than usual: the consumer is failing, throttled or disabled.',
      },
      // N hourly sums of zero in a row. An idle queue publishes no data at all, hence missing = breaching.
      PostbacksSilent: {
        metric: queue.metricNumberOfMessagesSent({ period: Duration.hours(1), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: thresholds.silenceHours,
        datapointsToAlarm: thresholds.silenceHours,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: `No postback was enqueued for ${thresholds.silenceHours} hours: check Buygoods, the tokens and the API.`,
      },
    };
    const action = new SnsAction(this.topic);
    const alarms = {} as Record<AlarmId, cloudwatch.Alarm>;
    for (const [alarmId, definition] of Object.entries(definitions) as [AlarmId, cloudwatch.AlarmProps][]) {
      const alarm = new cloudwatch.Alarm(this, alarmId, { ...definition, alarmName: `${prefix}-${alarmId}` });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms[alarmId] = alarm;
    }
    this.alarms = alarms;

    this.queries = this.createQueries(prefix, functions);
    this.dashboard = this.createDashboard(prefix, props);
  }

  private createTopic(prefix: string, config: StageConfig): sns.Topic {
    // A customer-managed key: CloudWatch cannot publish to a topic under the AWS-managed SNS key, whose
    // policy cannot grant it. The key protects alarm notifications in transit only, so it can go with the stack.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `${prefix}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${prefix} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy, and a topic policy replaces SNS's default one: without this
    // statement nothing may publish, and every alarm would fail to notify ("not authorized to perform
    // SNS:Publish" in its history). Only this account's alarms of this stage (their names carry the prefix).
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisStagesAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': alarmArnPattern(this, prefix) },
        },
      }),
    );
    for (const email of config.alarmEmails) topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  private createQueries(prefix: string, functions: ObservabilityProps['functions']): logs.QueryDefinition[] {
    const consumerLogs = [functions.consumer.logGroup];
    const query = (id: string, name: string, logGroups: logs.ILogGroup[], queryString: logs.QueryString) =>
      new logs.QueryDefinition(this, id, {
        queryDefinitionName: `${prefix}/${name}`,
        logGroups,
        queryString,
      });
    return [
      query(
        'RejectedByReasonQuery',
        'Rejected postbacks by reason',
        consumerLogs,
        new logs.QueryString({
          filterStatements: [RECORDED, "outcome = 'rejected'"],
          statsStatements: [`count(*) as postbacks by ${ERROR_CODE_FIELD}`],
          sort: 'postbacks desc',
        }),
      ),
      query(
        'MalformedClickIdsQuery',
        'Malformed click ids',
        consumerLogs,
        new logs.QueryString({
          fields: ['@timestamp', 'accountId', 'orderId', 'postbackId', 'kind', 'outcome'],
          filterStatements: [RECORDED, "clickIdStatus = 'malformed'"],
          sort: '@timestamp desc',
          limit: 200,
        }),
      ),
      // Lines that carry the order id; the postbackId column then leads to the full record.
      query(
        'OrderTrailQuery',
        'Trail of one order (replace REPLACE_ME)',
        [functions.consumer.logGroup, functions.ingest.logGroup, functions.management.logGroup],
        new logs.QueryString({
          fields: [
            '@timestamp',
            '@log',
            'level',
            'message',
            'postbackId',
            'outcome',
            'kind',
            ERROR_CODE_FIELD,
            'receiveCount',
          ],
          filterStatements: ["orderId = 'REPLACE_ME'"],
          sort: '@timestamp asc',
          limit: 500,
        }),
      ),
      query(
        'SlowestPostbacksQuery',
        'Slowest postbacks (receipt to record)',
        consumerLogs,
        new logs.QueryString({
          fields: ['@timestamp', 'postbackId', 'accountId', 'orderId', 'lagMs', 'receiveCount', 'outcome'],
          filterStatements: [RECORDED],
          sort: 'lagMs desc',
          limit: 50,
        }),
      ),
    ];
  }

  private createDashboard(prefix: string, props: ObservabilityProps): cloudwatch.Dashboard {
    const { api, functions, queue, deadLetterQueue, streamFailureQueue } = props;
    const consumerLogGroupNames = [functions.consumer.logGroup.logGroupName];
    const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
    const max = { period: FIVE_MINUTES, statistic: 'Maximum' };
    const perFunction = (metric: (fn: ServiceFunction) => cloudwatch.IMetric) =>
      Object.values(functions).map(metric);
    // Dashboards are global per account: the region in the name lets one stage run in two regions.
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${prefix}-${Stack.of(this).region}`,
      defaultInterval: Duration.hours(24),
    });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: Object.values(this.alarms),
        width: 24,
        height: 3,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Intake: postbacks received and enqueued',
        width: 12,
        left: [
          functions.ingest.metricInvocations({ ...sum, label: 'ingest invocations' }),
          queue.metricNumberOfMessagesSent({ ...sum, label: 'enqueued (incl. tests, replays, redrives)' }),
          functions.consumer.metricInvocations({ ...sum, label: 'consumer invocations (batches)' }),
        ],
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Outcomes of recorded postbacks',
        width: 6,
        logGroupNames: consumerLogGroupNames,
        view: cloudwatch.LogQueryVisualizationType.BAR,
        queryLines: [`filter ${RECORDED}`, 'stats count(*) as postbacks by outcome'],
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Kinds and click id status',
        width: 6,
        logGroupNames: consumerLogGroupNames,
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        queryLines: [
          `filter ${RECORDED}`,
          'stats count(*) as postbacks by kind, clickIdStatus',
          'sort postbacks desc',
        ],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Lag from receipt to record (ms)',
        width: 12,
        logGroupNames: consumerLogGroupNames,
        view: cloudwatch.LogQueryVisualizationType.LINE,
        queryLines: [
          `filter ${RECORDED}`,
          'stats pct(lagMs, 50) as p50, pct(lagMs, 95) as p95, pct(lagMs, 99) as p99, max(lagMs) as maximum by bin(5m)',
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Postback queue backlog',
        width: 12,
        left: [queue.metricApproximateNumberOfMessagesVisible({ ...max, label: 'waiting' })],
        right: [queue.metricApproximateAgeOfOldestMessage({ ...max, label: 'oldest message age (s)' })],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (should be 0)',
        width: 8,
        left: [
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...max, label: 'postback DLQ' }),
          streamFailureQueue.metricApproximateNumberOfMessagesVisible({
            ...max,
            label: 'stream-failure DLQ',
          }),
          props.replayJobDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            ...max,
            label: 'replay job DLQ',
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda errors',
        width: 8,
        left: perFunction((fn) => fn.metricErrors({ ...sum, label: fn.node.id })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda throttles',
        width: 8,
        left: perFunction((fn) => fn.metricThrottles({ ...sum, label: fn.node.id })),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API answers: 4xx and 5xx',
        width: 12,
        left: [
          api.metricClientError({ ...sum, label: '4xx' }),
          api.metricServerError({ ...sum, label: '5xx' }),
        ],
        right: [api.metricCount({ ...sum, label: 'requests' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency (ms)',
        width: 12,
        left: [
          api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50', label: 'API p50' }),
          api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'API p99' }),
          functions.ingest.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: 'ingest p99' }),
          functions.consumer.metricDuration({
            period: FIVE_MINUTES,
            statistic: 'p99',
            label: 'consumer p99 (per batch)',
          }),
        ],
      }),
    );
    return dashboard;
  }
}

/** The ARNs of a stage's alarms: `arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:PREFIX-*` (alarmName is `${prefix}-${id}`). */
export function alarmArnPattern(scope: Construct, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: `${prefix}-*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
