/**
 * The service under test and what watches it: the local service started with the SDK request counter
 * registered before its handlers load, every handler invocation timed and the handlers' log output
 * counted; the benchmark account activated with a Buygoods merchant and product; and the bounded wait
 * for postbacks to be processed.
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
import { captureServiceLogs, type LogCapture, type Terminal } from './terminal';
import type { PostbackUrls } from './workload';

const ACCOUNT_ID = 'bench-account';
export const PRODUCT_CODENAME = 'keto-x3';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The running service and everything that watches it. */
export interface Bench {
  readonly service: LocalService;
  readonly tally: Tally;
  readonly invocations: InvocationLog;
  readonly logs: LogCapture;
  readonly reader: PostbackLogReader;
  readonly urls: PostbackUrls;
  readonly progress: Progress;
  readonly consumerErrors: string[];
  /** The last SendMessage body the service sent. */
  lastSqsBody(): string | null;
}

async function api(service: LocalService, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${service.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
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
  instrumentClients((service) => countingMiddleware(tally, 'service', service, prices.sqsBilledChunkBytes, { onSqsSend: (body) => (lastSqsBody = body) }));
  const logs = captureServiceLogs(term.err);
  const service = await startLocalService({
    wrapHttpHandler: (name, handler) => invocations.wrapHttp(name, handler),
    wrapConsumer: (handler) => invocations.wrapConsumer(handler),
    instrumentRunnerSqs: instrumentEventSourceClient(tally, prices.sqsBilledChunkBytes),
    onConsumerError: (error) => void consumerErrors.push(String(error)),
  });
  const base = `/v1/accounts/${ACCOUNT_ID}`;
  const urls = (await api(service, 'POST', `${base}/integrations/buygoods`)) as PostbackUrls;
  await api(service, 'PUT', `${base}/merchants/keto-labs`, { name: 'Keto Labs', paymentGateway: 'buygoods' });
  await api(service, 'PUT', `${base}/products/keto-x3`, { name: 'Keto X3', merchantId: 'keto-labs', fulfillmentProvider: 'buygoods', productCodename: PRODUCT_CODENAME });
  await untilPixelsCreated(service, base);
  progress.done(`service on ${service.url}, account ${ACCOUNT_ID} activated`);
  const reader = new PostbackLogReader(service.resources.tableName, ACCOUNT_ID);
  return { service, tally, invocations, logs, reader, urls, progress, consumerErrors, lastSqsBody: () => lastSqsBody };
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
 * still behind (its invocation count), one read of the log when it may be done, or every 5 s.
 */
export async function drain(bench: Bench, ids: readonly string[], position: number, timeoutMs: number, label: string): Promise<Map<string, LoggedPostback>> {
  const deadline = performance.now() + timeoutMs;
  let lastRead = performance.now();
  for (;;) {
    const consumed = bench.invocations.recordsConsumed(position);
    const now = performance.now();
    if (consumed >= ids.length || now - lastRead > 5000 || now > deadline) {
      const records = await bench.reader.readAll();
      lastRead = performance.now();
      if (countProcessed(ids, records) === ids.length || now > deadline) return records;
    }
    bench.progress.update(`${label}: processed ${Math.min(consumed, ids.length)}/${ids.length}`);
    await sleep(100);
  }
}

export const idsOf = (results: readonly SendResult[]) => results.flatMap((result) => (result.postbackId ? [result.postbackId] : []));
