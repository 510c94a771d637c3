/**
 * The link report: per affiliate link, the traffic and conversions that occurred in a time range and the
 * commission they earned (purchases, upsells and rebills), net of reversals and commission voids. Test
 * orders are left out.
 */
import { isChargeSlot, type ConversionRecord } from './conversion';
import { allocateReversals, conversionReversal, eventReversal, type CommissionEventRecord, type Reversal } from './order';

export interface LinkReportRow {
  readonly linkId: string | null;
  readonly clicks: number;
  readonly pageviews: number;
  readonly purchases: number;
  readonly upsells: number;
  /** Rebill charges; their commission counts in gross and net like a purchase's. */
  readonly rebills: number;
  readonly refunds: number;
  readonly cancels: number;
  readonly chargebacks: number;
  readonly grossCommissionCents: number;
  readonly netCommissionCents: number;
  /** purchases / clicks */
  readonly conversionRate: number;
  /** net commission per click, in cents */
  readonly epcCents: number;
  /** refunds / purchases */
  readonly refundRate: number;
  /** chargebacks / purchases */
  readonly chargebackRate: number;
}

export interface LinkReportInput {
  readonly linkIds: readonly string[];
  readonly clicks: ReadonlyArray<{ readonly linkId: string }>;
  /** Page views already resolved to their link through their click id (null when unknown). */
  readonly pageviews: ReadonlyArray<{ readonly linkId: string | null }>;
  /** Conversions in the range, with their link resolved (their own click, else their order's purchase). */
  readonly conversions: ReadonlyArray<ConversionRecord & { readonly resolvedLinkId: string | null }>;
  readonly events: ReadonlyArray<CommissionEventRecord & { readonly resolvedLinkId: string | null }>;
  /** The purchase (or upsell) of every order touched, in the range or not. */
  readonly primaries: ReadonlyMap<string, ConversionRecord>;
  /** Every charge (purchase, upsell, rebill) of each order with a reversal in the range: what a reversal takes back. */
  readonly charges: ReadonlyMap<string, readonly ConversionRecord[]>;
}

type Counters = { -readonly [K in keyof LinkReportRow]: LinkReportRow[K] };

const ratio = (numerator: number, denominator: number, digits = 4) => (denominator === 0 ? 0 : Number((numerator / denominator).toFixed(digits)));
const KIND_COUNTER = { purchase: 'purchases', upsell: 'upsells', rebill: 'rebills', refund: 'refunds', cancel: 'cancels', chargeback: 'chargebacks' } as const;

function emptyRow(linkId: string | null): Counters {
  return { linkId, clicks: 0, pageviews: 0, purchases: 0, upsells: 0, rebills: 0, refunds: 0, cancels: 0, chargebacks: 0, grossCommissionCents: 0, netCommissionCents: 0, conversionRate: 0, epcCents: 0, refundRate: 0, chargebackRate: 0 };
}

export function buildLinkReport(input: LinkReportInput): LinkReportRow[] {
  const rows = new Map<string | null, Counters>(input.linkIds.map((id) => [id, emptyRow(id)]));
  const row = (linkId: string | null) => rows.get(linkId) ?? rows.set(linkId, emptyRow(linkId)).get(linkId)!;
  const isTestOrder = (orderId: string) => input.primaries.get(orderId)?.isTest === true;

  for (const click of input.clicks) row(click.linkId).clicks++;
  for (const view of input.pageviews) row(view.linkId).pageviews++;

  for (const conversion of input.conversions) {
    if (conversion.isTest || isTestOrder(conversion.orderId)) continue;
    const target = row(conversion.resolvedLinkId);
    target[KIND_COUNTER[conversion.kind]]++;
    if (isChargeSlot(conversion.slot)) {
      target.grossCommissionCents += conversion.commissionCents ?? 0;
      target.netCommissionCents += conversion.commissionCents ?? 0;
    }
  }
  // Each order's reversals in the range take back from its charges, as the order view computes it.
  const reversalsByOrder = new Map<string, Array<Reversal & { linkId: string | null }>>();
  const addReversal = (orderId: string, isTest: boolean, reversal: Reversal & { linkId: string | null }) => {
    if (isTest || isTestOrder(orderId)) return;
    reversalsByOrder.set(orderId, [...(reversalsByOrder.get(orderId) ?? []), reversal]);
  };
  for (const c of input.conversions) {
    if (!isChargeSlot(c.slot)) addReversal(c.orderId, c.isTest, { ...conversionReversal(c), linkId: c.resolvedLinkId });
  }
  for (const e of input.events) addReversal(e.orderId, e.isTest, { ...eventReversal(e), linkId: e.resolvedLinkId });
  for (const [orderId, reversals] of reversalsByOrder) {
    const primary = input.primaries.get(orderId);
    const charges = input.charges.get(orderId) ?? (primary ? [primary] : []);
    allocateReversals(charges, reversals).forEach((amount, i) => (row(reversals[i]!.linkId).netCommissionCents -= amount));
  }

  return [...rows.values()]
    .map((r) => ({
      ...r,
      conversionRate: ratio(r.purchases, r.clicks),
      epcCents: ratio(r.netCommissionCents, r.clicks, 2),
      refundRate: ratio(r.refunds, r.purchases),
      chargebackRate: ratio(r.chargebacks, r.purchases),
    }))
    .sort((a, b) => (a.linkId === null ? 1 : b.linkId === null ? -1 : a.linkId.localeCompare(b.linkId)));
}
