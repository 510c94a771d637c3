/**
 * The benchmark's phases, one after another so they never compete for the two cores. The service is
 * measured against its floor (bench/floor: the least this architecture must do per postback) through
 * the same local runner, engines and load generator, in alternating phases, so every ratio compares two
 * figures taken on the same machine minutes apart:
 *
 * 1. bundles: each function bundled as CDK deploys it, and the floor's ingest the same way; imported by
 *    fresh Node processes, the service's ingest and the floor's alternately;
 * 2. the local service (DynamoDB Local and the SQS emulator started by it), with the SDK request counter
 *    registered before the handlers load and every handler invocation timed; an account activated, a
 *    Buygoods merchant and product created; the floor on the same engines;
 * 3. write units, exactly: fresh purchases sent alone, then their exact duplicates alone (and fresh vendor
 *    IPN purchases, for information), the consumed capacity summed per phase;
 * 4. the mixed load, side by side: the same postback mix offered open loop at the same fixed rate to the
 *    service and to the floor, in alternating phases (ABBA); CPU per process, SDK calls, durations and log
 *    bytes of each make its CPU per postback and its cost;
 * 5. the sustainable rate, side by side: a step search per pipeline, one short phase of each per step;
 * 6. the ingest ratio: ingest handler invocations interleaved with bare SendMessage calls of the same body;
 * 7. the fixed monthly cost: the prod template's monthly-billed resources and the EMF metrics seen;
 * 8. the report: printed, and written to bench/results.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../functions/adapters/clients';
import { findRepoRoot } from '../lib/paths';
import { bundleDefines } from '../lib/service-function';
import { getStageConfig } from '../lib/stage-config';
import { FUNCTION_ENTRIES, HTTP_ROUTES, type FunctionName } from '../lib/resources';
import { buildBundles, measureColdImports } from './bundles';
import {
  billedMs,
  costPerMillion,
  readPrices,
  type CostBreakdown,
  type MeasuredUsage,
  type Prices,
} from './cost';
import { cpuBetween, sampleCpu } from './cpu';
import { fixedMonthlyCost } from './fixed-cost';
import { type Bench, drain, idsOf, type Pipeline, PRODUCT_CODENAME, startBench } from './harness';
import { forPipeline, keptUp, mergeRuns, runLoad, type LoadRun } from './load-phase';
import { offerLoad } from './load-generator';
import { accessLogBytes, platformLogBytes } from './log-lines';
import { benchOptions, type BenchOptions } from './options';
import { countProcessed } from './postback-log';
import type { ProdConfig } from './prod-config';
import { Progress } from './progress';
import { renderReport, writeResults, type Details, type PipelineFigures, type Results } from './report';
import { sendPostback } from './sender';
import { mean, median, percentile, round, sum } from './stats';
import { searchSideBySide } from './step-search';
import { terminal } from './terminal';
import { Workload, type PostbackRequest } from './workload';

const PHASES = 8;
const IDLE_MS = 3000;
const POSTBACK_ROUTE = HTTP_ROUTES.find((route) => route.function === 'ingest')!.path;

function machineInfo(): Details['machine'] {
  const cpus = os.cpus();
  return {
    cpu: (cpus[0]?.model ?? 'unknown CPU').trim(),
    cores: os.availableParallelism?.() ?? cpus.length,
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' '),
  };
}

async function bundlePhase(root: string, prod: ProdConfig, options: BenchOptions, progress: Progress) {
  progress.phase(
    `Bundles: esbuild as CDK deploys them; ${options.coldInitRuns} fresh imports of the ingest and the floor's alternately, ${options.otherColdInitRuns} of each other function`,
  );
  const set = await buildBundles(root, bundleDefines(getStageConfig('prod')));
  const bundleKb = {} as Record<FunctionName, number>;
  const coldInitMs = {} as Record<FunctionName, number>;
  let floorColdInitMs = 0;
  try {
    const ingestEnvironment = prod.functions.ingest.environment;
    const ingest: number[] = [];
    const floor: number[] = [];
    for (let run = 0; run < options.coldInitRuns; run++) {
      ingest.push(...(await measureColdImports(set.bundles.ingest.file, ingestEnvironment, 1)));
      floor.push(...(await measureColdImports(set.bundles.floorIngest.file, ingestEnvironment, 1)));
      progress.update(`ingest and floor ingest: import ${run + 1}/${options.coldInitRuns}`);
    }
    floorColdInitMs = round(median(floor), 1);
    for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
      const bundle = set.bundles[name];
      const runs = options.otherColdInitRuns;
      const times =
        name === 'ingest'
          ? ingest
          : await measureColdImports(bundle.file, prod.functions[name].environment, runs, (done) =>
              progress.update(`${name}: import ${done}/${runs}`),
            );
      bundleKb[name] = round(bundle.bytes / 1024, 1);
      coldInitMs[name] = round(median(times), 1);
    }
    progress.done(
      `ingest bundle ${bundleKb.ingest} KiB, cold import ${coldInitMs.ingest} ms; floor ${round(set.bundles.floorIngest.bytes / 1024, 1)} KiB, ${floorColdInitMs} ms`,
    );
    return {
      bundleKb,
      coldInitMs,
      floorBundleKb: round(set.bundles.floorIngest.bytes / 1024, 1),
      floorColdInitMs,
    };
  } finally {
    set.dispose();
  }
}

interface WriteUnits {
  readonly perPostback: number;
  /** Write units per postback by item and table or index, e.g. ['conversion gsi1', 1]. */
  readonly byItem: ReadonlyArray<readonly [string, number]>;
}

