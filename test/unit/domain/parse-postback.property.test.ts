/** Properties of the parser over arbitrary input: it never throws and every answer is well-formed. */
import fc from 'fast-check';
import { readAmountCents } from '../../../functions/domain/amount';
import { CLICK_ID_PATTERN } from '../../../functions/domain/click-id';
import { ORDER_ID_PATTERN } from '../../../functions/domain/order-id';
import { fingerprintPostback } from '../../../functions/domain/conversion-content';
import { ISSUE_EXPLANATIONS } from '../../../functions/domain/issue-explanations';
import { parsePostback } from '../../../functions/domain/parse-postback';
import {
  KINDS,
  type ClickIdVerdict,
  type ParseOutcome,
  type RawPostback,
} from '../../../functions/domain/postback';

const KNOWN_KEYS = [
  'subid',
  'cid',
  'clickid',
  'click_id',
  'orderid',
  'order_id',
  'txid',
  'transaction_id',
  'commission',
  'commission_amount',
  'payout',
  'amount',
  'aff_commission',
  'product',
  'product_codename',
  'event',
  'type',
  'action_type',
  'conv_type',
  'flag_upsell',
  'upsell_parent',
  'order_id_global',
  'subid2',
  'subid3',
  'subid4',
  'subid5',
  'customer_name',
  'customer_emailaddress',
  'email',
  'emailhash',
  'total_clean',
  'currency',
  'is_test',
  'test',
  'rr_createdate',
];

const interestingValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'null',
    'REPLACE',
    '{SUBID}',
    '%7BORDERID%7D',
    '%',
    '%E2%28%A1',
    '%ZZ',
    '+',
    '47.90',
    '-47,90',
    '1.234,56',
    'USD 47.90',
    'neworder',
    'refund',
    'chargeback',
    'commission_void',
    'upsell',
    '1',
    'a@b.co',
    'ab'.repeat(32),
    'BG123',
    'clk_1',
    '\r\n',
    '"',
    '\\',
    '__proto__',
    'rebill',
    '2026-13-45 10:00:00',
    '0000-00-00 00:00:00',
    '2026-11-30 23:59:59',
  ),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
);

const key = fc.oneof(
  fc.constantFrom(...KNOWN_KEYS),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty'),
);
const randomCase = (text: string, flips: boolean[]) =>
  Array.from(text, (char, i) => (flips[i % Math.max(flips.length, 1)] ? char.toUpperCase() : char)).join('');
const pair = fc
  .tuple(key, interestingValue, fc.array(fc.boolean(), { maxLength: 4 }))
  .map(([k, v, flips]) => [randomCase(k, flips), v] as const);
