/**
 * Order ids: the identity of a conversion. Unlike a click id, a bad order id rejects the postback,
 * because nothing could be recorded against it: readOrderId says why (its issue), orderIdRejection
 * turns that into the postback's rejection.
 */
import { isPlaceholder } from './placeholders';
import type { Rejection } from './postback';
import type { IssueCode, Reading } from './reading';

export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The message each reason carries in a rejected postback's answer and log entry. */
const REJECTION_MESSAGES = {
  order_id_missing: 'The order id is missing',
  order_id_placeholder: 'The order id is an unfilled placeholder',
  order_id_invalid: "The order id must be 1-64 characters of letters, digits, '_' or '-'",
} as const satisfies Readonly<Record<string, string>>;

type OrderIdIssue = keyof typeof REJECTION_MESSAGES;
const isOrderIdIssue = (issue: IssueCode): issue is OrderIdIssue => Object.hasOwn(REJECTION_MESSAGES, issue);

const unread = (issue: OrderIdIssue): Reading<string> => ({ value: null, issues: [issue] });

/** The trimmed order id; null with exactly one issue (order_id_missing, _placeholder or _invalid) otherwise. */
export function readOrderId(raw: string | null | undefined): Reading<string> {
  if (raw === null || raw === undefined || raw.trim() === '') return unread('order_id_missing');
  if (isPlaceholder(raw)) return unread('order_id_placeholder');
  const value = raw.trim();
  if (!ORDER_ID_PATTERN.test(value)) return unread('order_id_invalid');
  return { value, issues: [] };
}

/** Why a postback with this order id is rejected; null when the order id was read. */
export function orderIdRejection(reading: Reading<string>): Rejection | null {
  if (reading.value !== null) return null;
  const code = reading.issues.find(isOrderIdIssue) ?? 'order_id_missing';
  return { code, message: REJECTION_MESSAGES[code] };
}
