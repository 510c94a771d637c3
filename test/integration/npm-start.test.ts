/**
 * `npm start` as a user (or a process manager) runs it: it prints where it listens, and whether npm gets
 * SIGINT or SIGTERM, or dies without a word, nothing it started is left running.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startNpm as startNpmService } from '../support/npm-start';

const root = path.resolve(__dirname, '../..');

async function startNpm(env: Record<string, string> = {}) {
  const started = await startNpmService(env);
  return { ...started, tree: descendants(started.npm.pid!) };
}

/** Every process below pid (children, grandchildren, ...). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function expectAllGone(pids: number[]) {
  const deadline = Date.now() + 15_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(pids.filter(alive)).toEqual([]);
}

test.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
  'after %s to npm, nothing npm start started is left running',
  async (signal) => {
    const { npm, url, tree } = await startNpm();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/v1/accounts/acct-start/orders/NONE`)).status).toBe(404);
    // No token on loopback acts as an operator; a token, when given, is always checked.
    expect(
      (
        await fetch(`${url}/v1/accounts/acct-start/orders/NONE`, {
          headers: { authorization: 'Bearer not-a-token' },
        })
      ).status,
    ).toBe(401);
    // The service, DynamoDB Local (java) and the SQS emulator at least.
    expect(tree.length).toBeGreaterThanOrEqual(3);
    npm.kill(signal);
    try {
      await expectAllGone([npm.pid!, ...tree]);
    } finally {
      // Whatever was left (the failure above says what) must not outlive the test run.
      for (const pid of tree.filter(alive)) process.kill(pid, 'SIGKILL');
      npm.stdout!.destroy();
      npm.stderr!.destroy();
    }
  },
  90_000,
);

test('AUTH=required npm start refuses calls with no token, and npm run login prints one that reaches its account only', async () => {
  const { npm, url, tree } = await startNpm({ AUTH: 'required' });
  try {
    const order = `${url}/v1/accounts/acct-start/orders/NONE`;
    expect((await fetch(order)).status).toBe(401);
    const port = new URL(url).port;
    const token = execFileSync(
      'npm',
      ['run', '--silent', 'login', '--', '--account', 'acct-start', '--role', 'viewer', '--port', port],
      { cwd: root, encoding: 'utf8' },
    ).trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await fetch(order, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    expect(
      (
        await fetch(`${url}/v1/accounts/acct-other/orders/NONE`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(403);
  } finally {
    npm.kill('SIGTERM');
    await expectAllGone([npm.pid!, ...tree]);
    npm.stdout!.destroy();
    npm.stderr!.destroy();
  }
}, 90_000);
