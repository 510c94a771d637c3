/**
 * The benchmark's outputs: the printed report (Markdown tables, readable in a terminal and pasted as is
 * into bench/README.md, the README's Performance section keeping the headline table) with each figure beside its target, and the results file with
 * exactly the figures the issues name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionName } from '../lib/resources';
import type { CostBreakdown } from './cost';
import type { FixedCost } from './fixed-cost';
import type { StepTrial } from './step-search';
import { MIX } from './workload';

/** Ours ÷ floor targets (the first four), the fixed monthly cost, and the absolute targets of before. */
export const TARGETS = {
  cpuPerPostbackRatio: 1.5,
  sustainableRateRatio: 0.7,
  costRatio: 1.3,
  coldImportRatio: 1.5,
  fixedMonthlyCostUsd: 5,
  freshnessP99Ms: 1000,
  sqsSendsPerPostback: 1,
  writeUnitsPerPurchase: 3,
  writeUnitsPerDuplicate: 1,
  costPerMillionUsd: 3,
  ingestColdInitMs: 100,
  ingestRatio: 1.5,
} as const;

/** Exactly the keys of bench/results/*.json. */
export interface Results {
  /** Ours ÷ floor: CPU per postback of the service process, DynamoDB Local and the SQS emulator together. */
  readonly cpuPerPostbackRatio: number;
  /** Ours ÷ floor: the highest offered rate with p99 freshness within 1 s. */
  readonly sustainableRateRatio: number;
  /** Ours ÷ floor: AWS cost per million postbacks of the mix. */
  readonly costRatio: number;
  /** Ours ÷ floor: the ingest bundle's cold import. */
  readonly coldImportRatio: number;
  /** Prod, before the first postback: monthly-billed resources and custom metrics. */
  readonly fixedMonthlyCostUsd: number;
  /** Prod at 10,000 postbacks a month: fixed plus per-postback. */
  readonly monthlyCostAtLowVolumeUsd: number;
  readonly cpuPerPostbackMs: number;
  readonly sustainableRatePerS: number;
  readonly floor: {
    readonly cpuPerPostbackMs: number;
    readonly sustainableRatePerS: number;
    readonly costPerMillionPostbacksUsd: number;
    readonly coldImportMs: number;
    readonly bundleKb: number;
  };
  readonly postbacks: number;
  readonly offeredRatePerS: number;
  readonly freshnessP50Ms: number;
  readonly freshnessP99Ms: number;
  readonly lost: number;
  readonly sqsSendsPerPostback: number;
  readonly dynamoWriteUnitsPerPurchase: number;
  readonly dynamoWriteUnitsPerDuplicate: number;
  readonly costPerMillionPostbacksUsd: number;
  readonly bundleKb: Readonly<Record<FunctionName, number>>;
  readonly coldInitMs: Readonly<Record<FunctionName, number>>;
  readonly ingestCpuRatio: number;
}

/** What one pipeline (the service or its floor) did in the side-by-side mixed phases. */
export interface PipelineFigures {
  readonly postbacks: number;
  readonly achievedRatePerS: number;
  readonly maxSendLagMs: number;
  readonly freshnessP50Ms: number;
  readonly freshnessP99Ms: number;
  readonly lost: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly cost: CostBreakdown;
  readonly sqsSendsPerPostback: number;
  readonly requestsPerPostback: ReadonlyArray<readonly [string, number]>;
  readonly errors: ReadonlyArray<readonly [string, number]>;
  readonly ingestMedianMs: number;
  readonly consumer: { readonly invocations: number; readonly meanBatch: number; readonly medianMs: number };
  /** CPU ms per postback by process, their total over the pipeline's processes, the average cores busy. */
  readonly cpu: {
    readonly perPostbackMs: ReadonlyArray<readonly [string, number]>;
    readonly totalPerPostbackMs: number;
    readonly coresBusy: number;
  };
}

