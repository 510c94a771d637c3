/**
 * Local mode's stand-in for IAM on the operator routes: a request the CLI signed with the local
 * operator's credentials verifies; another key, a wrong secret, a stale signing time, a changed body,
 * path, query or signed header does not.
 */
import type { IncomingMessage } from 'node:http';
import { LOCAL_OPERATOR_CREDENTIALS, verifyLocalSignature } from '../../../local/operator-signature';
import { signRequest } from '../../../scripts/api';

const URL_BASE = 'http://127.0.0.1:3000';

async function signed(
  options: {
    credentials?: { accessKeyId: string; secretAccessKey: string };
    signingDate?: Date;
    path?: string;
    body?: string;
  } = {},
) {
  const path = options.path ?? '/v1/accounts/acme/links/spring?x=1';
  const headers = { accept: 'application/json', 'content-type': 'application/json' };
  const { headers: signedHeaders } = await signRequest(
    { method: 'PUT', url: `${URL_BASE}${path}`, headers, body: options.body ?? '{"name":"Spring"}' },
    {
      credentials: options.credentials ?? LOCAL_OPERATOR_CREDENTIALS,
      region: 'us-east-1',
      signingDate: options.signingDate,
    },
  );
  // Node lower-cases header names on an IncomingMessage.
  const lower = Object.fromEntries(
    Object.entries(signedHeaders).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { method: 'PUT', url: path, headers: lower } as unknown as IncomingMessage;
}

const body = (text = '{"name":"Spring"}') => Buffer.from(text);

test("a request signed with the local operator's credentials is the local operator", async () => {
  expect(await verifyLocalSignature(await signed(), body())).toEqual({
    userArn: 'arn:aws:iam::000000000000:user/local-operator',
    accountId: '000000000000',
  });
});

test('another key or a wrong secret is refused', async () => {
  expect(
    await verifyLocalSignature(
      await signed({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local' } }),
      body(),
    ),
  ).toBeNull();
  expect(
    await verifyLocalSignature(
      await signed({ credentials: { accessKeyId: 'local', secretAccessKey: 'guess' } }),
      body(),
    ),
  ).toBeNull();
});

test('a signature older than 15 minutes is refused, as API Gateway refuses it', async () => {
  expect(
    await verifyLocalSignature(await signed({ signingDate: new Date(Date.now() - 16 * 60 * 1000) }), body()),
  ).toBeNull();
});

test('a signature does not carry over to another body, path, query or signed header value', async () => {
  expect(await verifyLocalSignature(await signed(), body('{"name":"Autumn"}'))).toBeNull();
  const otherPath = await signed();
  (otherPath as { url: string }).url = '/v1/accounts/other/links/spring?x=1';
  expect(await verifyLocalSignature(otherPath, body())).toBeNull();
  const otherQuery = await signed();
  (otherQuery as { url: string }).url = '/v1/accounts/acme/links/spring?x=2';
  expect(await verifyLocalSignature(otherQuery, body())).toBeNull();
  const otherHeader = await signed();
  otherHeader.headers['content-type'] = 'text/plain';
  expect(await verifyLocalSignature(otherHeader, body())).toBeNull();
});

test('a malformed Authorization header is refused, never thrown on', async () => {
  for (const authorization of [
    'AWS4-HMAC-SHA256',
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=' +
      '0'.repeat(64),
    'Bearer x',
  ]) {
    const request = await signed();
    request.headers.authorization = authorization;
    expect(await verifyLocalSignature(request, body())).toBeNull();
  }
});
