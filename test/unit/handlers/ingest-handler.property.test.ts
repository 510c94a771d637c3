/**
 * Property: whatever arrives on a postback URL, the ingest handler answers (never throws), always with a
 * body, with a status from the contract, and never reflects raw input into a header.
 */
import fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { deriveToken, hashToken } from '../../../functions/domain/token';
import { createIngestHandler } from '../../../functions/handlers/ingest';
import { CollectingPublisher, CountingRandom, FixedClock, InMemoryIntegrations } from '../../support/fakes';

const token = deriveToken('p'.repeat(64), 'acct-prop', 'nonce');
const integrations = new InMemoryIntegrations();
integrations.tokens.set(hashToken(token), 'acct-prop');
const publisher = new CollectingPublisher();
const handler = createIngestHandler({
  integrations,
  publisher,
  clock: new FixedClock(),
  random: new CountingRandom(),
});

function event(
  method: string,
  tokenSegment: string,
  channel: string,
  rawQuery: string,
  body: string | undefined,
  contentType: string | undefined,
  base64: boolean,
): APIGatewayProxyEventV2 {
  const rawPath = `/v1/postbacks/buygoods/${tokenSegment}/${channel}`;
  return {
    version: '2.0',
    routeKey: `${method} /v1/postbacks/buygoods/{token}/{channel}`,
    rawPath,
    rawQueryString: rawQuery,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    pathParameters: { token: tokenSegment, channel },
    requestContext: {
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '198.51.100.1', userAgent: 'fc' },
      domainName: 'example.com',
    } as never,
    body: body === undefined ? undefined : base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  };
}

const keyArb = fc.oneof(
  fc.constantFrom(
    'subid',
    'SubID',
    'cid',
    'orderid',
    'ORDER_ID',
    'txid',
    'commission',
    'payout',
    'amount',
    'event',
    'type',
    'action_type',
    'conv_type',
    'flag_upsell',
    'emailhash',
    'customer_emailaddress',
    'is_test',
  ),
  fc.string({ maxLength: 12 }),
);
const valueArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '{SUBID}',
    '%7BORDERID%7D',
    'null',
    '47,90',
    '$1,234.56',
    'USD 12',
    '-3',
    'refund',
    'chargeback',
    'upsell',
    '1',
    'A-1',
    'x'.repeat(300),
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const queryArb = fc.oneof(
  fc
    .array(fc.tuple(keyArb, valueArb), { maxLength: 12 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  fc.string({ maxLength: 200 }),
  fc.constant(`orderid=O1&pad=${'z'.repeat(9000)}`),
);
const bodyArb = fc.option(
  fc.oneof(
    queryArb,
    fc.json(),
    fc.string({ maxLength: 200 }),
    fc.constant('{"orderid":'),
    fc.constant('o'.repeat(70 * 1024)),
  ),
  { nil: undefined },
);
const contentTypeArb = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/vnd.api+json',
    '\r\nx-evil: 1',
  ),
  { nil: undefined },
);

test('the ingest handler always answers with a body and a contract status, whatever it is sent', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST'),
      fc.oneof(fc.constant(token), fc.constant(` ${token}%20`), fc.string({ maxLength: 50 })),
      fc.constantFrom('conversion', 'refund', 'other'),
      queryArb,
      bodyArb,
      contentTypeArb,
      fc.boolean(),
      async (method, tokenSegment, channel, query, body, contentType, base64) => {
        const response = await handler(
          event(method, tokenSegment, channel, query, body, contentType, base64),
        );
        expect([200, 400, 404, 413, 414]).toContain(response.statusCode);
        expect(response.body.length).toBeGreaterThan(0);
        for (const value of Object.values(response.headers ?? {}))
          expect(String(value)).not.toMatch(/[\r\n]/);
        if (response.statusCode === 200 || response.statusCode === 400)
          expect(response.headers?.['x-postback-id']).toMatch(/^pb_[0-9a-z]{30}$/);
        if (response.statusCode !== 200) expect(() => JSON.parse(response.body)).not.toThrow();
      },
    ),
    { numRuns: 400 },
  );
  expect(publisher.messages.length).toBeGreaterThan(0);
});
