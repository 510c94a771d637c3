/**
 * The stateless half of a stage: the functions, the HTTP API in front of them (routes from the shared
 * HTTP_ROUTES), and what operators watch it with (alarms, dashboard, saved queries). Everything here can be
 * replaced on any deploy; the data it works on lives in the stateful stack.
 */
import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ConsoleSite } from './console-site';
import { Observability } from './observability';
import {
  CONSUMER_TIMEOUT_SECONDS,
  ENV,
  FUNCTION_ENTRIES,
  type FunctionName,
  HTTP_ROUTES,
  type HttpRouteDefinition,
  AGGREGATOR_STREAM,
  MERCHANT_STREAM_FILTER,
  PIXEL_CREATOR_STREAM,
  POSTBACK_QUEUE,
  REPLAY_JOB_QUEUE,
  REPLAY_WORKER_TIMEOUT_SECONDS,
  TRAFFIC_STREAM_FILTER,
} from './resources';
import { ServiceFunction, type ServiceFunctionProps } from './service-function';
import type { PublicFunctionName, StageConfig, Throttle } from './stage-config';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly streamFailureQueue: IQueue;
  readonly replayJobQueue: IQueue;
  readonly replayJobDeadLetterQueue: IQueue;
  readonly secret: ISecret;
  readonly userPool: cognito.IUserPool;
}

export const POSTBACK_ROUTE_PATH = '/v1/postbacks/buygoods/{token}/{channel}';
export const MANAGEMENT_ROUTE_PATH = '/v1/accounts/{proxy+}';

/** The API Gateway route keys of a route definition: one per method, e.g. `GET /v1/click/{linkId}`. */
export const routeKeys = (route: HttpRouteDefinition): string[] =>
  route.methods.map((method) => `${method} ${route.path}`);

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

/** Why each function may serve a route with no authorization (cdk-nag AwsSolutions-APIG4). */
const PUBLIC_ROUTE_REASONS: Readonly<Record<PublicFunctionName, string>> = {
  ingest:
    'Buygoods calls postback URLs with no way to sign or add headers: the unguessable per-account token in the ' +
    'path is the credential, checked by the ingest function (unknown tokens get a uniform 404).',
  tracking:
    "Shoppers' browsers follow click links and load pixels with no credentials: the link and pixel ids are public " +
    'by design (they are in the page), the function only records a hit and redirects or returns a GIF.',
};

export class StatelessStack extends Stack {
  /** The API: public routes, and the management routes behind the Cognito JWT authorizer. */
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /**
   * The operator API: the same management routes, SigV4 (IAM) only, for operators' scripts and
   * `npm run api`. A route has one authorizer in an HTTP API, and a Lambda authorizer cannot verify SigV4,
   * so IAM callers get an API of their own with the same paths; the function treats them as operators.
   */
  readonly operatorApi: HttpApi;
  readonly operatorStage: HttpStage;
  /** The console's app client of the user pool: its id is the audience the JWT authorizer accepts. */
  readonly consoleClient: cognito.UserPoolClient;
  readonly signInDomain: cognito.UserPoolDomain;
  readonly functions: Readonly<Record<FunctionName, ServiceFunction>>;
  readonly ingest: ServiceFunction;
  readonly consumer: ServiceFunction;
  readonly management: ServiceFunction;
  readonly merchants: ServiceFunction;
  readonly tracking: ServiceFunction;
  readonly pixelCreator: ServiceFunction;
  readonly replayWorker: ServiceFunction;
  readonly aggregator: ServiceFunction;
  readonly observability: Observability;
  readonly console: ConsoleSite;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Strong (Export/ImportValue) on purpose: CloudFormation then refuses to delete the data stack while
    // this one still points at its table, queues or secret.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, table, queue, secret } = props;
    const fn = (
      name: FunctionName,
      description: string,
      settings: Omit<ServiceFunctionProps, 'entry' | 'config' | 'description'>,
    ) =>
      new ServiceFunction(this, `${pascalCase(name)}Function`, {
        entry: FUNCTION_ENTRIES[name],
        config,
        description,
        ...settings,
      });
    // Only the functions that write postback log items need their lifetime.
    const postbackLogEnvironment = {
      [ENV.postbackLogRetentionDays]: String(config.postbackLogRetentionDays),
    };

