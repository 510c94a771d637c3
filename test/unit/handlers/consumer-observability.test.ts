/**
 * The consumer's CloudWatch trail: one structured log line per postback with its correlation ids and
 * outcome, EMF metrics by outcome and kind, and never a customer's name or email.
 */
import type { Context } from 'aws-lambda';
import { postbackMessage, sqsEvent } from '../../support/factories';
import type { PostbackMessage } from '../../../functions/domain/postback-log';
import {
  CountingRandom,
  FixedClock,
  InMemoryAggregates,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryTraffic,
} from '../../support/fakes';

const context = {
  functionName: 'consumer',
  functionVersion: '1',
  invokedFunctionArn: 'arn',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30000,
} as unknown as Context;

// Metrics are read from the environment when the module loads, so it is loaded here, after turning them on.
let modules: {
  createConsumerHandler: typeof import('../../../functions/handlers/consumer').createConsumerHandler;
  withObservability: typeof import('../../../functions/handlers/middleware').withObservability;
};
beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  // The level the prod stage runs at (Powertools' middleware restores its initial level at each invocation).
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  const { logger } = await import('../../../functions/adapters/observability');
  logger.setLogLevel('INFO');
  modules = {
    ...(await import('../../../functions/handlers/consumer')),
    ...(await import('../../../functions/handlers/middleware')),
  };
});

/** Runs the consumer under the middleware on these messages and returns everything it wrote. */
async function runConsumer(messages: PostbackMessage[], ledger = new InMemoryLedger()): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest
      .spyOn(console, method)
      .mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  );
  try {
    const catalog = new InMemoryCatalog();
    const handler = modules.withObservability(
      modules.createConsumerHandler({
        ledger,
        catalog,
        traffic: new InMemoryTraffic(catalog),
        aggregates: new InMemoryAggregates(ledger),
        clock: new FixedClock(),
        random: new CountingRandom(),
      }),
    );
    const response = await handler(sqsEvent(messages), context);
    expect(response.batchItemFailures).toEqual([]);
  } finally {
    spy.mockRestore();
    consoleSpies.forEach((s) => s.mockRestore());
  }
  return lines.flatMap((line) => line.split('\n'));
}

const emfBlobs = (lines: string[]) =>
  lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
const metricNames = (lines: string[]) =>
  emfBlobs(lines).flatMap((blob) =>
    blob._aws.CloudWatchMetrics.flatMap((m: { Metrics: { Name: string }[] }) =>
      m.Metrics.map((metric) => metric.Name),
    ),
  );
const recordedLines = (lines: string[]) =>
  lines.filter((line) => line.includes('"postback recorded"')).map((line) => JSON.parse(line));

test('one JSON line per postback with ids and outcome, EMF metrics, and no customer details', async () => {
  const ipn = postbackMessage({
    body: 'action_type=neworder&order_id=OBS-1&customer_name=Jane+Roe&customer_emailaddress=jane.roe%40example.com&aff_commission=10&subid=bad%20click',
  });
  const rejected = postbackMessage({ query: { orderid: '{ORDERID}' } });
  const lines = await runConsumer([ipn, rejected]);
  expect(lines.join('\n')).not.toMatch(/Jane|Roe|jane\.roe|example\.com/i);
  const records = recordedLines(lines);
  expect(records).toHaveLength(2);
  expect(records.find((r) => r.outcome === 'accepted')).toMatchObject({
    level: 'INFO',
    orderId: 'OBS-1',
    kind: 'purchase',
    clickIdStatus: 'malformed',
    function_request_id: 'req-1',
    postbackId: expect.any(String),
    accountId: 'acct-1',
    writeConflicts: 0,
  });
  expect(records.find((r) => r.outcome === 'rejected')).toMatchObject({
    errorCode: expect.stringMatching(/^order_id_/),
  });
  expect(metricNames(lines)).toEqual(
    expect.arrayContaining(['Postbacks', 'Rejected', 'MalformedClickIds', 'ProcessingLag']),
  );
  expect(metricNames(lines)).not.toContain('WriteConflicts');
  expect(
    emfBlobs(lines).find((blob) => blob.Postbacks !== undefined && blob.outcome === 'accepted'),
  ).toMatchObject({ kind: 'purchase' });
});

test('a conditional write lost to a concurrent consumer is counted and logged', async () => {
  const ledger = new InMemoryLedger();
  // Another consumer writes the same order between this one's read and its conditional write.
  ledger.beforeConversionWrite = (incoming) => {
    ledger.beforeConversionWrite = null;
    ledger.conversions.set(`acct-1|RACE-1|primary`, {
      ...incoming,
      conversionId: 'cv_other',
      appliedPostbackIds: ['pb_other'],
    });
  };
  const lines = await runConsumer(
    [postbackMessage({ query: { orderid: 'RACE-1', commission: '10.00' } })],
    ledger,
  );
  expect(recordedLines(lines)).toEqual([
    expect.objectContaining({ outcome: 'duplicate', writeConflicts: 1 }),
  ]);
  expect(emfBlobs(lines).find((blob) => blob.WriteConflicts !== undefined)).toMatchObject({
    WriteConflicts: 1,
  });
});

test('an ignored IPN event is logged with its reason and counted by outcome, never as a rejection', async () => {
  const lines = await runConsumer([
    postbackMessage({ body: 'action_type=connection_test' }),
    postbackMessage({ body: 'action_type=abandon&order_id=OBS-AB&subid=clk-1' }),
  ]);
  const records = recordedLines(lines);
  expect(records.map((r) => [r.outcome, r.reason, r.errorCode ?? null])).toEqual([
    ['ignored', 'connection_test', null],
    ['ignored', 'abandon', null],
  ]);
  expect(metricNames(lines)).not.toContain('Rejected');
  expect(emfBlobs(lines).find((blob) => blob.Postbacks !== undefined)).toMatchObject({
    outcome: 'ignored',
    kind: 'unknown',
    Postbacks: 2,
  });
});