/** Sends the requests open loop and waits for them to be processed; the write units they consumed. */
async function controlledRun(
  bench: Bench,
  options: BenchOptions,
  label: string,
  requests: readonly PostbackRequest[],
): Promise<WriteUnits> {
  const before = bench.tally.snapshot();
  const position = bench.invocations.length;
  const since = new Date(Date.now() - 1000).toISOString();
  const sent = await offerLoad(requests, 100, (answered) =>
    bench.progress.update(`${label}: answered ${answered}/${requests.length}`),
  );
  const ids = idsOf(sent.results);
  const records = await drain(
    bench.ours,
    bench.progress,
    { ids, position, since, label },
    options.drainTimeoutMs,
  );
  const processed = countProcessed(ids, records);
  if (processed !== requests.length)
    throw new Error(
      `${label}: only ${processed} of ${requests.length} postbacks were processed; the write units would not be exact`,
    );
  const counts = bench.tally.since(before);
  return {
    perPostback: counts.writeUnits() / requests.length,
    byItem: counts
      .entries('wruItem')
      .map(([key, units]): [string, number] => [key.replace(':', ' '), units / requests.length]),
  };
}

async function writeUnitPhase(bench: Bench, options: BenchOptions) {
  bench.progress.phase(
    `Write units: ${options.controlledCount} fresh purchases alone, then their exact duplicates alone`,
  );
  const workload = new Workload(bench.urls, PRODUCT_CODENAME, 'BGC', options.seed);
  const purchases = Array.from({ length: options.controlledCount }, () => workload.purchase('pixel'));
  const purchase = await controlledRun(bench, options, 'fresh purchases', purchases);
  const duplicate = await controlledRun(bench, options, 'exact duplicates', purchases);
  const ipnPurchases = Array.from({ length: options.controlledCount }, () => workload.purchase('ipn'));
  const ipnPurchase = await controlledRun(bench, options, 'fresh IPN purchases', ipnPurchases);
  bench.progress.done(
    `${round(purchase.perPostback, 2)} WRU per purchase, ${round(duplicate.perPostback, 2)} per duplicate (IPN purchase ${round(ipnPurchase.perPostback, 2)})`,
  );
  return { purchase, duplicate, ipnPurchase };
}

function tallyBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * The mix at one rate, to the service and to the floor in alternating phases (service, floor, floor,
 * service, ...): the same requests for both (their URLs pointed at each one's API).
 */
async function mixedPhase(bench: Bench, options: BenchOptions) {
  const count = Math.round(options.ratePerS * options.seconds);
  bench.progress.phase(
    `Mixed load, side by side: ${options.rounds} × ${count} postbacks at ${options.ratePerS}/s to the service and to the floor, alternating`,
  );
  const idlePerMs = await idleCpu();
  const runs: Record<'service' | 'floor', LoadRun[]> = { service: [], floor: [] };
  for (let round = 0; round < options.rounds; round++) {
    const workload = new Workload(
      bench.urls,
      PRODUCT_CODENAME,
      `BGM${round}-`,
      options.seed + round,
      Math.round(options.ratePerS),
    );
    const requests = Array.from({ length: count }, () => workload.next());
    const order: Pipeline[] = round % 2 === 0 ? [bench.ours, bench.floor] : [bench.floor, bench.ours];
    for (const pipeline of order) {
      const run = await runLoad(
        pipeline,
        bench.progress,
        requests.map((request) => forPipeline(request, bench.ours, pipeline)),
        options.ratePerS,
        `round ${round + 1} ${pipeline.name}`,
        options.drainTimeoutMs,
      );
      runs[pipeline.name].push(run);
    }
  }
  const service = mergeRuns(runs.service);
  const floor = mergeRuns(runs.floor);
  bench.progress.done(
    `p99 freshness: service ${percentile(service.freshness, 99)} ms, floor ${percentile(floor.freshness, 99)} ms; lost ${service.lost} / ${floor.lost}`,
  );
  return { service, floor, idlePerMs };
}

/**
 * What each process spends per ms with no load at all (pollers, the stream reader, the engines' own
 * threads), after a settling pause: the smaller of two such windows, so a late burst of work from the
 * previous phase is not taken for idling.
 */
async function idleCpu(): Promise<Map<string, number>> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const windows: Array<Map<string, number>> = [];
  await sleep(IDLE_MS);
  for (let window = 0; window < 2; window++) {
    const before = sampleCpu();
    const started = performance.now();
    await sleep(IDLE_MS);
    const elapsed = performance.now() - started;
    windows.push(
      new Map([...cpuBetween(before, sampleCpu())].map(([key, ms]): [string, number] => [key, ms / elapsed])),
    );
  }
  return new Map(
    [...windows[0]!].map(([key, rate]): [string, number] => [
      key,
      Math.min(rate, windows[1]!.get(key) ?? rate),
    ]),
  );
}

/** The step search of the sustainable rate, the service and the floor side by side. */
async function sustainablePhase(bench: Bench, options: BenchOptions) {
  const step = options.step;
  bench.progress.phase(
    `Sustainable rate, side by side: ${step.seconds} s steps from ${step.startRatePerS}/s (×${step.factor}), until p99 freshness passes ${step.freshnessLimitMs} ms`,
  );
  const pipelines = { service: bench.ours, floor: bench.floor };
  const results = await searchSideBySide(
    ['service', 'floor'] as const,
    step,
    async (name, ratePerS, index) => {
      const count = Math.max(10, Math.round(ratePerS * step.seconds));
      const workload = new Workload(
        bench.urls,
        PRODUCT_CODENAME,
        `BGS${index}-`,
        options.seed + 100 + index,
        Math.round(ratePerS),
      );
      const requests = Array.from({ length: count }, () =>
        forPipeline(workload.next(), bench.ours, pipelines[name]),
      );
      const run = await runLoad(
        pipelines[name],
        bench.progress,
        requests,
        ratePerS,
        `step ${index + 1} ${name} at ${ratePerS}/s`,
        options.drainTimeoutMs,
      );
      const trial = {
        ratePerS,
        passed: keptUp(run, step.freshnessLimitMs),
        p99Ms: percentile(run.freshness, 99),
      };
      bench.progress.note(
        `step ${index + 1} ${name} at ${ratePerS}/s: p99 ${trial.p99Ms} ms, lost ${run.lost}, refused ${run.failedAnswers}: ${trial.passed ? 'kept up' : 'fell behind'}`,
      );
      return trial;
    },
  );
  bench.progress.done(
    `sustainable: service ${results.service.sustainableRatePerS}/s, floor ${results.floor.sustainableRatePerS}/s`,
  );
  return results;
}

