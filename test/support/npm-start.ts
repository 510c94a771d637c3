/** `npm start` as a person runs it, on a free port: resolves once it prints where it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startNpm(
  env: Record<string, string> = {},
): Promise<{ npm: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not listen within 60 s:\n${output}`)),
      60_000,
    );
    npm.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    npm.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  });
  return { npm, url, output: () => output };
}

/** SIGTERM, as a person's Ctrl-C would; resolves once npm and the service it started have exited. */
export async function stopNpm(npm: ChildProcess | undefined): Promise<void> {
  if (!npm || npm.exitCode !== null) return;
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  npm.kill('SIGTERM');
  await exited;
  npm.stdout?.destroy();
  npm.stderr?.destroy();
}
