/**
 * What every reader of one raw value makes of it (readClickId, readOrderId, readAmountCents, readEmail,
 * readToken, ...): the value when something usable was there, and the issues found on the way. A reader
 * never throws and never rejects; whether a missing value or an issue matters is the caller's decision.
 */

/**
 * A machine-readable, snake_case code for something odd in a postback (click_id_placeholder,
 * amount_unparseable, order_id_missing, ...). issue-explanations.ts says what each means in plain words.
 */
export type IssueCode = string;

export interface Reading<T> {
  /** What was read, normalised; null when the raw value was absent, a placeholder or unusable. */
  readonly value: T | null;
  /** Why the value is null, or what was odd about it; empty when nothing was. */
  readonly issues: readonly IssueCode[];
}
