/**
 * Random bytes: node:crypto's generator in AWS and local mode, a counter in unit tests. Only the random
 * part of an id or nonce is drawn here; its format (prefix, time, length) is the domain's
 * (functions/domain/ids.ts, token.ts), which names how many bytes each one takes.
 */
export interface RandomSource {
  /** `bytes` random bytes as 2 × `bytes` lowercase hex digits. */
  hex(bytes: number): string;
  /** `bytes` random bytes as base64url, unpadded. */
  base64url(bytes: number): string;
}
