/**
 * An order as the affiliate sees it: its conversions, its commission events, the strongest reversal as
 * its status and the net commission. Computed from the stored items alone, so the answer is the same
 * whatever order the postbacks arrived in.
 */
import type { ConversionRecord } from './conversion';
import { toConversionView } from './views';

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

export interface OrderView {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly isTest: boolean;
  readonly conversions: ReadonlyArray<ConversionView>;
  readonly commissionEvents: ReadonlyArray<{ kind: 'commission_void'; commissionCents: number | null; receivedAt: string; postbackId: string }>;
  readonly grossCommissionCents: number;
  readonly reversedCommissionCents: number;
  readonly netCommissionCents: number;
}

export type ConversionView = ReturnType<typeof toConversionView> & {
  readonly linkedConversionId: string | null;
};

const KIND_ORDER = ['purchase', 'upsell', 'refund', 'cancel', 'chargeback'];

export function orderStatus(conversions: ReadonlyArray<Pick<ConversionRecord, 'kind'>>): OrderStatus {
  const kinds = new Set(conversions.map((conversion) => conversion.kind));
  if (kinds.has('chargeback')) return 'charged_back';
  if (kinds.has('refund')) return 'refunded';
  if (kinds.has('cancel')) return 'cancelled';
  if (kinds.has('purchase') || kinds.has('upsell')) return 'purchased';
  return 'unknown';
}

/**
 * Gross is the purchase's (or upsell's) commission. Each reversal and commission void takes back its
 * amount, or the full commission when it has none; together they never take back more than the gross,
 * because a commission can only be lost once even when a refund is followed by a chargeback.
 */
export function commissionTotals(conversions: readonly ConversionRecord[], events: readonly CommissionEventRecord[]) {
  const gross = conversions
    .filter((c) => c.slot === 'primary')
    .reduce((sum, c) => sum + (c.commissionCents ?? 0), 0);
  const reversals = [...conversions.filter((c) => c.slot !== 'primary'), ...events];
  const claimed = reversals.reduce((sum, r) => sum + (r.commissionCents ?? gross), 0);
  const reversed = Math.min(gross, claimed);
  return { grossCommissionCents: gross, reversedCommissionCents: reversed, netCommissionCents: gross - reversed };
}

/**
 * Reversals link to the order's purchase; an upsell links to its front-end order's purchase, which the
 * caller resolves (it lives on another order).
 */
export function summarizeOrder(
  orderId: string,
  conversions: readonly ConversionRecord[],
  events: readonly CommissionEventRecord[],
  upsellParent: { readonly orderId: string; readonly conversionId: string | null } | null = null,
): OrderView {
  const primary = conversions.find((c) => c.slot === 'primary') ?? null;
  const sorted = [...conversions].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.occurredAt.localeCompare(b.occurredAt));
  return {
    orderId,
    status: orderStatus(conversions),
    isTest: conversions.some((c) => c.isTest) || events.some((e) => e.isTest),
    conversions: sorted.map((conversion) => ({
      ...toConversionView(conversion),
      linkedConversionId: conversion.slot !== 'primary' ? (primary?.conversionId ?? null) : conversion.kind === 'upsell' ? (upsellParent?.conversionId ?? null) : null,
    })),
    commissionEvents: [...events]
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .map((e) => ({ kind: e.kind, commissionCents: e.commissionCents, receivedAt: e.receivedAt, postbackId: e.postbackId })),
    ...commissionTotals(conversions, events),
  };
}
