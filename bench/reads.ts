/**
 * `npm run bench:reads`: how the reads scale with the account's volume (README, Performance: reads). For
 * each volume of clicks (BENCH_READS_CLICKS, default 10000,100000,1000000, then 1500000 if the 1 M load took
 * under 10 minutes) it starts a fresh local service, seeds 30 days of traffic (3% of clicks convert, 10% of
 * those are refunded) with `npm run seed`'s code, waits until both stream sources have caught up with the
 * seed, then times each read (median of BENCH_READS_RUNS, default 5) and samples the process's memory: the
 * heap in use after collecting the seed's garbage (the service's own figure) and the RSS (which keeps the
 * seed's peak). Up to 100 k clicks the seeded aggregates are first reconciled with the raw items: any
 * drift fails the run. Results in bench/results/reads-latest.json and a dated copy.
 * Not part of CI.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { seed } from '../scripts/seed';
import { startLocalService } from '../local/service';
import { median, round } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const volumes = (process.env.BENCH_READS_CLICKS ?? '10000,100000,1000000').split(',').map(Number);
const runs = Number(process.env.BENCH_READS_RUNS ?? 5);
const DAY = 86_400_000;
/** The filtered pages' size: one that 10,000 clicks fill (about 30 rejected postbacks and 28 refunds). */
const PAGE = 20;
/** Volumes whose seeded aggregates are reconciled with the raw items before the reads. */
const RECONCILE_UP_TO = 100_000;

interface ReadFigure {
  readonly name: string;
  readonly medianMs: number;
  readonly rows: number;
}

async function measureVolume(clicks: number) {
  // Four consumer pollers, as Lambda would scale the consumer out for a backlog.
  const service = await startLocalService({ pollers: 4 });
  // Ctrl-C or a SIGTERM stops the engines too: the default exit would leave DynamoDB Local's java running.
  const interrupt = () => void service.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    const loadStarted = Date.now();
    const seeded = await seed(
      [
        ...['--account', 'bench', '--days', '30', '--clicks-per-day', String(Math.round(clicks / 30))],
        // A tenth of sales with a wrongly sent postback (the seed's default is 2%), so that the smallest
        // volume fills the pages below too: a page's time is proportional to its rows, by design.
        ...['--rejected-rate', '0.1', '--quiet'],
      ],
      {
        url: service.url,
        ...service.endpoints,
        tableName: service.resources.tableName,
        queueUrl: service.resources.queueUrl,
      },
    );
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    // The seed's clicks are counted already, but both stream sources still read their stream records (and
    // pass them by): the reads are timed once they have, so they neither share the engine with the
    // catching-up nor count its memory.
    const drainStarted = Date.now();
    await service.streamsCaughtUp();
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    // The seeded aggregates against the raw items (reconcile, no --fix): timing wrong figures is no
    // benchmark. Up to RECONCILE_UP_TO clicks (about 20 s at 100 k; minutes at 1 M).
    let drift: number | null = null;
    if (clicks <= RECONCILE_UP_TO) {
      const { aggregateDependencies, ledgerRepository } = await import('../functions/adapters/wiring');
      const { reconcileAggregates } = await import('../functions/use-cases/reconcile-aggregates');
      const reconciled = await reconcileAggregates(
        { ...aggregateDependencies(), ledger: ledgerRepository() },
        'bench',
        { fromDay: iso(now - 31 * DAY).slice(0, 10), toDay: iso(now).slice(0, 10) },
        { fix: false },
      );
      drift = reconciled.drift.length;
      if (drift > 0)
        throw new Error(
          `the seeded aggregates drift from the raw items in ${drift} figures, e.g. ${JSON.stringify(reconciled.drift.slice(0, 3))}`,
        );
    }
    const month = `from=${iso(now - 30 * DAY)}&to=${iso(now)}`;
    const day = `from=${iso(now - DAY)}&to=${iso(now)}`;
    const page = `${month}&limit=${PAGE}`;
    const reads: Array<[string, string, string]> = [
      ['link report, 30 days', `/reports/links?${month}`, 'rows'],
      ['link report, 1 day', `/reports/links?${day}`, 'rows'],
      ['daily series, 30 days, New York', `/reports/links?${month}&groupBy=day&tz=America/New_York`, 'rows'],
      [`rejected postbacks, 30 days (page of ${PAGE})`, `/postbacks?outcome=rejected&${page}`, 'postbacks'],
      [
        `unfilled click ids, 30 days (page of ${PAGE})`,
        `/postbacks?issue=click_id_placeholder&${page}`,
        'postbacks',
      ],
      [`refunds, 30 days (page of ${PAGE})`, `/conversions?kind=refund&${page}`, 'conversions'],
    ];
    // The seed ran in this process: collect its garbage first, so the heap figure is the service's reads'
    // (RSS stays high once grown, so it carries the seed's peak too).
    (globalThis as { gc?: () => void }).gc?.();
    let peakRss = process.memoryUsage().rss;
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }, 10);
    const figures: ReadFigure[] = [];
    for (const [name, pathAndQuery, field] of reads) {
      const times: number[] = [];
      let rows = 0;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const response = await fetch(`${service.url}/v1/accounts/bench${pathAndQuery}`);
        const body = (await response.json()) as Record<string, unknown[]>;
        times.push(performance.now() - started);
        if (response.status !== 200)
          throw new Error(`${name}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
        rows = body[field]!.length;
      }
      if (field !== 'rows' && rows < PAGE)
        process.stderr.write(`${name}: only ${rows} rows at ${clicks} clicks, not a full page\n`);
      figures.push({ name, medianMs: round(median(times), 1), rows });
    }
    clearInterval(sampler);
    return {
      clicks,
      seeded,
      loadSeconds,
      drainSeconds,
      /** Figures the reconcile found off (null: not reconciled at this volume). */
      drift,
      peakRssMb: round(peakRss / 1024 / 1024),
      peakHeapMb: round(peakHeap / 1024 / 1024),
      heapBeforeMb: round(heapBefore / 1024 / 1024),
      reads: figures,
    };
  } finally {
    await service.stop();
  }
}

/**
 * Each volume in its own process: the handlers build their SDK clients once, at import, against the
 * engines of the first service a process starts, so a second service in the same process would call a
 * stopped engine.
 */
async function measureInChild(clicks: number): Promise<Awaited<ReturnType<typeof measureVolume>>> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, BENCH_READS_ONE: String(clicks) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.once('SIGINT', forward('SIGINT')).once('SIGTERM', forward('SIGTERM'));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the ${clicks} clicks run exited with ${code}`);
  return JSON.parse(output.trim().split('\n').pop()!);
}

