/**
 * Conversions: what a postback becomes on its order, and the decision that makes recording idempotent.
 * An order has one slot for its purchase or upsell, one per rebill charge, and one per reversal kind and
 * charge it names; a postback for an occupied slot is a duplicate when its content was seen before and an
 * update otherwise.
 */
import { createHash } from 'node:crypto';
import { contentOf, conversionFields, fingerprintPostback, type ContentKey } from './conversion-content';
import type { ConversionKind, ParsedPostback, ReversalKind } from './postback';

/**
 * `primary`: the purchase or upsell. `rebill#<charge>`: one rebill charge. A reversal: its kind, or
 * `<kind>#<charge>` when the IPN named the charge (rr_createdate), so each charge's refund counts once.
 */
export type ConversionSlot = 'primary' | ReversalKind | `rebill#${string}` | `${ReversalKind}#${string}`;

/** What tells one charge of an order from another: see chargeOf. */
type ChargeSignals = Pick<
  ParsedPostback,
  | 'kind'
  | 'chargedAt'
  | 'commissionCents'
  | 'totalCents'
  | 'currency'
  | 'productCodename'
  | 'clickId'
  | 'subIds'
  | 'orderIdGlobal'
  | 'isTest'
>;

export function slotOf(postback: ChargeSignals & { readonly kind: ConversionKind }): ConversionSlot {
  const { kind } = postback;
  if (kind === 'purchase' || kind === 'upsell') return 'primary';
  const charge = chargeOf(postback);
  if (kind === 'rebill') return `rebill#${charge ?? 'unknown'}`;
  return charge === null ? kind : `${kind}#${charge}`;
}

/** Charges that take back or earn a commission: the slots a reversal may reverse. */
export function isChargeSlot(slot: ConversionSlot): boolean {
  return slot === 'primary' || slot.startsWith('rebill#');
}

/**
 * The charge a postback is about: its rr_createdate. A rebill without one (absent or zero) is keyed by its
 * content without customer details (a redacted replay must find the same charge): Buygoods' retries resend
 * the same content, so a retry stays a duplicate; two charges alike in every field cannot be told apart
 * and count once, which the charge_date_missing issue on the rebill makes visible. A reversal without a
 * date names no charge.
 */
function chargeOf(postback: ChargeSignals): string | null {
  if (postback.chargedAt) return postback.chargedAt;
  if (postback.kind !== 'rebill') return null;
  const content = JSON.stringify([
    postback.commissionCents ?? null,
    postback.totalCents ?? null,
    postback.currency ?? null,
    postback.productCodename ?? null,
    postback.clickId?.raw ?? null,
    postback.subIds
      ? [postback.subIds.subid2, postback.subIds.subid3, postback.subIds.subid4, postback.subIds.subid5]
      : null,
    postback.orderIdGlobal ?? null,
    postback.isTest === true,
  ]);
  return `content-${createHash('sha256').update(`rebill-charge:v1\n${content}`, 'utf8').digest('hex').slice(0, 24)}`;
}

export interface ConversionHistoryEntry {
  readonly version: number;
  readonly postbackId: string;
  readonly changedAt: string;
  /** Field values before this change, only the fields that changed. */
  readonly previous: Record<string, unknown>;
  /**
   * Set instead when the content arrived late: it was received before the content in force, so it is
   * kept here (the fields where it differs) and nothing changes.
   */
  readonly superseded?: Record<string, unknown>;
}

