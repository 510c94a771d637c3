/**
 * The consumer under failure, through the local event source with a short visibility timeout: a passing
 * error fails only its record and is retried, a crash mid-batch loses nothing and doubles nothing, and a
 * message that keeps failing lands in the dead-letter queue after maxReceiveCount.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { recordDependencies } from '../../functions/adapters/wiring';
import { createConsumerHandler } from '../../functions/handlers/consumer';
import type { LedgerRepository } from '../../functions/ports/ledger-repository';
import type { LocalService } from '../../local/service';
import type { SqsHandler } from '../../local/sqs-event-source';
import { POSTBACK_QUEUE } from '../../lib/resources';
import { fillTemplate, startTestService, until, type Activation } from '../support/local-service';

type Json = Record<string, any>;
const account = 'acct-failures';
let service: LocalService;
let urls: Activation;

/** Orders whose conversion writes fail with throttling: a count per order, or forever with Infinity. */
const throttled = new Map<string, number>();
let crashesLeft = 0;
const invocations: string[][] = [];

function throttlingLedger(ledger: LedgerRepository): LedgerRepository {
  return new Proxy(ledger, {
    get(target, property, receiver) {
      const original = Reflect.get(target, property, receiver);
      if (property !== 'putConversion')
        return typeof original === 'function' ? original.bind(target) : original;
      return async (
        record: { orderId: string },
        expected: Parameters<LedgerRepository['putConversion']>[1],
      ) => {
        const left = throttled.get(record.orderId) ?? 0;
        if (left > 0) {
          throttled.set(record.orderId, left - 1);
          throw Object.assign(new Error('Rate exceeded'), {
            name: 'ThrottlingException',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return (original as LedgerRepository['putConversion']).call(target, record as never, expected);
      };
    },
  });
}

/** A consumer that records what it was given, and can die halfway through a batch. */
function crashingConsumer(): SqsHandler {
  const deps = recordDependencies();
  const real = createConsumerHandler({ ...deps, ledger: throttlingLedger(deps.ledger) });
  return async (event: SQSEvent, context) => {
    invocations.push(event.Records.map((record) => JSON.parse(record.body).postbackId));
    if (crashesLeft > 0 && event.Records.length > 1) {
      crashesLeft--;
      await real({ Records: event.Records.slice(0, Math.ceil(event.Records.length / 2)) }, context);
      throw new Error('the process died mid-batch');
    }
    return real(event, context);
  };
}

beforeAll(async () => {
  service = await startTestService({
    visibilityTimeoutSeconds: 1,
    pollers: 1,
    wrapConsumer: crashingConsumer,
    onConsumerError: () => undefined,
  });
  urls = (await (
    await fetch(`${service.url}/v1/accounts/${account}/integrations/buygoods`, { method: 'POST' })
  ).json()) as Activation;
});
afterAll(async () => {
  await service?.stop();
});

async function getJson(path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.url}/v1/accounts/${account}${path}`);
  return { status: response.status, body: (await response.json()) as Json };
}

async function post(orderId: string): Promise<string> {
  const response = await fetch(
    fillTemplate(urls.conversionUrl, {
      SUBID: `clk-${orderId}`,
      ORDERID: orderId,
      COMMISSION_AMOUNT: '10.00',
    }),
  );
  expect(response.status).toBe(200);
  return response.headers.get('x-postback-id')!;
}

async function processed(postbackId: string, timeoutMs = 15_000): Promise<Json> {
  return until(
    `postback ${postbackId}`,
    async () => {
      const { status, body } = await getJson(`/postbacks/${postbackId}`);
      return status === 200 ? body : null;
    },
    timeoutMs,
  );
}

test('a throttled write fails only its record, which is retried and recorded once', async () => {
  throttled.set('THR-1', 2);
  const ids = await Promise.all(['THR-1', 'THR-2', 'THR-3'].map(post));
  const records = await Promise.all(ids.map((id) => processed(id)));
  expect(records.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
  expect(throttled.get('THR-1')).toBe(0);
  expect((await getJson('/orders/THR-1')).body.conversions).toHaveLength(1);
  // THR-1 was delivered at least three times; the others were not held back by it.
  expect(invocations.flat().filter((id) => id === ids[0]).length).toBeGreaterThanOrEqual(3);
});

test('a consumer that dies mid-batch loses nothing and records nothing twice', async () => {
  crashesLeft = 1;
  // Send while nobody polls for a moment so they arrive as one batch.
  const orders = Array.from({ length: 8 }, (_, index) => `CRASH-${index}`);
  const ids = await Promise.all(orders.map(post));
  const records = await Promise.all(ids.map((id) => processed(id)));
  expect(crashesLeft).toBe(0);
  expect(records.every((r) => r.outcome === 'accepted')).toBe(true);
  for (const orderId of orders)
    expect((await getJson(`/orders/${orderId}`)).body.conversions).toHaveLength(1);
});

test('a message that keeps failing lands in the dead-letter queue after maxReceiveCount', async () => {
  throttled.set('POISON-1', Infinity);
  const id = await post('POISON-1');
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  try {
    const dead = await until(
      'the message in the DLQ',
      async () => {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: service.resources.deadLetterQueueUrl,
            MaxNumberOfMessages: 1,
            WaitTimeSeconds: 1,
          }),
        );
        return received.Messages?.[0] ?? null;
      },
      30_000,
    );
    expect(JSON.parse(dead.Body!).postbackId).toBe(id);
    expect(invocations.flat().filter((seen) => seen === id)).toHaveLength(POSTBACK_QUEUE.maxReceiveCount);
    expect((await getJson(`/postbacks/${id}`)).status).toBe(404);
  } finally {
    sqs.destroy();
    throttled.delete('POISON-1');
  }
});
