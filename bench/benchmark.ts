/**
 * The benchmark's phases, one after another so they never compete for the two cores:
 *
 * 1. bundles: each function bundled as CDK deploys it, and imported by fresh Node processes;
 * 2. the local service (DynamoDB Local and the SQS emulator started by it), with the SDK request counter
 *    registered before the handlers load and every handler invocation timed; an account activated, a
 *    Buygoods merchant and product created;
 * 3. write units, exactly: fresh purchases sent alone, then their exact duplicates alone (and fresh vendor
 *    IPN purchases, for information), the consumed capacity summed per phase;
 * 4. the mixed load: the postback mix offered open loop at a fixed rate, then a bounded wait for every
 *    postback's record to have processedAt; freshness, losses, SDK calls, durations and log bytes of this
 *    phase make the cost;
 * 5. the ingest ratio: ingest handler invocations interleaved with bare SendMessage calls of the same body;
 * 6. the report: printed, and written to bench/results.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../functions/adapters/clients';
import { findRepoRoot } from '../lib/paths';
import { FUNCTION_ENTRIES, HTTP_ROUTES, type FunctionName } from '../lib/resources';
import { buildBundles, measureColdImports } from './bundles';
import { billedMs, costPerMillion, readPrices, type CostBreakdown, type MeasuredUsage, type Prices } from './cost';
import { cpuBetween, sampleCpu } from './cpu';
import type { Counts } from './counters';
import { type Bench, drain, idsOf, PRODUCT_CODENAME, startBench } from './harness';
import type { Invocation } from './invocations';
import { offerLoad } from './load-generator';
import { accessLogBytes, platformLogBytes } from './log-lines';
import { benchOptions, type BenchOptions } from './options';
import { countProcessed, freshnessMs } from './postback-log';
import type { ProdConfig } from './prod-config';
import { Progress } from './progress';
import { renderReport, writeResults, type Details, type Results } from './report';
import { sendPostback, type SendResult } from './sender';
import { mean, median, percentile, round, sum } from './stats';
import { terminal } from './terminal';
import { Workload, type PostbackRequest } from './workload';

const PHASES = 6;
const POSTBACK_ROUTE = HTTP_ROUTES.find((route) => route.function === 'ingest')!.path;

function machineInfo(): Details['machine'] {
  const cpus = os.cpus();
  return {
    cpu: (cpus[0]?.model ?? 'unknown CPU').trim(),
    cores: os.availableParallelism?.() ?? cpus.length,
    node: process.version,
    loadAverage: os.loadavg().map((load) => load.toFixed(2)).join(' '),
  };
}

async function bundlePhase(root: string, prod: ProdConfig, options: BenchOptions, progress: Progress) {
  progress.phase(`Bundles: esbuild as CDK deploys them, ${options.coldInitRuns} fresh imports each`);
  const set = await buildBundles(root);
  const bundleKb = {} as Record<FunctionName, number>;
  const coldInitMs = {} as Record<FunctionName, number>;
  try {
    for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
      const bundle = set.bundles[name];
      const times = await measureColdImports(bundle.file, prod.functions[name].environment, options.coldInitRuns, (done) =>
        progress.update(`${name}: import ${done}/${options.coldInitRuns}`),
      );
      bundleKb[name] = round(bundle.bytes / 1024, 1);
      coldInitMs[name] = round(median(times), 1);
    }
  } finally {
    set.dispose();
  }
  progress.done(`ingest bundle ${bundleKb.ingest} KiB, cold import ${coldInitMs.ingest} ms`);
  return { bundleKb, coldInitMs };
}

interface WriteUnits {
  readonly perPostback: number;
  /** Write units per postback by item and table or index, e.g. ['conversion gsi1', 1]. */
  readonly byItem: ReadonlyArray<readonly [string, number]>;
}