if (process.env.BENCH_READS_ONE) {
  const result = await measureVolume(Number(process.env.BENCH_READS_ONE));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const results = [];
for (const clicks of volumes) {
  process.stderr.write(`reads benchmark: seeding ${clicks} clicks...\n`);
  const result = await measureInChild(clicks);
  results.push(result);
  process.stderr.write(`${JSON.stringify(result)}\n`);
  if (clicks === 1_000_000 && result.loadSeconds < 600 && !volumes.includes(1_500_000))
    volumes.push(1_500_000);
}

const header = ['read', ...results.map((r) => `${r.clicks.toLocaleString('en-US')} clicks`)];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
for (const [index, read] of results[0]!.reads.entries())
  lines.push(`| ${read.name} | ${results.map((r) => `${r.reads[index]!.medianMs} ms`).join(' | ')} |`);
lines.push(
  `| service heap in use, peak during the reads (after a GC) | ${results.map((r) => `${r.peakHeapMb} MB`).join(' | ')} |`,
);
lines.push(
  `| heap growth during the reads (peak minus the heap before them) | ${results.map((r) => `${round(r.peakHeapMb - r.heapBeforeMb)} MB`).join(' | ')} |`,
);
lines.push(
  `| process peak RSS during the reads (includes the seed's) | ${results.map((r) => `${r.peakRssMb} MB`).join(' | ')} |`,
);
lines.push(`| load (seed) time | ${results.map((r) => `${round(r.loadSeconds)} s`).join(' | ')} |`);
lines.push(
  `| stream sources catching up after the seed | ${results.map((r) => `${round(r.drainSeconds)} s`).join(' | ')} |`,
);
process.stdout.write(`${lines.join('\n')}\n`);

const directory = path.join(import.meta.dirname, 'results');
mkdirSync(directory, { recursive: true });
const document = JSON.stringify({ date: new Date().toISOString(), runs, results }, null, 2);
writeFileSync(path.join(directory, 'reads-latest.json'), `${document}\n`);
writeFileSync(path.join(directory, `reads-${new Date().toISOString().slice(0, 10)}.json`), `${document}\n`);
process.exit(0);
