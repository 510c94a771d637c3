/**
 * Customer email and email hash (IPN customer_emailaddress, the {EMAILHASH} token). Emails are trimmed
 * and lower-cased; the hash is the SHA-256 hex of that normal form, so both channels yield the same hash.
 */
import { createHash } from 'node:crypto';
import { isPlaceholder } from './placeholders';

/** Deliberately loose: one '@', no spaces, a dot in the domain. Real validation is the mail server's job. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_EMAIL_LENGTH = 254;
const EMAIL_HASH_SHAPE = /^[0-9a-f]{64}$/;

export interface EmailReading {
  readonly email: string | null;
  readonly emailHash: string | null;
  readonly issues: string[];
}

/** The trimmed, lower-cased email; null (with email_invalid) when it does not look like an email. */
export function normaliseEmail(raw: string | null | undefined): { email: string | null; issues: string[] } {
  if (isPlaceholder(raw)) return { email: null, issues: [] };
  const email = (raw as string).trim().toLowerCase();
  const valid = email.length <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(email);
  return valid ? { email, issues: [] } : { email: null, issues: ['email_invalid'] };
}

/** The lower-cased hash; null (with email_hash_invalid) unless it is 64 hex characters. */
export function normaliseEmailHash(raw: string | null | undefined): {
  emailHash: string | null;
  issues: string[];
} {
  if (isPlaceholder(raw)) return { emailHash: null, issues: [] };
  const emailHash = (raw as string).trim().toLowerCase();
  return EMAIL_HASH_SHAPE.test(emailHash)
    ? { emailHash, issues: [] }
    : { emailHash: null, issues: ['email_hash_invalid'] };
}

export function hashEmail(normalisedEmail: string): string {
  return createHash('sha256').update(normalisedEmail, 'utf8').digest('hex');
}

/** A given hash wins (it is what Buygoods computed); otherwise the hash is computed from the email. */
export function readEmail(
  rawEmail: string | null | undefined,
  rawHash: string | null | undefined,
): EmailReading {
  const { email, issues: emailIssues } = normaliseEmail(rawEmail);
  const { emailHash: givenHash, issues: hashIssues } = normaliseEmailHash(rawHash);
  const emailHash = givenHash ?? (email === null ? null : hashEmail(email));
  return { email, emailHash, issues: [...emailIssues, ...hashIssues] };
}