/** The figures behind the results, for the printed report only. */
export interface Details {
  readonly date: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly node: string;
    readonly loadAverage: string;
  };
  readonly seconds: number;
  readonly rounds: number;
  readonly ours: PipelineFigures;
  readonly floor: PipelineFigures;
  readonly steps: {
    readonly service: readonly StepTrial[];
    readonly floor: readonly StepTrial[];
    readonly seconds: number;
  };
  readonly fixed: FixedCost;
  readonly customMetrics: ReadonlyArray<{
    readonly name: string;
    readonly dimensions: Readonly<Record<string, string>>;
  }>;
  readonly controlledCount: number;
  readonly writeUnits: {
    readonly perIpnPurchase: number;
    /** Per postback, by item and table or index. */
    readonly purchase: ReadonlyArray<readonly [string, number]>;
    readonly duplicate: ReadonlyArray<readonly [string, number]>;
    readonly ipnPurchase: ReadonlyArray<readonly [string, number]>;
  };
  /** The bills with the ingest priced at its uncontended (ratio phase) duration: the cost figures and ratio. */
  readonly uncontended: { readonly ingestComputeUsd: number; readonly totalUsd: number };
  readonly floorUncontended: { readonly ingestComputeUsd: number; readonly totalUsd: number };
  readonly ratio: {
    readonly count: number;
    readonly ingestMedianMs: number;
    readonly sendMedianMs: number;
    readonly ingestMeanMs: number;
    readonly sendMeanMs: number;
    readonly floorIngestMedianMs: number;
  };
  readonly memoryMb: Readonly<Record<FunctionName, number>>;
  readonly coldRuns: number;
  readonly otherColdRuns: number;
  readonly totalSeconds: number;
}

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (pass: boolean) => (pass ? '✅ pass' : '❌ miss');
const usd = (value: number, digits = 2) => `$${number(value, digits)}`;
const items = (byItem: ReadonlyArray<readonly [string, number]>) =>
  byItem.map(([item, units]) => `${item} ${number(units, 2)}`).join(', ');
const tally = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([key, value]) => `${key}: ${number(value)}`)
    .join(', ');

function ratios(results: Results, details: Details): string[] {
  const { floor } = results;
  return [
    '| Figure, service ÷ floor (same run) | Service | Floor | Ratio | Target | Result |',
    '|---|---|---|---|---|---|',
    `| CPU per postback (service process + DynamoDB Local + SQS emulator) | ${number(results.cpuPerPostbackMs, 2)} ms | ${number(floor.cpuPerPostbackMs, 2)} ms | ${number(results.cpuPerPostbackRatio, 2)} | ≤ ${TARGETS.cpuPerPostbackRatio} | ${verdict(results.cpuPerPostbackRatio <= TARGETS.cpuPerPostbackRatio)} |`,
    `| Sustainable rate (highest offered rate with p99 freshness ≤ 1 s, ${number(details.steps.seconds)} s steps) | ${number(results.sustainableRatePerS)}/s | ${number(floor.sustainableRatePerS)}/s | ${number(results.sustainableRateRatio, 2)} | ≥ ${TARGETS.sustainableRateRatio} | ${verdict(results.sustainableRateRatio >= TARGETS.sustainableRateRatio)} |`,
    `| AWS cost per million postbacks of the mix (ingest at its uncontended duration) | ${usd(results.costPerMillionPostbacksUsd)} | ${usd(floor.costPerMillionPostbacksUsd)} | ${number(results.costRatio, 2)} | ≤ ${TARGETS.costRatio} | ${verdict(results.costRatio <= TARGETS.costRatio)} |`,
    `| Ingest bundle cold import (median of ${details.coldRuns}, alternating) | ${number(results.coldInitMs.ingest, 1)} ms | ${number(floor.coldImportMs, 1)} ms | ${number(results.coldImportRatio, 2)} | ≤ ${TARGETS.coldImportRatio} | ${verdict(results.coldImportRatio <= TARGETS.coldImportRatio)} |`,
    `| Fixed monthly cost of prod (${number(details.fixed.postbacksPerMonth)} postbacks a month: ${usd(results.monthlyCostAtLowVolumeUsd)} in all) | ${usd(results.fixedMonthlyCostUsd)} | - | - | ≤ ${usd(TARGETS.fixedMonthlyCostUsd)} + per postback | ${verdict(results.fixedMonthlyCostUsd <= TARGETS.fixedMonthlyCostUsd)} |`,
  ];
}

