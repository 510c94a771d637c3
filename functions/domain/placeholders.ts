/**
 * Placeholders: values Buygoods never filled in (an unreplaced token such as {SUBID}, or a stand-in
 * word). A placeholder is treated as "no value" everywhere: it is never stored as data.
 */

const PLACEHOLDER_WORDS = new Set(['null', 'undefined', 'none', 'nil', 'replace', 'optional']);

/** Whole-value token shapes; `{...}` also covers `{{...}}`. */
const PLACEHOLDER_SHAPES: readonly RegExp[] = [/^\{.*\}$/s, /^\[.*\]$/s, /^%.*%$/s, /^#.*#$/s];

/** A brace still percent-encoded after decoding means the token was double-encoded and never filled. */
const ENCODED_BRACE = /%7[BD]/i;

export function isPlaceholder(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  const trimmed = value.trim();
  if (trimmed === '') return true;
  if (PLACEHOLDER_WORDS.has(trimmed.toLowerCase())) return true;
  if (PLACEHOLDER_SHAPES.some((shape) => shape.test(trimmed))) return true;
  return ENCODED_BRACE.test(trimmed);
}

/** The trimmed value, or null when it is absent or a placeholder. */
export function readValue(value: string | null | undefined): string | null {
  return isPlaceholder(value) ? null : (value as string).trim();
}
