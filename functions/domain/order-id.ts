/**
 * Order ids: the identity of a conversion. Unlike a click id, a bad order id rejects the postback,
 * because nothing could be recorded against it.
 */
import { isPlaceholder } from './placeholders';
import type { DomainError } from './postback';

export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type OrderIdResult =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: DomainError };

export function validateOrderId(raw: string | null | undefined): OrderIdResult {
  if (raw === null || raw === undefined || raw.trim() === '') {
    return { ok: false, error: { code: 'order_id_missing', message: 'The order id is missing' } };
  }
  if (isPlaceholder(raw)) {
    return {
      ok: false,
      error: { code: 'order_id_placeholder', message: 'The order id is an unfilled placeholder' },
    };
  }
  const value = raw.trim();
  if (!ORDER_ID_PATTERN.test(value)) {
    return {
      ok: false,
      error: {
        code: 'order_id_invalid',
        message: "The order id must be 1-64 characters of letters, digits, '_' or '-'",
      },
    };
  }
  return { ok: true, value };
}
