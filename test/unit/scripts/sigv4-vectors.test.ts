/**
 * The operator CLI signs what AWS would accept: its signing function (Smithy's SignatureV4 with the CLI's
 * request building) against the published SigV4 test suite vectors (test/fixtures/sigv4, source named
 * there). Each request.txt is signed with its context.json and must get the Authorization, X-Amz-Date and
 * (when there is one) X-Amz-Security-Token headers of header-signed-request.txt.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signRequest } from '../../../scripts/api';

const FIXTURES = path.join(__dirname, '../../fixtures/sigv4');
const CASES = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
}

/** An HTTP/1.1 request as the suite writes it: request line, `Name:value` headers, blank line, body. */
function parseRequest(text: string) {
  const [head, ...bodyParts] = text.split('\n\n');
  const [requestLine, ...headerLines] = head!.split('\n');
  const [, method, target] = /^(\S+) (\S+) HTTP\/1\.1$/.exec(requestLine!)!;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1);
  }
  return { method: method!, target: target!, headers, body: bodyParts.join('\n\n') };
}

const read = (name: string, file: string) => readFileSync(path.join(FIXTURES, name, file), 'utf8');

test('the fixtures are the suite cases the CLI is held to', () => {
  expect(CASES).toEqual(
    expect.arrayContaining([
      'get-vanilla',
      'get-vanilla-query',
      'get-vanilla-query-order-key-case',
      'get-vanilla-with-session-token',
      'post-vanilla',
      'post-x-www-form-urlencoded',
    ]),
  );
});

test.each(CASES)('%s: the CLI signs it as the suite does', async (name) => {
  const context = JSON.parse(read(name, 'context.json')) as Context;
  const request = parseRequest(read(name, 'request.txt'));
  const expected = parseRequest(read(name, 'header-signed-request.txt')).headers;
  const { host, ...headers } = request.headers;
  const signed = await signRequest(
    {
      method: request.method,
      url: `https://${host}${request.target}`,
      headers,
      body: request.body || undefined,
    },
    {
      credentials: {
        accessKeyId: context.credentials.access_key_id,
        secretAccessKey: context.credentials.secret_access_key,
        sessionToken: context.credentials.token,
      },
      region: context.region,
      service: context.service,
      signingDate: new Date(context.timestamp),
      signBody: context.sign_body,
    },
  );
  expect(signed.headers.authorization).toBe(expected.authorization);
  expect(signed.headers.authorization).toContain(`Signature=${read(name, 'header-signature.txt').trim()}`);
  expect(signed.headers['x-amz-date']).toBe(expected['x-amz-date']);
  expect(signed.headers['x-amz-security-token']).toBe(expected['x-amz-security-token']);
  if (context.sign_body)
    expect(signed.headers['x-amz-content-sha256']).toBe(expected['x-amz-content-sha256']);
});

test('a request is signed for execute-api by default, in the region given', async () => {
  const signed = await signRequest(
    { method: 'GET', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/accounts/acme/orders/A1' },
    {
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
      region: 'eu-west-1',
      signingDate: new Date('2026-12-02T03:00:00Z'),
    },
  );
  expect(signed.headers.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261202\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
  );
});
