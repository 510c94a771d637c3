/**
 * Customer email and email hash (IPN customer_emailaddress, the {EMAILHASH} token). Emails are trimmed
 * and lower-cased; the hash is the SHA-256 hex of that normal form, so both channels yield the same hash.
 */
import { createHash } from 'node:crypto';
import { isPlaceholder } from './placeholders';
import type { Reading } from './reading';

/** Deliberately loose: one '@', no spaces, a dot in the domain. Real validation is the mail server's job. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_EMAIL_LENGTH = 254;
const EMAIL_HASH_SHAPE = /^[0-9a-f]{64}$/;

/** A customer's email hash, and their address when it came and looked like one. */
export interface CustomerEmail {
  readonly email: string | null;
  readonly emailHash: string;
}

/** The trimmed, lower-cased email; null (with email_invalid) when it does not look like an email. */
export function readEmailAddress(raw: string | null | undefined): Reading<string> {
  if (isPlaceholder(raw)) return { value: null, issues: [] };
  const email = (raw as string).trim().toLowerCase();
  const valid = email.length <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(email);
  return valid ? { value: email, issues: [] } : { value: null, issues: ['email_invalid'] };
}

/** The lower-cased hash; null (with email_hash_invalid) unless it is 64 hex characters. */
export function readEmailHash(raw: string | null | undefined): Reading<string> {
  if (isPlaceholder(raw)) return { value: null, issues: [] };
  const emailHash = (raw as string).trim().toLowerCase();
  return EMAIL_HASH_SHAPE.test(emailHash)
    ? { value: emailHash, issues: [] }
    : { value: null, issues: ['email_hash_invalid'] };
}

export function hashEmail(normalisedEmail: string): string {
  return createHash('sha256').update(normalisedEmail, 'utf8').digest('hex');
}

/**
 * A given hash wins (it is what Buygoods computed); otherwise the hash is computed from the email. Null
 * when there is no hash at all: neither a valid hash nor a valid email came.
 */
export function readEmail(
  rawEmail: string | null | undefined,
  rawHash: string | null | undefined,
): Reading<CustomerEmail> {
  const email = readEmailAddress(rawEmail);
  const hash = readEmailHash(rawHash);
  const emailHash = hash.value ?? (email.value === null ? null : hashEmail(email.value));
  return {
    value: emailHash === null ? null : { email: email.value, emailHash },
    issues: [...email.issues, ...hash.issues],
  };
}
