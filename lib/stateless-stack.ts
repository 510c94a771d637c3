/**
 * The stateless half of a stage: the functions (lib/service-functions.ts), the HTTP APIs in front of them
 * (lib/http-apis.ts: routes from the shared HTTP_ROUTES), the console and its sign-in, and what operators
 * watch it with (alarms, dashboard, saved queries). Everything here can be replaced on any deploy; the data
 * it works on lives in the stateful stack.
 */
import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { HttpApi, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ConsoleSite } from './console-site';
import { addDefaultStage, addOperatorRoutes, addRoutes } from './http-apis';
import { Observability } from './observability';
import type { FunctionName } from './resources';
import type { ServiceFunction } from './service-function';
import { createServiceFunctions } from './service-functions';
import type { StageConfig } from './stage-config';

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
    const { config, queue } = props;
    this.functions = createServiceFunctions(this, props);
    ({
      ingest: this.ingest,
      consumer: this.consumer,
      management: this.management,
      merchants: this.merchants,
      tracking: this.tracking,
      pixelCreator: this.pixelCreator,
      replayWorker: this.replayWorker,
      aggregator: this.aggregator,
    } = this.functions);

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `buygoods-postbacks-${config.stageName}`,
      description: `Buygoods postbacks (${config.stageName})`,
      createDefaultStage: false,
    });
    this.stage = addDefaultStage(
      this,
      this.api,
      { stage: 'DefaultStage', accessLogs: 'ApiAccessLogs' },
      config,
    );
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
    addRoutes(this.api, this.stage, this.functions, config, jwtAuthorizer);

    this.operatorApi = new HttpApi(this, 'OperatorApi', {
      apiName: `buygoods-postbacks-operators-${config.stageName}`,
      description: `Buygoods postbacks (${config.stageName}): management routes for IAM (SigV4) callers`,
      createDefaultStage: false,
    });
    this.operatorStage = addDefaultStage(
      this,
      this.operatorApi,
      { stage: 'OperatorDefaultStage', accessLogs: 'OperatorApiAccessLogs' },
      config,
    );
    addOperatorRoutes(this.operatorApi, this.functions);

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
}
