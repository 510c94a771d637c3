/**
 * CDK assertions on sign-in and access: the user pool per stage (no self sign-up, strong passwords, MFA
 * and threat protection in prod), the console's app client (code flow with PKCE, no secret), the JWT
 * authorizer on every management route of the API, the operator API (the same management routes, IAM
 * only), and nothing open beyond the public routes.
 */
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { OPERATORS_GROUP } from '../../functions/domain/access';
import { ENV, HTTP_ROUTES } from '../../lib/resources';
import { createServiceStacks } from '../../lib/service-stacks';
import { getStageConfig, STAGE_NAMES } from '../../lib/stage-config';
import { routeKeys } from '../../lib/http-apis';

const stages = Object.fromEntries(
  STAGE_NAMES.map((stage) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = createServiceStacks(app, getStageConfig(stage, { alarmEmails: 'ops@example.com' }));
    return [
      stage,
      {
        ...stacks,
        template: Template.fromStack(stacks.stateless),
        statefulTemplate: Template.fromStack(stacks.stateful),
      },
    ];
  }),
);

const publicRouteKeys = HTTP_ROUTES.filter((route) => route.auth === 'none').flatMap(routeKeys);
const managementRouteKeys = HTTP_ROUTES.filter((route) => route.auth === 'management').flatMap(routeKeys);

describe.each(STAGE_NAMES)('the %s user pool', (stage) => {
  const { statefulTemplate, stateful } = stages[stage]!;
  const config = getStageConfig(stage);
  const [pool] = Object.values(statefulTemplate.findResources('AWS::Cognito::UserPool')) as [
    { Properties: any; DeletionPolicy: string },
  ];

  it('admits invited members only, with a strong password policy and e-mail recovery', () => {
    statefulTemplate.resourceCountIs('AWS::Cognito::UserPool', 1);
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Properties.AccountRecoverySetting.RecoveryMechanisms).toEqual([
      { Name: 'verified_email', Priority: 1 },
    ]);
    expect(pool.Properties.AliasAttributes).toEqual(['email']);
  });

  it('requires MFA (TOTP) and enforces threat protection in prod only', () => {
    expect(pool.Properties.MfaConfiguration).toBe(stage === 'prod' ? 'ON' : 'OPTIONAL');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.UserPoolTier).toBe(stage === 'prod' ? 'PLUS' : 'ESSENTIALS');
    if (stage === 'prod')
      expect(pool.Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it('keeps its people as the stage keeps its data', () => {
    expect(pool.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    expect(pool.Properties.DeletionProtection).toBe(stage === 'prod' ? 'ACTIVE' : 'INACTIVE');
  });

  it('has the operators group', () => {
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: OPERATORS_GROUP,
      UserPoolId: { Ref: stateful.getLogicalId(stateful.userPool.node.defaultChild as CfnElement) },
    });
  });

  it("gives the console a public client: code flow with PKCE, no secret, the stage's token lifetimes", () => {
    const { template } = stages[stage]!;
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email']),
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: config.signIn.accessTokenMinutes,
      RefreshTokenValidity: config.signIn.refreshTokenDays * 24 * 60,
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });
});

describe.each(STAGE_NAMES)('routes of the %s stage', (stage) => {
  const { template, stateless } = stages[stage]!;
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stateless.getLogicalId(construct.node.defaultChild as CfnElement);
  const routesOf = (api: typeof stateless.api) =>
    Object.values(resources).filter(
      (resource) =>
        resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties.ApiId.Ref === logicalId(api),
    );

  it('are open only where they are public: every other route of the API needs a Cognito token', () => {
    const routes = routesOf(stateless.api);
    const open = routes
      .filter((route) => route.Properties.AuthorizationType === 'NONE')
      .map((route) => route.Properties.RouteKey);
    expect(open.sort()).toEqual([...publicRouteKeys].sort());
    const [authorizerId] = Object.keys(
      template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { AuthorizerType: 'JWT' } }),
    );
    const guarded = routes.filter((route) => route.Properties.AuthorizationType !== 'NONE');
    expect(guarded.map((route) => route.Properties.RouteKey).sort()).toEqual([...managementRouteKeys].sort());
    for (const route of guarded)
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
  });

  it("checks tokens against the stage's user pool and the console client", () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const [authorizer] = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer')) as [
      { Properties: any },
    ];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: logicalId(stateless.consoleClient) }] },
    });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('cognito-idp.');
  });

  it('serve the management routes again on the operator API, SigV4 only, and nothing else there', () => {
    const routes = routesOf(stateless.operatorApi);
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([...managementRouteKeys].sort());
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('let the management function invite members into the pool, and no other function touch it', () => {
    expect(
      Object.keys(resources[logicalId(stateless.management)]!.Properties.Environment.Variables),
    ).toContain(ENV.userPoolId);
    const cognitoStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy: any) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
          .filter((statement) =>
            [statement.Action].flat().some((action) => action.startsWith('cognito-idp:')),
          )
          .map((statement) => ({
            roles: policy.Properties.Roles,
            actions: [statement.Action].flat().sort(),
          })),
    );
    expect(cognitoStatements).toEqual([
      {
        roles: [{ Ref: stateless.getLogicalId(stateless.management.role!.node.defaultChild as CfnElement) }],
        actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser'],
      },
    ]);
  });
});