/** A conversion as stored: its content (conversion-content.ts) and what recording it added. */
export interface ConversionRecord extends Pick<ParsedPostback, ContentKey> {
  readonly accountId: string;
  readonly orderId: string;
  readonly conversionId: string;
  readonly kind: ConversionKind;
  readonly slot: ConversionSlot;
  /** Attribution: the affiliate link whose click carried this click id, and its campaign. */
  readonly linkId: string | null;
  readonly campaign: string | null;
  /** The configured product (and its merchant) whose Buygoods codename the postback named. */
  readonly productId: string | null;
  readonly merchantId: string | null;
  /** The charge's time (rr_createdate) as ISO-8601, when the IPN gave it; absent on conversions recorded before it was kept. */
  readonly chargedAt?: string | null;
  readonly issues: readonly string[];
  readonly version: number;
  /** Fingerprints of every content this conversion has had: a late retry of an old version is a duplicate. */
  readonly fingerprints: readonly string[];
  /** Postbacks that created or changed it, so a redelivered message recovers its own outcome. */
  readonly appliedPostbackIds: readonly string[];
  readonly history: readonly ConversionHistoryEntry[];
  /** When the first postback for it arrived. */
  readonly occurredAt: string;
  /**
   * When the content in force arrived, then its postback id (two in one millisecond): whichever order
   * contents are processed in (a dead-lettered original redriven after its correction), the last
   * received is in force. See stampInForce for conversions recorded before it was kept.
   */
  readonly contentStamp?: string;
  /** When a customer was erased from it (GDPR). */
  readonly erasedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Attribution {
  readonly linkId: string | null;
  readonly campaign: string | null;
  readonly productId: string | null;
  readonly merchantId: string | null;
}

export interface WriteContext {
  readonly accountId: string;
  readonly attribution: Attribution;
  readonly postbackId: string;
  readonly receivedAt: string;
  readonly now: string;
  readonly newConversionId: () => string;
}

export type ConversionDecision =
  | { readonly action: 'create'; readonly record: ConversionRecord }
  | { readonly action: 'update'; readonly record: ConversionRecord; readonly changed: readonly string[] }
  | { readonly action: 'duplicate'; readonly record: ConversionRecord }
  /** This very postback was already applied (a redelivery): report its original outcome. */
  | {
      readonly action: 'already_applied';
      readonly record: ConversionRecord;
      readonly outcome: 'accepted' | 'updated';
    };

function recordFrom(postback: ParsedPostback & { kind: ConversionKind }) {
  return {
    ...contentOf(postback),
    kind: postback.kind,
    slot: slotOf(postback),
    chargedAt: postback.chargedAt,
    issues: postback.issues,
  };
}

/** Orders contents by arrival; ISO times of one length compare as strings. */
function stampOf(context: Pick<WriteContext, 'receivedAt' | 'postbackId'>): string {
  return `${context.receivedAt} ${context.postbackId}`;
}

/** Recorded before stamps were kept: with no history, its one content arrived at occurredAt; else unknown. */
function stampInForce(existing: ConversionRecord): string | null {
  if (existing.contentStamp) return existing.contentStamp;
  const first = existing.appliedPostbackIds[0];
  return existing.history.length === 0 && first
    ? stampOf({ receivedAt: existing.occurredAt, postbackId: first })
    : null;
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

export function decideConversionWrite(
  existing: ConversionRecord | null,
  postback: ParsedPostback & { kind: ConversionKind },
  context: WriteContext,
): ConversionDecision {
  const fingerprint = fingerprintPostback(postback);
  if (!existing) {
    return {
      action: 'create',
      record: {
        accountId: context.accountId,
        orderId: postback.orderId,
        conversionId: context.newConversionId(),
        ...recordFrom(postback),
        ...context.attribution,
        version: 1,
        fingerprints: [fingerprint],
        appliedPostbackIds: [context.postbackId],
        history: [],
        occurredAt: context.receivedAt,
        contentStamp: stampOf(context),
        createdAt: context.now,
        updatedAt: context.now,
      },
    };
  }
  const applied = existing.appliedPostbackIds.indexOf(context.postbackId);
  if (applied >= 0) {
    return { action: 'already_applied', record: existing, outcome: applied === 0 ? 'accepted' : 'updated' };
  }
  if (existing.fingerprints.includes(fingerprint)) return { action: 'duplicate', record: existing };

  const before: Record<string, unknown> = conversionFields(existing);
  const after: Record<string, unknown> = conversionFields(postback);
  const differing = changedFields(before, after);
  const seen = {
    version: existing.version + 1,
    fingerprints: [...existing.fingerprints, fingerprint],
    appliedPostbackIds: [...existing.appliedPostbackIds, context.postbackId],
    occurredAt: context.receivedAt < existing.occurredAt ? context.receivedAt : existing.occurredAt,
    updatedAt: context.now,
  };
  const entry = { version: existing.version, postbackId: context.postbackId, changedAt: context.now };
  const inForce = stampInForce(existing);
  if (inForce !== null && stampOf(context) < inForce) {
    const superseded = Object.fromEntries(differing.map((key) => [key, after[key] ?? null]));
    return {
      action: 'update',
      changed: [],
      record: {
        ...existing,
        ...seen,
        history: [...existing.history, { ...entry, previous: {}, superseded }],
      },
    };
  }
  const previous = Object.fromEntries(differing.map((key) => [key, before[key] ?? null]));
  return {
    action: 'update',
    changed: differing,
    record: {
      ...existing,
      ...recordFrom(postback),
      // What was known stays known: a later postback only adds attribution, never erases it.
      linkId: context.attribution.linkId ?? existing.linkId,
      campaign: context.attribution.campaign ?? existing.campaign,
      productId: context.attribution.productId ?? existing.productId,
      merchantId: context.attribution.merchantId ?? existing.merchantId,
      ...seen,
      contentStamp: stampOf(context),
      history: [...existing.history, { ...entry, previous }],
    },
  };
}
