/**
 * An order as the affiliate sees it: its conversions (the purchase, each rebill, the reversals), its
 * commission events, the strongest reversal as its status and the net commission. Computed from the stored items alone, so the answer is the same
 * whatever order the postbacks arrived in.
 */
import { isChargeSlot, type ConversionRecord } from './conversion';
import { CONVERSION_KINDS } from './postback';

export interface CommissionEventRecord {
  readonly accountId: string;
  readonly orderId: string;
  readonly eventId: string;
  readonly kind: 'commission_void';
  readonly commissionCents: number | null;
  readonly postbackId: string;
  readonly fingerprint: string;
  readonly isTest: boolean;
  readonly receivedAt: string;
}

export type OrderStatus = 'purchased' | 'refunded' | 'cancelled' | 'charged_back' | 'unknown';

/** A conversion of the order, with the conversion it links to (see summarizeOrder). */
export type LinkedConversion = ConversionRecord & { readonly linkedConversionId: string | null };

/** The order as its summary shows it (the API's view of it: functions/handlers/views.ts). */
export interface OrderSummary {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly isTest: boolean;
  readonly conversions: ReadonlyArray<LinkedConversion>;
  readonly commissionEvents: ReadonlyArray<{
    kind: 'commission_void';
    commissionCents: number | null;
    receivedAt: string;
    postbackId: string;
  }>;
  readonly grossCommissionCents: number;
  readonly reversedCommissionCents: number;
  readonly netCommissionCents: number;
}

const KIND_ORDER: readonly string[] = CONVERSION_KINDS;

export function orderStatus(conversions: ReadonlyArray<Pick<ConversionRecord, 'kind'>>): OrderStatus {
  const kinds = new Set(conversions.map((conversion) => conversion.kind));
  if (kinds.has('chargeback')) return 'charged_back';
  if (kinds.has('refund')) return 'refunded';
  if (kinds.has('cancel')) return 'cancelled';
  if (kinds.has('purchase') || kinds.has('upsell') || kinds.has('rebill')) return 'purchased';
  return 'unknown';
}

/** A charge that earned a commission: the purchase (or upsell) or a rebill. */
export type Charge = Pick<
  ConversionRecord,
  'conversionId' | 'slot' | 'commissionCents' | 'chargedAt' | 'occurredAt'
>;
/** Something that takes a commission back: a reversal conversion or a commission event. */
export interface Reversal {
  readonly kind: ConversionRecord['kind'] | CommissionEventRecord['kind'];
  readonly commissionCents: number | null;
  /** The charge it names (its rr_createdate), if any. */
  readonly chargedAt?: string | null;
  /** When it occurred: the order reversals are applied in. */
  readonly at: string;
}

export function chargesOf<C extends Pick<ConversionRecord, 'slot'>>(conversions: readonly C[]): C[] {
  return conversions.filter((c) => isChargeSlot(c.slot));
}

/**
 * The charge a reversal reverses: the one whose time it names, else the latest: a rebill comes after the
 * purchase, rebills by their charge time (else arrival).
 */
export function reversedCharge<C extends Charge>(
  charges: readonly C[],
  reversal: Pick<Reversal, 'chargedAt'>,
): C | null {
  const named = reversal.chargedAt ? charges.find((c) => c.chargedAt === reversal.chargedAt) : undefined;
  if (named) return named;
  const time = (c: Charge) =>
    `${c.slot === 'primary' ? 0 : 1} ${c.chargedAt ?? c.occurredAt} ${c.conversionId}`;
  return charges.reduce<C | null>(
    (latest, c) => (latest === null || time(c) > time(latest) ? c : latest),
    null,
  );
}

/**
 * What each reversal takes back, in the reversals' order: its amount, or its charge's full commission when
 * it has none, never more than what is left of that charge, because a commission can only be lost once
 * even when a refund is followed by a chargeback. Two reversals of one kind for one charge (a refund by
 * pixel and by IPN) are one reversal: the latest counts. Computed from the stored items alone, so the
 * answer is the same whatever order they arrived in.
 */
