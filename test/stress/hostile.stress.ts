/**
 * Hostile input: property-based fuzzing (fast-check) of every public endpoint and every management
 * operation of docs/openapi.json (its ids, queries, bodies and Authorization header), through the local
 * HTTP API with the real handlers and engines.
 *
 * For every request: no 5xx, an answer with a body, no header carrying a CR or LF or a raw input value,
 * and no unhandled error logged. Postbacks on a live token are all answered 200 or 400 and every one of
 * them ends in the postback log (hostile input is recorded, never lost). The size limits hold at their
 * exact boundaries, and the click redirect only ever goes to the stored destination.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IGNORED_ACTION_TYPES, KNOWN_ACTION_TYPES } from '../../functions/domain/classify';
import { FIELD_ALIASES } from '../../functions/domain/params';
import type { LocalService } from '../../local/service';
import { buygoodsIpn } from '../support/factories';
import { startTestService, until } from '../support/local-service';
import { managementClient, request, type Answer } from './support/http';
import { postbackLog } from './support/ledger-check';
import { captureLogs, type LogCapture } from './support/log-capture';
import { stressSeed } from './support/random';

const seed = stressSeed('hostile');
const RUNS = Number(process.env.STRESS_FUZZ_RUNS ?? 400);
const INGEST_ACCOUNT = 'acct-hostile-ingest';
const DESTINATION = 'https://shop.example.com/offer?a=1';
/** Marks every fuzzed value, so a value reflected into a header is easy to spot. */
const MARK = 'zq9x';

let service: LocalService;
let logs: LogCapture;
let api: ReturnType<typeof managementClient>;
let postbackRoot: string;
const cases: Record<string, number> = {};
const statuses: Record<string, number> = {};
const answeredPostbackIds: string[] = [];
const consumerErrors: string[] = [];

beforeAll(async () => {
  logs = captureLogs('hostile');
  service = await startTestService({
    pollers: 2,
    onConsumerError: (error) => void consumerErrors.push(String((error as Error)?.stack ?? error)),
  });
  api = managementClient(service.url);
  const activated = await api.call('POST', `/v1/accounts/${INGEST_ACCOUNT}/integrations/buygoods`);
  expect(activated.status).toBe(201);
  postbackRoot = (activated.body.conversionUrl as string).split('/conversion?')[0]!;
  expect(
    (
      await api.call('PUT', `/v1/accounts/${INGEST_ACCOUNT}/links/lnk-hostile`, {
        destinationUrl: DESTINATION,
        name: 'hostile',
      })
    ).status,
  ).toBe(201);
});
afterAll(async () => {
  await service?.stop();
  logs?.stop();
});

// ---- arbitraries --------------------------------------------------------------------------------

const NASTY = [
  '\r\nSet-Cookie: owned=1',
  '%0d%0aLocation:%20https://evil.example',
  '../../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  '{ORDERID}',
  '[SUBID]',
  "' OR '1'='1",
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '//evil.example/x',
  '\u0000\u0007\u001b[31m',
  '𝕳𝖔𝖘𝖙𝖎𝖑𝖊 🦠',
  '\u202e\u200b',
  '1e309',
  '-0',
  'NaN',
  '__proto__',
  'constructor',
  ' ',
];