/** What AWS adds around each request for this pipeline: Lambda's platform lines, the API access log. */
interface AwsLogging {
  readonly platformLines: (fn: FunctionName) => boolean;
  readonly tracing: (fn: FunctionName) => boolean;
  readonly accessLogFormat: string | null;
}

/** The service as prod deploys it. */
const prodLogging = (prod: ProdConfig): AwsLogging => ({
  platformLines: (fn) => prod.functions[fn].platformLogLines,
  tracing: (fn) => prod.functions[fn].tracing,
  accessLogFormat: prod.accessLogFormat,
});
/** The floor logs nothing: JSON log format with a system log level of WARN, no access log, no tracing. */
const FLOOR_LOGGING: AwsLogging = { platformLines: () => false, tracing: () => false, accessLogFormat: null };

/** What a load run consumed, as AWS would bill it (Lambda at the prod memory sizes). */
function usageOf(run: LoadRun, prod: ProdConfig, logging: AwsLogging): MeasuredUsage {
  const lambdaOf = (fn: 'ingest' | 'consumer') => {
    const invocations = run.invocations.filter((invocation) => invocation.fn === fn);
    return {
      invocations: invocations.length,
      billedMs: billedMs(invocations.map((invocation) => invocation.durationMs)),
      memoryMb: prod.functions[fn].memoryMb,
    };
  };
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  const platformBytes = (invocation: (typeof run.invocations)[number]) => {
    const fn = invocation.fn as FunctionName;
    const memoryMb = prod.functions[fn].memoryMb;
    return logging.platformLines(fn)
      ? platformLogBytes(invocation, memoryMb, Math.min(memoryMb, rssMb), logging.tracing(fn))
      : 0;
  };
  const lambda = { ingest: lambdaOf('ingest'), consumer: lambdaOf('consumer') };
  const failedConditionalWrites = sum(
    run.counts
      .entries('errors')
      .filter(([key]) => key.endsWith(':ConditionalCheckFailedException'))
      .map(([, value]) => value),
  );
  return {
    postbacks: run.postbacks,
    apiRequests: lambda.ingest.invocations,
    lambda,
    sqsBilledRequests: run.counts.sqsBilledRequests(),
    readUnits: run.counts.readUnits(),
    writeUnits: run.counts.writeUnits() + failedConditionalWrites,
    logBytes: {
      handlers: run.logBytes,
      lambdaPlatform: sum(run.invocations.map(platformBytes)),
      apiAccess:
        logging.accessLogFormat === null
          ? 0
          : sum(run.sent.map((result) => accessLogBytes(logging.accessLogFormat!, POSTBACK_ROUTE, result))),
    },
  };
}

const PROCESS_LABELS: Readonly<Record<string, string>> = {
  bench: 'service process (handlers, local API, poller)',
  java: 'DynamoDB Local',
  node: 'SQS emulator',
  esbuild: "tsx's transpiler",
};

/** The processes of the pipeline: this one (handlers), DynamoDB Local and the SQS emulator. */
const PIPELINE_PROCESSES = new Set(['bench', 'java', 'node']);

/**
 * CPU ms per postback by process, their pipeline total, and the cores the phases kept busy on average;
 * net of what each process spends idle (measured before the mixed phases) over the phases' wall time.
 */
