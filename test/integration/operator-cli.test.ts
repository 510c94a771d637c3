/**
 * The operator CLI (`npm run api`) against the local mode, as an operator runs it: activate, send a test
 * postback, read its order; a 4xx exits 1 with the error body on stderr, a usage error exits 2. A call
 * signed through the SDK's default credential chain reaches the service too (the local API does not
 * check signatures; the signing itself is held to the SigV4 test suite in test/unit/scripts).
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
  expect(JSON.parse(activated.stdout)).toMatchObject({ conversionUrl: expect.stringContaining(`http://127.0.0.1:${port}/v1/postbacks/buygoods/`) });

  const tested = await npmRunApi('post', '/v1/accounts/acct-cli/integrations/buygoods/test');
  expect(tested.code).toBe(0);
  const record = JSON.parse(tested.stdout);
  expect(record).toMatchObject({ orderId: expect.stringMatching(/^TEST-/) });

  const order = await until('the test order', async () => {
    const read = await npmRunApi('GET', `/v1/accounts/acct-cli/orders/${record.orderId}`);
    return read.code === 0 ? JSON.parse(read.stdout) : null;
  }, 60_000, 500);
  expect(order).toMatchObject({ orderId: record.orderId, status: 'purchased', conversions: [expect.objectContaining({ kind: 'purchase', commissionCents: 100 })] });
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

  for (const args of [[], ['FETCH', '/v1/x'], ['GET', 'v1/no-slash'], ['POST', '/v1/x', '{not json'], ['--stage', 'prod', '--url', 'http://x', 'GET', '/v1/x']]) {
    const usage = await runApi(...args);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run api --');
  }
});

test('a call signed through the default credential chain reaches the service', async () => {
  // The chain's first provider: the environment (as in a CI job or a shell with exported keys).
  const saved = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'operatorsecret' });
  let signed;
  try {
    signed = await runApi('--url', service.url, '--sign', '--region', 'us-east-1', 'GET', '/v1/accounts/acct-cli/integrations/buygoods');
  } finally {
    Object.assign(process.env, saved);
  }
  expect(signed).toMatchObject({ code: 0 });
  expect(JSON.parse(signed.stdout)).toMatchObject({ status: 'active' });
});
