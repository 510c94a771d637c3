/**
 * The postback log (audit trail): the message the ingest endpoint enqueues, and the record kept for
 * every postback that reached a valid token, accepted or rejected, with customer details redacted.
 */
import type { Channel, ClickIdVerdict, Rejection, HttpMethod, Kind, RawPostback } from './postback';

/** What travels on the queue: everything needed to (re)process a postback, nothing decided yet. */
export interface PostbackMessage {
  readonly v: 1;
  readonly postbackId: string;
  readonly accountId: string;
  readonly receivedAt: string;
  readonly sourceIp: string | null;
  readonly raw: RawPostback;
  /** Set when ingest already rejected it (400/413/414): the consumer only logs it. */
  readonly rejection: Rejection | null;
  /** The postback this one replays, when it is a replay. */
  readonly replayOf?: string | null;
  /** A replay's content is as old as the postback Buygoods sent (the first of a chain of replays). */
  readonly originalReceivedAt?: string | null;
}

export const POSTBACK_OUTCOMES = [
  'pending',
  'accepted',
  'duplicate',
  'updated',
  'rejected',
  'ignored',
] as const;
/** The outcomes a stored record can have: a record is written once its postback is processed. */
export const STORED_OUTCOMES = POSTBACK_OUTCOMES.filter((outcome) => outcome !== 'pending') as Exclude<
  (typeof POSTBACK_OUTCOMES)[number],
  'pending'
>[];
/** `ignored`: a known IPN event that is not a conversion (connection_test, abandon, ...): answered 200, nothing created. */
export type PostbackOutcome = (typeof POSTBACK_OUTCOMES)[number];

export interface PostbackRecord {
  readonly postbackId: string;
  readonly accountId: string;
  readonly receivedAt: string;
  readonly processedAt: string | null;
  readonly channel: Channel;
  readonly method: HttpMethod;
  readonly outcome: PostbackOutcome;
  readonly kind: Kind | null;
  readonly orderId: string | null;
  readonly clickId: ClickIdVerdict;
  readonly issues: readonly string[];
  readonly error: Rejection | null;
  /** Why an ignored postback was ignored: the IPN event it was (connection_test, abandon, ...). */
  readonly reason?: string;
  readonly conversionId: string | null;
  readonly sourceIp: string | null;
  /** The request as received, customer details redacted. */
  readonly rawQuery: string;
  readonly body: string | null;
  readonly contentType: string | null;
  readonly replayOf: string | null;
  /** Kept for replays of replays: when the content first arrived. */
  readonly originalReceivedAt?: string | null;
}

/**
 * Keys whose values identify a customer; their values never reach the log. The email hash too: it is
 * pseudonymous personal data, and a replay takes it back from the conversion it replays.
 */
const PII_KEY =
  /^(email_?hash|customer_?(name|first_?name|last_?name|email(address)?|phone|address\d*|city|zip|postcode|state)|first_?name|last_?name|name|email(address)?|phone|address\d*|ship(ping)?_\w+|bill(ing)?_\w+|ip_?address)$/i;
export const REDACTED = '[redacted]';

export function isPiiKey(key: string): boolean {
  return PII_KEY.test(key.trim());
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Redacts PII values in a query or form string, leaving every other byte as received. */
export function redactFormEncoded(encoded: string): string {
  if (!encoded) return encoded;
  return encoded
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      return isPiiKey(safeDecode(pair.slice(0, eq)))
        ? `${pair.slice(0, eq + 1)}${encodeURIComponent(REDACTED)}`
        : pair;
    })
    .join('&');
}

function redactJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJsonValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isPiiKey(k) ? REDACTED : redactJsonValue(v)]),
    );
  }
  return value;
}

export function redactBody(body: string | null): string | null {
  if (body === null) return null;
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactJsonValue(JSON.parse(body)));
    } catch {
      // Not JSON after all: redact it as a form, and mask anything shaped like an email below.
    }
  }
  return redactFormEncoded(body).replace(WORD, (word) => (looksLikeEmail(word) ? REDACTED : word));
}

/** A run of text between the separators of forms, JSON and prose: where an email address would sit. */
const WORD = /[^\s"'&=:,{}]+/g;

/**
 * A word shaped like an email address, raw or percent-encoded: something, an @ (or %40), something, and a
 * dot with two letters after it. Checked in one pass over the word: a single regex with two unbounded runs
 * around the @ backtracks quadratically, and a 64 KiB body without an @ took seconds of CPU.
 */
function looksLikeEmail(word: string): boolean {
  const at = word.slice(1).search(/@|%40/);
  if (at < 0) return false;
  const domainStart = 1 + at + (word[1 + at] === '@' ? 1 : 3) + 1;
  return /\.[A-Za-z]{2}/.test(word.slice(domainStart));
}

/**
 * The message as the queue's body: JSON with every character outside printable ASCII escaped (\uXXXX).
 * SQS refuses bodies with some characters (U+FFFE, U+FFFF, and in some emulators anything beyond the
 * BMP), and a postback carrying one would otherwise be refused with a 503 on every retry. JSON.parse
 * restores the exact text. The worst case (control characters) grows a body six-fold: 72 KiB of URL and
 * body become at most 432 KiB, within SQS's 1 MiB message size.
 */
export function serialisePostbackMessage(message: PostbackMessage): string {
  return JSON.stringify(message).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The shape of a machine-readable issue code (click_id_placeholder, amount_unparseable, ...). */
export const ISSUE_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The codes a postback is found by (`?issue=CODE`, a bulk replay's issue): its issues and, when it was
 * rejected, its error's code (order_id_placeholder, ...): the reason a person looks for first.
 */
export function findableCodes(record: Pick<PostbackRecord, 'issues' | 'error'>): string[] {
  return [...new Set([...(record.error ? [record.error.code] : []), ...record.issues])].filter((code) =>
    ISSUE_CODE.test(code),
  );
}
