import type { ConversionRecord } from '../../../functions/domain/conversion';
import { buildLinkReport } from '../../../functions/domain/link-report';
import type { CommissionEventRecord } from '../../../functions/domain/order';
import type { ConversionKind } from '../../../functions/domain/postback';

let sequence = 0;
function conversion(orderId: string, kind: ConversionKind, commissionCents: number | null, options: { isTest?: boolean; at?: string } = {}): ConversionRecord {
  const at = options.at ?? `2026-11-25T10:00:${String(sequence++ % 60).padStart(2, '0')}.000Z`;
  return {
    accountId: 'a', orderId, conversionId: `cv_${orderId}_${kind}`, kind, slot: kind === 'purchase' || kind === 'upsell' ? 'primary' : kind === 'rebill' ? `rebill#${at}` : kind, commissionCents,
    clickId: { raw: null, value: null, status: 'missing' }, linkId: null, campaign: null, productCodename: null, productId: null, merchantId: null,
    subIds: { subid2: null, subid3: null, subid4: null, subid5: null }, parentOrderId: null, orderIdGlobal: null, customer: { name: null, email: null, emailHash: null },
    totalCents: null, currency: null, isTest: options.isTest ?? false, issues: [], version: 1, fingerprints: [], appliedPostbackIds: [], history: [], occurredAt: at, createdAt: at, updatedAt: at,
  };
}

function report(conversions: Array<[ConversionRecord, string | null]>, extra: { clicks?: string[]; pageviews?: Array<string | null>; events?: Array<[CommissionEventRecord, string | null]>; charges?: Map<string, ConversionRecord[]> } = {}) {
  const primaries = new Map(conversions.filter(([c]) => c.slot === 'primary').map(([c]) => [c.orderId, c]));
  return buildLinkReport({
    linkIds: ['l-1', 'l-2'],
    clicks: (extra.clicks ?? []).map((linkId) => ({ linkId })),
    pageviews: (extra.pageviews ?? []).map((linkId) => ({ linkId })),
    conversions: conversions.map(([c, linkId]) => ({ ...c, resolvedLinkId: linkId })),
    events: (extra.events ?? []).map(([e, linkId]) => ({ ...e, resolvedLinkId: linkId })),
    primaries,
    charges: extra.charges ?? new Map(),
  });
}

const row = (rows: ReturnType<typeof buildLinkReport>, linkId: string | null) => rows.find((r) => r.linkId === linkId);

test('counts, gross and net commission, and the rates of a link', () => {
  const rows = report(
    [
      [conversion('o1', 'purchase', 4000), 'l-1'],
      [conversion('o2', 'purchase', 2000), 'l-1'],
      [conversion('o2', 'refund', null), 'l-1'],
      [conversion('o3', 'upsell', 1000), 'l-1'],
      [conversion('o1', 'chargeback', 500), 'l-1'],
    ],
    { clicks: ['l-1', 'l-1', 'l-1', 'l-1'], pageviews: ['l-1', 'l-1', null] },
  );
  expect(row(rows, 'l-1')).toEqual({
    linkId: 'l-1', clicks: 4, pageviews: 2, purchases: 2, upsells: 1, rebills: 0, refunds: 1, cancels: 0, chargebacks: 1,
    grossCommissionCents: 7000, netCommissionCents: 4500, conversionRate: 0.5, epcCents: 1125, refundRate: 0.5, chargebackRate: 0.5,
  });
  expect(row(rows, 'l-2')).toMatchObject({ clicks: 0, purchases: 0, conversionRate: 0, epcCents: 0, refundRate: 0 });
  expect(row(rows, null)).toMatchObject({ pageviews: 1 });
});

test('a refund and a chargeback of one order never take back more than it earned', () => {
  const rows = report([
    [conversion('o1', 'purchase', 3000), 'l-1'],
    [conversion('o1', 'refund', null), 'l-1'],
    [conversion('o1', 'chargeback', 3000), 'l-1'],
  ]);
  expect(row(rows, 'l-1')).toMatchObject({ grossCommissionCents: 3000, netCommissionCents: 0 });
});

test('commission voids reduce the net of the order\'s link', () => {
  const voided: CommissionEventRecord = { accountId: 'a', orderId: 'o1', eventId: 'e', kind: 'commission_void', commissionCents: 700, postbackId: 'p', fingerprint: 'f', isTest: false, receivedAt: '2026-11-25T11:00:00.000Z' };
  const rows = report([[conversion('o1', 'purchase', 3000), 'l-2']], { events: [[voided, 'l-2']] });
  expect(row(rows, 'l-2')).toMatchObject({ grossCommissionCents: 3000, netCommissionCents: 2300 });
});

test('test orders are left out entirely, their reversals too', () => {
  const rows = report([
    [conversion('t1', 'purchase', 100, { isTest: true }), 'l-1'],
    [conversion('t1', 'refund', 100), 'l-1'],
  ]);
  expect(row(rows, 'l-1')).toMatchObject({ purchases: 0, refunds: 0, grossCommissionCents: 0, netCommissionCents: 0 });
});

test('rebills count beside purchases, their commission in gross and net; a refund of a rebill takes back that charge', () => {
  const purchase = conversion('R-1', 'purchase', 3000, { at: '2026-11-01T10:00:00.000Z' });
  const rebill = { ...conversion('R-1', 'rebill', 2000, { at: '2026-11-20T10:00:00.000Z' }), chargedAt: '2026-11-20T09:59:00Z' };
  const refund = { ...conversion('R-1', 'refund', null, { at: '2026-11-25T10:00:00.000Z' }), slot: 'refund#2026-11-20T09:59:00Z' as const, chargedAt: '2026-11-20T09:59:00Z' };
  const rows = report([[purchase, 'l-1'], [rebill, 'l-1'], [refund, 'l-1']], { clicks: ['l-1', 'l-1'], charges: new Map([['R-1', [purchase, rebill]]]) });
  expect(row(rows, 'l-1')).toMatchObject({ purchases: 1, rebills: 1, refunds: 1, grossCommissionCents: 5000, netCommissionCents: 3000, conversionRate: 0.5, refundRate: 1 });
});

test('a refund in the range of a rebill outside it takes back the rebill, not the purchase', () => {
  const purchase = conversion('R-2', 'purchase', 3000, { at: '2026-10-01T10:00:00.000Z' });
  const rebill = { ...conversion('R-2', 'rebill', 2000, { at: '2026-10-20T10:00:00.000Z' }), chargedAt: '2026-10-20T09:59:00Z' };
  const refund = conversion('R-2', 'refund', null, { at: '2026-11-25T10:00:00.000Z' });
  const rows = report([[refund, 'l-2']], { charges: new Map([['R-2', [purchase, rebill]]]) });
  expect(row(rows, 'l-2')).toMatchObject({ refunds: 1, grossCommissionCents: 0, netCommissionCents: -2000 });
});