function absolutes(results: Results, details: Details): string[] {
  const freshnessPass = results.freshnessP99Ms <= TARGETS.freshnessP99Ms && results.lost === 0;
  return [
    '| Figure (service) | Measured | Target | Result |',
    '|---|---|---|---|',
    `| Freshness p50 / p99 at ${number(results.offeredRatePerS)}/s (receivedAt → processedAt; floor ${number(details.floor.freshnessP50Ms)} / ${number(details.floor.freshnessP99Ms)} ms) | ${number(results.freshnessP50Ms)} / ${number(results.freshnessP99Ms)} ms | p99 ≤ ${number(TARGETS.freshnessP99Ms)} ms, 0 lost | ${verdict(freshnessPass)} |`,
    `| Lost (offered, never processed) | ${number(results.lost)} | 0 | ${verdict(results.lost === 0)} |`,
    `| SQS sends per postback | ${number(results.sqsSendsPerPostback, 2)} | ${TARGETS.sqsSendsPerPostback} | ${verdict(results.sqsSendsPerPostback <= TARGETS.sqsSendsPerPostback)} |`,
    `| DynamoDB write units per new purchase (pixel GET) | ${number(results.dynamoWriteUnitsPerPurchase, 2)} | ≤ ${TARGETS.writeUnitsPerPurchase} | ${verdict(results.dynamoWriteUnitsPerPurchase <= TARGETS.writeUnitsPerPurchase)} |`,
    `| DynamoDB write units per new purchase (vendor IPN, for information) | ${number(details.writeUnits.perIpnPurchase, 2)} | - | - |`,
    `| DynamoDB write units per duplicate | ${number(results.dynamoWriteUnitsPerDuplicate, 2)} | ≤ ${TARGETS.writeUnitsPerDuplicate} | ${verdict(results.dynamoWriteUnitsPerDuplicate <= TARGETS.writeUnitsPerDuplicate)} |`,
    `| AWS cost per million postbacks of the mix (ingest uncontended) | ${usd(results.costPerMillionPostbacksUsd)} | ≤ ${usd(TARGETS.costPerMillionUsd)} | ${verdict(results.costPerMillionPostbacksUsd <= TARGETS.costPerMillionUsd)} |`,
    `| Ingest bundle cold import (median of ${details.coldRuns}) | ${number(results.coldInitMs.ingest, 1)} ms | < ${TARGETS.ingestColdInitMs} ms | ${verdict(results.coldInitMs.ingest < TARGETS.ingestColdInitMs)} |`,
    `| Ingest handler ÷ bare SendMessage (medians of ${details.ratio.count}) | ${number(details.ratio.ingestMedianMs, 2)} ÷ ${number(details.ratio.sendMedianMs, 2)} ms = ${number(results.ingestCpuRatio, 2)} | ≤ ${TARGETS.ingestRatio} | ${verdict(results.ingestCpuRatio <= TARGETS.ingestRatio)} |`,
  ];
}

