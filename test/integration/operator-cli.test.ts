/**
 * The operator CLI (`npm run api`) against the local mode, as an operator runs it: activate, send a test
 * postback, read its order; a 4xx exits 1 with the error body on stderr, a usage error exits 2. A call
 * signed through the SDK's default credential chain reaches the service as the operator when the local
 * stand-in for IAM verifies its signature (the local operator's credentials), and is a 401 with any other
 * key; a person's token (--token) reaches their account only. The signing itself is held to the SigV4
 * test suite in test/unit/scripts.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../scripts/api';
import type { LocalService } from '../../local/service';
import { startTestService, until } from '../support/local-service';

const root = path.resolve(__dirname, '../..');
let service: LocalService;
let port: string;

beforeAll(async () => {
  service = await startTestService();
  port = new URL(service.url).port;
});
afterAll(async () => {
  await service?.stop();
});

/** `npm run api -- ARGS` with PORT pointing at this suite's service (no --stage: the local mode, unsigned). */
async function npmRunApi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'api', '--', ...args], {
      cwd: root,
      env: { ...process.env, PORT: port, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The same CLI in this process (quicker for the error cases). */
async function runApi(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

test('npm run api activates, sends a test postback and reads its order', async () => {
  const activated = await npmRunApi('POST', '/v1/accounts/acct-cli/integrations/buygoods');
  expect(activated).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(activated.stdout)).toMatchObject({
    conversionUrl: expect.stringContaining(`http://127.0.0.1:${port}/v1/postbacks/buygoods/`),
  });

  const tested = await npmRunApi('post', '/v1/accounts/acct-cli/integrations/buygoods/test');
  expect(tested.code).toBe(0);
  const record = JSON.parse(tested.stdout);
  expect(record).toMatchObject({ orderId: expect.stringMatching(/^TEST-/) });

  const order = await until(
    'the test order',
    async () => {
      const read = await npmRunApi('GET', `/v1/accounts/acct-cli/orders/${record.orderId}`);
      return read.code === 0 ? JSON.parse(read.stdout) : null;
    },
    60_000,
    500,
  );
  expect(order).toMatchObject({
    orderId: record.orderId,
    status: 'purchased',
    conversions: [expect.objectContaining({ kind: 'purchase', commissionCents: 100 })],
  });
}, 180_000);

test('a 4xx exits 1 with the error body on stderr; a bad command line exits 2 with the usage', async () => {
  process.env.PORT = port;
  const missing = await runApi('GET', '/v1/accounts/acct-cli/orders/NOPE-1');
  expect(missing.code).toBe(1);
  expect(missing.stdout).toBe('');
  expect(missing.stderr).toContain('GET /v1/accounts/acct-cli/orders/NOPE-1: 404');
  expect(missing.stderr).toContain('"code": "not_found"');

  const invalid = await runApi('PUT', '/v1/accounts/acct-cli/links/l1', '{"name":"x"}');
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toContain('422');

  for (const args of [
    [],
    ['FETCH', '/v1/x'],
    ['GET', 'v1/no-slash'],
    ['POST', '/v1/x', '{not json'],
    ['--stage', 'prod', '--url', 'http://x', 'GET', '/v1/x'],
  ]) {
    const usage = await runApi(...args);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run api --');
  }
});

/** The CLI with these credentials in the environment: the default chain's first provider (as in a CI job or a shell with exported keys). */
async function runSigned(
  credentials: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string },
  ...args: string[]
) {
  const saved = {
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
  };
  Object.assign(process.env, credentials);
  try {
    return await runApi('--url', service.url, '--sign', '--region', 'us-east-1', ...args);
  } finally {
    Object.assign(process.env, saved);
  }
}

test('a call signed through the default credential chain reaches the service as the operator when its signature verifies', async () => {
  const signed = await runSigned(
    { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    'GET',
    '/v1/accounts/acct-cli/integrations/buygoods',
  );
  expect(signed).toMatchObject({ code: 0 });
  expect(JSON.parse(signed.stdout)).toMatchObject({ status: 'active' });
  // A body is signed too: a change through the signed path.
  const link = await runSigned(
    { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    'PUT',
    '/v1/accounts/acct-cli/links/cli-link',
    '{"name":"CLI","destinationUrl":"https://example.com/x"}',
  );
  expect(link).toMatchObject({ code: 0 });
});

test('a signature made with another key, or a wrong secret, is a 401: a signature-shaped header is never waved through', async () => {
  for (const credentials of [
    { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'operatorsecret' },
    { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
  ]) {
    const refused = await runSigned(credentials, 'GET', '/v1/accounts/acct-cli/integrations/buygoods');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401');
  }
});

test("--token sends a person's access token: their account answers, another account is a 403", async () => {
  const { login } = await import('../../scripts/login');
  const { accessToken } = await login(service.url, { account: 'acct-cli-viewer', role: 'viewer' });
  expect(
    await runApi('--url', service.url, '--token', accessToken, 'GET', '/v1/accounts/acct-cli-viewer/pixels'),
  ).toMatchObject({ code: 0 });
  const refused = await runApi(
    '--url',
    service.url,
    '--token',
    accessToken,
    'GET',
    '/v1/accounts/acct-cli/pixels',
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('403');
  expect(await runApi('--token', accessToken, '--sign', 'GET', '/v1/x')).toMatchObject({ code: 2 });
});
