/**
 * The HTTP APIs' routes and stages: one route per HTTP_ROUTES method and path, to the function it names;
 * management routes behind the Cognito JWT authorizer (and again, SigV4 only, on the operator API); public
 * routes justified per function and throttled on their own; access logs without the path (it holds the
 * postback token). Everything is created in the stack's own scope with the ids it always had.
 */
import { type Stack, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  type HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, type HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type FunctionName, HTTP_ROUTES, type HttpRouteDefinition } from './resources';
import { pascalCase, type ServiceFunctions } from './service-functions';
import type { PublicFunctionName, StageConfig, Throttle } from './stage-config';

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

/** The $default stage serves the API at its root, so the base URL carries no stage segment. */
export function addDefaultStage(
  stack: Stack,
  api: HttpApi,
  ids: { stage: string; accessLogs: string },
  config: StageConfig,
): HttpStage {
  const accessLogs = new logs.LogGroup(stack, ids.accessLogs, {
    retention: config.logRetention,
    removalPolicy: config.removalPolicy,
  });
  return api.addStage(ids.stage, {
    autoDeploy: true,
    throttle: config.throttling.stageDefault,
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    },
  });
}

/** One Lambda integration per function for an API's routes (ids `${prefix}<Function>Integration`). */
function lambdaIntegrations(
  functions: ServiceFunctions,
  prefix: string,
): (name: FunctionName) => HttpLambdaIntegration {
  const made = new Map<FunctionName, HttpLambdaIntegration>();
  return (name) =>
    made.get(name) ??
    made
      .set(name, new HttpLambdaIntegration(`${prefix}${pascalCase(name)}Integration`, functions[name]))
      .get(name)!;
}

/**
 * The public API's routes: 'management' routes need a Cognito access token (JWT authorizer), 'none'
 * routes are public, justified per function and throttled on their own (route settings of the stage).
 */
export function addRoutes(
  api: HttpApi,
  stage: HttpStage,
  functions: ServiceFunctions,
  config: StageConfig,
  jwtAuthorizer: HttpJwtAuthorizer,
): void {
  const integrationOf = lambdaIntegrations(functions, '');
  const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
  const publicRoutes: HttpRoute[] = [];
  for (const definition of HTTP_ROUTES) {
    const routes = api.addRoutes({
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
  (stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  for (const route of publicRoutes) stage.node.addDependency(route);
}

/** Every management route again on the operator API, SigV4 only (the function treats the caller as an operator). */
export function addOperatorRoutes(operatorApi: HttpApi, functions: ServiceFunctions): void {
  const iamAuthorizer = new HttpIamAuthorizer();
  const integrationOf = lambdaIntegrations(functions, 'Operator');
  for (const definition of HTTP_ROUTES.filter((route) => route.auth === 'management')) {
    operatorApi.addRoutes({
      path: definition.path,
      methods: definition.methods.map((method) => HttpMethod[method]),
      integration: integrationOf(definition.function),
      authorizer: iamAuthorizer,
    });
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
