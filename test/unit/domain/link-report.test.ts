import {
  diffContributions,
  orderContribution,
  sumContributions,
  trafficContribution,
  type Contribution,
} from '../../../functions/domain/aggregates';
import type { ConversionRecord } from '../../../functions/domain/conversion';
import {
  buildLinkReport,
  dayInZone,
  toCsv,
  reportColumns,
  type LinkReportRow,
  type ReportRequest,
  type StoredBucket,
} from '../../../functions/domain/link-report';
import type { CommissionEventRecord } from '../../../functions/domain/order';
import type { ConversionKind } from '../../../functions/domain/postback';
import { parseBucketId } from '../../../functions/domain/aggregates';

let sequence = 0;
function conversion(
  orderId: string,
  kind: ConversionKind,
  commissionCents: number | null,
  options: {
    isTest?: boolean;
    at?: string;
    linkId?: string | null;
    clickId?: string;
    productId?: string;
  } = {},
): ConversionRecord {
  const at = options.at ?? `2026-11-25T10:00:${String(sequence++ % 60).padStart(2, '0')}.000Z`;
  return {
    accountId: 'a',
    orderId,
    conversionId: `cv_${orderId}_${kind}`,
    kind,
    slot: kind === 'purchase' || kind === 'upsell' ? 'primary' : kind === 'rebill' ? `rebill#${at}` : kind,
    commissionCents,
    clickId: options.clickId
      ? { raw: options.clickId, value: options.clickId, status: 'valid' }
      : { raw: null, value: null, status: 'missing' },
    linkId: options.linkId ?? null,
    campaign: null,
    productCodename: null,
    productId: options.productId ?? null,
    merchantId: null,
    subIds: { subid2: null, subid3: null, subid4: null, subid5: null },
    parentOrderId: null,
    orderIdGlobal: null,
    customer: { name: null, email: null, emailHash: null },
    totalCents: null,
    currency: null,
    isTest: options.isTest ?? false,
    issues: [],
    version: 1,
    fingerprints: [],
    appliedPostbackIds: [],
    history: [],
    occurredAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

const asBuckets = (contribution: Contribution): StoredBucket[] =>
  Object.entries(contribution).map(([id, attributes]) => ({ ref: parseBucketId(id), attributes }));
const request = (overrides: Partial<ReportRequest> = {}): ReportRequest => ({
  groupBy: 'link',
  dateBasis: 'event',
  timeZone: 'UTC',
  fromMs: null,
  toMs: null,
  links: new Map([
    ['l-1', 'spring'],
    ['l-2', null],
  ]),
  products: new Map(),
  ...overrides,
});

/** Orders' contributions (each order from its own items) plus clicks and page views, as stored. */
function report(
  conversions: ConversionRecord[],
  extra: {
    clicks?: string[];
    pageviews?: Array<string | null>;
    events?: CommissionEventRecord[];
    clickLinks?: Map<string, string>;
  } = {},
  overrides: Partial<ReportRequest> = {},
) {
  const orders = new Set([
    ...conversions.map((c) => c.orderId),
    ...(extra.events ?? []).map((e) => e.orderId),
  ]);
  const parts = [...orders].map((orderId) =>
    orderContribution({
      conversions: conversions.filter((c) => c.orderId === orderId),
      events: (extra.events ?? []).filter((e) => e.orderId === orderId),
      clickLinks: extra.clickLinks ?? new Map(),
    }),
  );
  (extra.clicks ?? []).forEach((linkId, index) =>
    parts.push(trafficContribution('clicks', '2026-11-25T09:00:00.000Z', linkId, index % 8)),
  );
  (extra.pageviews ?? []).forEach((linkId, index) =>
    parts.push(trafficContribution('pageviews', '2026-11-25T09:00:00.000Z', linkId, index % 8)),
  );
  const stored = sumContributions(parts);
  // Every contribution moves each figure's day total by what it adds to the figure's quarter-hours.
  for (const attributes of Object.values(stored))
    for (const [name, total] of Object.entries(attributes).filter(([n]) => n.endsWith('D')))
      expect([name, total]).toEqual([
        name,
        Object.entries(attributes)
          .filter(([n]) => n !== name && n.startsWith(name.slice(0, -1)) && /\d$/.test(n))
          .reduce((sum, [, amount]) => sum + amount, 0),
      ]);
  return buildLinkReport(asBuckets(stored), request(overrides));
}

const row = (rows: LinkReportRow[], linkId: string | null) =>
  rows.find((r) => 'linkId' in r && r.linkId === linkId);

test('counts, gross and net commission, and the rates of a link', () => {
  const rows = report(
    [
      conversion('o1', 'purchase', 4000, { linkId: 'l-1' }),
      conversion('o2', 'purchase', 2000, { linkId: 'l-1' }),
      conversion('o2', 'refund', null),
      conversion('o3', 'upsell', 1000, { linkId: 'l-1' }),
      conversion('o1', 'chargeback', 500),
    ],
    { clicks: ['l-1', 'l-1', 'l-1', 'l-1'], pageviews: ['l-1', 'l-1', null] },
  );
  expect(row(rows, 'l-1')).toEqual({
    linkId: 'l-1',
    clicks: 4,
    pageviews: 2,
    purchases: 2,
    upsells: 1,
    rebills: 0,
    refunds: 1,
    cancels: 0,
    chargebacks: 1,
    grossCommissionCents: 7000,
    netCommissionCents: 4500,
    conversionRate: 0.5,
    epcCents: 1125,
    refundRate: 0.5,
    chargebackRate: 0.5,
  });
  expect(row(rows, 'l-2')).toMatchObject({
    clicks: 0,
    purchases: 0,
    conversionRate: 0,
    epcCents: 0,
    refundRate: 0,
  });
  expect(row(rows, null)).toMatchObject({ pageviews: 1 });
});

test('a refund and a chargeback of one order never take back more than it earned', () => {
  const rows = report([
    conversion('o1', 'purchase', 3000, { linkId: 'l-1' }),
    conversion('o1', 'refund', null),
    conversion('o1', 'chargeback', 3000),
  ]);
  expect(row(rows, 'l-1')).toMatchObject({ grossCommissionCents: 3000, netCommissionCents: 0 });
});

test("commission voids reduce the net of the order's link", () => {
  const voided: CommissionEventRecord = {
    accountId: 'a',
    orderId: 'o1',
    eventId: 'e',
    kind: 'commission_void',
    commissionCents: 700,
    postbackId: 'p',
    fingerprint: 'f',
    isTest: false,
    receivedAt: '2026-11-25T11:00:00.000Z',
  };
  const rows = report([conversion('o1', 'purchase', 3000, { linkId: 'l-2' })], { events: [voided] });
  expect(row(rows, 'l-2')).toMatchObject({ grossCommissionCents: 3000, netCommissionCents: 2300 });
});

test('test orders are left out entirely, their reversals too', () => {
  const rows = report([
    conversion('t1', 'purchase', 100, { isTest: true, linkId: 'l-1' }),
    conversion('t1', 'refund', 100),
  ]);
  expect(row(rows, 'l-1')).toMatchObject({
    purchases: 0,
    refunds: 0,
    grossCommissionCents: 0,
    netCommissionCents: 0,
  });
});

test("a conversion recorded before its click counts for the click's link once the click is known", () => {
  const early = [conversion('o1', 'purchase', 900, { clickId: 'ck_1' })];
  expect(row(report(early), null)).toMatchObject({ purchases: 1 });
  expect(row(report(early, { clickLinks: new Map([['ck_1', 'l-2']]) }), 'l-2')).toMatchObject({
    purchases: 1,
    grossCommissionCents: 900,
  });
});

test('a corrected commission moves the figures by the difference, and the same state twice adds nothing', () => {
  const first = orderContribution({
    conversions: [conversion('o1', 'purchase', 1000, { linkId: 'l-1', at: '2026-11-25T10:00:00.000Z' })],
    events: [],
    clickLinks: new Map(),
  });
  const corrected = orderContribution({
    conversions: [conversion('o1', 'purchase', 1500, { linkId: 'l-1', at: '2026-11-25T10:00:00.000Z' })],
    events: [],
    clickLinks: new Map(),
  });
  const delta = diffContributions(first, corrected);
  // Gross and net, by event and by sale, each in its quarter-hour (10:00 is slot 40) and its day total.
  expect(delta).toEqual({
    'S|2026-11-25|l-1|~': { g40: 500, gD: 500, n40: 500, nD: 500, sg40: 500, sgD: 500, sn40: 500, snD: 500 },
  });
  expect(diffContributions(corrected, corrected)).toEqual({});
});

test("a reversal that arrives before its purchase moves to the purchase's link when the purchase arrives", () => {
  const refund = conversion('o1', 'refund', null, { at: '2026-11-26T10:00:00.000Z' });
  const alone = report([refund]);
  expect(row(alone, null)).toMatchObject({ refunds: 1, netCommissionCents: 0 });
  const both = report([
    refund,
    conversion('o1', 'purchase', 2000, { linkId: 'l-1', at: '2026-11-25T10:00:00.000Z' }),
  ]);
  expect(row(both, 'l-1')).toMatchObject({
    purchases: 1,
    refunds: 1,
    grossCommissionCents: 2000,
    netCommissionCents: 0,
  });
  expect(row(both, null)).toBeUndefined();
});

test("by sale date a refund counts on its purchase's day; by event date on its own", () => {
  const conversions = [
    conversion('o1', 'purchase', 2000, { linkId: 'l-1', at: '2026-11-25T10:00:00.000Z' }),
    conversion('o1', 'refund', null, { at: '2026-11-27T10:00:00.000Z' }),
  ];
  const range = {
    groupBy: 'day' as const,
    fromMs: Date.parse('2026-11-25T00:00:00Z'),
    toMs: Date.parse('2026-11-27T23:59:59Z'),
  };
  const byEvent = report(conversions, {}, range);
  const bySale = report(conversions, {}, { ...range, dateBasis: 'sale' });
  const day = (rows: LinkReportRow[], d: string) => rows.find((r) => 'day' in r && r.day === d);
  expect(byEvent.map((r) => 'day' in r && r.day)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
  expect(day(byEvent, '2026-11-25')).toMatchObject({ purchases: 1, refunds: 0, netCommissionCents: 2000 });
  expect(day(byEvent, '2026-11-27')).toMatchObject({ refunds: 1, netCommissionCents: -2000 });
  expect(day(bySale, '2026-11-25')).toMatchObject({
    purchases: 1,
    refunds: 1,
    refundRate: 1,
    netCommissionCents: 0,
  });
  expect(day(bySale, '2026-11-27')).toMatchObject({ refunds: 0, netCommissionCents: 0 });
});

test("days are the time zone's: a purchase at 02:30 UTC is the previous day in New York and the same in Kathmandu (+05:45)", () => {
  const conversions = [
    conversion('o1', 'purchase', 100, { linkId: 'l-1', at: '2026-11-25T02:30:00.000Z' }),
    conversion('o2', 'purchase', 100, { linkId: 'l-1', at: '2026-11-25T18:20:00.000Z' }),
  ];
  const range = {
    groupBy: 'day' as const,
    fromMs: Date.parse('2026-11-24T00:00:00Z'),
    toMs: Date.parse('2026-11-26T00:00:00Z'),
  };
  const purchasesByDay = (timeZone: string) =>
    Object.fromEntries(
      report(conversions, {}, { ...range, timeZone })
        .map((r) => ['day' in r ? r.day : '', r.purchases])
        .filter(([, n]) => n),
    );
  expect(purchasesByDay('America/New_York')).toEqual({ '2026-11-24': 1, '2026-11-25': 1 });
  expect(purchasesByDay('Asia/Kathmandu')).toEqual({ '2026-11-25': 1, '2026-11-26': 1 }); // 18:20 UTC is 00:05 next day
  expect(dayInZone(Date.parse('2026-11-25T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-11-26');
});

test('a range counts the quarter-hours it overlaps', () => {
  const conversions = [
    conversion('o1', 'purchase', 100, { linkId: 'l-1', at: '2026-11-25T10:05:00.000Z' }),
    conversion('o2', 'purchase', 100, { linkId: 'l-1', at: '2026-11-25T10:40:00.000Z' }),
  ];
  expect(row(report(conversions, {}, { fromMs: Date.parse('2026-11-25T10:30:00Z') }), 'l-1')).toMatchObject({
    purchases: 1,
  });
  expect(row(report(conversions, {}, { toMs: Date.parse('2026-11-25T10:29:59Z') }), 'l-1')).toMatchObject({
    purchases: 1,
  });
});

test("groups by campaign (the link's), product and merchant (the product's)", () => {
  const conversions = [
    conversion('o1', 'purchase', 100, { linkId: 'l-1', productId: 'p-1' }),
    conversion('o2', 'purchase', 300, { linkId: 'l-2', productId: 'p-2' }),
  ];
  const products = new Map([
    ['p-1', 'm-1'],
    ['p-2', 'm-1'],
  ]);
  expect(report(conversions, { clicks: ['l-1'] }, { groupBy: 'campaign' })).toEqual([
    expect.objectContaining({ campaign: 'spring', clicks: 1, purchases: 1 }),
    expect.objectContaining({ campaign: null, purchases: 1 }),
  ]);
  expect(report(conversions, {}, { groupBy: 'product' }).map((r) => 'productId' in r && r.productId)).toEqual(
    ['p-1', 'p-2'],
  );
  expect(report(conversions, {}, { groupBy: 'merchant', products })).toEqual([
    expect.objectContaining({ merchantId: 'm-1', purchases: 2, grossCommissionCents: 400 }),
  ]);
});

test('a rebill counts as its own charge: counted and grossed; a refund naming no charge takes back the latest', () => {
  const rows = report([
    conversion('o1', 'purchase', 3000, { linkId: 'l-1', at: '2026-11-01T10:00:00.000Z' }),
    conversion('o1', 'rebill', 2000, { at: '2026-11-25T10:00:00.000Z' }),
    conversion('o1', 'refund', null, { at: '2026-11-26T10:00:00.000Z' }),
  ]);
  expect(row(rows, 'l-1')).toMatchObject({
    purchases: 1,
    rebills: 1,
    refunds: 1,
    grossCommissionCents: 5000,
    netCommissionCents: 3000,
  });
});

test('CSV: RFC 4180 quoting, a header row of the JSON field names, CRLF', () => {
  const csv = toCsv([{ campaign: 'a "b", c', clicks: 1 }], ['campaign', 'clicks']);
  expect(csv).toBe('campaign,clicks\r\n"a ""b"", c",1\r\n');
  expect(reportColumns('day')[0]).toBe('day');
  // A campaign name a spreadsheet would run as a formula stays text; negative numbers stay numbers.
  expect(toCsv([{ campaign: '=HYPERLINK("x")', net: -200 }], ['campaign', 'net'])).toBe(
    'campaign,net\r\n"\'=HYPERLINK(""x"")",-200\r\n',
  );
});
