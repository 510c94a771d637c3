/**
 * From a raw postback to what it means: parsePostback never throws, so every postback, however broken,
 * ends up either parsed or rejected with a reason. What of it is a conversion's content, and its
 * fingerprint, is in conversion-content.ts.
 */
import { readAmountCents } from './amount';
import { isTruthyFlag, resolveKind, type KindResult } from './classify';
import { clickIdVerdict, readClickId, type ClickIdReading } from './click-id';
import { readEmail } from './email';
import { orderIdRejection, readOrderId } from './order-id';
import { readParameters, type PostbackFields } from './params';
import { isPlaceholder, readValue } from './placeholders';
import {
  CHARGE_KINDS,
  PRODUCT_CODENAME,
  type ClickIdVerdict,
  type Rejection,
  type Kind,
  type ParsedPostback,
  type ParseOutcome,
  type RawPostback,
} from './postback';
import type { IssueCode, Reading } from './reading';

const PARSE_FAILED: Rejection = { code: 'parse_failed', message: 'The postback could not be read' };
const CURRENCY_CODE = /^[A-Z]{3}$/;

export function parsePostback(raw: RawPostback): ParseOutcome {
  try {
    return parseOrReject(sanitise(raw));
  } catch {
    // A bug must not lose the postback: it is rejected with a generic reason and still logged.
    return {
      ok: false,
      error: PARSE_FAILED,
      kind: null,
      orderId: null,
      clickId: { raw: null, value: null, status: 'missing' },
      issues: [],
    };
  }
}

/** The queue or the log may hand back anything; only strings are read. */
function sanitise(raw: RawPostback): RawPostback {
  return {
    method: raw.method,
    channel: raw.channel === 'refund' ? 'refund' : 'conversion',
    rawQuery: typeof raw.rawQuery === 'string' ? raw.rawQuery : '',
    body: typeof raw.body === 'string' ? raw.body : null,
    contentType: typeof raw.contentType === 'string' ? raw.contentType : null,
  };
}

function parseOrReject(raw: RawPostback): ParseOutcome {
  const reading = readParameters(raw);
  const fields = reading.fields;
  const clickId = readClickId(fields.clickId);
  const orderId = readOrderId(fields.orderId);
  const kind = resolveKind({
    channel: raw.channel,
    actionType: fields.actionType,
    event: fields.event,
    convType: fields.convType,
    flagUpsell: fields.flagUpsell,
  });
  const ignored = reading.error === null ? ignoredEvent(kind, orderId, fields) : null;
  if (ignored !== null) {
    // Nothing is recorded, so a missing click id is no issue: only what was wrong with the request itself.
    return {
      ok: false,
      ignored,
      error: null,
      kind: null,
      orderId: orderId.value,
      clickId: clickIdVerdict(clickId),
      issues: sortedUnique(reading.issues),
    };
  }
  const error = reading.error ?? orderIdRejection(orderId) ?? (kind.ok ? null : kind.error);
  if (error !== null || orderId.value === null || !kind.ok) {
    // The order id's issue is the rejection's code, not one of the issues listed beside it.
    return reject(error ?? PARSE_FAILED, kind, orderId.value, clickIdVerdict(clickId), [
      ...reading.issues,
      ...clickId.issues,
    ]);
  }
  return { ok: true, postback: buildPostback(kind.kind, orderId.value, clickId, fields, reading.issues) };
}

/**
 * A known IPN event that is not a conversion, by its name; or a test postback with no order at all (a
 * back office's test button): nothing to record, and nothing wrong either.
 */
function ignoredEvent(kind: KindResult, orderId: Reading<string>, fields: PostbackFields): string | null {
  if (!kind.ok && kind.ignored !== undefined) return kind.ignored;
  if (orderId.value === null && orderId.issues.includes('order_id_missing') && isTruthyFlag(fields.isTest))
    return 'test_without_order';
  return null;
}

function reject(
  error: Rejection,
  kind: KindResult,
  orderId: string | null,
  clickId: ClickIdVerdict,
  issues: readonly IssueCode[],
): ParseOutcome {
  return {
    ok: false,
    ignored: undefined,
    error,
    kind: kind.ok ? kind.kind : null,
    orderId,
    clickId,
    issues: sortedUnique(issues),
  };
}