const encodeAsForm = (pairs: ReadonlyArray<readonly [string, string]>, encode: boolean) =>
  pairs
    .map(([k, v]) => (encode ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}` : `${k}=${v}`))
    .join('&');

const formEncoded = fc
  .tuple(fc.array(pair, { maxLength: 12 }), fc.boolean())
  .map(([pairs, encode]) => encodeAsForm(pairs, encode));
const jsonText = fc.oneof(
  fc.dictionary(key, fc.oneof(interestingValue, fc.jsonValue())).map((document) => JSON.stringify(document)),
  fc.json(),
  fc.string().map((text) => `{${text}`),
);
const queryString = fc.oneof(formEncoded, fc.string(), fc.string({ unit: 'binary' }));
const body = fc.option(fc.oneof(formEncoded, jsonText, fc.string(), fc.string({ unit: 'binary' })), {
  nil: null,
});
const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=UTF-8',
      'application/json',
      'application/json; charset=utf-8',
      'application/problem+json',
      'text/plain',
      'multipart/form-data; boundary=x',
      ';',
      '',
    ),
    fc.string(),
  ),
  { nil: null },
);
/** A valid order id up front, so a good share of the runs get past rejection and exercise the parsed shape. */
const likelyAcceptedQuery = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.array(pair, { maxLength: 8 }))
  .map(([orderId, pairs]) =>
    encodeAsForm(
      [['orderid', orderId], ...pairs.filter(([k]) => !/^\s*(order_?id|txid|transaction_id)\s*$/i.test(k))],
      true,
    ),
  );
const rawPostback: fc.Arbitrary<RawPostback> = fc.record({
  method: fc.constantFrom('GET' as const, 'POST' as const),
  channel: fc.constantFrom('conversion' as const, 'refund' as const),
  rawQuery: fc.oneof(queryString, likelyAcceptedQuery),
  body,
  contentType,
});

function isSortedUnique(issues: readonly string[]): boolean {
  return issues.every((issue, i) => i === 0 || issues[i - 1]! < issue);
}

function isWellFormedClickId(clickId: ClickIdVerdict): boolean {
  if (clickId.status === 'valid') return clickId.value !== null && CLICK_ID_PATTERN.test(clickId.value);
  return clickId.value === null;
}

function assertWellFormed(outcome: ParseOutcome): void {
  if (outcome.ok) {
    const p = outcome.postback;
    expect(KINDS).toContain(p.kind);
    expect(p.orderId).toMatch(ORDER_ID_PATTERN);
    expect(isWellFormedClickId(p.clickId)).toBe(true);
    for (const cents of [p.commissionCents, p.totalCents]) {
      if (cents !== null) expect(Number.isSafeInteger(cents) && cents >= 0).toBe(true);
    }
    expect(isSortedUnique(p.issues)).toBe(true);
    for (const issue of p.issues) expect(Object.keys(ISSUE_EXPLANATIONS)).toContain(issue);
    expect(fingerprintPostback(p)).toMatch(/^[0-9a-f]{64}$/);
  } else if (outcome.ignored !== undefined) {
    expect(outcome.error).toBeNull();
    expect(outcome.ignored).toMatch(/^[a-z][a-z_]*$/);
  } else {
    expect(outcome.error.code).toMatch(/^[a-z][a-z_]*$/);
    expect(Object.keys(ISSUE_EXPLANATIONS)).toContain(outcome.error.code);
    expect(outcome.error.message.length).toBeGreaterThan(0);
    expect(outcome.error.message).not.toMatch(/[\r\n]/);
    expect(outcome.kind === null || KINDS.includes(outcome.kind)).toBe(true);
    expect(outcome.orderId === null || ORDER_ID_PATTERN.test(outcome.orderId)).toBe(true);
    expect(isWellFormedClickId(outcome.clickId)).toBe(true);
    expect(isSortedUnique(outcome.issues)).toBe(true);
  }
}

describe('parsePostback over arbitrary input', () => {
  it('never throws and always answers a parsed postback or a well-formed rejection', () => {
    const seen = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(rawPostback, (raw) => {
        const outcome = parsePostback(raw);
        assertWellFormed(outcome);
        seen[outcome.ok ? 'accepted' : 'rejected'] += 1;
      }),
      { numRuns: 3000 },
    );
    // Both branches of the check above must actually have run.
    expect(seen.accepted).toBeGreaterThan(100);
    expect(seen.rejected).toBeGreaterThan(100);
  });

  it('gives the same answer whatever order distinct parameters come in', () => {
    const distinctPairs = fc.uniqueArray(pair, { selector: ([k]) => k.trim().toLowerCase(), maxLength: 12 });
    fc.assert(
      fc.property(
        distinctPairs,
        fc.constantFrom('conversion' as const, 'refund' as const),
        (pairs, channel) => {
          const forward = parsePostback({
            method: 'GET',
            channel,
            rawQuery: encodeAsForm(pairs, true),
            body: null,
            contentType: null,
          });
          const backward = parsePostback({
            method: 'GET',
            channel,
            rawQuery: encodeAsForm([...pairs].reverse(), true),
            body: null,
            contentType: null,
          });
          expect(backward).toEqual(forward);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads the same parameters from a query, a form body or a JSON body', () => {
    const distinctPairs = fc.uniqueArray(pair, { selector: ([k]) => k.trim().toLowerCase(), maxLength: 12 });
    fc.assert(
      fc.property(distinctPairs, (pairs) => {
        const fromQuery = parsePostback({
          method: 'GET',
          channel: 'conversion',
          rawQuery: encodeAsForm(pairs, true),
          body: null,
          contentType: null,
        });
        const fromForm = parsePostback({
          method: 'POST',
          channel: 'conversion',
          rawQuery: '',
          body: encodeAsForm(pairs, true),
          contentType: 'application/x-www-form-urlencoded',
        });
        expect(fromForm).toEqual(fromQuery);
      }),
      { numRuns: 500 },
    );
  });
});

describe('readAmountCents over arbitrary amounts', () => {
  const withThousands = (digits: string, separator: string) =>
    digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

  it('reads back any amount written in any of the accepted styles', () => {
    const style = fc.constantFrom(
      'plain',
      'comma-thousands',
      'dot-thousands-decimal-comma',
      'decimal-comma',
      'dollar',
      'prefix-code',
      'suffix-code',
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), style, (cents, chosen) => {
        const magnitude = Math.abs(cents);
        const dollars = String(Math.floor(magnitude / 100));
        const fraction = String(magnitude % 100).padStart(2, '0');
        const sign = cents < 0 ? '-' : '';
        const written = {
          plain: `${sign}${dollars}.${fraction}`,
          'comma-thousands': `${sign}${withThousands(dollars, ',')}.${fraction}`,
          'dot-thousands-decimal-comma': `${sign}${withThousands(dollars, '.')},${fraction}`,
          'decimal-comma': `${sign}${dollars},${fraction}`,
          dollar: `${sign}$${withThousands(dollars, ',')}.${fraction}`,
          'prefix-code': `USD ${sign}${dollars}.${fraction}`,
          'suffix-code': `${sign}${dollars}.${fraction} EUR`,
        }[chosen];
        expect(readAmountCents(written)).toEqual({ value: cents === 0 ? 0 : cents, issues: [] });
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and gives either safe integer cents or null with exactly one issue', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[-+$ ,.0-9A-Za-z]{0,20}$/)), (text) => {
        const reading = readAmountCents(text);
        if (reading.value === null) expect(reading.issues).toHaveLength(1);
        else expect(Number.isSafeInteger(reading.value) && reading.issues.length === 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