/** A hostile text value: random unicode, control characters, injections, numbers, long runs. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...NASTY),
  fc.double().map(String),
  fc.integer().map(String),
  fc.nat({ max: 3000 }).map((n) => 'A'.repeat(n)),
);
const marked = nasty.map((value) => `${MARK}${value}`);
/** A value encoded for a URL, sometimes left half-encoded (raw percent signs pass through fetch). */
const urlValue = fc.oneof(
  marked.map(encodeURIComponent),
  marked.map((value) => encodeURIComponent(value).replace(/%25/g, '%')),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'orderid',
    'order_id',
    'ORDERID',
    'subid',
    'commission',
    'aff_commission',
    'conv_type',
    'event',
    'action_type',
    'flag_upsell',
    'product',
    'email',
    'customer_emailaddress',
    'is_test',
    'amount',
    'limit',
    'cursor',
    'from',
    'to',
    'kind',
    'outcome',
    'click_id',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
);
const query = fc
  .array(fc.tuple(queryKey, urlValue), { maxLength: 8 })
  .map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join('&'));
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  `${MARK}/\u00ff`,
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.dictionary(queryKey, marked).map((record) => JSON.stringify(record)),
  query,
  marked,
  fc.constantFrom(
    '{',
    '[]',
    'null',
    '"x"',
    '{"__proto__":{"polluted":1}}',
    '{"destinationUrl":"javascript:alert(1)"}',
  ),
);

// ---- the properties every answer must have ------------------------------------------------------

function count(kind: string, answer: Answer) {
  cases[kind] = (cases[kind] ?? 0) + 1;
  const key = `${kind} ${answer.status}`;
  statuses[key] = (statuses[key] ?? 0) + 1;
}

function assertWellFormed(where: string, answer: Answer) {
  if (answer.status >= 500)
    throw new Error(`${where}: answered ${answer.status} ${answer.text.slice(0, 300)}`);
  if (answer.text.length === 0) throw new Error(`${where}: answered ${answer.status} with an empty body`);
  answer.headers.forEach((value, name) => {
    if (/[\r\n]/.test(value)) throw new Error(`${where}: header ${name} carries a line break`);
    if (value.includes(MARK))
      throw new Error(`${where}: header ${name} reflects input: ${value.slice(0, 200)}`);
  });
}

async function send(kind: string, url: string, init: RequestInit = {}): Promise<Answer> {
  const answer = await request(url, init);
  assertWellFormed(`${init.method ?? 'GET'} ${url.slice(0, 300)}`, answer);
  count(kind, answer);
  return answer;
}

function runs(share: number) {
  return { numRuns: Math.max(20, Math.round(RUNS * share)), seed, endOnFailure: true };
}

// ---- postbacks ----------------------------------------------------------------------------------

test('postback URLs: any method, channel, query, body and content type gets a well-formed answer, and none is lost', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST'),
      fc.constantFrom('conversion', 'refund', 'other', ''),
      query,
      body,
      contentType,
      fc.boolean(),
      async (method, channel, rawQuery, payload, type, liveToken) => {
        const root = liveToken ? postbackRoot : `${service.url}/v1/postbacks/buygoods/${'B'.repeat(43)}`;
        const init: RequestInit = {
          method,
          headers: type ? { 'content-type': type } : {},
          body: method === 'POST' ? payload : undefined,
        };
        const url = `${root}/${channel}?${rawQuery}`;
        const answer = await send('postback', url, init);
        const live = liveToken && (channel === 'conversion' || channel === 'refund');
        // Fuzzed queries can pass the 8 KiB URL limit. On a postback route an oversized URL is 414 whatever
        // its token (a live token's is logged with a truncated copy); an empty channel matches no route, so
        // the gateway answers 404 before any limit is read. The limit counts the path and query as sent,
        // which fetch serialises by the URL standard (percent-encoding what the fuzzer left raw).
        const sent = new URL(url);
        const urlBytes = Buffer.byteLength(sent.pathname + sent.search);
        const answered = live ? [200, 400] : [404];
        const expected = urlBytes > 8 * 1024 && channel !== '' ? [414] : answered;
        expect(expected).toContain(answer.status);
        if (!live) return;
        if (answer.status === 414) return;
        const postbackId = answer.headers.get('x-postback-id');
        expect(postbackId).toMatch(/^pb_/);
        answeredPostbackIds.push(postbackId!);
      },
    ),
    runs(1),
  );

  await expectEveryAnsweredPostbackRecorded();
});

