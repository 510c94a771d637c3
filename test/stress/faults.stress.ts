/**
 * Fault injection: the service keeps working and loses nothing while AWS misbehaves.
 * - DynamoDB fails a share of all calls (throttling, 500s, timeouts, some after the write was applied),
 *   above and below the SDK's own retries, and the consumer dies mid-batch now and then, while a few
 *   thousand postbacks flow: every postback is processed exactly once and the ledger equals the
 *   reference model.
 * - A poison message goes to the dead-letter queue after maxReceiveCount and, once the cause is fixed,
 *   comes back through the operator's redrive (scripts/redrive.ts) and is recorded once.
 * - SQS unavailable at ingest answers 503 (Buygoods retries) and loses nothing that was answered 200.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { POSTBACK_QUEUE } from '../../lib/resources';
import type { LocalService } from '../../local/service';
import type { SqsHandler } from '../../local/sqs-event-source';
import { redrive } from '../../scripts/redrive';
import { startTestService, until } from '../support/local-service';
import { FaultInjector, type FaultFigures } from './support/faults';
import { deliver, managementClient, pool, request, type Delivery, type Json } from './support/http';
import {
  compareOrders,
  compareReportTotals,
  countOutcomes,
  postbackLog,
  reconcileDrift,
} from './support/ledger-check';
import { captureLogs, linesWithCustomerData, type LogCapture } from './support/log-capture';
import { computeExpectedLedger } from './support/reference-model';
import { Dice, stressSeed } from './support/random';
import { buildWorkload, requestFor, type PostbackUrls, type Send } from './support/workload';

const seed = stressSeed('faults');
const dice = new Dice(seed + 1);
const faults = new FaultInjector(seed + 2);
const uninstallFaults = faults.install(); // before the service starts: its handlers build their clients then

const account = 'acct-faults';
const sqsAccount = 'acct-faults-sqs';
const workload = buildWorkload({
  accounts: [account],
  ordersPerAccount: Number(process.env.STRESS_ORDERS ?? 900),
  orderPrefix: 'FLT',
  updates: true,
  rejectedPerAccount: 5,
  seed,
});

let service: LocalService;
let logs: LogCapture;
let api: ReturnType<typeof managementClient>;
let sqs: SQSClient;
const urls = new Map<string, PostbackUrls>();

/** Consumer instrumentation: deliveries per postback, injected crashes, and any other consumer error. */
const deliveries = new Map<string, number>();
let crashRate = 0;
let crashes = 0;
const unexpectedConsumerErrors: string[] = [];
const CRASH_MESSAGE = 'injected crash: the consumer died mid-batch';

function crashingConsumer(real: SqsHandler): SqsHandler {
  return async (event: SQSEvent, context) => {
    for (const record of event.Records) {
      const id = (JSON.parse(record.body) as { postbackId?: string }).postbackId ?? record.messageId;
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    }
    if (event.Records.length > 1 && dice.chance(crashRate)) {
      crashes++;
      await real({ Records: event.Records.slice(0, Math.ceil(event.Records.length / 2)) }, context);
      throw new Error(CRASH_MESSAGE);
    }
    return real(event, context);
  };
}

beforeAll(async () => {
  logs = captureLogs('faults');
  service = await startTestService({
    visibilityTimeoutSeconds: 2,
    pollers: 4,
    wrapConsumer: crashingConsumer,
    onConsumerError: (error) => {
      if ((error as Error).message !== CRASH_MESSAGE) unexpectedConsumerErrors.push(String(error));
    },
  });
  api = managementClient(service.url);
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  for (const id of [account, sqsAccount]) {
    const activated = await api.call('POST', `/v1/accounts/${id}/integrations/buygoods`);
    expect(activated.status).toBe(201);
    urls.set(id, activated.body as PostbackUrls);
  }
});
afterAll(async () => {
  faults.clear();
  await service?.stop();
  sqs?.destroy();
  uninstallFaults();
  logs?.stop();
});

async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

async function queueArn(queueUrl: string): Promise<string> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return attributes.QueueArn!;
}

