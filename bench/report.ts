/**
 * The benchmark's outputs: the printed report (Markdown tables, readable in a terminal and pasted as is
 * into the README's Performance section) with each figure beside its target, and the results file with
 * exactly the figures the issue names.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionName } from '../lib/resources';
import type { CostBreakdown } from './cost';
import { MIX } from './workload';

export const TARGETS = {
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

/** The figures behind the results, for the printed report only. */
export interface Details {
  readonly date: string;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly node: string; readonly loadAverage: string };
  readonly seconds: number;
  readonly achievedRatePerS: number;
  readonly maxSendLagMs: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly controlledCount: number;
  readonly writeUnits: {
    readonly perIpnPurchase: number;
    /** Per postback, by item and table or index. */
    readonly purchase: ReadonlyArray<readonly [string, number]>;
    readonly duplicate: ReadonlyArray<readonly [string, number]>;
    readonly ipnPurchase: ReadonlyArray<readonly [string, number]>;
  };
  readonly cost: CostBreakdown;
  readonly requestsPerPostback: ReadonlyArray<readonly [string, number]>;
  readonly errors: ReadonlyArray<readonly [string, number]>;
  readonly consumer: { readonly invocations: number; readonly meanBatch: number; readonly medianMs: number };
  readonly ingestMedianMs: number;
  /** Mixed phase, sending and draining: CPU ms per postback by process, and the average cores busy. */
  readonly cpu: { readonly perPostbackMs: ReadonlyArray<readonly [string, number]>; readonly coresBusy: number };
  /** The bill with the ingest priced at its uncontended (ratio phase) duration. */
  readonly uncontended: { readonly ingestComputeUsd: number; readonly totalUsd: number };
  readonly ratio: { readonly count: number; readonly ingestMedianMs: number; readonly sendMedianMs: number; readonly ingestMeanMs: number; readonly sendMeanMs: number };
  readonly memoryMb: Readonly<Record<FunctionName, number>>;
  readonly coldRuns: number;
  readonly totalSeconds: number;
}

const number = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (pass: boolean) => (pass ? '✅ pass' : '❌ miss');
const usd = (value: number, digits = 2) => `$${number(value, digits)}`;
const items = (byItem: ReadonlyArray<readonly [string, number]>) => byItem.map(([item, units]) => `${item} ${number(units, 2)}`).join(', ');

function headline(results: Results, details: Details): string[] {
  const freshnessPass = results.freshnessP99Ms <= TARGETS.freshnessP99Ms && results.lost === 0;
  return [
    '| Figure | Measured | Target | Result |',
    '|---|---|---|---|',
    `| Postbacks offered (open loop, fixed rate) | ${number(results.postbacks)} at ${number(results.offeredRatePerS)}/s for ${number(details.seconds)} s (sent at ${number(details.achievedRatePerS, 1)}/s) | ≥ 100/s for ≥ 30 s | ${verdict(details.achievedRatePerS >= 0.98 * Math.max(100, results.offeredRatePerS) && details.seconds >= 30)} |`,
    `| Freshness p50 / p99 (receivedAt → processedAt) | ${number(results.freshnessP50Ms)} / ${number(results.freshnessP99Ms)} ms | p99 ≤ ${number(TARGETS.freshnessP99Ms)} ms, 0 lost | ${verdict(freshnessPass)} |`,
    `| Lost (offered, never processed) | ${number(results.lost)} | 0 | ${verdict(results.lost === 0)} |`,
    `| SQS sends per postback | ${number(results.sqsSendsPerPostback, 2)} | ${TARGETS.sqsSendsPerPostback} | ${verdict(results.sqsSendsPerPostback <= TARGETS.sqsSendsPerPostback)} |`,
    `| DynamoDB write units per new purchase (pixel GET) | ${number(results.dynamoWriteUnitsPerPurchase, 2)} | ≤ ${TARGETS.writeUnitsPerPurchase} | ${verdict(results.dynamoWriteUnitsPerPurchase <= TARGETS.writeUnitsPerPurchase)} |`,
    `| DynamoDB write units per new purchase (vendor IPN, for information) | ${number(details.writeUnits.perIpnPurchase, 2)} | - | - |`,
    `| DynamoDB write units per duplicate | ${number(results.dynamoWriteUnitsPerDuplicate, 2)} | ≤ ${TARGETS.writeUnitsPerDuplicate} | ${verdict(results.dynamoWriteUnitsPerDuplicate <= TARGETS.writeUnitsPerDuplicate)} |`,
    `| AWS cost per million postbacks of the mix | ${usd(results.costPerMillionPostbacksUsd)} | ≤ ${usd(TARGETS.costPerMillionUsd)} | ${verdict(results.costPerMillionPostbacksUsd <= TARGETS.costPerMillionUsd)} |`,
    `| Ingest bundle cold import (median of ${details.coldRuns}) | ${number(results.coldInitMs.ingest, 1)} ms | < ${TARGETS.ingestColdInitMs} ms | ${verdict(results.coldInitMs.ingest < TARGETS.ingestColdInitMs)} |`,
    `| Ingest handler ÷ bare SendMessage (medians of ${details.ratio.count}) | ${number(details.ratio.ingestMedianMs, 2)} ÷ ${number(details.ratio.sendMedianMs, 2)} ms = ${number(results.ingestCpuRatio, 2)} | ≤ ${TARGETS.ingestRatio} | ${verdict(results.ingestCpuRatio <= TARGETS.ingestRatio)} |`,
  ];
}

