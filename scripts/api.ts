/**
 * `npm run api -- [--stage S] METHOD PATH [JSON]`: calls the management API and prints its JSON answer.
 *
 * With --stage it finds the stage's OperatorApiBaseUrl in its stack outputs (the operator API: the same
 * management routes as the API, IAM-authorized, and the caller acts as an operator) and signs the request
 * with SigV4 for execute-api: credentials from the AWS SDK's default provider chain (environment, SSO,
 * shared config and credentials files, container and instance roles), signed by Smithy's SignatureV4,
 * the SDK's own signer. Without --stage it calls the local mode on http://127.0.0.1:${PORT:-3000},
 * unsigned (a loopback call with no token acts as an operator there). --url BASE calls another base URL
 * (add --sign to sign; locally, signatures made with the local operator's credentials `local`/`local`
 * verify). --token T sends `Authorization: Bearer T` instead (a person's access token, or `npm run login`'s).
 * Exit code 0 on 2xx/3xx, 1 on 4xx/5xx (the error body on stderr), 2 on a usage error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { stackOutputs } from './stack-outputs';

export const SIGNING_SERVICE = 'execute-api';
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;

export interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SigningOptions {
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly region: string;
  /** execute-api unless told otherwise (the published test vectors use "service"). */
  readonly service?: string;
  /** Fixed in tests; now otherwise. */
  readonly signingDate?: Date;
  /** Adds x-amz-content-sha256 (the body's hash) to the signed headers. */
  readonly signBody?: boolean;
}

/** The request with its SigV4 headers added (Authorization, X-Amz-Date, and the session token when there is one). */
export async function signRequest(
  request: ApiRequest,
  options: SigningOptions,
): Promise<{ headers: Record<string, string> }> {
  const url = new URL(request.url);
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const current = query[key];
    query[key] = current === undefined ? value : [...(Array.isArray(current) ? current : [current]), value];
  }
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service ?? SIGNING_SERVICE,
    sha256: Sha256,
    applyChecksum: options.signBody ?? true,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { host: url.host, ...request.headers },
      body: request.body,
    },
    { signingDate: options.signingDate },
  );
  return { headers: signed.headers as Record<string, string> };
}

const USAGE = `usage: npm run api -- [--stage dev|staging|prod] [--region R] METHOD PATH [JSON]
       npm run api -- [--url BASE] [--sign --region R | --token T] METHOD PATH [JSON]
  METHOD is ${METHODS.join('|')}; PATH starts with /v1/ (e.g. /v1/accounts/acme/orders/A1); JSON is the request body.
  Without --stage or --url it calls the local mode on http://127.0.0.1:\${PORT:-3000}, unsigned.
  --stage calls the stage's operator API (OperatorApiBaseUrl), SigV4-signed; --token T sends a bearer token.`;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: Output = { out: (text) => console.log(text), err: (text) => console.error(text) };

async function regionOf(explicit: string | undefined): Promise<string> {
  if (explicit) return explicit;
  // The region as any SDK client finds it (AWS_REGION, then the profile's shared config).
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient({});
  try {
    return await client.config.region();
  } finally {
    client.destroy();
  }
}

export async function main(argv: readonly string[], output: Output = consoleOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        url: { type: 'string' },
        sign: { type: 'boolean', default: false },
        region: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    output.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(USAGE);
    return 0;
  }
  const [methodArg, pathArg, jsonArg, ...extra] = positionals;
  const method = methodArg?.toUpperCase();
  if (
    !method ||
    !(METHODS as readonly string[]).includes(method) ||
    !pathArg?.startsWith('/') ||
    extra.length > 0 ||
    (values.stage && values.url) ||
    (values.token !== undefined && (values.stage || values.sign))
  ) {
    output.err(USAGE);
    return 2;
  }
  let body: string | undefined;
  if (jsonArg !== undefined) {
    try {
      body = JSON.stringify(JSON.parse(jsonArg));
    } catch {
      output.err(`the body is not JSON: ${jsonArg}\n${USAGE}`);
      return 2;
    }
  }

  let base: string;
  if (values.stage) {
    const operatorApiBaseUrl = (await stackOutputs(values.stage, 'stateless')).get('OperatorApiBaseUrl');
    if (!operatorApiBaseUrl)
      throw new Error(
        `the ${values.stage} stateless stack has no OperatorApiBaseUrl output: deploy it first`,
      );
    base = operatorApiBaseUrl;
  } else {
    base = values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  }
  const url = `${base.replace(/\/+$/, '')}${pathArg}`;
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(values.token === undefined ? {} : { authorization: `Bearer ${values.token}` }),
  };
  const request: ApiRequest = { method, url, headers, body };
  const signed =
    values.stage || values.sign
      ? await signRequest(request, { credentials: defaultProvider(), region: await regionOf(values.region) })
      : { headers };

  const response = await fetch(url, { method, headers: signed.headers, body });
  const text = await response.text();
  let printed = text;
  try {
    printed = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON (a proxy's error page, say): printed as it came
  }
  if (response.status >= 400) {
    output.err(`${method} ${pathArg}: ${response.status} ${response.statusText}`);
    output.err(printed);
    return 1;
  }
  output.out(printed);
  return 0;
}

// Run as a script (tsx scripts/api.ts), not when a test imports it.
if (path.basename(process.argv[1] ?? '') === 'api.ts') {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`api: ${error.message}`);
      process.exit(1);
    },
  );
}