function buildPostback(
  kind: Kind,
  orderId: string,
  clickId: ClickIdReading,
  fields: PostbackFields,
  readingIssues: readonly IssueCode[],
): ParsedPostback {
  const commission = readCommission(fields.commission, kind);
  const total = readTotal(fields.totalClean, kind);
  const parent = readOptionalOrderId(fields.upsellParent, 'upsell_parent_invalid');
  const global = readOptionalOrderId(fields.orderIdGlobal, 'order_id_global_invalid');
  const currency = readCurrency(fields.currency);
  const product = readProductCodename(fields.product);
  const email = readEmail(fields.customerEmail, fields.emailHash);
  const chargedAt = readChargeDate(fields.chargeDate, kind);
  return {
    kind,
    orderId,
    clickId: clickIdVerdict(clickId),
    subIds: {
      subid2: readValue(fields.subid2),
      subid3: readValue(fields.subid3),
      subid4: readValue(fields.subid4),
      subid5: readValue(fields.subid5),
    },
    commissionCents: commission.value,
    productCodename: product.value,
    parentOrderId: parent.value,
    orderIdGlobal: global.value,
    customer: {
      name: readValue(fields.customerName),
      email: email.value?.email ?? null,
      emailHash: email.value?.emailHash ?? null,
    },
    totalCents: total.value,
    currency: currency.value,
    isTest: isTruthyFlag(fields.isTest),
    chargedAt: chargedAt.value,
    issues: sortedUnique([
      ...readingIssues,
      ...clickId.issues,
      ...commission.issues,
      ...total.issues,
      ...parent.issues,
      ...global.issues,
      ...currency.issues,
      ...product.issues,
      ...email.issues,
      ...chargedAt.issues,
    ]),
  };
}

function isOrderKind(kind: Kind): boolean {
  return (CHARGE_KINDS as readonly Kind[]).includes(kind);
}

/**
 * Reversals are stored as magnitudes whatever sign Buygoods sends. A purchase or upsell should never
 * carry a negative commission: its magnitude is kept and the oddity flagged for review.
 */
function readCommission(raw: string | null, kind: Kind): Reading<number> {
  const { value: cents, issues } = readAmountCents(raw);
  // A reversal without an amount is normal (it reverses the full commission); a sale without one is not.
  const missing = raw === null && isOrderKind(kind) ? ['amount_missing'] : [];
  const negative = cents !== null && cents < 0 && isOrderKind(kind) ? ['amount_negative'] : [];
  return { value: cents === null ? null : Math.abs(cents), issues: [...issues, ...missing, ...negative] };
}

/** The sale total follows the commission's sign rule; its issues say total_ so the two are told apart. */
function readTotal(raw: string | null, kind: Kind): Reading<number> {
  const { value: cents, issues } = readAmountCents(raw);
  const negative = cents !== null && cents < 0 && isOrderKind(kind) ? ['amount_negative'] : [];
  return {
    value: cents === null ? null : Math.abs(cents),
    issues: [...issues, ...negative].map((issue) => issue.replace(/^amount_/, 'total_')),
  };
}

/** Optional references to other orders: dropped with an issue when they could not be an order id. */
function readOptionalOrderId(raw: string | null, invalidIssue: IssueCode): Reading<string> {
  if (isPlaceholder(raw)) return { value: null, issues: [] };
  const { value } = readOrderId(raw);
  return value === null ? { value: null, issues: [invalidIssue] } : { value, issues: [] };
}

/** Buygoods' `YYYY-MM-DD HH:MM:SS` (GMT), also with a `T` or a trailing `Z`. */
const CHARGE_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/;

/**
 * rr_createdate as ISO-8601 UTC. Buygoods fills dates it does not have with zeros; that, like an absent
 * or unreadable date, is null. Only a rebill needs it (it keys the charge), so only a rebill is flagged.
 */
function readChargeDate(raw: string | null, kind: Kind): Reading<string> {
  const text = readValue(raw);
  const match = text === null ? null : CHARGE_DATE.exec(text);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z` : null;
  const valid =
    iso !== null &&
    !Number.isNaN(Date.parse(iso)) &&
    new Date(iso).toISOString() === iso.replace('Z', '.000Z');
  if (valid) return { value: iso, issues: [] };
  const zero = text === null || /^[0\s:T-]*Z?$/.test(text);
  if (kind !== 'rebill') return { value: null, issues: zero ? [] : ['charge_date_invalid'] };
  return { value: null, issues: [zero ? 'charge_date_missing' : 'charge_date_invalid'] };
}

function readCurrency(raw: string | null): Reading<string> {
  const code = readValue(raw)?.toUpperCase() ?? null;
  if (code === null) return { value: null, issues: [] };
  return CURRENCY_CODE.test(code)
    ? { value: code, issues: [] }
    : { value: null, issues: ['currency_invalid'] };
}

/** No configured product could have any other codename: kept out of the conversion and of lookups. */
function readProductCodename(raw: string | null): Reading<string> {
  const codename = readValue(raw);
  if (codename === null) return { value: null, issues: [] };
  return PRODUCT_CODENAME.test(codename)
    ? { value: codename, issues: [] }
    : { value: null, issues: ['product_codename_invalid'] };
}

function sortedUnique(issues: readonly IssueCode[]): IssueCode[] {
  return [...new Set(issues)].sort();
}
