import { deriveToken, hashToken } from '../../../functions/domain/token';
import {
  ingestPostback,
  MAX_BODY_BYTES,
  MAX_URL_BYTES,
  type IngestRequest,
} from '../../../functions/use-cases/ingest-postback';
import { CollectingPublisher, CountingRandom, FixedClock, InMemoryIntegrations } from '../../support/fakes';

const token = deriveToken('s'.repeat(64), 'acct-1', 'nonce');

function setup() {
  const integrations = new InMemoryIntegrations();
  integrations.tokens.set(hashToken(token), 'acct-1');
  const publisher = new CollectingPublisher();
  const deps = { integrations, publisher, clock: new FixedClock(), random: new CountingRandom() };
  const request = (overrides: Partial<IngestRequest> = {}): IngestRequest => ({
    method: 'GET',
    tokenSegment: token,
    channelSegment: 'conversion',
    rawPath: `/v1/postbacks/buygoods/${token}/conversion`,
    rawQuery: 'subid=clk-1&orderid=ORD-1&commission=47.90',
    body: null,
    contentType: null,
    sourceIp: '203.0.113.7',
    ...overrides,
  });
  return { deps, publisher, request };
}

describe('ingesting a postback', () => {
  test('a valid postback is enqueued once and answered 200 with its id', async () => {
    const { deps, publisher, request } = setup();
    const result = await ingestPostback(deps, request());
    expect(result).toEqual({ status: 200, postbackId: expect.stringMatching(/^pb_/) });
    expect(publisher.messages).toHaveLength(1);
    expect(publisher.messages[0]).toMatchObject({
      postbackId: result.postbackId,
      accountId: 'acct-1',
      rejection: null,
      raw: { channel: 'conversion', method: 'GET' },
    });
  });

  test.each([
    ['an unknown token', { tokenSegment: 'B'.repeat(43) }],
    ['a malformed token', { tokenSegment: 'short' }],
    ['an unknown channel', { channelSegment: 'sale' }],
  ])('%s answers not found and enqueues nothing', async (_name, overrides) => {
    const { deps, publisher, request } = setup();
    await expect(ingestPostback(deps, request(overrides))).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(publisher.messages).toHaveLength(0);
  });

  test.each([[` ${token} `], [`%20${token}%20`]])(
    'a token pasted with stray spaces (%s) still works',
    async (segment) => {
      const { deps, request } = setup();
      expect((await ingestPostback(deps, request({ tokenSegment: segment }))).status).toBe(200);
    },
  );

  test('a bad order id is answered 400 with a reason, and still enqueued for the log', async () => {
    const { deps, publisher, request } = setup();
    const result = await ingestPostback(deps, request({ rawQuery: 'subid=clk-1&orderid=%7BORDERID%7D' }));
    expect(result).toMatchObject({ status: 400, error: { code: expect.stringMatching(/^order_id_/) } });
    expect(publisher.messages[0]!.rejection).toEqual(result.status === 400 ? result.error : null);
  });

  test('a URL over 8 KiB is refused with 414 and logged truncated', async () => {
    const { deps, publisher, request } = setup();
    await expect(
      ingestPostback(deps, request({ rawQuery: `orderid=O1&pad=${'x'.repeat(MAX_URL_BYTES)}` })),
    ).rejects.toMatchObject({ status: 414 });
    expect(publisher.messages[0]!.rejection?.code).toBe('uri_too_long');
    expect(publisher.messages[0]!.raw.rawQuery.length).toBeLessThanOrEqual(MAX_URL_BYTES);
  });

  test('a body over 64 KiB is refused with 413', async () => {
    const { deps, request } = setup();
    const body = `order_id=O1&pad=${'x'.repeat(MAX_BODY_BYTES)}`;
    await expect(
      ingestPostback(
        deps,
        request({ method: 'POST', body, contentType: 'application/x-www-form-urlencoded' }),
      ),
    ).rejects.toMatchObject({ status: 413 });
  });

  test('when the queue is down the answer is 503 so Buygoods retries', async () => {
    const { deps, publisher, request } = setup();
    publisher.failing = true;
    await expect(ingestPostback(deps, request())).rejects.toMatchObject({ status: 503 });
  });
});
