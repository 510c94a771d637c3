/**
 * Reading a postback's parameters: the query string merged with a form or JSON body, keys matched
 * case-insensitively, then each field resolved from its accepted aliases. A key or field given twice
 * with different values is a conflict, because we cannot know which one Buygoods meant.
 */
import { isPlaceholder } from './placeholders';
import type { Rejection, RawPostback } from './postback';
import type { IssueCode } from './reading';

/** Lower-cased, trimmed keys to their decoded values. */
export type ParameterMap = ReadonlyMap<string, string>;

/** Accepted keys per field, in order of preference (the contract's alias table plus the IPN fields). */
export const FIELD_ALIASES = {
  clickId: ['subid', 'cid', 'clickid', 'click_id'],
  orderId: ['orderid', 'order_id', 'txid', 'transaction_id'],
  commission: ['commission', 'commission_amount', 'payout', 'amount', 'aff_commission'],
  product: ['product', 'product_codename'],
  event: ['event', 'type'],
  actionType: ['action_type'],
  convType: ['conv_type'],
  flagUpsell: ['flag_upsell'],
  upsellParent: ['upsell_parent'],
  orderIdGlobal: ['order_id_global'],
  subid2: ['subid2'],
  subid3: ['subid3'],
  subid4: ['subid4'],
  subid5: ['subid5'],
  customerName: ['customer_name'],
  customerEmail: ['customer_emailaddress', 'email'],
  emailHash: ['emailhash'],
  totalClean: ['total_clean'],
  currency: ['currency'],
  isTest: ['is_test', 'test'],
  chargeDate: ['rr_createdate'],
} as const satisfies Record<string, readonly string[]>;

export type Field = keyof typeof FIELD_ALIASES;
/** Each field's value as received (decoded, untrimmed); null when absent or in conflict. */
export type PostbackFields = { readonly [F in Field]: string | null };

export interface ParameterReading {
  readonly params: ParameterMap;
  readonly fields: PostbackFields;
  readonly issues: readonly IssueCode[];
  /** The first conflict or malformed body found; what could still be read is in params and fields. */
  readonly error: Rejection | null;
}

type Pair = readonly [key: string, value: string];
interface Collected {
  readonly pairs: Pair[];
  readonly issues: IssueCode[];
  readonly error: Rejection | null;
}

export function readParameters(raw: RawPostback): ParameterReading {
  const body = readBody(raw.body, raw.contentType);
  // Tolerate a leading '?' from callers that pass the query as it appears in the URL.
  const merged = mergePairs([...parseFormEncoded(raw.rawQuery.replace(/^\?/, '')), ...body.pairs]);
  const resolved = resolveFields(merged.params);
  return {
    params: merged.params,
    fields: resolved.fields,
    issues: body.issues,
    error: body.error ?? merged.error ?? resolved.error,
  };
}

/** Decodes percent-escapes and '+' as a space; an escape that does not decode stays as received. */
export function decodeComponent(text: string): string {
  return text.replace(/\+/g, ' ').replace(/(%[0-9A-Fa-f]{2})+/g, decodeEscapeRun);
}

/** Decodes a run of escapes one UTF-8 character at a time, so one bad byte spoils only itself. */
function decodeEscapeRun(run: string): string {
  const escapes = run.match(/%[0-9A-Fa-f]{2}/g) ?? [];
  const bytes = escapes.map((escape) => parseInt(escape.slice(1), 16));
  let decoded = '';
  for (let i = 0; i < escapes.length;) {
    const width = utf8Width(bytes[i]!);
    const character = isUtf8Sequence(bytes.slice(i, i + width), width)
      ? tryDecode(escapes.slice(i, i + width).join(''))
      : null;
    decoded += character ?? escapes[i];
    i += character === null ? 1 : width;
  }
  return decoded;
}

