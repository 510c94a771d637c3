import type { ConversionRecord } from '../../../functions/domain/conversion';
import {
  commissionTotals,
  orderStatus,
  summarizeOrder,
  type CommissionEventRecord,
} from '../../../functions/domain/order';
import type { ConversionKind } from '../../../functions/domain/postback';

function conversion(
  kind: ConversionKind,
  commissionCents: number | null,
  occurredAt = '2026-11-25T10:00:00.000Z',
  extra: Partial<ConversionRecord> = {},
): ConversionRecord {
  return {
    accountId: 'acct-1',
    orderId: 'ORD-1',
    conversionId: `cv_${kind}`,
    kind,
    slot:
      kind === 'purchase' || kind === 'upsell'
        ? 'primary'
        : kind === 'rebill'
          ? `rebill#${occurredAt}`
          : kind,
    commissionCents,
    clickId: { raw: null, value: null, status: 'missing' },
    linkId: null,
    campaign: null,
    productCodename: null,
    productId: null,
    merchantId: null,
    subIds: { subid2: null, subid3: null, subid4: null, subid5: null },
    parentOrderId: null,
    orderIdGlobal: null,
    customer: { name: null, email: null, emailHash: null },
    totalCents: null,
    currency: null,
    isTest: false,
    issues: [],
    version: 1,
    fingerprints: [],
    appliedPostbackIds: [],
    history: [],
    occurredAt,
    createdAt: occurredAt,
    updatedAt: occurredAt,
    ...extra,
  };
}

const voidEvent = (commissionCents: number | null): CommissionEventRecord => ({
  accountId: 'acct-1',
  orderId: 'ORD-1',
  eventId: 'ce_1',
  kind: 'commission_void',
  commissionCents,
  postbackId: 'pb_1',
  fingerprint: 'f',
  isTest: false,
  receivedAt: '2026-11-25T11:00:00.000Z',
});

describe('order status', () => {
  test.each<[ConversionKind[], string]>([
    [[], 'unknown'],
    [['purchase'], 'purchased'],
    [['upsell'], 'purchased'],
    [['purchase', 'cancel'], 'cancelled'],
    [['purchase', 'cancel', 'refund'], 'refunded'],
    [['purchase', 'refund', 'chargeback'], 'charged_back'],
    [['chargeback'], 'charged_back'],
    [['refund'], 'refunded'],
  ])('%j gives %s', (kinds, status) => {
    expect(orderStatus(kinds.map((kind) => conversion(kind, null)))).toBe(status);
  });
});