function costTable(details: Details): string[] {
  const floorBy = new Map(details.floor.cost.lines.map((line) => [line.service, line]));
  const services = [
    ...new Set([...details.ours.cost.lines, ...details.floor.cost.lines].map((line) => line.service)),
  ];
  const cell = (line: CostBreakdown['lines'][number] | undefined) =>
    line
      ? `${number(line.quantityPerPostback, line.unit === 'GB-s' ? 5 : line.unit === 'bytes' ? 0 : 3)} ${line.unit} | ${usd(line.usdPerMillion, 3)}`
      : '- | -';
  const oursBy = new Map(details.ours.cost.lines.map((line) => [line.service, line]));
  return [
    '| Service | Service: per postback | US$ per million | Floor: per postback | US$ per million |',
    '|---|---|---|---|---|',
    ...services.map(
      (service) => `| ${service} | ${cell(oursBy.get(service))} | ${cell(floorBy.get(service))} |`,
    ),
    `| **Total, at the durations of the mixed phases** | | **${usd(details.ours.cost.totalUsdPerMillion, 2)}** | | **${usd(details.floor.cost.totalUsdPerMillion, 2)}** |`,
    `| Lambda ingest compute at its uncontended duration (ratio phase: median ${number(details.ratio.ingestMedianMs, 2)} ms, floor ${number(details.ratio.floorIngestMedianMs, 2)} ms) | | ${usd(details.uncontended.ingestComputeUsd, 3)} | | ${usd(details.floorUncontended.ingestComputeUsd, 3)} |`,
    `| **Total, ingest uncontended (the cost figures above)** | | **${usd(details.uncontended.totalUsd, 2)}** | | **${usd(details.floorUncontended.totalUsd, 2)}** |`,
    '',
    `In the mixed phases every handler of both pipelines shares one local process (and the machine's cores with the engines and everyone else's work), so an ingest invocation there lasts as long as the machine is busy; the cost figures price the ingest at its duration one request at a time (ratio phase, the service's ingest, a bare SendMessage and the floor's ingest interleaved), as one Lambda instance serves them. The consumers stay priced at their mixed-phase durations, both alike.`,
  ];
}

function fixedTable(details: Details): string[] {
  const names = [...new Set(details.customMetrics.map((metric) => metric.name))].sort();
  const perName = names
    .map((name) => `${name} ×${details.customMetrics.filter((metric) => metric.name === name).length}`)
    .join(', ');
  return [
    '| Monthly item (prod template, EMF seen in this run) | Quantity | US$ per month |',
    '|---|---|---|',
    ...details.fixed.lines.map(
      (line) => `| ${line.item} | ${number(line.quantity)} | ${usd(line.usdPerMonth)} |`,
    ),
    `| **Fixed** | | **${usd(details.fixed.totalUsdPerMonth)}** |`,
    `| Postbacks at the service's cost per million | ${number(details.fixed.postbacksPerMonth)} | ${usd(details.fixed.withPostbacksUsdPerMonth - details.fixed.totalUsdPerMonth)} |`,
    `| **A month at low volume** | | **${usd(details.fixed.withPostbacksUsdPerMonth)}** |`,
    '',
    `Custom metrics seen (name × distinct dimension sets): ${perName || 'none'}.`,
  ];
}

function bundleTable(results: Results, details: Details): string[] {
  return [
    `| Function | Bundle (JS, KiB) | Cold import, median of ${details.otherColdRuns} (ingest and floor: ${details.coldRuns}) (ms) | Prod memory (MB) |`,
    '|---|---|---|---|',
    ...(Object.keys(results.bundleKb) as FunctionName[]).map(
      (name) =>
        `| ${name} | ${number(results.bundleKb[name], 1)} | ${number(results.coldInitMs[name], 1)} | ${details.memoryMb[name]} |`,
    ),
    `| floor ingest (bare SDK clients and handler) | ${number(results.floor.bundleKb, 1)} | ${number(results.floor.coldImportMs, 1)} | - |`,
  ];
}

function requestTable(figures: PipelineFigures, label: string): string[] {
  return [
    `| SDK call (${label}, mixed phases) | Per postback |`,
    '|---|---|',
    ...figures.requestsPerPostback.map(([name, value]) => `| ${name} | ${number(value, 3)} |`),
  ];
}

const steps = (trials: readonly StepTrial[]) =>
  trials
    .map((trial) => `${number(trial.ratePerS)}/s ${trial.passed ? '✓' : '✗'} (p99 ${number(trial.p99Ms)} ms)`)
    .join(', ');

