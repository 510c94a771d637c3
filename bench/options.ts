/**
 * The benchmark's knobs, from the environment so quick runs need no code change:
 * BENCH_RATE (postbacks per second), BENCH_SECONDS, BENCH_CONTROLLED (postbacks per controlled
 * write-unit phase), BENCH_RATIO_COUNT, BENCH_COLD_RUNS, BENCH_DRAIN_SECONDS, BENCH_SEED.
 */

export interface BenchOptions {
  /** Offered rate of the mixed load, postbacks per second (open loop). */
  readonly ratePerS: number;
  readonly seconds: number;
  /** Postbacks per controlled phase (fresh purchases, then their exact duplicates). */
  readonly controlledCount: number;
  /** Ingest invocations and bare SendMessage calls timed for the ingest ratio, after the warm-up. */
  readonly ratioCount: number;
  readonly ratioWarmup: number;
  /** Fresh Node processes importing each bundle. */
  readonly coldInitRuns: number;
  /** How long to wait, after the last send, for every postback record to have processedAt. */
  readonly drainTimeoutMs: number;
  readonly seed: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return parsed;
}

export function benchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  return {
    ratePerS: positive(env, 'BENCH_RATE', 100),
    seconds: positive(env, 'BENCH_SECONDS', 30),
    controlledCount: Math.round(positive(env, 'BENCH_CONTROLLED', 200)),
    ratioCount: Math.round(positive(env, 'BENCH_RATIO_COUNT', 500)),
    ratioWarmup: 50,
    coldInitRuns: Math.round(positive(env, 'BENCH_COLD_RUNS', 20)),
    drainTimeoutMs: positive(env, 'BENCH_DRAIN_SECONDS', 120) * 1000,
    seed: Math.round(positive(env, 'BENCH_SEED', 20261125)),
  };
}
