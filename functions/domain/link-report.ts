/**
 * The link report: per affiliate link, the traffic and conversions that occurred in a time range and the
 * commission they earned, net of reversals and commission voids. Test orders are left out.
 */
import type { ConversionRecord } from './conversion';
import type { CommissionEventRecord } from './order';

export interface LinkReportRow {
  readonly linkId: string | null;
  readonly clicks: number;
  readonly pageviews: number;
  readonly purchases: number;
  readonly upsells: number;
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
  /** The purchase (or upsell) of every order touched, in the range or not: what a reversal takes back. */
  readonly primaries: ReadonlyMap<string, ConversionRecord>;
}

type Counters = { -readonly [K in keyof LinkReportRow]: LinkReportRow[K] };

const ratio = (numerator: number, denominator: number, digits = 4) => (denominator === 0 ? 0 : Number((numerator / denominator).toFixed(digits)));
const KIND_COUNTER = { purchase: 'purchases', upsell: 'upsells', refund: 'refunds', cancel: 'cancels', chargeback: 'chargebacks' } as const;

function emptyRow(linkId: string | null): Counters {
  return { linkId, clicks: 0, pageviews: 0, purchases: 0, upsells: 0, refunds: 0, cancels: 0, chargebacks: 0, grossCommissionCents: 0, netCommissionCents: 0, conversionRate: 0, epcCents: 0, refundRate: 0, chargebackRate: 0 };
}

export function buildLinkReport(input: LinkReportInput): LinkReportRow[] {
  const rows = new Map<string | null, Counters>(input.linkIds.map((id) => [id, emptyRow(id)]));
  const row = (linkId: string | null) => rows.get(linkId) ?? rows.set(linkId, emptyRow(linkId)).get(linkId)!;
  const isTestOrder = (orderId: string) => input.primaries.get(orderId)?.isTest === true;

  for (const click of input.clicks) row(click.linkId).clicks++;
  for (const view of input.pageviews) row(view.linkId).pageviews++;

  // Reversals are capped per order at what its purchase earned: a commission is only lost once.
  const reversedByOrder = new Map<string, number>();
  const takeBack = (orderId: string, linkId: string | null, claimed: number | null) => {
    const earned = input.primaries.get(orderId)?.commissionCents ?? 0;
    const already = reversedByOrder.get(orderId) ?? 0;
    const amount = Math.max(0, Math.min(claimed ?? earned, earned - already));
    reversedByOrder.set(orderId, already + amount);
    row(linkId).netCommissionCents -= amount;
  };

  for (const conversion of input.conversions) {
    if (conversion.isTest || isTestOrder(conversion.orderId)) continue;
    const target = row(conversion.resolvedLinkId);
    target[KIND_COUNTER[conversion.kind]]++;
    if (conversion.slot === 'primary') {
      target.grossCommissionCents += conversion.commissionCents ?? 0;
      target.netCommissionCents += conversion.commissionCents ?? 0;
    }
  }
  const reversals = [
    ...input.conversions.filter((c) => c.slot !== 'primary').map((c) => ({ orderId: c.orderId, isTest: c.isTest, linkId: c.resolvedLinkId, cents: c.commissionCents, at: c.occurredAt })),
    ...input.events.map((e) => ({ orderId: e.orderId, isTest: e.isTest, linkId: e.resolvedLinkId, cents: e.commissionCents, at: e.receivedAt })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  for (const reversal of reversals) if (!reversal.isTest && !isTestOrder(reversal.orderId)) takeBack(reversal.orderId, reversal.linkId, reversal.cents);

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
