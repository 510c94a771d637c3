/**
 * A conversion's content, defined once: the fields a postback gives its conversion, each with the value it
 * has when absent (so a record read back from the table compares equal to the postback that wrote it) and
 * the fingerprint scheme it joined. The stored record, the update's diff, the fingerprint and the API view
 * all derive from this table.
 *
 * Fingerprints stay stable when a field is added: the fields of scheme 1 are hashed as they always were
 * (every one, absent ones as their absent value), and a field added later counts only when present. A
 * Buygoods retry of content sent before the deploy has no value for the new field, so it fingerprints as
 * it did when first recorded and stays a duplicate. To add a field: give it the next `since` and never
 * change the entries above it.
 */
import { createHash } from 'node:crypto';
import type { ParsedPostback } from './postback';

interface ContentField<K extends keyof ParsedPostback> {
  /** The field's value in fixed key order, with its absent value for anything missing. */
  readonly read: (value: ParsedPostback[K] | undefined) => unknown;
  /** The fingerprint scheme the field joined: 1 for the original fields, then one more per addition. */
  readonly since: number;
}

type ContentFields = { readonly [K in keyof ParsedPostback]?: ContentField<K> };

/** The business fields of a conversion, in their fingerprint order. */
export const CONVERSION_CONTENT = {
  kind: { since: 1, read: (kind) => kind },
  clickId: {
    since: 1,
    read: (clickId) => ({
      raw: clickId?.raw ?? null,
      value: clickId?.value ?? null,
      status: clickId?.status ?? 'missing',
    }),
  },
  commissionCents: { since: 1, read: (value) => value ?? null },
  productCodename: { since: 1, read: (value) => value ?? null },
  subIds: {
    since: 1,
    read: (subIds) => ({
      subid2: subIds?.subid2 ?? null,
      subid3: subIds?.subid3 ?? null,
      subid4: subIds?.subid4 ?? null,
      subid5: subIds?.subid5 ?? null,
    }),
  },
  parentOrderId: { since: 1, read: (value) => value ?? null },
  orderIdGlobal: { since: 1, read: (value) => value ?? null },
  customer: {
    since: 1,
    read: (customer) => ({
      name: customer?.name ?? null,
      email: customer?.email ?? null,
      emailHash: customer?.emailHash ?? null,
    }),
  },
  totalCents: { since: 1, read: (value) => value ?? null },
  currency: { since: 1, read: (value) => value ?? null },
  isTest: { since: 1, read: (isTest) => isTest === true },
} as const satisfies ContentFields;

export type ContentKey = keyof typeof CONVERSION_CONTENT;
export const CONTENT_KEYS = Object.keys(CONVERSION_CONTENT) as ContentKey[];

/** The content's fields in their fixed form (see conversionFields). */
export type ContentValues = {
  -readonly [K in ContentKey]: ReturnType<(typeof CONVERSION_CONTENT)[K]['read']>;
};

/** What defines a conversion's content; a stored conversion record has these too. */
export type ConversionContent = Pick<ParsedPostback, ContentKey | 'orderId'>;

/** The content's fields as the postback carries them, for a record to store. */
export function contentOf(postback: Pick<ParsedPostback, ContentKey>): Pick<ParsedPostback, ContentKey> {
  return Object.fromEntries(CONTENT_KEYS.map((key) => [key, postback[key]])) as Pick<
    ParsedPostback,
    ContentKey
  >;
}

/**
 * The business fields an update may change, rebuilt in a fixed key order with their absent values, so a
 * record read back from the table compares equal to the postback that wrote it.
 */
export function conversionFields(p: Partial<ConversionContent>): ContentValues {
  return fieldsOf(p, CONVERSION_CONTENT) as ContentValues;
}

function fieldsOf(p: Partial<ConversionContent>, fields: ContentFields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, readField(field, p, key)]));
}

/**
 * SHA-256 hex of the conversion's content. Scheme 1's fields hash exactly as they always have; a field
 * added since counts only when it differs from its absent value. The version prefix lets a future scheme
 * change without collisions. `fields`: another table, for the test that adds a field.
 */
export function fingerprintPostback(
  p: Partial<ConversionContent>,
  fields: ContentFields = CONVERSION_CONTENT,
): string {
  const original: Record<string, unknown> = { orderId: p.orderId };
  const added: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const value = readField(field, p, key);
    if (field.since === 1) original[key] = value;
    else if (JSON.stringify(value) !== JSON.stringify(readField(field, {}, key))) added[key] = value;
  }
  const extra =
    Object.keys(added).length === 0
      ? ''
      : `\n${JSON.stringify(
          Object.fromEntries(
            Object.keys(added)
              .sort()
              .map((key) => [key, added[key]]),
          ),
        )}`;
  return createHash('sha256')
    .update(`postback-fingerprint:v1\n${JSON.stringify(original)}${extra}`, 'utf8')
    .digest('hex');
}

function readField(
  field: ContentField<never> | undefined,
  p: Partial<ConversionContent>,
  key: string,
): unknown {
  const read = field!.read as (value: unknown) => unknown;
  return read((p as Record<string, unknown>)[key]);
}
