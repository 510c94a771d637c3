/**
 * The console in AWS: its static bundle in a private S3 bucket, read by CloudFront through origin access
 * control, served over HTTPS only with the security headers of lib/console-definition.ts; CloudFront
 * sends `/v1/*` to the HTTP API, so the console calls the API on its own origin as it does locally.
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { DockerImage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { writeConsoleSync } from '../console/build';
import {
  CONSOLE_CONFIG_FILE,
  CONSOLE_PATH,
  CONSOLE_SECURITY_HEADERS,
  type ConsoleConfig,
  consoleContentSecurityPolicy,
} from './console-definition';
import { findRepoRoot } from './paths';
import type { StageConfig } from './stage-config';

export interface ConsoleSiteProps {
  readonly api: HttpApi;
  readonly config: StageConfig;
  /**
   * Where people sign in: the hosted sign-in's base URL, and the app client made for the console's
   * address (its callback URL), written into the console's config.json.
   */
  readonly signIn: { readonly domainUrl: string; clientFor(consoleUrl: string): string };
}

/** The path patterns CloudFront sends to the HTTP API rather than to the bucket. */
export const API_PATH_PATTERN = '/v1/*';

/**
 * CloudFront Function on viewer requests: `/console` redirects to `/console/`, and a path ending in `/`
 * serves that folder's index.html (S3 through OAC has no folder index of its own).
 */
const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '${CONSOLE_PATH.slice(0, -1)}') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '${CONSOLE_PATH}' } } };
  }
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`;

export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://{distribution domain}/console/ */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const { api, config } = props;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only a rebuildable bundle lives here; the deployment rewrites it on every deploy.
      removalPolicy:
        config.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public console bundle, written by the deployment; every read goes through CloudFront, whose requests are what matters.',
    });

    const h = CONSOLE_SECURITY_HEADERS;
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Security headers of the console (lib/console-definition.ts)',
      securityHeadersBehavior: {
        // The console trades its sign-in code for a token at the sign-in domain: the one other place it calls.
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy([props.signIn.domainUrl]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(h.strictTransportSecurityMaxAgeSeconds),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: h.permissionsPolicy, override: true }],
      },
    });

    const indexRewrite = new cloudfront.Function(this, 'IndexRewrite', {
      code: cloudfront.FunctionCode.fromInline(INDEX_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'console/ paths to their index.html',
    });

    // The API's own host (https://{id}.execute-api.{region}.amazonaws.com without the scheme).
    const apiDomain = Fn.select(2, Fn.split('/', api.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Postback console (${config.stageName})`,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [
          { function: indexRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Never cached, and every viewer header (Authorization included) reaches the API; the Host is the
          // API's own, so the URLs it builds (postback URLs, click URLs) point at the API.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Affiliates sign in from anywhere; the console and the API check every caller, so a country block would only lock customers out.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The console is static files; the API behind /v1/* keeps its own throttles (stage and route limits). A WAF web ACL costs a fixed monthly fee per stage for no rule this service needs yet.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The API behind /v1/* writes its own access log (API Gateway, every request); the static console files need no per-request log.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain yet: the default *.cloudfront.net certificate is used, where CloudFront fixes the viewer TLS policy. Viewers are HTTPS only; set a TLSv1.2_2021 minimum when a certificate is attached.',
      },
    );

    this.url = `https://${this.distribution.distributionDomainName}${CONSOLE_PATH}`;
    const consoleConfig: ConsoleConfig = {
      signIn: { domain: props.signIn.domainUrl, clientId: props.signIn.clientFor(this.url) },
    };

    // Built by the same esbuild as `npm start` serves (console/build.ts), on this machine: no Docker.
    const root = findRepoRoot();
    const bundle = s3deploy.Source.asset(root, {
      exclude: ['**', '!console', '!console/**'],
      assetHashType: undefined,
      bundling: {
        image: DockerImage.fromRegistry('local-bundling-only'),
        local: {
          tryBundle(outputDir) {
            writeConsoleSync(outputDir, root);
            return true;
          },
        },
      },
    });
    // The deployment function's own role and log group, like the service functions': no AWS managed
    // policy, and logs kept for the stage's retention in a group this stack owns.
    const deployLogs = new logs.LogGroup(this, 'DeployLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const deployRole = new iam.Role(this, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the console bundle into its bucket and invalidates the distribution',
    });
    deployLogs.grantWrite(deployRole);
    new s3deploy.BucketDeployment(this, 'Deploy', {
      role: deployRole,
      logGroup: deployLogs,
      sources: [bundle, s3deploy.Source.jsonData(CONSOLE_CONFIG_FILE, consoleConfig)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_PATH.slice(1),
      distribution: this.distribution,
      distributionPaths: [`${CONSOLE_PATH}*`],
      // app.js and app.css keep their names across builds: browsers revalidate (ETag) instead of caching stale code.
      cacheControl: [s3deploy.CacheControl.noCache()],
      memoryLimit: 256,
    });
    acknowledgeDeploymentFunction(Stack.of(this), this.bucket, deployRole);

    new CfnOutput(Stack.of(this), 'ConsoleUrl', {
      value: this.url,
      description: 'The console (CloudFront; /v1/* reaches the API on the same origin)',
    });
  }
}

/**
 * The bucket deployment's function is a stack-level singleton that aws-cdk-lib defines (its id carries a
 * hash): its role, wildcards and runtime are the library's, scoped to the asset and the console bucket.
 */
function acknowledgeDeploymentFunction(stack: Stack, bucket: s3.Bucket, role: iam.Role): void {
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!handler)
    throw new Error(
      'The bucket deployment function was not found in the stack: aws-cdk-lib changed its layout',
    );
  const wildcards = [
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
    `Resource::<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
    'Resource::*',
  ];
  const reasons = [
    ...wildcards.map((evidence) => ({
      id: `AwsSolutions-IAM5[${evidence}]`,
      reason:
        "aws-cdk-lib's bucket deployment function copies the bundle from the CDK asset bucket into the console bucket (object wildcards) and invalidates the distribution (CloudFront invalidations take no resource ARN).",
    })),
  ];
  Validations.of(role).acknowledge(...reasons);
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: "The bucket deployment function's runtime is chosen by aws-cdk-lib and moves with its releases.",
  });
}
