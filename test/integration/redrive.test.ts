/**
 * Redrive (scripts/redrive.ts): a postback that kept failing waits in the dead-letter queue; once the cause
 * is fixed, redrive moves it back and the consumer records it. Against the local engines the move is done
 * by hand (`local`), since the SQS emulator has no message move tasks; the AWS path (a message move task,
 * polled to the end) is driven with a small fake SQS client.
 */
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { recordDependencies } from '../../functions/adapters/wiring';
import { createConsumerHandler } from '../../functions/handlers/consumer';
import type { LedgerRepository } from '../../functions/ports/ledger-repository';
import type { LocalService } from '../../local/service';
import type { SqsHandler } from '../../local/sqs-event-source';
import { main, redrive, type SqsSender } from '../../scripts/redrive';
import { fillTemplate, startTestService, until, type Activation } from '../support/local-service';

type Json = Record<string, any>;
const account = 'acct-redrive';
let service: LocalService;
let urls: Activation;
let sqs: SQSClient;

/** Orders (or `order|commission cents` contents) whose conversion writes fail with throttling until the test "fixes" them. */
const broken = new Set<string>();

function breakableLedger(ledger: LedgerRepository): LedgerRepository {
  return new Proxy(ledger, {
    get(target, property, receiver) {
      const original = Reflect.get(target, property, receiver);
      if (property !== 'putConversion')
        return typeof original === 'function' ? original.bind(target) : original;
      return async (
        record: { orderId: string; commissionCents: number | null },
        expected: Parameters<LedgerRepository['putConversion']>[1],
      ) => {
        if (broken.has(record.orderId) || broken.has(`${record.orderId}|${record.commissionCents}`)) {
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

function breakableConsumer(): SqsHandler {
  const deps = recordDependencies();
  return createConsumerHandler({ ...deps, ledger: breakableLedger(deps.ledger) }) as SqsHandler;
}

beforeAll(async () => {
  service = await startTestService({
    visibilityTimeoutSeconds: 1,
    pollers: 1,
    wrapConsumer: breakableConsumer,
    onConsumerError: () => undefined,
  });
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  urls = (await (
    await fetch(`${service.url}/v1/accounts/${account}/integrations/buygoods`, { method: 'POST' })
  ).json()) as Activation;
});
afterAll(async () => {
  sqs?.destroy();
  await service?.stop();
});

async function getJson(path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.url}/v1/accounts/${account}${path}`);
  return { status: response.status, body: (await response.json()) as Json };
}

async function post(orderId: string, commission = '12.50'): Promise<string> {
  const response = await fetch(
    fillTemplate(urls.conversionUrl, {
      SUBID: `clk-${orderId}`,
      ORDERID: orderId,
      COMMISSION_AMOUNT: commission,
    }),
  );
  expect(response.status).toBe(200);
  return response.headers.get('x-postback-id')!;
}

async function queueAttributes(
  queueUrl: string,
): Promise<{ arn: string; visible: number; inFlight: number }> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    arn: attributes.QueueArn!,
    visible: Number(attributes.ApproximateNumberOfMessages),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

test('postbacks that failed into the DLQ are recorded once the cause is fixed and they are redriven', async () => {
  const orders = ['REDRIVE-1', 'REDRIVE-2'];
  for (const orderId of orders) broken.add(orderId);
  const ids = await Promise.all(orders.map((orderId) => post(orderId)));
  const dlqUrl = service.resources.deadLetterQueueUrl;
  // Counted, not received: receiving would hide the messages from the redrive for the DLQ's visibility timeout.
  await until(
    'both postbacks in the DLQ',
    async () => ((await queueAttributes(dlqUrl)).visible === 2 ? true : null),
    30_000,
  );
  for (const id of ids) expect((await getJson(`/postbacks/${id}`)).status).toBe(404);

  broken.clear(); // the fix
  const lines: string[] = [];
  const result = await redrive({
    sqs,
    deadLetterQueueArn: (await queueAttributes(dlqUrl)).arn,
    destinationArn: (await queueAttributes(service.resources.queueUrl)).arn,
    local: true,
    log: (line) => lines.push(line),
  });

  expect(result).toEqual({ status: 'COMPLETED', moved: 2, toMove: 2 });
  expect(lines.at(-1)).toBe('COMPLETED: moved 2 of 2 message(s)');
  for (const id of ids) {
    const record = await until(
      `postback ${id} recorded`,
      async () => {
        const { status, body } = await getJson(`/postbacks/${id}`);
        return status === 200 && body.outcome !== 'pending' ? body : null;
      },
      15_000,
    );
    expect(record).toMatchObject({ postbackId: id, outcome: 'accepted', kind: 'purchase' });
  }
  for (const orderId of orders)
    expect((await getJson(`/orders/${orderId}`)).body.conversions).toHaveLength(1);
  expect(await queueAttributes(dlqUrl)).toMatchObject({ visible: 0, inFlight: 0 });
});

test('an original that waited in the DLQ while its correction was recorded comes back without undoing it', async () => {
  broken.add('LATE-R|1250');
  const original = await post('LATE-R', '12.50');
  const dlqUrl = service.resources.deadLetterQueueUrl;
  await until(
    'the original in the DLQ',
    async () => ((await queueAttributes(dlqUrl)).visible === 1 ? true : null),
    30_000,
  );
  const correction = await post('LATE-R', '11.00');
  const corrected = await until(
    'the correction recorded',
    async () => {
      const { status, body } = await getJson(`/postbacks/${correction}`);
      return status === 200 ? body : null;
    },
    15_000,
  );
  expect(corrected.outcome).toBe('accepted');

  broken.clear();
  const result = await redrive({
    sqs,
    deadLetterQueueArn: (await queueAttributes(dlqUrl)).arn,
    destinationArn: (await queueAttributes(service.resources.queueUrl)).arn,
    local: true,
  });
  expect(result).toMatchObject({ status: 'COMPLETED', moved: 1 });
  const late = await until(
    'the original recorded',
    async () => {
      const { status, body } = await getJson(`/postbacks/${original}`);
      return status === 200 ? body : null;
    },
    15_000,
  );
  expect(late.outcome).toBe('updated');
  const order = (await getJson('/orders/LATE-R')).body;
  expect(order.conversions).toHaveLength(1);
  expect(order.conversions[0]).toMatchObject({
    commissionCents: 1100,
    version: 2,
    history: [expect.objectContaining({ postbackId: original, superseded: { commissionCents: 1250 } })],
  });
  expect(order.netCommissionCents).toBe(1100);
});

test('an empty DLQ redrives nothing and says so', async () => {
  const result = await redrive({
    sqs,
    deadLetterQueueArn: (await queueAttributes(service.resources.deadLetterQueueUrl)).arn,
    destinationArn: (await queueAttributes(service.resources.queueUrl)).arn,
    local: true,
  });
  expect(result).toEqual({ status: 'COMPLETED', moved: 0, toMove: 0 });
});

test('the command line takes the queues and the local endpoint as flags and exits 0 when the move completes', async () => {
  const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const code = await main([
      '--dlq-arn',
      (await queueAttributes(service.resources.deadLetterQueueUrl)).arn,
      '--queue-arn',
      (await queueAttributes(service.resources.queueUrl)).arn,
      '--endpoint',
      service.endpoints.sqsEndpoint,
      '--local',
    ]);
    expect(code).toBe(0);
    expect(printed.mock.calls.flat()).toContain('COMPLETED: moved 0 of 0 message(s)');
  } finally {
    printed.mockRestore();
  }
  const usage = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await expect(main(['--dlq-arn', 'arn:aws:sqs:us-east-1:000000000000:x'])).resolves.toBe(2); // no queue and no stage
    expect(usage.mock.calls.flat().join('\n')).toContain('usage: npm run redrive -- --stage');
  } finally {
    usage.mockRestore();
  }
});

test('without --local the emulator is not faked: the missing message move task is reported with the way out', async () => {
  await expect(
    redrive({
      sqs,
      deadLetterQueueArn: (await queueAttributes(service.resources.deadLetterQueueUrl)).arn,
      destinationArn: (await queueAttributes(service.resources.queueUrl)).arn,
    }),
  ).rejects.toThrow(/no message move tasks .*--local/);
});

describe('in AWS (an SQS message move task)', () => {
  const source = 'arn:aws:sqs:eu-west-1:123456789012:BuygoodsPostbacks-Prod-Stateful-PostbackDeadLetterQueue';
  const destination = 'arn:aws:sqs:eu-west-1:123456789012:BuygoodsPostbacks-Prod-Stateful-PostbackQueue';

  /** An SQS client that answers the two move-task calls from a script of List results. */
  function fakeSqs(listings: Array<Array<Record<string, unknown>>>) {
    const calls: Array<{ name: string; input: unknown }> = [];
    const sender: SqsSender = {
      send: (async (command: { constructor: { name: string }; input: unknown }) => {
        calls.push({ name: command.constructor.name, input: command.input });
        if (command instanceof StartMessageMoveTaskCommand) return { TaskHandle: 'task-1' };
        if (command instanceof ListMessageMoveTasksCommand) return { Results: listings.shift() ?? [] };
        throw new Error(`unexpected ${command.constructor.name}`);
      }) as SqsSender['send'],
    };
    return { sender, calls };
  }

  it('starts a move from the DLQ to the postback queue and polls it until it completes, reporting the counts', async () => {
    const { sender, calls } = fakeSqs([
      [
        {
          TaskHandle: 'task-1',
          Status: 'RUNNING',
          ApproximateNumberOfMessagesMoved: 3,
          ApproximateNumberOfMessagesToMove: 7,
        },
      ],
      [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 7, ApproximateNumberOfMessagesToMove: 7 }],
    ]);
    const lines: string[] = [];
    const result = await redrive({
      sqs: sender,
      deadLetterQueueArn: source,
      destinationArn: destination,
      pollIntervalMs: 1,
      log: (line) => lines.push(line),
    });
    expect(result).toEqual({ status: 'COMPLETED', moved: 7, toMove: 7 });
    expect(calls.map((call) => call.name)).toEqual([
      'StartMessageMoveTaskCommand',
      'ListMessageMoveTasksCommand',
      'ListMessageMoveTasksCommand',
    ]);
    expect(calls[0]!.input).toEqual({ SourceArn: source, DestinationArn: destination });
    expect(calls[1]!.input).toMatchObject({ SourceArn: source });
    expect(lines).toEqual(
      expect.arrayContaining([
        'message move task started: task-1',
        'RUNNING: 3 of 7 moved',
        'COMPLETED: moved 7 of 7 message(s)',
      ]),
    );
  });

  it('reports a failed task with its reason', async () => {
    const { sender } = fakeSqs([
      [
        {
          Status: 'FAILED',
          ApproximateNumberOfMessagesMoved: 2,
          ApproximateNumberOfMessagesToMove: 5,
          FailureReason: 'AccessDenied',
        },
      ],
    ]);
    const result = await redrive({
      sqs: sender,
      deadLetterQueueArn: source,
      destinationArn: destination,
      pollIntervalMs: 1,
    });
    expect(result).toEqual({ status: 'FAILED', moved: 2, toMove: 5, failureReason: 'AccessDenied' });
  });
});