export function allocateReversals(charges: readonly Charge[], reversals: readonly Reversal[]): number[] {
  const targets = reversals.map((r) => reversedCharge(charges, r));
  const counted = reversals.map((r, i) => {
    if (r.kind === 'commission_void') return true;
    const later = reversals.findIndex(
      (o, j) =>
        j !== i &&
        o.kind === r.kind &&
        targets[j] === targets[i] &&
        (o.at > r.at || (o.at === r.at && j > i)),
    );
    return later < 0;
  });
  const left = new Map(charges.map((c) => [c.conversionId, c.commissionCents ?? 0]));
  const order = reversals
    .map((_, i) => i)
    .sort((a, b) => reversals[a]!.at.localeCompare(reversals[b]!.at) || a - b);
  const amounts = reversals.map(() => 0);
  for (const i of order) {
    const target = targets[i];
    if (!target || !counted[i]) continue;
    const remaining = left.get(target.conversionId) ?? 0;
    const amount = Math.max(
      0,
      Math.min(reversals[i]!.commissionCents ?? target.commissionCents ?? 0, remaining),
    );
    left.set(target.conversionId, remaining - amount);
    amounts[i] = amount;
  }
  return amounts;
}

export const conversionReversal = (c: ConversionRecord): Reversal => ({
  kind: c.kind,
  commissionCents: c.commissionCents,
  chargedAt: c.chargedAt ?? null,
  at: c.occurredAt,
});
export const eventReversal = (e: CommissionEventRecord): Reversal => ({
  kind: e.kind,
  commissionCents: e.commissionCents,
  chargedAt: null,
  at: e.receivedAt,
});

function reversalsOf(
  conversions: readonly ConversionRecord[],
  events: readonly CommissionEventRecord[],
): Reversal[] {
  return [
    ...conversions.filter((c) => !isChargeSlot(c.slot)).map(conversionReversal),
    ...events.map(eventReversal),
  ];
}

/** Gross is what the order's charges earned (the purchase or upsell and each rebill); net, what is left after reversals. */
export function commissionTotals(
  conversions: readonly ConversionRecord[],
  events: readonly CommissionEventRecord[],
) {
  const charges = chargesOf(conversions);
  const gross = charges.reduce((sum, c) => sum + (c.commissionCents ?? 0), 0);
  const reversed = allocateReversals(charges, reversalsOf(conversions, events)).reduce(
    (sum, amount) => sum + amount,
    0,
  );
  return {
    grossCommissionCents: gross,
    reversedCommissionCents: reversed,
    netCommissionCents: gross - reversed,
  };
}

/**
 * Reversals link to the charge they reverse, a rebill to its order's purchase; an upsell links to its
 * front-end order's purchase, which the caller resolves (it lives on another order).
 */
export function summarizeOrder(
  orderId: string,
  conversions: readonly ConversionRecord[],
  events: readonly CommissionEventRecord[],
  upsellParent: { readonly orderId: string; readonly conversionId: string | null } | null = null,
): OrderSummary {
  const primary = conversions.find((c) => c.slot === 'primary') ?? null;
  const charges = chargesOf(conversions);
  const linkOf = (conversion: ConversionRecord): string | null => {
    if (!isChargeSlot(conversion.slot)) return reversedCharge(charges, conversion)?.conversionId ?? null;
    if (conversion.kind === 'rebill') return primary?.conversionId ?? null;
    return conversion.kind === 'upsell' ? (upsellParent?.conversionId ?? null) : null;
  };
  const sorted = [...conversions].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.occurredAt.localeCompare(b.occurredAt),
  );
  return {
    orderId,
    status: orderStatus(conversions),
    isTest: conversions.some((c) => c.isTest) || events.some((e) => e.isTest),
    conversions: sorted.map((conversion) => ({ ...conversion, linkedConversionId: linkOf(conversion) })),
    commissionEvents: [...events]
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .map((e) => ({
        kind: e.kind,
        commissionCents: e.commissionCents,
        receivedAt: e.receivedAt,
        postbackId: e.postbackId,
      })),
    ...commissionTotals(conversions, events),
  };
}