/** Every answered postback, hostile or not, is processed and in the log, and none failed to process. */
async function expectEveryAnsweredPostbackRecorded() {
  const log = await until(
    'every fuzzed postback in the log',
    async () => {
      const records = await postbackLog(api, INGEST_ACCOUNT);
      const processed = new Set(
        records.filter((record) => record.processedAt).map((record) => record.postbackId as string),
      );
      return answeredPostbackIds.every((id) => processed.has(id)) ? records : null;
    },
    60_000,
  );
  expect(log.filter((record) => record.error?.code === 'processing_failed')).toEqual([]);
}

/**
 * Every value the parser reads, each with its contract aliases (one alias per postback: two would
 * conflict). The order id stays valid, and the kind-setting keys are left to the query fuzzer above.
 */
const RECOGNISED: readonly (readonly string[])[] = Object.entries(FIELD_ALIASES)
  .filter(([field]) => !['orderId', 'event', 'actionType'].includes(field))
  .map(([, aliases]) => aliases);

test('recognised parameters with hostile values on a valid order: recorded accepted or rejected, never failing to process', async () => {
  let n = 0;
  const pair = fc.tuple(fc.nat(), urlValue);
  const groups = fc.uniqueArray(fc.nat({ max: RECOGNISED.length - 1 }), { minLength: 1, maxLength: 8 });
  await fc.assert(
    fc.asyncProperty(
      groups,
      fc.array(pair, { minLength: 8, maxLength: 8 }),
      fc.constantFrom('conversion', 'refund'),
      async (chosen, pairs, channel) => {
        const params = chosen.map((group, i) => {
          const aliases = RECOGNISED[group]!;
          const [pick, value] = pairs[i]!;
          return `${aliases[pick % aliases.length]}=${value}`;
        });
        const answer = await send(
          'recognised',
          `${postbackRoot}/${channel}?${[`orderid=HV-${++n}`, ...params].join('&')}`,
        );
        expect([200, 400, 414]).toContain(answer.status);
        if (answer.status !== 414) answeredPostbackIds.push(answer.headers.get('x-postback-id')!);
      },
    ),
    runs(0.5),
  );
  await expectEveryAnsweredPostbackRecorded();
});