function pipelineLine(label: string, figures: PipelineFigures, cores: number): string {
  return (
    `${label}: answers ${tally(figures.statuses)}; outcomes ${tally(figures.outcomes)}; ingest median ${number(figures.ingestMedianMs, 2)} ms; consumer ${number(figures.consumer.invocations)} invocations, ` +
    `${number(figures.consumer.meanBatch, 2)} records per batch, median ${number(figures.consumer.medianMs, 2)} ms; CPU per postback ${figures.cpu.perPostbackMs.map(([name, ms]) => `${name} ${number(ms, 2)} ms`).join(', ')} ` +
    `net of idle (${number(figures.cpu.coresBusy, 2)} of ${cores} cores busy on average).`
  );
}

export function renderReport(results: Results, details: Details): string {
  const mix = MIX.map(([kind, share]) => `${kind} ${Math.round(share * 100)}%`).join(', ');
  return [
    `Run of ${details.date} on ${details.machine.cores} × ${details.machine.cpu}, Node ${details.machine.node} (load average at start ${details.machine.loadAverage}); ${number(details.totalSeconds)} s in all.`,
    '',
    ...ratios(results, details),
    '',
    `Mixed phases: ${details.rounds} rounds of ${number(results.postbacks / details.rounds)} postbacks at ${number(results.offeredRatePerS)}/s for ${number(details.seconds)} s to each pipeline, alternating (sent at ${number(details.ours.achievedRatePerS, 1)}/s at worst, worst send lag ${number(details.ours.maxSendLagMs, 1)} ms). Mix: ${mix}; 20% of postbacks are vendor IPN form posts, the rest affiliate pixel GETs.`,
    pipelineLine('Service', details.ours, details.machine.cores),
    pipelineLine('Floor', details.floor, details.machine.cores),
    `Step search (each step one phase of each pipeline): service ${steps(details.steps.service)}; floor ${steps(details.steps.floor)}.`,
    '',
    ...costTable(details),
    '',
    ...fixedTable(details),
    '',
    ...absolutes(results, details),
    '',
    `Write units: ${number(details.controlledCount)} fresh purchases sent alone, then their ${number(details.controlledCount)} exact duplicates alone, then ${number(details.controlledCount)} fresh IPN purchases (ConsumedCapacity summed per phase, postback log writes included). By item: purchase ${items(details.writeUnits.purchase)}; duplicate ${items(details.writeUnits.duplicate)}; IPN purchase ${items(details.writeUnits.ipnPurchase)}.`,
    `Ingest ratio: ingest handler invocations and bare SendMessage calls of the same body to the same emulator, interleaved one by one in this process with the floor's ingest; medians (means ${number(details.ratio.ingestMeanMs, 2)} ÷ ${number(details.ratio.sendMeanMs, 2)} ms; floor ingest median ${number(details.ratio.floorIngestMedianMs, 2)} ms).`,
    '',
    ...bundleTable(results, details),
    '',
    ...requestTable(details.ours, 'service'),
    '',
    ...requestTable(details.floor, 'floor'),
    ...(details.ours.errors.length > 0
      ? [
          '',
          `SDK errors of the service in the mixed phases: ${details.ours.errors.map(([name, value]) => `${name} ×${value}`).join(', ')}`,
        ]
      : []),
    ...(details.floor.errors.length > 0
      ? [
          '',
          `SDK errors of the floor in the mixed phases: ${details.floor.errors.map(([name, value]) => `${name} ×${value}`).join(', ')} (each failed conditional write priced at 1 write unit)`,
        ]
      : []),
    '',
  ].join('\n');
}

export function writeResults(root: string, date: string, results: Results): string[] {
  const directory = path.join(root, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const files = [path.join(directory, 'latest.json'), path.join(directory, `${date}.json`)];
  for (const file of files) writeFileSync(file, text);
  return files;
}