/** Sends the requests open loop and waits for them to be processed; the write units they consumed. */
async function controlledRun(bench: Bench, options: BenchOptions, label: string, requests: readonly PostbackRequest[]): Promise<WriteUnits> {
  const before = bench.tally.snapshot();
  const position = bench.invocations.length;
  const sent = await offerLoad(requests, options.ratePerS, (answered) => bench.progress.update(`${label}: answered ${answered}/${requests.length}`));
  const ids = idsOf(sent.results);
  const records = await drain(bench, ids, position, options.drainTimeoutMs, label);
  const processed = countProcessed(ids, records);
  if (processed !== requests.length) throw new Error(`${label}: only ${processed} of ${requests.length} postbacks were processed; the write units would not be exact`);
  const counts = bench.tally.since(before);
  return {
    perPostback: counts.writeUnits() / requests.length,
    byItem: counts.entries('wruItem').map(([key, units]): [string, number] => [key.replace(':', ' '), units / requests.length]),
  };
}

async function writeUnitPhase(bench: Bench, options: BenchOptions) {
  bench.progress.phase(`Write units: ${options.controlledCount} fresh purchases alone, then their exact duplicates alone`);
  const workload = new Workload(bench.urls, PRODUCT_CODENAME, 'BGC', options.seed);
  const purchases = Array.from({ length: options.controlledCount }, () => workload.purchase('pixel'));
  const purchase = await controlledRun(bench, options, 'fresh purchases', purchases);
  const duplicate = await controlledRun(bench, options, 'exact duplicates', purchases);
  const ipnPurchases = Array.from({ length: options.controlledCount }, () => workload.purchase('ipn'));
  const ipnPurchase = await controlledRun(bench, options, 'fresh IPN purchases', ipnPurchases);
  bench.progress.done(`${round(purchase.perPostback, 2)} WRU per purchase, ${round(duplicate.perPostback, 2)} per duplicate (IPN purchase ${round(ipnPurchase.perPostback, 2)})`);
  return { purchase, duplicate, ipnPurchase };
}

function tallyBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

async function mixedPhase(bench: Bench, options: BenchOptions, prod: ProdConfig, prices: Prices) {
  const count = Math.round(options.ratePerS * options.seconds);
  bench.progress.phase(`Mixed load: ${count} postbacks at ${options.ratePerS}/s, open loop`);
  const workload = new Workload(bench.urls, PRODUCT_CODENAME, 'BGM', options.seed, Math.round(options.ratePerS));
  const requests = Array.from({ length: count }, () => workload.next());
  const before = bench.tally.snapshot();
  const position = bench.invocations.length;
  const logBytesBefore = bench.logs.bytes();
  const cpuBefore = sampleCpu();
  const started = performance.now();
  let answered = 0;
  const stopTicker = bench.progress.ticker(() => `${answered}/${count} answered, ${Math.min(count, bench.invocations.recordsConsumed(position))} processed`);
  const sent = await offerLoad(requests, options.ratePerS, (done) => (answered = done));
  stopTicker();
  const ids = idsOf(sent.results);
  const records = await drain(bench, ids, position, options.drainTimeoutMs, 'draining');
  const cpu = cpuUse(cpuBetween(cpuBefore, sampleCpu()), count, performance.now() - started);

  const counts = bench.tally.since(before);
  const window = bench.invocations.since(position);
  const freshness = freshnessMs(ids, records);
  const lost = count - countProcessed(ids, records);
  const ingest = window.filter((invocation) => invocation.fn === 'ingest');
  const consumer = window.filter((invocation) => invocation.fn === 'consumer');
  const usage = usageOf(count, window, counts, bench.logs.bytes() - logBytesBefore, sent.results, prod);
  const cost = costPerMillion(usage, prices);
  const sends = counts.calls('sqs', 'SendMessage', 'service') + counts.calls('sqs', 'SendMessageBatch', 'service');
  bench.progress.done(`p99 freshness ${percentile(freshness, 99)} ms, ${lost} lost, $${round(cost.totalUsdPerMillion, 2)} per million`);
  return {
    count,
    sent,
    freshness,
    lost,
    cost,
    sqsSendsPerPostback: sends / count,
    requestsPerPostback: counts.entries('calls').map(([name, value]): [string, number] => [name.replace(/:/g, ' '), value / count]),
    errors: counts.entries('errors'),
    statuses: tallyBy(sent.results, (result) => String(result.status)),
    outcomes: tallyBy(ids, (id) => records.get(id)?.outcome ?? 'missing'),
    ingestMedianMs: median(ingest.map((i) => i.durationMs)),
    consumer: { invocations: consumer.length, meanBatch: mean(consumer.map((i) => i.records)), medianMs: median(consumer.map((i) => i.durationMs)) },
    cpu,
  };
}