test('every known action_type in a Buygoods form post with hostile values around it: answered 200, and an event that is not a conversion logged as ignored and named', async () => {
  let n = 0;
  const sent = new Map<string, string>();
  const groups = fc.uniqueArray(fc.nat({ max: RECOGNISED.length - 1 }), { maxLength: 6 });
  const anyCase = (text: string) =>
    fc
      .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
      .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
  const chargeDate = fc.oneof(
    fc.constantFrom('2026-12-01+10%3A30%3A00', '0000-00-00+00%3A00%3A00', ''),
    urlValue,
  );
  // Each one first as Buygoods sends it, so every known action_type is covered whatever the number of runs.
  for (const actionType of KNOWN_ACTION_TYPES) {
    const answer = await send('action types', `${postbackRoot}/conversion`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: buygoodsIpn({ action_type: actionType, order_id: `HK-${++n}` }),
    });
    expect({ actionType, status: answer.status }).toEqual({ actionType, status: 200 });
    answeredPostbackIds.push(answer.headers.get('x-postback-id')!);
    sent.set(answer.headers.get('x-postback-id')!, actionType);
  }
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...KNOWN_ACTION_TYPES).chain(anyCase),
      chargeDate,
      groups,
      fc.array(fc.tuple(fc.nat(), urlValue), { minLength: 6, maxLength: 6 }),
      fc.constantFrom('conversion', 'refund'),
      async (actionType, date, chosen, pairs, channel) => {
        const params = chosen
          .filter((group) => !RECOGNISED[group]!.includes('rr_createdate'))
          .map(
            (group, i) => `${RECOGNISED[group]![pairs[i]![0] % RECOGNISED[group]!.length]}=${pairs[i]![1]}`,
          );
        // Buygoods sends some keys twice with equal values.
        const form = [
          `action_type=${actionType}`,
          `order_id=HA-${++n}`,
          `rr_createdate=${date}`,
          ...params,
          `order_id=HA-${n}`,
        ].join('&');
        const answer = await send('action types', `${postbackRoot}/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        expect(answer.status).toBe(200);
        const postbackId = answer.headers.get('x-postback-id')!;
        answeredPostbackIds.push(postbackId);
        sent.set(postbackId, actionType.toLowerCase());
      },
    ),
    runs(0.5),
  );
  await expectEveryAnsweredPostbackRecorded();
  const records = new Map(
    (await postbackLog(api, INGEST_ACCOUNT)).map((record) => [record.postbackId as string, record]),
  );
  for (const [postbackId, actionType] of sent) {
    const record = records.get(postbackId)!;
    if (IGNORED_ACTION_TYPES.includes(actionType))
      expect({ actionType, outcome: record.outcome, reason: record.reason, error: record.error }).toEqual({
        actionType,
        outcome: 'ignored',
        reason: actionType,
        error: null,
      });
    else
      expect({
        actionType,
        outcome: ['accepted', 'duplicate', 'updated'].includes(record.outcome as string),
      }).toEqual({ actionType, outcome: true });
  }
  expect(new Set(sent.values())).toEqual(new Set(KNOWN_ACTION_TYPES));
});

test('size limits hold at their boundaries: a URL over 8 KiB is 414, a body over 64 KiB is 413, just under is taken', async () => {
  const base = `${postbackRoot}/conversion?orderid=SIZE-1&x=`;
  const urlBytes = (url: string) =>
    Buffer.byteLength(new URL(url).pathname) + 1 + Buffer.byteLength(new URL(url).search.slice(1));
  const pad = (target: number) => 'a'.repeat(target - urlBytes(`${base}`));
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: -200, max: 200 }),
      fc.integer({ min: -2000, max: 2000 }),
      async (urlDelta, bodyDelta) => {
        const url = `${base}${pad(8 * 1024 + urlDelta)}`;
        const urlAnswer = await send('size limits', url);
        expect(urlAnswer.status).toBe(urlDelta > 0 ? 414 : 200);
        const form = `order_id=SIZE-2&x=${'b'.repeat(64 * 1024 + bodyDelta - 'order_id=SIZE-2&x='.length)}`;
        const bodyAnswer = await send('size limits', `${postbackRoot}/conversion`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        expect(bodyAnswer.status).toBe(bodyDelta > 0 ? 413 : 200);
      },
    ),
    runs(0.05),
  );
});

// ---- tracking -----------------------------------------------------------------------------------

test('click links: unknown or hostile link ids are 404, the real link redirects only to its stored destination', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.constant('lnk-hostile'), urlValue), query, async (linkId, rawQuery) => {
      const answer = await send('click', `${service.url}/v1/click/${linkId}?${rawQuery}`);
      if (linkId !== 'lnk-hostile') return void expect(answer.status).toBe(404);
      expect(answer.status).toBe(302);
      const location = new URL(answer.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe('https://shop.example.com/offer');
      expect(location.searchParams.get('a')).toBe('1');
      expect(location.searchParams.get('subid')).toMatch(/^[A-Za-z0-9_-]+$/);
    }),
    runs(0.5),
  );
});

test('pixels: any pixel id and query answers a no-cache 1x1 GIF', async () => {
  await fc.assert(
    fc.asyncProperty(urlValue, query, async (pixelId, rawQuery) => {
      const answer = await send('pixel', `${service.url}/v1/pixel/${pixelId}?${rawQuery}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('image/gif');
      expect(answer.headers.get('cache-control')).toMatch(/no-store|no-cache/);
    }),
    runs(0.5),
  );
});

// ---- management API -----------------------------------------------------------------------------

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly query: readonly string[];
}