describe('net commission', () => {
  test.each<[string, ConversionRecord[], CommissionEventRecord[], number]>([
    ['a purchase alone keeps its commission', [conversion('purchase', 4790)], [], 4790],
    [
      'a refund without an amount reverses the full commission',
      [conversion('purchase', 4790), conversion('refund', null)],
      [],
      0,
    ],
    [
      'a partial refund reverses its amount',
      [conversion('purchase', 4790), conversion('refund', 1000)],
      [],
      3790,
    ],
    [
      'a refund then a chargeback never reverse more than once',
      [conversion('purchase', 4790), conversion('refund', null), conversion('chargeback', 4790)],
      [],
      0,
    ],
    ['a commission void takes back its amount', [conversion('purchase', 4790)], [voidEvent(790)], 4000],
    ['a reversal with no purchase yet nets zero', [conversion('refund', 4790)], [], 0],
  ])('%s', (_name, conversions, events, net) => {
    expect(commissionTotals(conversions, events).netCommissionCents).toBe(net);
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

test('status, net and links are the same whatever order the conversions arrived in', () => {
  const arrivals = [
    conversion('purchase', 4790, '2026-11-25T10:00:00.000Z'),
    conversion('refund', null, '2026-11-25T10:01:00.000Z'),
    conversion('chargeback', 2000, '2026-11-25T10:02:00.000Z'),
  ];
  const views = permutations(arrivals).map((order) => summarizeOrder('ORD-1', order, [voidEvent(100)]));
  for (const view of views) expect(view).toEqual(views[0]);
  expect(views[0]!.conversions.map((c) => [c.kind, c.linkedConversionId])).toEqual([
    ['purchase', null],
    ['refund', 'cv_purchase'],
    ['chargeback', 'cv_purchase'],
  ]);
});

describe('rebills: each charge earns its commission, each reversal takes back from the charge it names', () => {
  const purchase = conversion('purchase', 3000, '2026-10-01T10:00:00.000Z', {
    chargedAt: '2026-10-01T09:59:58Z',
  });
  const rebill = (month: string, cents: number | null) =>
    conversion('rebill', cents, `2026-${month}-01T10:00:00.000Z`, {
      conversionId: `cv_rebill_${month}`,
      slot: `rebill#2026-${month}-01T09:59:58Z`,
      chargedAt: `2026-${month}-01T09:59:58Z`,
    });

  test('an order with rebills is purchased and grosses every charge', () => {
    const totals = commissionTotals([purchase, rebill('11', 2000), rebill('12', 2000)], []);
    expect(totals).toEqual({
      grossCommissionCents: 7000,
      reversedCommissionCents: 0,
      netCommissionCents: 7000,
    });
    expect(orderStatus([rebill('11', 2000)])).toBe('purchased');
  });

  test('a refund naming a rebill charge takes back that charge (its full commission when it has no amount)', () => {
    const refund = conversion('refund', null, '2026-12-05T00:00:00.000Z', {
      slot: 'refund#2026-11-01T09:59:58Z',
      chargedAt: '2026-11-01T09:59:58Z',
    });
    const view = summarizeOrder('ORD-1', [purchase, rebill('11', 2000), rebill('12', 2500), refund], []);
    expect(view.netCommissionCents).toBe(5500);
    expect(view.conversions.find((c) => c.kind === 'refund')!.linkedConversionId).toBe('cv_rebill_11');
    expect(view.conversions.filter((c) => c.kind === 'rebill').map((c) => c.linkedConversionId)).toEqual([
      'cv_purchase',
      'cv_purchase',
    ]);
  });

  test('a refund naming no charge (or one not recorded) takes back the latest charge, whatever order they arrived in', () => {
    const refund = conversion('refund', null, '2026-12-05T00:00:00.000Z');
    const views = permutations([purchase, rebill('11', 2000), rebill('12', 2500), refund]).map((order) =>
      summarizeOrder('ORD-1', order, []),
    );
    for (const view of views) expect(view).toEqual(views[0]);
    expect(views[0]!.netCommissionCents).toBe(5000);
    expect(views[0]!.conversions.find((c) => c.kind === 'refund')!.linkedConversionId).toBe('cv_rebill_12');
  });

  test('a rebill is always later than the purchase, even an undated purchase recorded after it', () => {
    const pixelPurchase = conversion('purchase', 3000, '2027-02-01T00:00:00.000Z');
    const refund = conversion('refund', null, '2027-02-02T00:00:00.000Z');
    const view = summarizeOrder('ORD-1', [pixelPurchase, rebill('11', 2000), refund], []);
    expect(view.conversions.find((c) => c.kind === 'refund')!.linkedConversionId).toBe('cv_rebill_11');
    expect(view.netCommissionCents).toBe(3000);
  });

  test('a reversal never takes back more than its charge earned, and two refunds of one charge count once', () => {
    const byPixel = conversion('refund', 1500, '2026-12-05T00:00:00.000Z', {
      conversionId: 'cv_refund_pixel',
    });
    const byIpn = conversion('refund', 1500, '2026-12-06T00:00:00.000Z', {
      conversionId: 'cv_refund_ipn',
      slot: 'refund#2026-12-01T09:59:58Z',
      chargedAt: '2026-12-01T09:59:58Z',
    });
    expect(commissionTotals([purchase, rebill('12', 2500), byPixel, byIpn], []).netCommissionCents).toBe(
      4000,
    );
    const tooMuch = conversion('chargeback', 9999, '2026-12-07T00:00:00.000Z', {
      slot: 'chargeback#2026-12-01T09:59:58Z',
      chargedAt: '2026-12-01T09:59:58Z',
    });
    expect(commissionTotals([purchase, rebill('12', 2500), tooMuch], []).netCommissionCents).toBe(3000);
  });
});
