/**
 * The vocabulary of a Buygoods postback: what arrives (RawPostback), what the parser makes of it
 * (ParsedPostback), and the verdicts kept for review. Types and constants only.
 */
import type { IssueCode } from './reading';

export const CHANNELS = ['conversion', 'refund'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A Buygoods product codename, as a product is configured with and a postback's `product` must match. */
export const PRODUCT_CODENAME = /^[A-Za-z0-9_.-]{1,64}$/;

export const KINDS = [
  'purchase',
  'upsell',
  'rebill',
  'refund',
  'cancel',
  'chargeback',
  'commission_void',
] as const;
export type Kind = (typeof KINDS)[number];
/** Kinds that charge the customer and earn a commission: the purchase or upsell, and each rebill. */
export const CHARGE_KINDS = ['purchase', 'upsell', 'rebill'] as const;
/** Kinds recorded as conversions on an order, in the order an order lists them; commission_void is a commission event instead. */
export const CONVERSION_KINDS = [
  'purchase',
  'upsell',
  'rebill',
  'refund',
  'cancel',
  'chargeback',
] as const satisfies readonly Kind[];
export type ConversionKind = (typeof CONVERSION_KINDS)[number];
/** Conversions that reverse a charge. */
export const REVERSAL_KINDS = ['refund', 'cancel', 'chargeback'] as const satisfies readonly ConversionKind[];
export type ReversalKind = (typeof REVERSAL_KINDS)[number];
/** Everything that takes a commission back: the reversals and the commission event. */
export const TAKE_BACK_KINDS: readonly Kind[] = [...REVERSAL_KINDS, 'commission_void'];

export type HttpMethod = 'GET' | 'POST';

/** A postback exactly as it reached the ingest endpoint (what the log keeps and replay re-runs). */
export interface RawPostback {
  readonly method: HttpMethod;
  readonly channel: Channel;
  /** The query string as received, without the leading '?', still percent-encoded. '' when none. */
  readonly rawQuery: string;
  /** The request body as UTF-8 text, null when there was none. */
  readonly body: string | null;
  /** The Content-Type header as received, null when absent. */
  readonly contentType: string | null;
}

export type ClickIdStatus = 'valid' | 'malformed' | 'missing';

export interface ClickIdVerdict {
  /** The value as received (after URL decoding), kept for review; null when absent. */
  readonly raw: string | null;
  /** The trimmed, valid click id; null unless status is 'valid'. Never a placeholder. */
  readonly value: string | null;
  readonly status: ClickIdStatus;
}

/**
 * Why a postback is rejected: nothing is recorded from it, and this reason travels with it as plain data
 * (queue message, postback log, replay) and is the body of ingest's 400 to Buygoods. Unlike a ServiceError
 * (functions/domain/errors.ts), which a use case throws and functions/handlers/http.ts maps to an HTTP
 * status, a Rejection is never thrown: it is part of the postback's record. An oversized postback has
 * both: the ServiceError of the limit it broke answers (413 or 414), its code and message are logged.
 */
export interface Rejection {
  /** Machine-readable, snake_case, e.g. order_id_invalid, parameter_conflict, malformed_json. */
  readonly code: string;
  /** Human-readable; never contains a raw input value unescaped. */
  readonly message: string;
}

export interface CustomerDetails {
  readonly name: string | null;
  /** Trimmed and lower-cased. */
  readonly email: string | null;
  /** 64 lower-case hex characters (SHA-256 of the email), from emailhash or computed from email. */
  readonly emailHash: string | null;
}

export interface ParsedPostback {
  readonly kind: Kind;
  readonly orderId: string;
  readonly clickId: ClickIdVerdict;
  /** subid2..subid5 after placeholder removal (null when absent or a placeholder). */
  readonly subIds: {
    readonly subid2: string | null;
    readonly subid3: string | null;
    readonly subid4: string | null;
    readonly subid5: string | null;
  };
  /** The affiliate's commission in integer US cents; a positive magnitude for reversals; null when absent or unparseable. */
  readonly commissionCents: number | null;
  readonly productCodename: string | null;
  /** The front-end order an upsell belongs to (upsell_parent), when given. */
  readonly parentOrderId: string | null;
  /** IPN order_id_global, shared by a front-end order and its upsells. */
  readonly orderIdGlobal: string | null;
  readonly customer: CustomerDetails;
  /** IPN total_clean in integer cents of `currency`. */
  readonly totalCents: number | null;
  readonly currency: string | null;
  /** IPN is_test=1 (or test=1): kept, but left out of reports. */
  readonly isTest: boolean;
  /**
   * IPN rr_createdate (the transaction's time, GMT) as ISO-8601; null when absent or zero
   * (`0000-00-00 00:00:00`). Names the charge: each rebill is keyed by it, and a reversal reverses the
   * charge it names.
   */
  readonly chargedAt: string | null;
  /** Sorted, unique machine-readable codes for every oddity found (e.g. click_id_placeholder). */
  readonly issues: readonly IssueCode[];
}

export type ParseOutcome =
  | { readonly ok: true; readonly postback: ParsedPostback }
  | {
      readonly ok: false;
      /** A known IPN event that is not a conversion (connection_test, abandon, ...): answered 200, logged, nothing created. */
      readonly ignored?: undefined;
      readonly error: Rejection;
      /** What could still be read, for the postback log. */
      readonly kind: Kind | null;
      readonly orderId: string | null;
      readonly clickId: ClickIdVerdict;
      readonly issues: readonly IssueCode[];
    }
  | {
      readonly ok: false;
      /** The event, e.g. connection_test: the reason it was ignored. */
      readonly ignored: string;
      readonly error: null;
      readonly kind: null;
      readonly orderId: string | null;
      readonly clickId: ClickIdVerdict;
      readonly issues: readonly IssueCode[];
    };
