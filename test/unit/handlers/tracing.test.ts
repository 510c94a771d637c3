/**
 * Tracing is a stage setting, and the X-Ray SDK (through Powertools' tracer) is loaded only where it is
 * on: in Lambda with POWERTOOLS_TRACE_ENABLED not 'false'. Elsewhere (tests, local mode, stages without
 * tracing) no handler ever loads it, so its async hooks never slow an await.
 */
import { execFileSync } from 'node:child_process';
import type { Context } from 'aws-lambda';
import { loadTracing, tracingOn } from '../../../functions/adapters/tracing-switch';

const LAMBDA = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' };

/** Runs `run` (awaited) with these variables set, or unset where undefined, then restores them. */
async function withEnv<T>(values: Record<string, string | undefined>, run: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  for (const [name, value] of Object.entries(values)) if (value === undefined) delete process.env[name];
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
}

describe('the tracing switch', () => {
  it('is on only in Lambda and only when the stage has not turned it off', async () => {
    expect(await withEnv({ AWS_EXECUTION_ENV: undefined, POWERTOOLS_TRACE_ENABLED: 'true' }, tracingOn)).toBe(
      false,
    );
    expect(await withEnv({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' }, tracingOn)).toBe(false);
    expect(await withEnv({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' }, tracingOn)).toBe(true);
    expect(await withEnv({ AWS_EXECUTION_ENV: undefined }, loadTracing)).toBeNull();
    expect(await withEnv({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' }, loadTracing)).toBeNull();
  });

  it('where it is on, loads the tracer, which captures the clients built before it and after it', async () => {
    await withEnv({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' }, async () => {
      const { createDocumentClient } = await import('../../../functions/adapters/clients');
      const before = createDocumentClient();
      const tracing = await loadTracing()!;
      const after = createDocumentClient();
      expect(tracing.tracer.isTracingEnabled()).toBe(true);
      for (const client of [before, after]) {
        const names = client.middlewareStack.identify().join(' ');
        expect(names).toMatch(/XRaySDKInstrumentation/);
      }
      before.destroy();
      after.destroy();
    });
  });

  it('where it is on, every invocation runs inside the tracer middleware, and the handler answers as without it', async () => {
    await withEnv({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' }, async () => {
      const { withObservability } = await import('../../../functions/handlers/middleware');
      const { tracingMiddleware } = await loadTracing()!;
      const seen: string[] = [];
      const spies = (['before', 'after'] as const).map((phase) =>
        jest.spyOn(tracingMiddleware, phase).mockImplementation(async () => void seen.push(phase)),
      );
      try {
        const handler = withObservability(async (event: { n: number }) => ({ doubled: event.n * 2 }));
        const context = {
          functionName: 'fn',
          awsRequestId: 'r1',
          getRemainingTimeInMillis: () => 1000,
        } as unknown as Context;
        expect(await handler({ n: 21 }, context)).toEqual({ doubled: 42 });
        expect(seen).toEqual(['before', 'after']);
      } finally {
        spies.forEach((spy) => spy.mockRestore());
      }
    });
  });

  it('outside Lambda, importing every Lambda entry loads no X-Ray SDK', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "for (const name of ['ingest', 'consumer', 'management', 'merchants', 'tracking', 'pixel-creator', 'replay-worker', 'aggregator']) await import(`./functions/entries/${name}.ts`);",
      'const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /aws-xray-sdk|powertools\\/tracer/.test(file));',
      'process.stdout.write(JSON.stringify(loaded));',
    ].join('\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LEDGER_TABLE_NAME: 't',
      POSTBACK_QUEUE_URL: 'http://q',
      REPLAY_JOB_QUEUE_URL: 'http://j',
      TOKEN_SECRET_ARN: 'arn:s',
      USER_POOL_ID: 'us-east-1_pool',
      POWERTOOLS_TRACE_ENABLED: 'true',
      AWS_REGION: 'us-east-1',
    };
    delete env.AWS_EXECUTION_ENV;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(output)).toEqual([]);
  });
});