    // The ingest path only looks a token hash up and enqueues: it can neither write the table nor read the secret.
    this.ingest = fn('ingest', 'Accepts Buygoods postbacks and enqueues them', {
      timeout: Duration.seconds(5),
    })
      .bindTable(table, 'read')
      .bindQueue(queue, 'send');
    this.consumer = fn('consumer', 'Records queued postbacks in the ledger', {
      timeout: Duration.seconds(CONSUMER_TIMEOUT_SECONDS),
      environment: postbackLogEnvironment,
    })
      .bindTable(table, 'readWrite')
      .bindQueue(queue, 'consume', {
        batchSize: POSTBACK_QUEUE.batchSize,
        maxBatchingWindow: Duration.seconds(POSTBACK_QUEUE.maxBatchingWindowSeconds),
      });
    // Sends to the queue for test postbacks and replays; reads the secret to show and rotate token URLs.
    this.management = fn('management', 'Management API for accounts and integrations', {
      timeout: Duration.seconds(10),
      environment: postbackLogEnvironment,
    })
      .bindTable(table, 'readWrite')
      .bindQueue(queue, 'send')
      .bindQueue(props.replayJobQueue, 'send', { env: ENV.replayJobQueue })
      .bindSecret(secret)
      .bindUserPool(props.userPool);
    // Merchants and products: the catalog only, no queue and no secret.
    this.merchants = fn('merchants', 'Management API for merchants and products', {
      timeout: Duration.seconds(10),
    }).bindTable(table, 'readWrite');
    // On a shopper's page load or click: small and quick, it records a hit and answers.
    this.tracking = fn('tracking', 'Records clicks and pixel hits, redirects to link destinations', {
      timeout: Duration.seconds(3),
      memorySize: 256,
    }).bindTable(table, 'readWrite');
    this.pixelCreator = fn('pixelCreator', "Creates Buygoods merchants' pixels from the table stream", {
      timeout: Duration.seconds(30),
      memorySize: 256,
    })
      .bindTable(table, 'readWrite')
      .bindTableStream(table, {
        batchSize: PIXEL_CREATOR_STREAM.batchSize,
        maxBatchingWindow: Duration.seconds(PIXEL_CREATOR_STREAM.maxBatchingWindowSeconds),
        retryAttempts: PIXEL_CREATOR_STREAM.retryAttempts,
        filterPattern: MERCHANT_STREAM_FILTER,
        failureQueue: props.streamFailureQueue,
      });
    // Bulk replay: a page of a job per message; it sends the replays and asks for its own next page.
    this.replayWorker = fn('replayWorker', 'Works on bulk replay jobs, a page per message', {
      timeout: Duration.seconds(REPLAY_WORKER_TIMEOUT_SECONDS),
      environment: postbackLogEnvironment,
    })
      .bindTable(table, 'readWrite')
      .bindQueue(queue, 'send')
      .bindQueue(props.replayJobQueue, 'send', { env: ENV.replayJobQueue })
      .bindQueue(props.replayJobQueue, 'consume', {
        env: ENV.replayJobQueue,
        batchSize: REPLAY_JOB_QUEUE.batchSize,
        maxBatchingWindow: Duration.seconds(0),
      });
    // Counts new clicks and pixel hits into the report aggregates, in large batches (see resources.ts).
    this.aggregator = fn('aggregator', 'Counts new clicks and pixel hits into the report aggregates', {
      timeout: Duration.seconds(30),
      memorySize: 256,
    })
      .bindTable(table, 'readWrite')
      .bindTableStream(table, {
        batchSize: AGGREGATOR_STREAM.batchSize,
        maxBatchingWindow: Duration.seconds(AGGREGATOR_STREAM.maxBatchingWindowSeconds),
        retryAttempts: AGGREGATOR_STREAM.retryAttempts,
        filterPattern: TRAFFIC_STREAM_FILTER,
        failureQueue: props.streamFailureQueue,
      });
    this.functions = {
      ingest: this.ingest,
      consumer: this.consumer,
      management: this.management,
      merchants: this.merchants,
      tracking: this.tracking,
      pixelCreator: this.pixelCreator,
      replayWorker: this.replayWorker,
      aggregator: this.aggregator,
    };

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `buygoods-postbacks-${config.stageName}`,
      description: `Buygoods postbacks (${config.stageName})`,
      createDefaultStage: false,
    });
    this.stage = this.addDefaultStage(this.api, 'DefaultStage', 'ApiAccessLogs', config);
    this.signInDomain = new cognito.UserPoolDomain(this, 'SignInDomain', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: `buygoods-postbacks-${config.stageName}-${this.account}` },
      // The newer managed login pages need a branding resource per client; the classic hosted page needs none.
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    let consoleClient: cognito.UserPoolClient | undefined;
    this.console = new ConsoleSite(this, 'Console', {
      api: this.api,
      config,
      signIn: {
        domainUrl: this.signInDomain.baseUrl(),
        clientFor: (consoleUrl) =>
          (consoleClient = this.addConsoleClient(config, props.userPool, consoleUrl)).userPoolClientId,
      },
    });
    this.consoleClient = consoleClient!;
    const jwtAuthorizer = new HttpJwtAuthorizer(
      'CognitoAuthorizer',
      `https://cognito-idp.${this.region}.amazonaws.com/${props.userPool.userPoolId}`,
      {
        jwtAudience: [this.consoleClient.userPoolClientId],
        identitySource: ['$request.header.Authorization'],
      },
    );
    this.addRoutes(config, jwtAuthorizer);

    this.operatorApi = new HttpApi(this, 'OperatorApi', {
      apiName: `buygoods-postbacks-operators-${config.stageName}`,
      description: `Buygoods postbacks (${config.stageName}): management routes for IAM (SigV4) callers`,
      createDefaultStage: false,
    });
    this.operatorStage = this.addDefaultStage(
      this.operatorApi,
      'OperatorDefaultStage',
      'OperatorApiAccessLogs',
      config,
    );
    this.addOperatorRoutes();

    this.observability = new Observability(this, 'Observability', {
      config,
      api: this.api,
      functions: this.functions,
      queue,
      deadLetterQueue: props.deadLetterQueue,
      streamFailureQueue: props.streamFailureQueue,
      replayJobDeadLetterQueue: props.replayJobDeadLetterQueue,
    });

    new CfnOutput(this, 'ApiBaseUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL of the API (no trailing slash)',
    });
    new CfnOutput(this, 'OperatorApiBaseUrl', {
      value: this.operatorApi.apiEndpoint,
      description: 'Base URL of the management routes for SigV4-signed operators (no trailing slash)',
    });
    new CfnOutput(this, 'ConsoleClientId', {
      value: this.consoleClient.userPoolClientId,
      description: "The console's Cognito app client (the JWT audience)",
    });
    new CfnOutput(this, 'SignInUrl', {
      value: this.signInDomain.baseUrl(),
      description: 'Hosted sign-in of the user pool (authorization code with PKCE)',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.observability.dashboard.dashboardName,
      description: 'CloudWatch dashboard of the stage',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.topic.topicArn,
      description: 'SNS topic every alarm notifies',
    });
  }

  /** The $default stage serves the API at its root, so the base URL carries no stage segment. */
  private addDefaultStage(api: HttpApi, id: string, logsId: string, config: StageConfig): HttpStage {
    const accessLogs = new logs.LogGroup(this, logsId, {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    return api.addStage(id, {
      autoDeploy: true,
      throttle: config.throttling.stageDefault,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  /**
   * The console's sign-in: a public app client (no secret: a browser cannot keep one) using the hosted
   * page with the authorization code flow and PKCE, sending people back only to the console (CloudFront)
   * and the stage's extra URLs, access tokens as short as the stage says, refresh tokens revocable, and
   * no hint whether a user exists. Stateless: replacing it only signs people out.
   */
  private addConsoleClient(
    config: StageConfig,
    userPool: cognito.IUserPool,
    consoleUrl: string,
  ): cognito.UserPoolClient {
    const consoleUrls = [consoleUrl, ...config.signIn.extraConsoleUrls];
    return new cognito.UserPoolClient(this, 'ConsoleClient', {
      userPool,
      userPoolClientName: `console-${config.stageName}`,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: consoleUrls,
        logoutUrls: consoleUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.minutes(config.signIn.accessTokenMinutes),
      idTokenValidity: Duration.minutes(config.signIn.accessTokenMinutes),
      refreshTokenValidity: Duration.days(config.signIn.refreshTokenDays),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
  }

  /** One Lambda integration per function for an API's routes (ids `${prefix}<Function>Integration`). */
  private integrations(prefix: string): (name: FunctionName) => HttpLambdaIntegration {
    const made = new Map<FunctionName, HttpLambdaIntegration>();
    return (name) =>
      made.get(name) ??
      made
        .set(name, new HttpLambdaIntegration(`${prefix}${pascalCase(name)}Integration`, this.functions[name]))
        .get(name)!;
  }

  /** Every management route again on the operator API, SigV4 only (the function treats the caller as an operator). */
  private addOperatorRoutes(): void {
    const iamAuthorizer = new HttpIamAuthorizer();
    const integrationOf = this.integrations('Operator');
    for (const definition of HTTP_ROUTES.filter((route) => route.auth === 'management')) {
      this.operatorApi.addRoutes({
        path: definition.path,
        methods: definition.methods.map((method) => HttpMethod[method]),
        integration: integrationOf(definition.function),
        authorizer: iamAuthorizer,
      });
    }
  }

  /**
   * One API route per HTTP_ROUTES method and path, to the function it names; 'management' routes need a
   * Cognito access token (JWT authorizer), 'none' routes are public, justified per function and throttled
   * on their own (route settings of the stage).
   */
  private addRoutes(config: StageConfig, jwtAuthorizer: HttpJwtAuthorizer): void {
    const integrationOf = this.integrations('');
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const publicRoutes: HttpRoute[] = [];
    for (const definition of HTTP_ROUTES) {
      const routes = this.api.addRoutes({
        path: definition.path,
        methods: definition.methods.map((method) => HttpMethod[method]),
        integration: integrationOf(definition.function),
        authorizer: definition.auth === 'management' ? jwtAuthorizer : undefined,
      });
      if (definition.auth === 'management') continue;
      const { reason, throttle } = publicRouteSettings(definition.function, config);
      for (const route of routes) Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      for (const key of routeKeys(definition))
        routeSettings[key] = {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
        };
      publicRoutes.push(...routes);
    }
    // The L2 HttpStage only throttles stage-wide; per-route limits need the L1 RouteSettings, keyed by route
    // key. API Gateway rejects settings for a route that does not exist yet, hence the dependency.
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    for (const route of publicRoutes) this.stage.node.addDependency(route);
  }
}

/** The acknowledgement reason and throttle of a public route; a public route nobody justified fails the synth. */
export function publicRouteSettings(
  name: FunctionName,
  config: StageConfig,
): { reason: string; throttle: Throttle } {
  if (!(name in PUBLIC_ROUTE_REASONS)) {
    throw new Error(
      `Route of function ${name} is public (auth 'none') but has no justification: add one or use auth 'management'`,
    );
  }
  return {
    reason: PUBLIC_ROUTE_REASONS[name as PublicFunctionName],
    throttle: config.throttling.publicRoutes[name as PublicFunctionName],
  };
}

const pascalCase = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
