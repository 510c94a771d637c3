/**
 * Failures leave a trace an operator can find: the pixel creator logs why a stream record failed (the
 * batch processor does not), and ingest and the consumer name a postback's error code with one field.
 */
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../../functions/adapters/observability';
import { deriveToken, hashToken } from '../../../functions/domain/token';
import { createIngestHandler } from '../../../functions/handlers/ingest';
import { ERROR_CODE_FIELD } from '../../../functions/handlers/log-fields';
import { createPixelCreatorHandler } from '../../../functions/handlers/pixel-creator';
import { captureLogs } from '../../stress/support/log-capture';
import { CollectingPublisher, CountingRandom, FixedClock, InMemoryIntegrations } from '../../support/fakes';

const context = {
  functionName: 'pixel-creator',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30000,
} as unknown as Context;

async function capture<T>(run: () => Promise<T>): Promise<{ result: T; lines: Array<Record<string, any>> }> {
  logger.setLogLevel('INFO');
  const logs = captureLogs('error-log-lines');
  try {
    const result = await run();
    return { result, lines: logs.linesAt('INFO').map((entry) => JSON.parse(entry.line)) };
  } finally {
    logs.stop();
  }
}

test('a pixel creator failure is logged with account, merchant and sequence number, and fails only its record', async () => {
  const failing = new Error('ProvisionedThroughputExceededException: slow down');
  const handler = createPixelCreatorHandler({
    catalog: {
      createPixel: async (pixel) => (pixel.merchantId === 'm-bad' ? Promise.reject(failing) : true),
    },
    clock: new FixedClock(),
  });
  const merchant = (merchantId: string, sequenceNumber: string) => ({
    eventID: `ev-${merchantId}`,
    eventName: 'INSERT' as const,
    dynamodb: {
      SequenceNumber: sequenceNumber,
      NewImage: {
        entity: { S: 'merchant' },
        paymentGateway: { S: 'buygoods' },
        accountId: { S: 'acct-px' },
        merchantId: { S: merchantId },
      },
    },
  });
  const event: DynamoDBStreamEvent = { Records: [merchant('m-good', '100'), merchant('m-bad', '200')] };
  const { result, lines } = await capture(() => handler(event, context));
  expect(result.batchItemFailures).toEqual([{ itemIdentifier: '200' }]);
  const errors = lines.filter((line) => line.level === 'ERROR');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({
    message: 'merchant pixels could not be created; the record fails',
    accountId: 'acct-px',
    merchantId: 'm-bad',
    sequenceNumber: '200',
    error: expect.objectContaining({ message: failing.message }),
  });
});

test("ingest's rejection line names the error code in the field the consumer's line uses", async () => {
  const token = deriveToken('s'.repeat(64), 'acct-log', 'nonce');
  const integrations = new InMemoryIntegrations();
  integrations.tokens.set(hashToken(token), 'acct-log');
  const handler = createIngestHandler({
    integrations,
    publisher: new CollectingPublisher(),
    clock: new FixedClock(),
    random: new CountingRandom(),
  });
  const rawPath = `/v1/postbacks/buygoods/${token}/conversion`;
  const { result, lines } = await capture(() =>
    handler({
      version: '2.0',
      routeKey: 'GET /v1/postbacks/buygoods/{token}/{channel}',
      rawPath,
      rawQueryString: 'orderid=%7BORDERID%7D&subid=c1',
      headers: {},
      pathParameters: { token, channel: 'conversion' },
      requestContext: {
        http: {
          method: 'GET',
          path: rawPath,
          protocol: 'HTTP/1.1',
          sourceIp: '198.51.100.1',
          userAgent: 't',
        },
        domainName: 'example.com',
      } as never,
      isBase64Encoded: false,
    }),
  );
  expect(result.statusCode).toBe(400);
  const rejected = lines.find((line) => line.message === 'postback rejected at ingest');
  expect(ERROR_CODE_FIELD).toBe('errorCode');
  expect(rejected).toMatchObject({
    accountId: 'acct-log',
    [ERROR_CODE_FIELD]: expect.stringMatching(/^order_id_/),
    postbackId: expect.stringMatching(/^pb_/),
  });
  expect(rejected).not.toHaveProperty('code');
});