/** How many bytes the UTF-8 character starting with this byte takes (1 for a stray byte, which then fails). */
function utf8Width(lead: number): number {
  if (lead === 0xc0 || lead === 0xc1 || lead >= 0xf5) return 1;
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

/** A cheap pre-check so that garbage input does not cost one thrown exception per byte. */
function isUtf8Sequence(bytes: readonly number[], width: number): boolean {
  if (bytes.length !== width) return false;
  if (width === 1) return bytes[0]! < 0x80;
  return bytes.slice(1).every((byte) => byte >= 0x80 && byte < 0xc0);
}

function tryDecode(escapes: string): string | null {
  try {
    return decodeURIComponent(escapes);
  } catch {
    return null;
  }
}

export function parseFormEncoded(encoded: string): Pair[] {
  const pairs: Pair[] = [];
  for (const piece of encoded.split('&')) {
    const eq = piece.indexOf('=');
    const key = normaliseKey(decodeComponent(eq < 0 ? piece : piece.slice(0, eq)));
    if (key !== '') pairs.push([key, eq < 0 ? '' : decodeComponent(piece.slice(eq + 1))]);
  }
  return pairs;
}

function normaliseKey(key: string): string {
  return key.trim().toLowerCase();
}

type BodyFormat = 'form' | 'json' | 'sniff';

function bodyFormatOf(contentType: string | null): BodyFormat {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(mediaType))
    return 'json';
  return 'sniff';
}

/** An empty or blank body carries no parameters whatever its content type says. */
function readBody(body: string | null, contentType: string | null): Collected {
  const text = (body ?? '').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { pairs: [], issues: [], error: null };
  const format = bodyFormatOf(contentType);
  const json = format === 'json' || (format === 'sniff' && text.trimStart().startsWith('{'));
  return json ? parseJsonBody(text) : { pairs: parseFormEncoded(text), issues: [], error: null };
}

const MALFORMED_JSON: Rejection = {
  code: 'malformed_json',
  message: 'The body is not a valid JSON object',
};

function parseJsonBody(text: string): Collected {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { pairs: [], issues: [], error: MALFORMED_JSON };
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return { pairs: [], issues: [], error: MALFORMED_JSON };
  }
  const pairs: Pair[] = [];
  const issues: IssueCode[] = [];
  for (const [key, value] of Object.entries(document)) {
    const name = normaliseKey(key);
    if (name === '' || value === null) continue;
    if (typeof value === 'object') issues.push('json_value_ignored');
    else pairs.push([name, String(value)]);
  }
  return { pairs, issues, error: null };
}

/** Equal repeats are fine (the IPN sends some keys twice); different ones drop the key and fail. */
function mergePairs(pairs: readonly Pair[]): { params: ParameterMap; error: Rejection | null } {
  const params = new Map<string, string>();
  const conflicted = new Set<string>();
  let error: Rejection | null = null;
  for (const [key, value] of pairs) {
    if (conflicted.has(key)) continue;
    const seen = params.get(key);
    if (seen === undefined) params.set(key, value);
    else if (seen.trim() !== value.trim()) {
      conflicted.add(key);
      params.delete(key);
      error ??= {
        code: 'parameter_conflict',
        message: `The parameter ${describeKey(key)} was given more than once with different values`,
      };
    }
  }
  return { params, error };
}

function resolveFields(params: ParameterMap): { fields: PostbackFields; error: Rejection | null } {
  const fields: Partial<Record<Field, string | null>> = {};
  let error: Rejection | null = null;
  for (const field of Object.keys(FIELD_ALIASES) as Field[]) {
    const resolution = resolveAliases(params, FIELD_ALIASES[field]);
    fields[field] = resolution.value;
    error ??= resolution.error;
  }
  return { fields: fields as PostbackFields, error };
}

/**
 * One field from its aliases: a placeholder loses to a real value; two different real values conflict.
 * With only placeholders, the first one is kept so the caller can tell "unfilled" from "absent".
 */
export function resolveAliases(
  params: ParameterMap,
  aliases: readonly string[],
): { value: string | null; error: Rejection | null } {
  const present = aliases.flatMap((key) => {
    const value = params.get(key);
    return value === undefined ? [] : [{ key, value }];
  });
  const real = present.filter((entry) => !isPlaceholder(entry.value));
  const first = real[0] ?? present[0];
  const rival = real.find((entry) => entry.value.trim() !== real[0]?.value.trim());
  if (rival && real[0]) {
    return {
      value: null,
      error: {
        code: 'parameter_conflict',
        message: `The parameters ${describeKey(real[0].key)} and ${describeKey(rival.key)} give different values for the same field`,
      },
    };
  }
  return { value: first?.value ?? null, error: null };
}

/** A key (or a short value, such as an unknown action_type) as it may appear in a message: quoted, printable ASCII only, and short. */
export function describeKey(key: string): string {
  const printable = Array.from(key.slice(0, 64), (char) =>
    /^[\x20-\x7e]$/.test(char) && char !== '"' && char !== '\\' ? char : '?',
  ).join('');
  return `"${printable}${key.length > 64 ? '...' : ''}"`;
}