/** What the mixed phase consumed, as AWS would bill it. */
function usageOf(postbacks: number, window: readonly Invocation[], counts: Counts, handlerLogBytes: number, sent: readonly SendResult[], prod: ProdConfig): MeasuredUsage {
  const lambdaOf = (fn: 'ingest' | 'consumer') => {
    const invocations = window.filter((invocation) => invocation.fn === fn);
    return { invocations: invocations.length, billedMs: billedMs(invocations.map((invocation) => invocation.durationMs)), memoryMb: prod.functions[fn].memoryMb };
  };
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  const platformBytes = (invocation: Invocation) => {
    const memoryMb = prod.functions[invocation.fn as FunctionName].memoryMb;
    return platformLogBytes(invocation, memoryMb, Math.min(memoryMb, rssMb));
  };
  const lambda = { ingest: lambdaOf('ingest'), consumer: lambdaOf('consumer') };
  return {
    postbacks,
    apiRequests: lambda.ingest.invocations,
    lambda,
    sqsBilledRequests: counts.sqsBilledRequests(),
    readUnits: counts.readUnits(),
    writeUnits: counts.writeUnits(),
    logBytes: {
      handlers: handlerLogBytes,
      lambdaPlatform: sum(window.map(platformBytes)),
      apiAccess: sum(sent.map((result) => accessLogBytes(prod.accessLogFormat, POSTBACK_ROUTE, result))),
    },
  };
}

const PROCESS_LABELS: Readonly<Record<string, string>> = {
  bench: 'service (handlers, local API, poller)',
  java: 'DynamoDB Local',
  node: 'SQS emulator',
  esbuild: "tsx's transpiler",
};

/** CPU ms per postback by process, and the cores the phase kept busy on average. */
function cpuUse(spent: ReadonlyMap<string, number>, postbacks: number, wallMs: number): Details['cpu'] {
  const perPostbackMs = [...spent].filter(([, ms]) => ms / postbacks >= 0.05).map(([key, ms]): [string, number] => [PROCESS_LABELS[key.split(':')[0]!] ?? key, ms / postbacks]);
  return { perPostbackMs, coresBusy: sum([...spent.values()]) / wallMs };
}

/**
 * The ingest handler's time per postback against its floor, a bare SendMessage of the same body to the
 * same emulator with a client built the same way; interleaved one by one so both see the same machine.
 */