function cpuUse(run: LoadRun, idlePerMs: ReadonlyMap<string, number>): PipelineFigures['cpu'] {
  const spent = [...run.cpuMs].map(([key, ms]): [string, number] => [
    key,
    Math.max(0, ms - (idlePerMs.get(key) ?? 0) * run.wallMs),
  ]);
  const perPostbackMs = spent
    .filter(([, ms]) => ms / run.postbacks >= 0.05)
    .map(([key, ms]): [string, number] => [PROCESS_LABELS[key.split(':')[0]!] ?? key, ms / run.postbacks]);
  const pipelineMs = sum(
    spent.filter(([key]) => PIPELINE_PROCESSES.has(key.split(':')[0]!)).map(([, ms]) => ms),
  );
  return {
    perPostbackMs,
    totalPerPostbackMs: pipelineMs / run.postbacks,
    coresBusy: sum(spent.map(([, ms]) => ms)) / run.wallMs,
  };
}

function figuresOf(
  run: LoadRun,
  cost: CostBreakdown,
  idlePerMs: ReadonlyMap<string, number>,
): PipelineFigures {
  const ingest = run.invocations.filter((invocation) => invocation.fn === 'ingest');
  const consumer = run.invocations.filter((invocation) => invocation.fn === 'consumer');
  const sends =
    run.counts.calls('sqs', 'SendMessage', 'service') +
    run.counts.calls('sqs', 'SendMessageBatch', 'service');
  return {
    postbacks: run.postbacks,
    achievedRatePerS: run.achievedRatePerS,
    maxSendLagMs: run.maxSendLagMs,
    freshnessP50Ms: percentile(run.freshness, 50),
    freshnessP99Ms: percentile(run.freshness, 99),
    lost: run.lost,
    statuses: tallyBy(run.sent, (result) => String(result.status)),
    outcomes: run.outcomes,
    cost,
    sqsSendsPerPostback: sends / run.postbacks,
    requestsPerPostback: run.counts
      .entries('calls')
      .map(([name, value]): [string, number] => [name.replace(/:/g, ' '), value / run.postbacks]),
    errors: run.counts.entries('errors'),
    ingestMedianMs: median(ingest.map((i) => i.durationMs)),
    consumer: {
      invocations: consumer.length,
      meanBatch: mean(consumer.map((i) => i.records)),
      medianMs: median(consumer.map((i) => i.durationMs)),
    },
    cpu: cpuUse(run, idlePerMs),
  };
}

/**
 * The ingest handler's time per postback against its floor, a bare SendMessage of the same body to the
 * same emulator with a client built the same way; interleaved one by one so both see the same machine.
 */
async function ratioPhase(bench: Bench, options: BenchOptions) {
  bench.progress.phase(
    `Ingest ratio: ${options.ratioCount} ingest invocations, ${options.ratioCount} bare SendMessage calls and ${options.ratioCount} floor ingest invocations, interleaved`,
  );
  const request = new Workload(bench.urls, PRODUCT_CODENAME, 'BGR', options.seed).purchase('pixel');
  const floorRequest = forPipeline(request, bench.ours, bench.floor);
  const sqs = createSqsClient();
  const ingestMs: number[] = [];
  const sendMs: number[] = [];
  const floorMs: number[] = [];
  try {
    for (let index = 0; index < options.ratioWarmup + options.ratioCount; index++) {
      const answer = await sendPostback(request);
      if (answer.status !== 200) throw new Error(`ingest answered ${answer.status} during the ratio phase`);
      const ingest = bench.invocations.last('ingest')!;
      const body = bench.lastSqsBody()!;
      const started = performance.now();
      await sqs.send(
        new SendMessageCommand({ QueueUrl: bench.service.resources.queueUrl, MessageBody: body }),
      );
      const bare = performance.now() - started;
      const floorAnswer = await sendPostback(floorRequest);
      if (floorAnswer.status !== 200)
        throw new Error(`the floor's ingest answered ${floorAnswer.status} during the ratio phase`);
      if (index >= options.ratioWarmup) {
        ingestMs.push(ingest.durationMs);
        sendMs.push(bare);
        floorMs.push(bench.floor.invocations.last('ingest')!.durationMs);
      }
      bench.progress.update(
        `pair ${index + 1}/${options.ratioWarmup + options.ratioCount} (first ${options.ratioWarmup} warm-up)`,
      );
    }
  } finally {
    sqs.destroy();
  }
  const ratio = {
    count: options.ratioCount,
    ingestMedianMs: median(ingestMs),
    sendMedianMs: median(sendMs),
    ingestMeanMs: mean(ingestMs),
    sendMeanMs: mean(sendMs),
    ingestBilledMsPerInvocation: billedMs(ingestMs) / ingestMs.length,
    floorIngestMedianMs: median(floorMs),
    floorIngestBilledMsPerInvocation: billedMs(floorMs) / floorMs.length,
  };
  bench.progress.done(
    `ingest ${round(ratio.ingestMedianMs, 2)} ms ÷ SendMessage ${round(ratio.sendMedianMs, 2)} ms`,
  );
  return ratio;
}

