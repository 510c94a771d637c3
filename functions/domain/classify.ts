/**
 * Which kind of postback this is. The IPN's action_type decides when present; otherwise the URL does:
 * /refund gives a refund (or what `event`/`type` says), /conversion a purchase or an upsell.
 */
import { isPlaceholder } from './placeholders';
import type { Channel, DomainError, Kind } from './postback';

export interface KindSignals {
  readonly channel: Channel;
  readonly actionType: string | null;
  readonly event: string | null;
  readonly convType: string | null;
  readonly flagUpsell: string | null;
}

export type KindResult = { readonly ok: true; readonly kind: Kind } | { readonly ok: false; readonly error: DomainError };

/** IPN action types; 'order' stands for purchase or upsell, told apart by the upsell flags. */
const ACTION_TYPES: Readonly<Record<string, Kind | 'order'>> = {
  neworder: 'order',
  rebill: 'order',
  sale: 'order',
  refund: 'refund',
  cancel: 'cancel',
  canceledfromrebill: 'cancel',
  cancelled: 'cancel',
  chargeback: 'chargeback',
  chargebackrefundtime: 'chargeback',
  commission_void: 'commission_void',
  commissionvoid: 'commission_void',
};

const REFUND_EVENTS: Readonly<Record<string, Kind>> = {
  refund: 'refund',
  cancel: 'cancel',
  chargeback: 'chargeback',
  commission_void: 'commission_void',
};

const UNSUPPORTED_ACTION: DomainError = { code: 'unsupported_event', message: 'The action_type is not a supported event' };
const UNSUPPORTED_EVENT: DomainError = {
  code: 'unsupported_event',
  message: 'The event is not supported on the refund URL; expected refund, cancel, chargeback or commission_void',
};

export function resolveKind(signals: KindSignals): KindResult {
  const actionType = normalise(signals.actionType);
  if (actionType !== null) {
    const mapped = Object.hasOwn(ACTION_TYPES, actionType) ? ACTION_TYPES[actionType] : undefined;
    if (mapped === undefined) return { ok: false, error: UNSUPPORTED_ACTION };
    return { ok: true, kind: mapped === 'order' ? orderKind(signals) : mapped };
  }
  if (signals.channel === 'conversion') return { ok: true, kind: orderKind(signals) };
  const event = normalise(signals.event) ?? 'refund';
  const kind = Object.hasOwn(REFUND_EVENTS, event) ? REFUND_EVENTS[event] : undefined;
  return kind === undefined ? { ok: false, error: UNSUPPORTED_EVENT } : { ok: true, kind };
}

function orderKind(signals: KindSignals): 'purchase' | 'upsell' {
  return normalise(signals.convType) === 'upsell' || isTruthyFlag(signals.flagUpsell) ? 'upsell' : 'purchase';
}

/** Buygoods flags: 1, true or yes, in any case. */
export function isTruthyFlag(value: string | null | undefined): boolean {
  const flag = normalise(value);
  return flag === '1' || flag === 'true' || flag === 'yes';
}

/** Trimmed and lower-cased; null when absent or an unfilled placeholder. */
function normalise(value: string | null | undefined): string | null {
  return isPlaceholder(value) ? null : (value as string).trim().toLowerCase();
}
