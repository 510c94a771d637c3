/**
 * The service under test, its floor, and what watches them: the local service started with the SDK
 * request counter registered before its handlers load, every handler invocation timed and the handlers'
 * log output counted; the benchmark account activated with a Buygoods merchant and product; the floor
 * pipeline on the same engines (bench/floor); and the bounded wait for postbacks to be processed.
 */
import { performance } from 'node:perf_hooks';
import { instrumentClients } from '../functions/adapters/clients';
import { startLocalService, type LocalService } from '../local/service';
import type { Prices } from './cost';
import { countingMiddleware, instrumentEventSourceClient, Tally } from './counters';
import { InvocationLog } from './invocations';
import { countProcessed, PostbackLogReader, type LoggedPostback } from './postback-log';
import type { Progress } from './progress';
import type { SendResult } from './sender';
import { EmfCollector } from './emf';
import { startFloorService, type FloorService } from './floor/pipeline';
import { captureServiceLogs, type LogCapture, type Terminal } from './terminal';
import type { PostbackUrls } from './workload';

const ACCOUNT_ID = 'bench-account';
export const PRODUCT_CODENAME = 'keto-x3';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pipeline the load is offered to: the service or its floor, watched the same way. */
export interface Pipeline {
  readonly name: 'service' | 'floor';
  readonly tally: Tally;
  readonly invocations: InvocationLog;
  readonly reader: PostbackLogReader;
  readonly urls: PostbackUrls;
  /** Bytes the handlers logged so far (the floor logs nothing). */
  readonly logBytes: () => number;
}

/** The running service, its floor and everything that watches them. */
export interface Bench {
  readonly service: LocalService;
  readonly floorService: FloorService;
  readonly ours: Pipeline;
  readonly floor: Pipeline;
  readonly tally: Tally;
  readonly invocations: InvocationLog;
  readonly logs: LogCapture;
  /** The distinct custom metrics (name and dimensions) in the handlers' EMF output. */
  readonly emf: EmfCollector;
  readonly reader: PostbackLogReader;
  readonly urls: PostbackUrls;
  readonly progress: Progress;
  readonly consumerErrors: string[];
  /** The last SendMessage body the service sent. */
  lastSqsBody(): string | null;
}

async function api(service: LocalService, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function startBench(prices: Prices, progress: Progress, term: Terminal): Promise<Bench> {
  progress.phase('Local service: DynamoDB Local, SQS emulator, handlers with counted SDK clients');
  const tally = new Tally();
  const invocations = new InvocationLog();
  const consumerErrors: string[] = [];
  let lastSqsBody: string | null = null;
  // Before the service imports the handlers: their clients are created at module scope.
  instrumentClients((service) =>
    countingMiddleware(tally, 'service', service, prices.sqsBilledChunkBytes, {
      onSqsSend: (body) => (lastSqsBody = body),
    }),
  );
  const emf = new EmfCollector();
  const logs = captureServiceLogs(term.err, (line) => emf.add(line));
  const service = await startLocalService({
    wrapHttpHandler: (name, handler) => invocations.wrapHttp(name, handler),
    wrapConsumer: (handler) => invocations.wrapConsumer(handler),
    instrumentRunnerSqs: instrumentEventSourceClient(tally, prices.sqsBilledChunkBytes),
    onConsumerError: (error) => void consumerErrors.push(String(error)),
  });
  const base = `/v1/accounts/${ACCOUNT_ID}`;
  const urls = (await api(service, 'POST', `${base}/integrations/buygoods`)) as PostbackUrls;
  await api(service, 'PUT', `${base}/merchants/keto-labs`, { name: 'Keto Labs', paymentGateway: 'buygoods' });
  await api(service, 'PUT', `${base}/products/keto-x3`, {
    name: 'Keto X3',
    merchantId: 'keto-labs',
    fulfillmentProvider: 'buygoods',
    productCodename: PRODUCT_CODENAME,
  });
  await untilPixelsCreated(service, base);
  const reader = new PostbackLogReader(service.resources.tableName, ACCOUNT_ID);
  const floorService = await startFloorService({
    tokenTableName: service.resources.tableName,
    chunkBytes: prices.sqsBilledChunkBytes,
    onError: (error) => void consumerErrors.push(`floor: ${String(error)}`),
  });
  const ours: Pipeline = { name: 'service', tally, invocations, reader, urls, logBytes: () => logs.bytes() };
  const floor: Pipeline = {
    name: 'floor',
    tally: floorService.tally,
    invocations: floorService.invocations,
    reader: new PostbackLogReader(floorService.resources.tableName, ACCOUNT_ID),
    urls: {
      conversionUrl: retarget(urls.conversionUrl, floorService.origin),
      refundUrl: retarget(urls.refundUrl, floorService.origin),
    },
    logBytes: () => 0,
  };
  progress.done(
    `service on ${service.url}, account ${ACCOUNT_ID} activated; floor on ${floorService.origin}`,
  );
  return {
    service,
    floorService,
    ours,
    floor,
    tally,
    invocations,
    logs,
    emf,
    reader,
    urls,
    progress,
    consumerErrors,
    lastSqsBody: () => lastSqsBody,
  };
}

/** The same URL on another origin (the floor's API serves the same route). */
function retarget(url: string, origin: string): string {
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}`;
}

/** The stream consumer creates the merchant's pixels: let it finish, so its writes count in no phase. */
async function untilPixelsCreated(service: LocalService, base: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (((await api(service, 'GET', `${base}/pixels`)) as { pixels: unknown[] }).pixels.length < 2) {
    if (performance.now() > deadline) throw new Error('the merchant pixels were not created within 30 s');
    await sleep(200);
  }
}

/**
 * Waits (bounded) until every postback id has a record with processedAt; cheap while the consumer is
 * still behind (its invocation count), one read of the log when it may be done, or every 5 s. `since`
 * (an ISO instant before the phase's first send) limits the reads to the phase's own records.
 */
export async function drain(
  pipeline: Pipeline,
  progress: Progress,
  phase: { ids: readonly string[]; position: number; since: string; label: string },
  timeoutMs: number,
): Promise<Map<string, LoggedPostback>> {
  const { ids, position, since, label } = phase;
  const deadline = performance.now() + timeoutMs;
  let lastRead = performance.now();
  for (;;) {
    const consumed = pipeline.invocations.recordsConsumed(position);
    const now = performance.now();
    if (consumed >= ids.length || now - lastRead > 5000 || now > deadline) {
      const records = await pipeline.reader.readAll(since);
      lastRead = performance.now();
      if (countProcessed(ids, records) === ids.length || now > deadline) return records;
    }
    progress.update(`${label}: processed ${Math.min(consumed, ids.length)}/${ids.length}`);
    await sleep(100);
  }
}

export const idsOf = (results: readonly SendResult[]) =>
  results.flatMap((result) => (result.postbackId ? [result.postbackId] : []));