async function ratioPhase(bench: Bench, options: BenchOptions) {
  bench.progress.phase(`Ingest ratio: ${options.ratioCount} ingest invocations and ${options.ratioCount} bare SendMessage calls, interleaved`);
  const request = new Workload(bench.urls, PRODUCT_CODENAME, 'BGR', options.seed).purchase('pixel');
  const sqs = createSqsClient();
  const ingestMs: number[] = [];
  const sendMs: number[] = [];
  try {
    for (let index = 0; index < options.ratioWarmup + options.ratioCount; index++) {
      const answer = await sendPostback(request);
      if (answer.status !== 200) throw new Error(`ingest answered ${answer.status} during the ratio phase`);
      const ingest = bench.invocations.last('ingest')!;
      const body = bench.lastSqsBody()!;
      const started = performance.now();
      await sqs.send(new SendMessageCommand({ QueueUrl: bench.service.resources.queueUrl, MessageBody: body }));
      const bare = performance.now() - started;
      if (index >= options.ratioWarmup) {
        ingestMs.push(ingest.durationMs);
        sendMs.push(bare);
      }
      bench.progress.update(`pair ${index + 1}/${options.ratioWarmup + options.ratioCount} (first ${options.ratioWarmup} warm-up)`);
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
  };
  bench.progress.done(`ingest ${round(ratio.ingestMedianMs, 2)} ms ÷ SendMessage ${round(ratio.sendMedianMs, 2)} ms`);
  return ratio;
}

/**
 * The same bill with the ingest priced at its uncontended duration (the ratio phase: one request at a
 * time, as one Lambda instance serves them) instead of its duration inside the shared local process.
 */
function uncontendedIngestCost(cost: CostBreakdown, billedMsPerInvocation: number, memoryMb: number, prices: Prices): Details['uncontended'] {
  const ingestComputeUsd = (billedMsPerInvocation / 1000) * (memoryMb / 1024) * prices.lambdaArm64PerGbSecond * 1_000_000;
  const measured = cost.lines.find((line) => line.service.startsWith('Lambda ingest compute'))?.usdPerMillion ?? 0;
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
  const interrupt = () => void bench.service.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  let report: { results: Results; details: Details };
  try {
    const writeUnits = await writeUnitPhase(bench, options);
    const mixed = await mixedPhase(bench, options, prod, prices);
    const ratio = await ratioPhase(bench, options);
    progress.phase('Report');
    const uncontended = uncontendedIngestCost(mixed.cost, ratio.ingestBilledMsPerInvocation, prod.functions.ingest.memoryMb, prices);
    const results: Results = {
      postbacks: mixed.count,
      offeredRatePerS: options.ratePerS,
      freshnessP50Ms: percentile(mixed.freshness, 50),
      freshnessP99Ms: percentile(mixed.freshness, 99),
      lost: mixed.lost,
      sqsSendsPerPostback: round(mixed.sqsSendsPerPostback, 3),
      dynamoWriteUnitsPerPurchase: round(writeUnits.purchase.perPostback, 3),
      dynamoWriteUnitsPerDuplicate: round(writeUnits.duplicate.perPostback, 3),
      costPerMillionPostbacksUsd: round(mixed.cost.totalUsdPerMillion, 3),
      bundleKb: bundles.bundleKb,
      coldInitMs: bundles.coldInitMs,
      ingestCpuRatio: round(ratio.ingestMedianMs / ratio.sendMedianMs, 3),
    };
    const details: Details = {
      date,
      machine,
      seconds: options.seconds,
      achievedRatePerS: mixed.sent.achievedRatePerS,
      maxSendLagMs: mixed.sent.maxSendLagMs,
      statuses: mixed.statuses,
      outcomes: mixed.outcomes,
      controlledCount: options.controlledCount,
      writeUnits: { purchase: writeUnits.purchase.byItem, duplicate: writeUnits.duplicate.byItem, ipnPurchase: writeUnits.ipnPurchase.byItem, perIpnPurchase: writeUnits.ipnPurchase.perPostback },
      cost: mixed.cost,
      requestsPerPostback: mixed.requestsPerPostback,
      errors: mixed.errors,
      consumer: mixed.consumer,
      ingestMedianMs: mixed.ingestMedianMs,
      cpu: mixed.cpu,
      uncontended,
      ratio,
      memoryMb: Object.fromEntries(Object.entries(prod.functions).map(([name, fn]) => [name, fn.memoryMb])) as Record<FunctionName, number>,
      coldRuns: options.coldInitRuns,
      totalSeconds: progress.totalSeconds(),
    };
    report = { results, details };
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    bench.reader.destroy();
    await bench.service.stop();
    bench.logs.stop();
  }
  if (bench.consumerErrors.length > 0) progress.note(`${bench.consumerErrors.length} consumer invocation errors, first: ${bench.consumerErrors[0]}`);
  const files = writeResults(root, date, report.results);
  progress.done(`written ${files.map((file) => file.slice(root.length + 1)).join(' and ')}`);
  term.out(`\n${renderReport(report.results, report.details)}`);
}
