/**
 * Which kind of postback this is. The IPN's action_type decides when present; otherwise the URL does:
 * /refund gives a refund (or what `event`/`type` says), /conversion a purchase or an upsell. Some IPN
 * events are not conversions at all (the connection test, abandoned checkouts, failed rebills): they are
 * ignored, named, and never counted as rejections.
 */
import { describeKey } from './params';
import { isPlaceholder } from './placeholders';
import type { Channel, Rejection, Kind } from './postback';

export interface KindSignals {
  readonly channel: Channel;
  readonly actionType: string | null;
  readonly event: string | null;
  readonly convType: string | null;
  readonly flagUpsell: string | null;
}

export type KindResult =
  | { readonly ok: true; readonly kind: Kind }
  | { readonly ok: false; readonly error: Rejection; readonly ignored?: undefined }
  /** A known IPN event that is not a conversion: `ignored` names it. */
  | { readonly ok: false; readonly error: null; readonly ignored: string };

/**
 * IPN action types; 'order' stands for purchase or upsell, told apart by the upsell flags. 'ignored': a
 * known event that is not a conversion (docs/RUNBOOK.md lists them with what each means).
 */
const ACTION_TYPES: Readonly<Record<string, Kind | 'order' | 'ignored'>> = {
  neworder: 'order',
  newsale: 'order',
  sale: 'order',
  rebill: 'rebill',
  connection_test: 'ignored',
  test: 'ignored',
  abandon: 'ignored',
  newcustomer: 'ignored',
  failedrebill: 'ignored',
  uncancel: 'ignored',
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

/** Every action_type the service knows, and those it ignores (for the hostile-input suite and the docs). */
export const KNOWN_ACTION_TYPES: readonly string[] = Object.keys(ACTION_TYPES);
export const IGNORED_ACTION_TYPES: readonly string[] = KNOWN_ACTION_TYPES.filter(
  (type) => ACTION_TYPES[type] === 'ignored',
);

/** Names the value, so an event Buygoods added is visible in the log as what it is. */
const unsupportedAction = (actionType: string): Rejection => ({
  code: 'unsupported_event',
  message: `The action_type ${describeKey(actionType)} is not a supported event`,
});
const UNSUPPORTED_EVENT: Rejection = {
  code: 'unsupported_event',
  message:
    'The event is not supported on the refund URL; expected refund, cancel, chargeback or commission_void',
};

export function resolveKind(signals: KindSignals): KindResult {
  const actionType = normalise(signals.actionType);
  if (actionType !== null) {
    const mapped = Object.hasOwn(ACTION_TYPES, actionType) ? ACTION_TYPES[actionType] : undefined;
    if (mapped === undefined) return { ok: false, error: unsupportedAction(actionType) };
    if (mapped === 'ignored') return { ok: false, error: null, ignored: actionType };
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