/**
 * The same bill with the ingest priced at its uncontended duration (the ratio phase: one request at a
 * time, as one Lambda instance serves them) instead of its duration inside the shared local process.
 */
function uncontendedIngestCost(
  cost: CostBreakdown,
  billedMsPerInvocation: number,
  memoryMb: number,
  prices: Prices,
): Details['uncontended'] {
  const ingestComputeUsd =
    (billedMsPerInvocation / 1000) * (memoryMb / 1024) * prices.lambdaArm64PerGbSecond * 1_000_000;
  const measured =
    cost.lines.find((line) => line.service.startsWith('Lambda ingest compute'))?.usdPerMillion ?? 0;
  return { ingestComputeUsd, totalUsd: cost.totalUsdPerMillion - measured + ingestComputeUsd };
}

export async function runBenchmark(prod: ProdConfig): Promise<void> {
  const root = findRepoRoot();
  const options = benchOptions();
  const prices = readPrices(root);
  const term = terminal();
  const progress = new Progress(term, PHASES);
  const machine = machineInfo();
  const date = new Date().toISOString().slice(0, 10);

  const bundles = await bundlePhase(root, prod, options, progress);
  const bench = await startBench(prices, progress, term);
  // Ctrl-C stops the engines too: the default SIGINT exit would leave DynamoDB Local's java running.
  const interrupt = () =>
    void Promise.allSettled([bench.floorService.stop(), bench.service.stop()]).finally(() =>
      process.exit(130),
    );
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  let report: { results: Results; details: Details };
  try {
    const writeUnits = await writeUnitPhase(bench, options);
    const mixed = await mixedPhase(bench, options);
    const sustainable = await sustainablePhase(bench, options);
    const ratio = await ratioPhase(bench, options);
    progress.phase('Fixed monthly cost: the prod template and the EMF metrics the handlers wrote');
    const ours = figuresOf(
      mixed.service,
      costPerMillion(usageOf(mixed.service, prod, prodLogging(prod)), prices),
      mixed.idlePerMs,
    );
    const floor = figuresOf(
      mixed.floor,
      costPerMillion(usageOf(mixed.floor, prod, FLOOR_LOGGING), prices),
      mixed.idlePerMs,
    );
    const customMetrics = bench.emf.distinct();
    // The ingest priced at its uncontended duration (the ratio phase), for both: in the mixed phases every
    // handler of both pipelines shares this process and the machine's cores, which says more about the
    // machine than about the code.
    const uncontended = uncontendedIngestCost(
      ours.cost,
      ratio.ingestBilledMsPerInvocation,
      prod.functions.ingest.memoryMb,
      prices,
    );
    const floorUncontended = uncontendedIngestCost(
      floor.cost,
      ratio.floorIngestBilledMsPerInvocation,
      prod.functions.ingest.memoryMb,
      prices,
    );
    const fixed = fixedMonthlyCost(prod.resources, customMetrics.length, uncontended.totalUsd, prices);
    progress.done(
      `$${round(fixed.totalUsdPerMonth, 2)} a month fixed (${customMetrics.length} custom metrics), $${round(fixed.withPostbacksUsdPerMonth, 2)} with ${fixed.postbacksPerMonth} postbacks`,
    );
    progress.phase('Report');
    const results: Results = {
      cpuPerPostbackRatio: round(ours.cpu.totalPerPostbackMs / floor.cpu.totalPerPostbackMs, 3),
      sustainableRateRatio: round(
        sustainable.service.sustainableRatePerS / sustainable.floor.sustainableRatePerS,
        3,
      ),
      costRatio: round(uncontended.totalUsd / floorUncontended.totalUsd, 3),
      coldImportRatio: round(bundles.coldInitMs.ingest / bundles.floorColdInitMs, 3),
      fixedMonthlyCostUsd: round(fixed.totalUsdPerMonth, 2),
      monthlyCostAtLowVolumeUsd: round(fixed.withPostbacksUsdPerMonth, 2),
      cpuPerPostbackMs: round(ours.cpu.totalPerPostbackMs, 2),
      sustainableRatePerS: sustainable.service.sustainableRatePerS,
      floor: {
        cpuPerPostbackMs: round(floor.cpu.totalPerPostbackMs, 2),
        sustainableRatePerS: sustainable.floor.sustainableRatePerS,
        costPerMillionPostbacksUsd: round(floorUncontended.totalUsd, 3),
        coldImportMs: bundles.floorColdInitMs,
        bundleKb: bundles.floorBundleKb,
      },
      postbacks: ours.postbacks,
      offeredRatePerS: options.ratePerS,
      freshnessP50Ms: ours.freshnessP50Ms,
      freshnessP99Ms: ours.freshnessP99Ms,
      lost: ours.lost,
      sqsSendsPerPostback: round(ours.sqsSendsPerPostback, 3),
      dynamoWriteUnitsPerPurchase: round(writeUnits.purchase.perPostback, 3),
      dynamoWriteUnitsPerDuplicate: round(writeUnits.duplicate.perPostback, 3),
      costPerMillionPostbacksUsd: round(uncontended.totalUsd, 3),
      bundleKb: bundles.bundleKb,
      coldInitMs: bundles.coldInitMs,
      ingestCpuRatio: round(ratio.ingestMedianMs / ratio.sendMedianMs, 3),
    };
    const details: Details = {
      date,
      machine,
      seconds: options.seconds,
      rounds: options.rounds,
      ours,
      floor,
      steps: {
        service: sustainable.service.trials,
        floor: sustainable.floor.trials,
        seconds: options.step.seconds,
      },
      fixed,
      customMetrics,
      controlledCount: options.controlledCount,
      writeUnits: {
        purchase: writeUnits.purchase.byItem,
        duplicate: writeUnits.duplicate.byItem,
        ipnPurchase: writeUnits.ipnPurchase.byItem,
        perIpnPurchase: writeUnits.ipnPurchase.perPostback,
      },
      uncontended,
      floorUncontended,
      ratio,
      memoryMb: Object.fromEntries(
        Object.entries(prod.functions).map(([name, fn]) => [name, fn.memoryMb]),
      ) as Record<FunctionName, number>,
      coldRuns: options.coldInitRuns,
      otherColdRuns: options.otherColdInitRuns,
      totalSeconds: progress.totalSeconds(),
    };
    report = { results, details };
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    bench.reader.destroy();
    bench.floor.reader.destroy();
    await bench.floorService.stop();
    await bench.service.stop();
    bench.logs.stop();
  }
  if (bench.consumerErrors.length > 0)
    progress.note(
      `${bench.consumerErrors.length} consumer invocation errors, first: ${bench.consumerErrors[0]}`,
    );
  const files = writeResults(root, date, report.results);
  progress.done(`written ${files.map((file) => file.slice(root.length + 1)).join(' and ')}`);
  term.out(`\n${renderReport(report.results, report.details)}`);
}
