/**
 * CDK assertions on the console's AWS side: a private bucket only CloudFront can read (origin access
 * control), HTTPS only, the security headers the local API sends too, `/v1/*` to the HTTP API uncached
 * with the viewer's headers, the bundle deployed under console/, and the ConsoleUrl output.
 */
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { API_PATH_PATTERN } from '../../lib/console-site';
import {
  CONSOLE_PATH,
  CONSOLE_SECURITY_HEADERS,
  consoleContentSecurityPolicy,
} from '../../lib/console-definition';
import { createServiceStacks } from '../../lib/service-stacks';
import { getStageConfig } from '../../lib/stage-config';

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const { stateless } = createServiceStacks(app, getStageConfig('prod', { alarmEmails: 'ops@example.com' }));
const template = Template.fromStack(stateless);
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  stateless.getLogicalId(construct.node.defaultChild as CfnElement);
const bucketId = idOf(stateless.console.bucket);
const distributionId = idOf(stateless.console.distribution);

type Behavior = {
  ViewerProtocolPolicy: string;
  TargetOriginId: string;
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  AllowedMethods?: string[];
  PathPattern?: string;
  ResponseHeadersPolicyId?: unknown;
  FunctionAssociations?: unknown[];
};
type Origin = {
  Id: string;
  DomainName: unknown;
  S3OriginConfig?: unknown;
  OriginAccessControlId?: unknown;
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
};
const distribution = template.toJSON().Resources[distributionId].Properties.DistributionConfig as {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: Origin[];
  DefaultRootObject?: string;
};
const originOf = (behavior: Behavior) =>
  distribution.Origins.find((origin) => origin.Id === behavior.TargetOriginId)!;

// AWS managed policy ids (CachingDisabled, CachingOptimized, AllViewerExceptHostHeader).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

describe('the console bucket', () => {
  it('is private: every public access blocked, encrypted, objects owned by the bucket owner', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('is read only by this distribution (CloudFront service principal, SourceArn condition) and refuses plain HTTP', () => {
    const policy = Object.values(
      template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }),
    )[0]!;
    const statements = policy.Properties.PolicyDocument.Statement as {
      Effect: string;
      Principal: unknown;
      Action: unknown;
      Condition?: Record<string, Record<string, unknown>>;
    }[];
    const read = statements.find(
      (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('cloudfront.amazonaws.com'),
    )!;
    expect(read.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read.Condition?.StringEquals?.['AWS:SourceArn'])).toContain(distributionId);
    expect(
      statements.some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('"aws:SecureTransport":"false"'),
      ),
    ).toBe(true);
    // Nobody else: CloudFront's read is the only grant the bucket policy makes.
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([read]);
  });
});

describe('the distribution', () => {
  it('reads the bucket through an origin access control that signs every request', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const s3Origin = originOf(distribution.DefaultCacheBehavior);
    expect(s3Origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(s3Origin.OriginAccessControlId).toEqual({
      'Fn::GetAtt': [expect.stringContaining('Console'), 'Id'],
    });
  });

  it('serves the console over HTTPS only, cached, with the security headers and the folder-index rewrite', () => {
    const behavior = distribution.DefaultCacheBehavior;
    expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    expect(behavior.CachePolicyId).toBe(CACHING_OPTIMIZED);
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(behavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.anything() },
    ]);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: stateless.resolve(
              consoleContentSecurityPolicy([stateless.signInDomain.baseUrl()]),
            ),
            Override: true,
          },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: CONSOLE_SECURITY_HEADERS.strictTransportSecurityMaxAgeSeconds,
            IncludeSubdomains: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      },
    });
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp("request.uri \\+= 'index.html'"),
    });
  });

  it(`sends ${API_PATH_PATTERN} to the HTTP API over HTTPS, never cached, with every viewer header but Host`, () => {
    const behavior = distribution.CacheBehaviors.find((b) => b.PathPattern === API_PATH_PATTERN)!;
    expect(behavior).toBeDefined();
    expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    expect(behavior.CachePolicyId).toBe(CACHING_DISABLED);
    expect(behavior.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST);
    expect(behavior.AllowedMethods).toEqual(
      expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
    );
    const apiOrigin = originOf(behavior);
    expect(apiOrigin.CustomOriginConfig).toEqual(
      expect.objectContaining({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] }),
    );
    // The API's host, taken from its endpoint: https://{id}.execute-api.{region}.amazonaws.com
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(idOf(stateless.api));
    expect(distribution.CacheBehaviors).toHaveLength(1);
  });
});

describe('the deployment', () => {
  it('puts the bundle under console/ and invalidates it on the distribution', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucketId },
      DestinationBucketKeyPrefix: CONSOLE_PATH.slice(1),
      DistributionId: { Ref: distributionId },
      DistributionPaths: [`${CONSOLE_PATH}*`],
    });
  });

  it("writes config.json beside the bundle: the stage's sign-in domain and the console's app client", () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment')) as [
      { Properties: { SourceObjectKeys: unknown[]; SourceMarkers: unknown[] } },
    ];
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(JSON.stringify({ Ref: idOf(stateless.consoleClient) }));
    expect(markers).toContain(JSON.stringify({ Ref: idOf(stateless.signInDomain) }));
  });

  it('lets the hosted sign-in send people back to the console only (its CloudFront address)', () => {
    const consoleUrl = {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, CONSOLE_PATH]],
    };
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
    });
  });

  it('lets the console call its own origin and, besides, the sign-in domain only (the token endpoint)', () => {
    expect(CONSOLE_SECURITY_HEADERS.contentSecurityPolicy).toContain("connect-src 'self';");
    expect(consoleContentSecurityPolicy(['https://signin.example'])).toContain(
      "connect-src 'self' https://signin.example;",
    );
  });

  it('outputs ConsoleUrl: the distribution domain with /console/', () => {
    const output = template.toJSON().Outputs.ConsoleUrl;
    expect(output.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, CONSOLE_PATH]],
    });
  });
});