const openapi = JSON.parse(readFileSync(path.join(__dirname, '../../docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, any>>;
};
const OPERATIONS: Operation[] = Object.entries(openapi.paths)
  .filter(([path]) => path.startsWith('/v1/accounts/'))
  .flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => ['get', 'put', 'post', 'delete'].includes(method))
      .map((method) => ({
        method: method.toUpperCase(),
        path,
        query: ((item[method].parameters ?? []) as { in: string; name: string }[])
          .filter((p) => p.in === 'query')
          .map((p) => p.name),
      })),
  );

test('every management operation of the OpenAPI document: hostile ids, queries and bodies are 4xx or handled, never a 5xx', async () => {
  expect(OPERATIONS.length).toBeGreaterThanOrEqual(18);
  const declaredQuery = (operation: Operation) =>
    fc.array(fc.tuple(fc.constantFrom(...(operation.query.length ? operation.query : ['x'])), urlValue), {
      maxLength: 4,
    });
  await fc.assert(
    fc.asyncProperty(
      fc
        .constantFrom(...OPERATIONS)
        .chain((operation) => fc.tuple(fc.constant(operation), declaredQuery(operation))),
      fc.oneof(fc.constant('acct-hostile-mgmt'), urlValue),
      urlValue,
      body,
      contentType,
      async ([operation, pairs], accountId, id, payload, type) => {
        const path = operation.path.replace('{accountId}', accountId).replace(/\{[A-Za-z]+\}/g, id);
        const rawQuery = pairs.map(([key, value]) => `${key}=${value}`).join('&');
        const hasBody = operation.method === 'PUT' || operation.method === 'POST';
        await send(`management ${operation.method} ${operation.path}`, `${service.url}${path}?${rawQuery}`, {
          method: operation.method,
          headers: type && hasBody ? { 'content-type': type } : {},
          body: hasBody ? payload : undefined,
        });
      },
    ),
    runs(2),
  );
});

test('the link report under hostile parameters: bad time zones, groupings, bases, formats and huge ranges are 4xx or answered, never a 5xx', async () => {
  const account = 'acct-hostile-report';
  const values = {
    tz: [
      '',
      ' ',
      'Mars/Olympus',
      '../../etc/passwd',
      'UTC%0D%0ASet-Cookie:x',
      'Etc/GMT+99',
      'America/New_York',
      'utc',
      '%00',
      'x'.repeat(5000),
    ],
    groupBy: ['', 'week', 'LINK', 'link,day', 'day%00', 'merchant', '__proto__'],
    dateBasis: ['', 'sale', 'SALE', 'both', 'constructor'],
    format: ['', 'csv', 'xml', 'CSV', 'json'],
    from: [
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '-271821-04-20T00:00:00Z',
      'yesterday',
      '2026-11-30',
      '',
    ],
    to: ['9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-13-45', '+275760-09-13T00:00:00Z'],
  };
  await fc.assert(
    fc.asyncProperty(
      fc.record(
        Object.fromEntries(
          Object.entries(values).map(([key, options]) => [
            key,
            fc.option(fc.constantFrom(...options), { nil: undefined }),
          ]),
        ) as Record<keyof typeof values, fc.Arbitrary<string | undefined>>,
      ),
      fc.constantFrom('application/json', 'text/csv', '*/*', 'text/csv;q=0.1, application/json'),
      async (query, accept) => {
        const rawQuery = Object.entries(query)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => `${key}=${value}`)
          .join('&');
        await send(
          'management GET report parameters',
          `${service.url}/v1/accounts/${account}/reports/links?${rawQuery}`,
          { method: 'GET', headers: { accept } },
        );
      },
    ),
    runs(1),
  );
});

