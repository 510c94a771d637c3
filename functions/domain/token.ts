/**
 * Integration tokens: the secret in a postback URL. A token is derived from a server-side secret and a
 * random nonce (HMAC-SHA256, 256 bits), so the table keeps only the nonce and the token's SHA-256:
 * the tables alone never yield a working URL, yet the service can show the URLs again. A presented token
 * is looked up by its digest and never compared with a stored secret, so no comparison's timing can leak
 * a token.
 */
import { createHash, createHmac } from 'node:crypto';
import { randomPart } from './ids';
import type { Reading } from './reading';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const TOKEN_NONCE_RANDOM_BYTES = 16;

/** A token's nonce: TOKEN_NONCE_RANDOM_BYTES random bytes in hex. */
export function newTokenNonce(randomHex: string): string {
  return randomPart(randomHex, TOKEN_NONCE_RANDOM_BYTES, 'hex');
}

export function deriveToken(secret: string, accountId: string, nonce: string): string {
  return createHmac('sha256', secret).update(`buygoods:${accountId}:${nonce}`).digest('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A token as found in a URL path: URL-decoded and trimmed, since pasted URLs often carry stray spaces
 * (raw or %20). Null when it cannot be a token, so lookups are only made for well-formed ones. Never an
 * issue: a segment that is no token is answered like an unknown token, and nothing is logged for it.
 */
export function readToken(pathSegment: string | undefined): Reading<string> {
  if (!pathSegment) return { value: null, issues: [] };
  let decoded = pathSegment;
  try {
    decoded = decodeURIComponent(pathSegment);
  } catch {
    // keep the raw segment: a bad escape simply does not match any token
  }
  const token = decoded.trim();
  return { value: TOKEN_PATTERN.test(token) ? token : null, issues: [] };
}

export const POSTBACK_QUERY_TEMPLATE =
  'subid={SUBID}&subid2={SUBID2}&subid3={SUBID3}&subid4={SUBID4}&subid5={SUBID5}&orderid={ORDERID}' +
  '&commission={COMMISSION_AMOUNT}&product={PRODUCT_CODENAME}&conv_type={CONV_TYPE}&emailhash={EMAILHASH}';

export function postbackUrls(baseUrl: string, token: string): { conversionUrl: string; refundUrl: string } {
  const root = `${baseUrl.replace(/\/+$/, '')}/v1/postbacks/buygoods/${token}`;
  return {
    conversionUrl: `${root}/conversion?${POSTBACK_QUERY_TEMPLATE}`,
    refundUrl: `${root}/refund?${POSTBACK_QUERY_TEMPLATE}`,
  };
}
