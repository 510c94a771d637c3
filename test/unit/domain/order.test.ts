import type { ConversionRecord } from '../../../functions/domain/conversion';
import { commissionTotals, orderStatus, summarizeOrder, type CommissionEventRecord } from '../../../functions/domain/order';
import type { ConversionKind } from '../../../functions/domain/postback';

function conversion(kind: ConversionKind, commissionCents: number | null, occurredAt = '2026-11-25T10:00:00.000Z'): ConversionRecord {
  return {
    accountId: 'acct-1',
    orderId: 'ORD-1',
    conversionId: `cv_${kind}`,
    kind,
    slot: kind === 'purchase' || kind === 'upsell' ? 'primary' : kind,
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
  };
}

const voidEvent = (commissionCents: number | null): CommissionEventRecord => ({
  accountId: 'acct-1', orderId: 'ORD-1', eventId: 'ce_1', kind: 'commission_void', commissionCents, postbackId: 'pb_1', fingerprint: 'f', isTest: false, receivedAt: '2026-11-25T11:00:00.000Z',
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
    ['a refund without an amount reverses the full commission', [conversion('purchase', 4790), conversion('refund', null)], [], 0],
    ['a partial refund reverses its amount', [conversion('purchase', 4790), conversion('refund', 1000)], [], 3790],
    ['a refund then a chargeback never reverse more than once', [conversion('purchase', 4790), conversion('refund', null), conversion('chargeback', 4790)], [], 0],
    ['a commission void takes back its amount', [conversion('purchase', 4790)], [voidEvent(790)], 4000],
    ['a reversal with no purchase yet nets zero', [conversion('refund', 4790)], [], 0],
  ])('%s', (_name, conversions, events, net) => {
    expect(commissionTotals(conversions, events).netCommissionCents).toBe(net);
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

test('status, net and links are the same whatever order the conversions arrived in', () => {
  const arrivals = [conversion('purchase', 4790, '2026-11-25T10:00:00.000Z'), conversion('refund', null, '2026-11-25T10:01:00.000Z'), conversion('chargeback', 2000, '2026-11-25T10:02:00.000Z')];
  const views = permutations(arrivals).map((order) => summarizeOrder('ORD-1', order, [voidEvent(100)]));
  for (const view of views) expect(view).toEqual(views[0]);
  expect(views[0]!.conversions.map((c) => [c.kind, c.linkedConversionId])).toEqual([
    ['purchase', null],
    ['refund', 'cv_purchase'],
    ['chargeback', 'cv_purchase'],
  ]);
});