function costTable(details: Details): string[] {
  return [
    '| Service | Per postback | US$ per million postbacks |',
    '|---|---|---|',
    ...details.cost.lines.map((line) => `| ${line.service} | ${number(line.quantityPerPostback, line.unit === 'GB-s' ? 5 : line.unit === 'bytes' ? 0 : 3)} ${line.unit} | ${usd(line.usdPerMillion, 3)} |`),
    `| **Total** | | **${usd(details.cost.totalUsdPerMillion, 2)}** |`,
    '',
    `Lambda compute is priced at the durations measured in the mixed phase, where all handlers share one local process (and the machine's cores with the engines); priced at the ingest's uncontended duration (ratio phase, one request at a time as one Lambda instance serves them), ingest compute would be ${usd(details.uncontended.ingestComputeUsd, 3)} and the total ${usd(details.uncontended.totalUsd, 2)} per million.`,
  ];
}

function bundleTable(results: Results, details: Details): string[] {
  return [
    '| Function | Bundle (JS, KiB) | Cold import, median (ms) | Prod memory (MB) |',
    '|---|---|---|---|',
    ...(Object.keys(results.bundleKb) as FunctionName[]).map((name) => `| ${name} | ${number(results.bundleKb[name], 1)} | ${number(results.coldInitMs[name], 1)} | ${details.memoryMb[name]} |`),
  ];
}

function requestTable(details: Details): string[] {
  return [
    '| SDK call (mixed phase) | Per postback |',
    '|---|---|',
    ...details.requestsPerPostback.map(([name, value]) => `| ${name} | ${number(value, 3)} |`),
  ];
}

export function renderReport(results: Results, details: Details): string {
  const mix = MIX.map(([kind, share]) => `${kind} ${Math.round(share * 100)}%`).join(', ');
  const tally = (counts: Readonly<Record<string, number>>) => Object.entries(counts).map(([key, value]) => `${key}: ${number(value)}`).join(', ');
  return [
    `Run of ${details.date} on ${details.machine.cores} × ${details.machine.cpu}, Node ${details.machine.node} (load average at start ${details.machine.loadAverage}); ${number(details.totalSeconds)} s in all.`,
    '',
    ...headline(results, details),
    '',
    `Mix: ${mix}; 20% of postbacks are vendor IPN form posts, the rest affiliate pixel GETs. Answers: ${tally(details.statuses)}. Outcomes: ${tally(details.outcomes)}. Worst send lag ${number(details.maxSendLagMs, 1)} ms.`,
    `Write units: ${number(details.controlledCount)} fresh purchases sent alone, then their ${number(details.controlledCount)} exact duplicates alone, then ${number(details.controlledCount)} fresh IPN purchases (ConsumedCapacity summed per phase, postback log writes included). By item: purchase ${items(details.writeUnits.purchase)}; duplicate ${items(details.writeUnits.duplicate)}; IPN purchase ${items(details.writeUnits.ipnPurchase)}.`,
    `Lambda: ingest median ${number(details.ingestMedianMs, 2)} ms; consumer ${number(details.consumer.invocations)} invocations, ${number(details.consumer.meanBatch, 2)} records per batch, median ${number(details.consumer.medianMs, 2)} ms.`,
    `CPU per postback (mixed phase, sending and draining): ${details.cpu.perPostbackMs.map(([name, ms]) => `${name} ${number(ms, 2)} ms`).join(', ')}; ${number(details.cpu.coresBusy, 2)} of ${details.machine.cores} cores busy on average.`,
    `Ingest ratio: ingest handler invocations and bare SendMessage calls of the same body to the same emulator, interleaved one by one in this process; medians (means ${number(details.ratio.ingestMeanMs, 2)} ÷ ${number(details.ratio.sendMeanMs, 2)} ms).`,
    '',
    ...costTable(details),
    '',
    ...bundleTable(results, details),
    '',
    ...requestTable(details),
    ...(details.errors.length > 0 ? ['', `SDK errors in the mixed phase: ${details.errors.map(([name, value]) => `${name} ×${value}`).join(', ')}`] : []),
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
