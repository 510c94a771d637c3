/**
 * One load phase against one pipeline (the service or its floor): the requests offered open loop at a
 * fixed rate by the separate load generator, a bounded wait for every postback's record to have
 * processedAt, and what the phase consumed: SDK requests and capacity, handler invocations, log bytes
 * and CPU per process. Phases of the same pipeline merge into one measurement.
 */
import { performance } from 'node:perf_hooks';
import { cpuBetween, sampleCpu } from './cpu';
import { Counts } from './counters';
import { drain, idsOf, type Pipeline } from './harness';
import type { Invocation } from './invocations';
import { offerLoad } from './load-generator';
import { countProcessed, freshnessMs } from './postback-log';
import type { Progress } from './progress';
import type { SendResult } from './sender';
import { percentile, sum } from './stats';
import type { PostbackRequest } from './workload';

export interface LoadRun {
  readonly postbacks: number;
  readonly sent: readonly SendResult[];
  readonly achievedRatePerS: number;
  readonly maxSendLagMs: number;
  /** processedAt - receivedAt of each processed postback. */
  readonly freshness: readonly number[];
  readonly lost: number;
  /** Answers that were neither 200 nor 400 (throttles, faults, connection errors). */
  readonly failedAnswers: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly counts: Counts;
  readonly invocations: readonly Invocation[];
  readonly logBytes: number;
  /** CPU ms by process (this one as 'bench', each child by name and pid), sending and draining. */
  readonly cpuMs: ReadonlyMap<string, number>;
  readonly wallMs: number;
}

/** The same postback for another pipeline: its URLs point at that pipeline's API. */
export function forPipeline(request: PostbackRequest, from: Pipeline, to: Pipeline): PostbackRequest {
  if (from === to) return request;
  const origin = (url: string) => new URL(url).origin;
  return {
    ...request,
    url: request.url.replace(origin(from.urls.conversionUrl), origin(to.urls.conversionUrl)),
  };
}

export async function runLoad(
  pipeline: Pipeline,
  progress: Progress,
  requests: readonly PostbackRequest[],
  ratePerS: number,
  label: string,
  drainTimeoutMs: number,
): Promise<LoadRun> {
  const before = pipeline.tally.snapshot();
  const position = pipeline.invocations.length;
  const logBytesBefore = pipeline.logBytes();
  // The sort keys of the phase's log records start at or after this instant (1 s of margin).
  const since = new Date(Date.now() - 1000).toISOString();
  const cpuBefore = sampleCpu();
  const started = performance.now();
  let answered = 0;
  const stopTicker = progress.ticker(
    () =>
      `${label}: ${answered}/${requests.length} answered, ${Math.min(requests.length, pipeline.invocations.recordsConsumed(position))} processed`,
  );
  const sent = await offerLoad(requests, ratePerS, (done) => (answered = done)).finally(stopTicker);
  const ids = idsOf(sent.results);
  const records = await drain(pipeline, progress, { ids, position, since, label }, drainTimeoutMs);
  const cpuMs = cpuBetween(cpuBefore, sampleCpu());
  const wallMs = performance.now() - started;
  const outcomes: Record<string, number> = {};
  for (const id of ids) {
    const outcome = records.get(id)?.outcome ?? 'missing';
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return {
    postbacks: requests.length,
    sent: sent.results,
    achievedRatePerS: sent.achievedRatePerS,
    maxSendLagMs: sent.maxSendLagMs,
    freshness: freshnessMs(ids, records),
    lost: requests.length - countProcessed(ids, records),
    failedAnswers: sent.results.filter((result) => result.status !== 200 && result.status !== 400).length,
    outcomes,
    counts: pipeline.tally.since(before),
    invocations: pipeline.invocations.since(position),
    logBytes: pipeline.logBytes() - logBytesBefore,
    cpuMs,
    wallMs,
  };
}

/** Did the pipeline keep up: nothing lost or refused, p99 freshness within the limit. */
export function keptUp(run: LoadRun, freshnessLimitMs: number): boolean {
  return run.lost === 0 && run.failedAnswers === 0 && percentile(run.freshness, 99) <= freshnessLimitMs;
}

function addAll<K>(target: Map<K, number>, source: ReadonlyMap<K, number>) {
  for (const [key, value] of source) target.set(key, (target.get(key) ?? 0) + value);
}

/** Several phases of one pipeline as one measurement. */
export function mergeRuns(runs: readonly LoadRun[]): LoadRun {
  const counts = new Map<string, number>();
  const cpuMs = new Map<string, number>();
  const outcomes = new Map<string, number>();
  for (const run of runs) {
    addAll(counts, run.counts.values);
    addAll(cpuMs, run.cpuMs);
    addAll(outcomes, new Map(Object.entries(run.outcomes)));
  }
  const wallMs = sum(runs.map((run) => run.wallMs));
  return {
    postbacks: sum(runs.map((run) => run.postbacks)),
    sent: runs.flatMap((run) => run.sent),
    achievedRatePerS: Math.min(...runs.map((run) => run.achievedRatePerS)),
    maxSendLagMs: Math.max(...runs.map((run) => run.maxSendLagMs)),
    freshness: runs.flatMap((run) => run.freshness),
    lost: sum(runs.map((run) => run.lost)),
    failedAnswers: sum(runs.map((run) => run.failedAnswers)),
    outcomes: Object.fromEntries(outcomes),
    counts: new Counts(counts),
    invocations: runs.flatMap((run) => run.invocations),
    logBytes: sum(runs.map((run) => run.logBytes)),
    cpuMs,
    wallMs,
  };
}
