/**
 * The stateless half of a stage: the three functions and the HTTP API in front of them. Everything here
 * can be replaced on any deploy; the data it works on lives in the stateful stack.
 */
import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpRoute, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CONSUMER_TIMEOUT_SECONDS, ENV, FUNCTION_ENTRIES, POSTBACK_QUEUE } from './resources';
import { ServiceFunction } from './service-function';
import type { StageConfig } from './stage-config';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly queue: IQueue;
  readonly secret: ISecret;
}

export const POSTBACK_ROUTE_PATH = '/v1/postbacks/buygoods/{token}/{channel}';
export const MANAGEMENT_ROUTE_PATH = '/v1/accounts/{proxy+}';

// Access log fields. Deliberately no $context.path: it holds the postback token, which is a credential.
const ACCESS_LOG_FIELDS = {
  requestId: AccessLogField.contextRequestId(),
  requestTime: AccessLogField.contextRequestTime(),
  ip: AccessLogField.contextIdentitySourceIp(),
  routeKey: AccessLogField.contextRouteKey(),
  status: AccessLogField.contextStatus(),
  protocol: AccessLogField.contextProtocol(),
  responseLength: AccessLogField.contextResponseLength(),
  responseLatency: AccessLogField.contextResponseLatency(),
  integrationLatency: AccessLogField.contextIntegrationLatency(),
  integrationError: AccessLogField.contextIntegrationErrorMessage(),
  iamUser: AccessLogField.contextIdentityUserArn(),
};

export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly ingest: ServiceFunction;
  readonly consumer: ServiceFunction;
  readonly management: ServiceFunction;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Strong (Export/ImportValue) on purpose: CloudFormation then refuses to delete the data stack while
    // this one still points at its table, queue or secret.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, table, queue, secret } = props;
    const environment = { [ENV.postbackLogRetentionDays]: String(config.postbackLogRetentionDays) };
    const fn = (name: string, entry: string, timeoutSeconds: number, description: string) =>
      new ServiceFunction(this, name, { entry, config, timeout: Duration.seconds(timeoutSeconds), description, environment });

    // The ingest path only looks a token hash up and enqueues: it can neither write the table nor read the secret.
    this.ingest = fn('IngestFunction', FUNCTION_ENTRIES.ingest, 5, 'Accepts Buygoods postbacks and enqueues them')
      .bindTable(table, 'read')
      .bindQueue(queue, 'send');
    this.consumer = fn('ConsumerFunction', FUNCTION_ENTRIES.consumer, CONSUMER_TIMEOUT_SECONDS, 'Records queued postbacks in the ledger')
      .bindTable(table, 'readWrite')
      .bindQueue(queue, 'consume', {
        batchSize: POSTBACK_QUEUE.batchSize,
        maxBatchingWindow: Duration.seconds(POSTBACK_QUEUE.maxBatchingWindowSeconds),
      });
    // Sends to the queue for test postbacks and replays; reads the secret to show and rotate token URLs.
    this.management = fn('ManagementFunction', FUNCTION_ENTRIES.management, 10, 'Management API for accounts and integrations')
      .bindTable(table, 'readWrite')
      .bindQueue(queue, 'send')
      .bindSecret(secret);

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `buygoods-postbacks-${config.stageName}`,
      description: `Buygoods postbacks (${config.stageName})`,
      createDefaultStage: false,
    });
    // The $default stage serves the API at its root, so the base URL carries no stage segment.
    this.api.addStage('DefaultStage', {
      autoDeploy: true,
      throttle: config.throttling,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const postbackRoutes = this.api.addRoutes({
      path: POSTBACK_ROUTE_PATH,
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', this.ingest),
    });
    for (const route of postbackRoutes) acknowledgePublicPostbackRoute(route);
    this.api.addRoutes({
      path: MANAGEMENT_ROUTE_PATH,
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('ManagementIntegration', this.management),
      authorizer: new HttpIamAuthorizer(),
    });

    new CfnOutput(this, 'ApiBaseUrl', { value: this.api.apiEndpoint, description: 'Base URL of the API (no trailing slash)' });
  }
}

function acknowledgePublicPostbackRoute(route: HttpRoute): void {
  const reason =
    'Buygoods calls postback URLs with no way to sign or add headers: the unguessable per-account token in the ' +
    'path is the credential, checked by the ingest function (unknown tokens get a uniform 404).';
  Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
}