/** Waits until the postback queue is empty (processed, or parked in the DLQ), then returns the log. */
async function awaitDrained(accountId: string, expectedRecords: number, timeoutMs: number): Promise<Json[]> {
  let last = '';
  try {
    return await until(
      `the postback queue to drain (${expectedRecords} records expected in ${accountId})`,
      async () => {
        const depth = await queueDepth(service.resources.queueUrl);
        if (depth > 0) {
          last = `queue depth ${depth}`;
          return null;
        }
        const log = await postbackLog(api, accountId);
        const dead = await queueDepth(service.resources.deadLetterQueueUrl);
        last = `queue depth ${depth}, dead letters ${dead}, ${log.length} records`;
        return log.length >= expectedRecords || dead > 0 ? log : null;
      },
      timeoutMs,
      500,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${last}`);
  }
}

async function redriveDeadLetters(): Promise<number> {
  const result = await redrive({
    sqs,
    deadLetterQueueArn: await queueArn(service.resources.deadLetterQueueUrl),
    destinationArn: await queueArn(service.resources.queueUrl),
    local: true,
  });
  expect(result.status).toBe('COMPLETED');
  return result.moved;
}

interface Answered {
  readonly send: Send;
  readonly delivery: Delivery;
}

function describeFaults(figures: FaultFigures): string {
  const surfacedShare =
    figures.injectedTotal === 0 ? 0 : Math.round((figures.surfacedTotal / figures.injectedTotal) * 100);
  return `${figures.injectedTotal} injected over ${figures.calls} SDK calls ${JSON.stringify(figures.injected)}; ${figures.surfacedTotal} (${surfacedShare}%) surfaced to the service code past the SDK's retries ${JSON.stringify(figures.surfaced)}`;
}

test('a few thousand postbacks while DynamoDB throttles, fails and times out and the consumer crashes mid-batch: each is recorded exactly once', async () => {
  const started = Date.now();
  const before = faults.figures();
  faults.set('dynamodb', [
    // Straight to the service code: 3% of all calls.
    {
      layer: 'above-retries',
      rate: 0.03,
      kinds: ['throttling', 'provisioned-throughput', 'internal-error', 'timeout', 'timeout-after-success'],
    },
    // Per attempt, under the SDK's retries: 15% of attempts, a third of them after the write was applied.
    { layer: 'below-retries', rate: 0.15, kinds: ['throttling', 'internal-error', 'timeout-after-success'] },
  ]);
  crashRate = 0.05;

  const sendPhase = (sends: readonly Send[]) =>
    pool(sends, 32, async (send): Promise<Answered> => {
      const { url, init } = requestFor(send.intent, urls.get(account)!);
      return { send, delivery: await deliver(url, init, 10) };
    });
  const phase1 = await sendPhase(workload.sends.filter((send) => send.phase === 1));
  const enqueued1 = phase1.filter((answer) => [200, 400].includes(answer.delivery.final.status)).length;
  await awaitDrained(account, enqueued1, 240_000);
  const phase2 = await sendPhase(workload.sends.filter((send) => send.phase === 2));
  const answers = [...phase1, ...phase2];
  const answeredIds = answers.flatMap((answer) =>
    [200, 400].includes(answer.delivery.final.status) ? [answer.delivery.final.postbackId!] : [],
  );
  let log = await awaitDrained(account, answeredIds.length, 240_000);

  // The cause is fixed: stop the faults and bring back whatever waited in the dead-letter queue. An
  // original dead-lettered in phase 1 comes back after its correction: the last received still wins.
  faults.set('dynamodb', []);
  crashRate = 0;
  const redriven = await redriveDeadLetters();
  if (redriven > 0) log = await awaitDrained(account, answeredIds.length, 60_000);
  const processedMs = Date.now() - started;
  const figures = faults.figures();

  // Buygoods got an answer with a body for every postback in the end, and re-sent after each 5xx.
  const attempts = answers.flatMap((answer) => answer.delivery.answers);
  expect(attempts.filter((answer) => answer.bodyLength === 0)).toEqual([]);
  expect(
    attempts.map((answer) => answer.status).filter((status) => ![200, 400, 503].includes(status)),
  ).toEqual([]);
  for (const answer of answers)
    expect(answer.delivery.final.status).toBe(answer.send.intent.rejected ? 400 : 200);

  // Each answered postback is in the log exactly once, processed, and the outcomes add up.
  expect(log.map((record) => record.postbackId as string).sort()).toEqual([...answeredIds].sort());
  expect(log.filter((record) => !record.processedAt || record.outcome === 'pending')).toEqual([]);
  const expected = computeExpectedLedger(workload.sends);
  const want = expected.outcomes.get(account)!;
  const outcomes = countOutcomes(log);
  expect({
    accepted: outcomes.accepted ?? 0,
    updated: outcomes.updated ?? 0,
    rejected: outcomes.rejected ?? 0,
  }).toEqual(want);
  expect(log.filter((record) => record.error?.code === 'processing_failed')).toEqual([]);

  // The ledger is the reference model's: nothing lost, nothing doubled, no spurious update.
  const comparison = await compareOrders(api, expected);
  expect(comparison.mismatches.slice(0, 20)).toEqual([]);
  expect(unexpectedConsumerErrors).toEqual([]);
  // The report's aggregates moved exactly once for every change, faults and all; reconcile agrees.
  expect(await compareReportTotals(api, expected, account)).toEqual([]);
  expect(await reconcileDrift(account, new Date(started))).toEqual([]);

  // The faults really happened, and some got past the SDK's retries to the service's own handling.
  expect(figures.injectedTotal - before.injectedTotal).toBeGreaterThan(300);
  expect(figures.surfacedTotal - before.surfacedTotal).toBeGreaterThan(50);
  expect(crashes).toBeGreaterThan(0);

  const redelivered = [...deliveries.values()].filter((count) => count > 1).length;
  console.log(
    [
      `fault figures (seed ${seed}):`,
      `  postbacks: ${answers.length} delivered (${answeredIds.length} enqueued), ${attempts.length} HTTP attempts; ingest 5xx answers re-sent like Buygoods: ${attempts.length - answers.length}`,
      `  DynamoDB faults: ${describeFaults(figures)}`,
      `  consumer crashes mid-batch: ${crashes}; postbacks delivered more than once: ${redelivered} (max ${Math.max(...deliveries.values())} deliveries); dead-lettered and redriven: ${redriven}`,
      `  outcomes: ${JSON.stringify(outcomes)}; orders matching the reference model: ${comparison.ordersChecked - comparison.mismatches.length}/${comparison.ordersChecked}; report totals equal to the model, reconcile drift 0`,
      `  duration: ${processedMs} ms`,
    ].join('\n'),
  );
});

test('a poison message goes to the dead-letter queue after maxReceiveCount and, once fixed, comes back by redrive and is recorded once', async () => {
  const started = Date.now();
  const orderId = `POISON-${seed}`;
  // Every conversion write of this order is throttled, before the SDK's retries: it can never succeed.
  faults.set('dynamodb', [
    {
      layer: 'above-retries',
      rate: 1,
      kinds: ['throttling'],
      commands: ['PutItemCommand'],
      mentioning: orderId,
    },
  ]);
  const url = `${urls.get(account)!.conversionUrl.split('?')[0]}?orderid=${orderId}&subid=clk-poison&commission=12.34`;
  const sent = await deliver(url);
  expect(sent.final.status).toBe(200);
  const postbackId = sent.final.postbackId!;

  await until(
    'the poison message in the dead-letter queue',
    async () => ((await queueDepth(service.resources.deadLetterQueueUrl)) === 1 ? true : null),
    60_000,
  );
  expect(deliveries.get(postbackId)).toBe(POSTBACK_QUEUE.maxReceiveCount);
  expect((await api.call('GET', `/v1/accounts/${account}/postbacks/${postbackId}`)).status).toBe(404);
  expect((await api.call('GET', `/v1/accounts/${account}/orders/${orderId}`)).status).toBe(404);

  faults.set('dynamodb', []); // the fix
  expect(await redriveDeadLetters()).toBe(1);
  const record = await until(
    'the redriven postback',
    async () => {
      const read = await api.call('GET', `/v1/accounts/${account}/postbacks/${postbackId}`);
      return read.status === 200 ? read.body : null;
    },
    30_000,
  );
  expect(record).toMatchObject({ outcome: 'accepted', orderId, error: null });
  const order = await api.call('GET', `/v1/accounts/${account}/orders/${orderId}`);
  expect(order.body).toMatchObject({ status: 'purchased', netCommissionCents: 1234 });
  expect(order.body.conversions).toHaveLength(1);
  expect(order.body.conversions[0].version).toBe(1);
  expect(deliveries.get(postbackId)).toBe(POSTBACK_QUEUE.maxReceiveCount + 1);
  expect(await queueDepth(service.resources.deadLetterQueueUrl)).toBe(0);
  console.log(
    `poison figures: ${POSTBACK_QUEUE.maxReceiveCount} failed deliveries, dead-lettered, redriven, recorded once; ${Date.now() - started} ms`,
  );
});

test('with SQS unavailable at ingest Buygoods gets a 503 with a body, and nothing answered 200 is lost', async () => {
  const started = Date.now();
  const before = faults.figures();
  const orders = Array.from({ length: 300 }, (_, n) => ({ orderId: `SQS-${n}`, cents: 100 + n }));
  const urlOf = (order: { orderId: string; cents: number }) =>
    `${urls.get(sqsAccount)!.conversionUrl.split('?')[0]}?orderid=${order.orderId}&subid=clk-${order.orderId}&commission=${(order.cents / 100).toFixed(2)}`;

  // Flaky: a quarter of the sends fail before the SDK's retries, a fifth of the attempts inside them;
  // some "failures" happen after SQS took the message (the ambiguous case: a 503 for an enqueued postback).
  faults.set('sqs', [
    {
      layer: 'above-retries',
      rate: 0.25,
      kinds: ['internal-error', 'throttling', 'timeout', 'timeout-after-success'],
    },
    { layer: 'below-retries', rate: 0.2, kinds: ['internal-error', 'timeout-after-success'] },
  ]);
  const first = await pool(orders, 32, async (order) => ({
    order,
    delivery: await deliver(urlOf(order), {}, 1),
  }));
  // Down: every send fails.
  faults.set('sqs', [{ layer: 'above-retries', rate: 1, kinds: ['internal-error', 'timeout'] }]);
  const refused = first.filter((sent) => sent.delivery.final.status !== 200);
  const duringOutage = await pool(refused, 32, async ({ order }) => deliver(urlOf(order), {}, 1));
  const probe = await request(urlOf({ orderId: 'SQS-PROBE', cents: 1 }));
  // Back: Buygoods' retries get through.
  faults.set('sqs', []);
  const retried = await pool(refused, 32, async ({ order }) => deliver(urlOf(order), {}, 5));

  const firstStatuses = first.map((sent) => sent.delivery.final.status);
  expect(firstStatuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
  expect(refused.length).toBeGreaterThan(20);
  expect(duringOutage.every((delivery) => delivery.final.status === 503)).toBe(true);
  for (const delivery of retried) expect(delivery.final.status).toBe(200);
  expect(probe.status).toBe(503);
  expect(JSON.parse(probe.text)).toMatchObject({
    error: { code: 'service_unavailable', message: expect.any(String) },
  });

  // Every postback answered 200 is processed; every order is recorded exactly once.
  const answered200 = [...first.map((sent) => sent.delivery), ...retried]
    .filter((delivery) => delivery.final.status === 200)
    .map((delivery) => delivery.final.postbackId!);
  const log = await until(
    'every postback answered 200 in the log',
    async () => {
      if ((await queueDepth(service.resources.queueUrl)) > 0) return null;
      const records = await postbackLog(api, sqsAccount);
      const ids = new Set(records.map((record) => record.postbackId as string));
      return answered200.every((id) => ids.has(id)) ? records : null;
    },
    60_000,
  );
  const outcomes = countOutcomes(log);
  expect(outcomes.accepted).toBe(orders.length);
  expect(log.length).toBeGreaterThanOrEqual(answered200.length);
  await pool(orders, 16, async (order) => {
    const read = await api.call('GET', `/v1/accounts/${sqsAccount}/orders/${order.orderId}`);
    expect({
      orderId: order.orderId,
      status: read.status,
      conversions: read.body.conversions?.length,
      version: read.body.conversions?.[0]?.version,
      net: read.body.netCommissionCents,
    }).toEqual({
      orderId: order.orderId,
      status: 200,
      conversions: 1,
      version: 1,
      net: order.cents,
    });
  });
  const figures = faults.figures();
  const injected = figures.injectedTotal - before.injectedTotal;
  const ambiguous = log.length - answered200.length;
  console.log(
    [
      `SQS-at-ingest figures: ${orders.length} postbacks, ${first.length + duringOutage.length + retried.reduce((n, d) => n + d.answers.length, 0) + 1} HTTP attempts`,
      `  first attempt: ${firstStatuses.filter((s) => s === 200).length} x 200, ${refused.length} x 503; during the outage: ${duringOutage.length} x 503; after it: all 200`,
      `  SQS faults injected: ${injected}; 503s whose message had in fact been enqueued (recorded as duplicates): ${ambiguous}`,
      `  duration: ${Date.now() - started} ms`,
    ].join('\n'),
  );
});

test('no customer name or email reached a log line of this suite', () => {
  const customers = workload.intents.flatMap((intent) => (intent.customer ? [intent.customer] : []));
  expect(customers.length).toBeGreaterThan(50);
  expect(logs.lines().length).toBeGreaterThan(0);
  expect(linesWithCustomerData(logs.lines(), customers).slice(0, 5)).toEqual([]);
  const errors = logs.linesAt('ERROR');
  console.log(
    `faults log lines checked: ${logs.lines().length}, of which ERROR: ${errors.length} ${JSON.stringify(countBy(errors.map((e) => e.message)))} (kept in ${logs.file})`,
  );
});

function countBy(values: readonly string[]): Record<string, number> {
  return values.reduce<Record<string, number>>(
    (counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }),
    {},
  );
}
