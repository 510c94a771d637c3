/**
 * Click ids: the affiliate's {SUBID}. A bad click id never rejects a postback; it is recorded with a
 * verdict (valid, malformed or missing) and the raw value kept for review.
 */
import { isPlaceholder } from './placeholders';
import type { ClickIdVerdict } from './postback';
import type { IssueCode, Reading } from './reading';

/** The reading of a click id: its value (the stored click id, null unless valid), with its verdict for review. */
export interface ClickIdReading extends Reading<string>, ClickIdVerdict {}

export const MAX_CLICK_ID_LENGTH = 255;
export const CLICK_ID_PATTERN = /^[A-Za-z0-9._~:|-]{1,255}$/;
const CLICK_ID_CHARACTERS = /^[A-Za-z0-9._~:|-]*$/;

/** True for a click id as it may be stored: already trimmed, well-formed and not a placeholder. */
export function isValidClickId(value: string): boolean {
  return CLICK_ID_PATTERN.test(value) && !isPlaceholder(value);
}

export function readClickId(raw: string | null): ClickIdReading {
  const missing = (issue: IssueCode): ClickIdReading => ({
    raw,
    value: null,
    status: 'missing',
    issues: [issue],
  });
  if (raw === null || raw.trim() === '') return missing('click_id_missing');
  // An unfilled token means no click id was passed on, so it counts as missing, not malformed.
  if (isPlaceholder(raw)) return missing('click_id_placeholder');

  const value = raw.trim();
  if (isValidClickId(value)) return { raw, value, status: 'valid', issues: [] };
  return { raw, value: null, status: 'malformed', issues: malformationsOf(value) };
}

/** The verdict alone, as a postback keeps it (without the issues, which the postback lists with the others). */
export function clickIdVerdict({ raw, value, status }: ClickIdReading): ClickIdVerdict {
  return { raw, value, status };
}

function malformationsOf(value: string): IssueCode[] {
  const issues: IssueCode[] = [];
  if (!CLICK_ID_CHARACTERS.test(value)) issues.push('click_id_malformed');
  if (value.length > MAX_CLICK_ID_LENGTH) issues.push('click_id_too_long');
  return issues;
}
