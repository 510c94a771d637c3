/**
 * Money amounts as Buygoods sends them ("47.90", "$47.90", "47,90", "1,234.56", "USD 47.90") turned
 * into signed integer cents. Digits are handled as text, so no floating-point drift can creep in.
 */
import { isPlaceholder } from './placeholders';
import type { Reading } from './reading';

/** An optional sign, an optional ISO currency code before or after, and the number itself. */
const AMOUNT_SHAPE = /^([+-]?)([A-Za-z]{3})?([+-]?)([0-9.,]+)([A-Za-z]{3})?$/;
/** A single comma followed by exactly two digits at the end is a decimal comma (European style). */
const DECIMAL_COMMA = /^([^,]*),(\d{2})$/;
const DOT_GROUPED = /^\d{1,3}(\.\d{3})+$/;
const COMMA_GROUPED = /^\d{1,3}(,\d{3})+$/;
const DIGITS = /^\d*$/;

const UNPARSEABLE: Reading<number> = { value: null, issues: ['amount_unparseable'] };

/**
 * The amount in signed integer cents. Absent (null) gives null with no issue: whether a missing amount
 * matters depends on the postback kind, so the caller decides. A placeholder or unreadable text gives
 * null with an issue.
 */
export function readAmountCents(raw: string | null | undefined): Reading<number> {
  if (raw === null || raw === undefined) return { value: null, issues: [] };
  if (isPlaceholder(raw)) return { value: null, issues: ['amount_placeholder'] };

  const match = AMOUNT_SHAPE.exec(raw.replace(/[\s$]+/g, ''));
  if (!match) return UNPARSEABLE;
  const [, leadingSign, prefixCode, innerSign, number, suffixCode] = match;
  if ((leadingSign && innerSign) || (prefixCode && suffixCode)) return UNPARSEABLE;

  const parts = splitNumber(number ?? '');
  const cents = parts ? centsOf(parts.whole, parts.fraction) : null;
  if (cents === null) return UNPARSEABLE;
  const negative = (leadingSign || innerSign) === '-' && cents !== 0;
  return { value: negative ? -cents : cents, issues: [] };
}

/** Separates whole and fractional digits, dropping thousands separators; null when ambiguous or malformed. */
function splitNumber(number: string): { whole: string; fraction: string } | null {
  const decimalComma = DECIMAL_COMMA.exec(number);
  if (decimalComma) {
    const whole = decimalComma[1] ?? '';
    if (DIGITS.test(whole)) return { whole, fraction: decimalComma[2] ?? '' };
    return DOT_GROUPED.test(whole)
      ? { whole: whole.replace(/\./g, ''), fraction: decimalComma[2] ?? '' }
      : null;
  }
  const pieces = number.split('.');
  if (pieces.length > 2) return null;
  const [grouped = '', fraction = ''] = pieces;
  if (!DIGITS.test(fraction)) return null;
  if (DIGITS.test(grouped)) return { whole: grouped, fraction };
  // Commas are thousands separators, and only in their proper places: "47,9" is not 479 dollars.
  return COMMA_GROUPED.test(grouped) ? { whole: grouped.replace(/,/g, ''), fraction } : null;
}

/** Whole and fraction digits to cents, rounding half up on the third fractional digit. */
function centsOf(whole: string, fraction: string): number | null {
  if (whole === '' && fraction === '') return null;
  const padded = (fraction + '00').slice(0, 2);
  const roundUp = (fraction[2] ?? '0') >= '5' ? 1n : 0n;
  const cents = BigInt(whole || '0') * 100n + BigInt(padded) + roundUp;
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}
