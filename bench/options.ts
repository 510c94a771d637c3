/**
 * The benchmark's knobs, from the environment so quick runs need no code change:
 * BENCH_RATE (postbacks per second of the side-by-side mixed phases), BENCH_SECONDS (each phase),
 * BENCH_ROUNDS (pairs of phases), BENCH_STEP_START / BENCH_STEP_FACTOR / BENCH_STEP_SECONDS /
 * BENCH_STEP_MAX (the sustainable-rate search), BENCH_CONTROLLED (postbacks per controlled write-unit
 * phase), BENCH_RATIO_COUNT, BENCH_COLD_RUNS (ingest and floor ingest), BENCH_OTHER_COLD_RUNS (the other
 * functions), BENCH_DRAIN_SECONDS, BENCH_SEED.
 */
import type { StepOptions } from './step-search';

export interface BenchOptions {
  /** Offered rate of the mixed phases, postbacks per second (open loop), the same for service and floor. */
  readonly ratePerS: number;
  /** Length of each mixed phase. */
  readonly seconds: number;
  /** Rounds of mixed phases: each round runs the service and the floor once (ABBA order over rounds). */
  readonly rounds: number;
  readonly step: StepOptions & { readonly seconds: number; readonly freshnessLimitMs: number };
  /** Postbacks per controlled phase (fresh purchases, then their exact duplicates). */
  readonly controlledCount: number;
  /** Ingest invocations and bare SendMessage calls timed for the ingest ratio, after the warm-up. */
  readonly ratioCount: number;
  readonly ratioWarmup: number;
  /** Fresh Node processes importing the ingest bundle and the floor's, alternately. */
  readonly coldInitRuns: number;
  /** Fresh Node processes importing each of the other bundles. */
  readonly otherColdInitRuns: number;
  /** How long to wait, after the last send, for every postback record to have processedAt. */
  readonly drainTimeoutMs: number;
  readonly seed: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return parsed;
}

export function benchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const factor = positive(env, 'BENCH_STEP_FACTOR', 1.5);
  if (factor <= 1) throw new Error(`BENCH_STEP_FACTOR must be above 1, got ${factor}`);
  return {
    ratePerS: positive(env, 'BENCH_RATE', 20),
    seconds: positive(env, 'BENCH_SECONDS', 10),
    rounds: Math.round(positive(env, 'BENCH_ROUNDS', 2)),
    step: {
      startRatePerS: positive(env, 'BENCH_STEP_START', 10),
      factor,
      refinements: 1,
      maxSteps: Math.round(positive(env, 'BENCH_STEP_MAX', 8)),
      minRatePerS: 2,
      seconds: positive(env, 'BENCH_STEP_SECONDS', 5),
      freshnessLimitMs: 1000,
    },
    controlledCount: Math.round(positive(env, 'BENCH_CONTROLLED', 50)),
    ratioCount: Math.round(positive(env, 'BENCH_RATIO_COUNT', 200)),
    ratioWarmup: 30,
    coldInitRuns: Math.round(positive(env, 'BENCH_COLD_RUNS', 15)),
    otherColdInitRuns: Math.round(positive(env, 'BENCH_OTHER_COLD_RUNS', 5)),
    drainTimeoutMs: positive(env, 'BENCH_DRAIN_SECONDS', 120) * 1000,
    seed: Math.round(positive(env, 'BENCH_SEED', 20261125)),
  };
}
