/**
 * Click ids: the affiliate's {SUBID}. A bad click id never rejects a postback; it is recorded with a
 * verdict (valid, malformed or missing) and the raw value kept for review.
 */
import { isPlaceholder } from './placeholders';
import type { ClickIdVerdict } from './postback';

export const MAX_CLICK_ID_LENGTH = 255;
export const CLICK_ID_PATTERN = /^[A-Za-z0-9._~:|-]{1,255}$/;
const CLICK_ID_CHARACTERS = /^[A-Za-z0-9._~:|-]*$/;

/** True for a click id as it may be stored: already trimmed, well-formed and not a placeholder. */
export function isValidClickId(value: string): boolean {
  return CLICK_ID_PATTERN.test(value) && !isPlaceholder(value);
}

export function judgeClickId(raw: string | null): { verdict: ClickIdVerdict; issues: string[] } {
  const missing = (issue: string) => ({
    verdict: { raw, value: null, status: 'missing' as const },
    issues: [issue],
  });
  if (raw === null || raw.trim() === '') return missing('click_id_missing');
  // An unfilled token means no click id was passed on, so it counts as missing, not malformed.
  if (isPlaceholder(raw)) return missing('click_id_placeholder');

  const value = raw.trim();
  if (isValidClickId(value)) return { verdict: { raw, value, status: 'valid' }, issues: [] };
  return { verdict: { raw, value: null, status: 'malformed' }, issues: malformationsOf(value) };
}

function malformationsOf(value: string): string[] {
  const issues: string[] = [];
  if (!CLICK_ID_CHARACTERS.test(value)) issues.push('click_id_malformed');
  if (value.length > MAX_CLICK_ID_LENGTH) issues.push('click_id_too_long');
  return issues;
}