test('the Authorization header of every management operation: anything but a valid token is a 401 from the authorizer, saying nothing more', async () => {
  const { accessToken } = await service.identity.issueAccessToken({ userId: 'hostile-owner' });
  const [header, payload, signature] = accessToken.split('.') as [string, string, string];
  const segment = fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
    maxLength: 400,
  });
  const flip = (text: string, at: number) => {
    const index = 1 + (at % Math.max(1, text.length - 2));
    return `${text.slice(0, index)}${text[index] === 'A' ? 'B' : 'A'}${text.slice(index + 1)}`;
  };
  const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const fieldValue = (value: string) => value.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '?');
  const authorization = fc.oneof(
    // Any field value HTTP allows (control characters other than tab never reach a handler: the server refuses them).
    fc.string({ unit: 'binary-ascii', maxLength: 300 }).map(fieldValue),
    fc.tuple(segment, segment, segment).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
    fc.nat(9000).map((length) => `Bearer ${'A'.repeat(length)}`),
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'bearer null',
      'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
      `Bearer ${accessToken}, Bearer ${accessToken}`,
      `${MARK}\u00ff`,
    ),
    // SigV4-shaped: another key, and the local operator's key with a signature that is not the request's.
    fc.constantFrom(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
    ),
    fc
      .string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 })
      .map(
        (signature) =>
          `AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
      ),
    // The service's own token, altered: a flipped character in each part, junk appended, alg none, payload swapped.
    fc
      .tuple(fc.constantFrom(0, 1, 2), fc.nat())
      .map(
        ([part, at]) =>
          `Bearer ${[header, payload, signature].map((text, index) => (index === part ? flip(text, at) : text)).join('.')}`,
      ),
    fc
      .string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 })
      .map((junk) => `Bearer ${accessToken}${fieldValue(junk).replace(/\s/g, 'x')}`),
    fc.constant(`Bearer ${base64({ alg: 'none', typ: 'JWT' })}.${payload}.`),
    fc.constant(
      `Bearer ${header}.${base64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), 'cognito:groups': ['operators'] })}.${signature}`,
    ),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...OPERATIONS), authorization, async (operation, value) => {
      const path = operation.path.replace('{accountId}', 'acct-hostile-auth').replace(/\{[A-Za-z]+\}/g, 'x1');
      const hasBody = operation.method === 'PUT' || operation.method === 'POST';
      const answer = await send(`management ${operation.method} ${operation.path}`, `${service.url}${path}`, {
        method: operation.method,
        headers: { authorization: value, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        body: hasBody ? '{}' : undefined,
      });
      expect({ status: answer.status, text: answer.text }).toEqual({
        status: 401,
        text: '{"message":"Unauthorized"}',
      });
    }),
    runs(1),
  );
  // The token itself, unaltered, is let through: the refusals above are the alterations'.
  expect(
    (
      await send('management GET', `${service.url}/v1/accounts/acct-hostile-auth/pixels`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).status,
  ).toBe(403);
});

test('no unhandled error was logged while fuzzing, and the figures are reported', () => {
  const errors = logs.linesAt('ERROR');
  expect(errors.map((error) => error.line.slice(0, 500)).slice(0, 5)).toEqual([]);
  // No fuzzed postback made a consumer invocation fail outright.
  expect(consumerErrors.slice(0, 5)).toEqual([]);
  const total = Object.values(cases).reduce((sum, n) => sum + n, 0);
  const byEndpoint = Object.entries(cases).filter(([kind]) => !kind.startsWith('management '));
  const management = Object.entries(cases)
    .filter(([kind]) => kind.startsWith('management '))
    .reduce((sum, [, n]) => sum + n, 0);
  console.log(
    [
      `hostile-input figures (seed ${seed}, STRESS_FUZZ_RUNS=${RUNS}):`,
      `  ${total} fuzzed requests: ${byEndpoint.map(([kind, n]) => `${kind} ${n}`).join(', ')}, management ${management} over ${OPERATIONS.length} operations`,
      `  answers: ${JSON.stringify(Object.fromEntries(Object.entries(statuses).filter(([key]) => !key.startsWith('management '))))}`,
      `  fuzzed postbacks recorded in the log: ${answeredPostbackIds.length}; service log lines checked: ${logs.lines().length}`,
    ].join('\n'),
  );
});
