/**
 * Local mode's stand-in for the operator API's IAM authorization. In AWS the operator API's routes check
 * a SigV4 signature against IAM; locally there is one principal, the local operator, whose credentials are
 * the ones the local engines take (access key `local`, secret `local`). A request signed for execute-api
 * with them is let through as that operator; any other signature, a stale one or a replayed one with
 * another body, is refused, as IAM would refuse it. So `npm run api -- --url ... --sign` runs the same
 * signing code locally as against the operator API, and a signature-shaped header is never waved through.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export const LOCAL_OPERATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
/** API Gateway's own tolerance for the signing time. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/execute-api\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export const isSigV4 = (authorization: string) => authorization.startsWith('AWS4-HMAC-SHA256 ');

/** The IAM principal API Gateway would name, when the signature verifies with the local operator's key; else null. */
export async function verifyLocalSignature(
  request: IncomingMessage,
  body: Buffer,
): Promise<{ userArn: string; accountId: string } | null> {
  const match = AUTHORIZATION.exec(request.headers.authorization ?? '');
  if (!match) return null;
  const [, accessKeyId, day, region, signedHeaderList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (accessKeyId !== LOCAL_OPERATOR_CREDENTIALS.accessKeyId) return null;
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const signedAt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!signedAt || !amzDate.startsWith(day)) return null;
  const signingDate = new Date(
    Date.UTC(+signedAt[1]!, +signedAt[2]! - 1, +signedAt[3]!, +signedAt[4]!, +signedAt[5]!, +signedAt[6]!),
  );
  if (Math.abs(Date.now() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) return null;

  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) return null;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return null;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The signer trusts a given payload hash header: the body must be the one it names (IAM compares too).
  const payloadHash = headers['x-amz-content-sha256'];
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(body).digest('hex'))
    return null;
  const url = new URL(request.url ?? '/', 'http://local');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const current = query[key];
    query[key] = current === undefined ? value : [...(Array.isArray(current) ? current : [current]), value];
  }
  const signer = new SignatureV4({
    credentials: LOCAL_OPERATOR_CREDENTIALS,
    region,
    service: 'execute-api',
    sha256: Sha256,
    applyChecksum: 'x-amz-content-sha256' in headers,
  });
  const expected = await signer.sign(
    {
      method: request.method ?? 'GET',
      protocol: 'http:',
      hostname: headers.host!,
      path: url.pathname,
      query,
      headers,
      body: body.length ? body.toString('utf8') : undefined,
    },
    { signingDate },
  );
  const expectedSignature =
    /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
  if (
    expectedSignature.length !== signature.length ||
    !timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature))
  )
    return null;
  return { userArn: 'arn:aws:iam::000000000000:user/local-operator', accountId: '000000000000' };
}
