/**
 * GDPR erasure: removes a customer's name, email and email hash from every conversion that carries them
 * (their history included), keeping the anonymised financial trail (orders, amounts, outcomes). Names,
 * emails and email hashes are redacted from postback log copies when written; copies written before the
 * hash was redacted are masked here.
 */
import { z } from 'zod';
import type { ConversionRecord, ConversionSlot } from '../domain/conversion';
import type { CustomerDetails } from '../domain/postback';
import { hashEmail, readEmailAddress } from '../domain/email';
import { ValidationError, WriteConflictError } from '../domain/errors';
import type { Clock } from '../ports/clock';
import type { ConversionRepository } from '../ports/conversion-repository';
import type { LedgerRepository } from '../ports/ledger-repository';
import { validateInput } from './validate-input';

const ERASED = { name: null, email: null, emailHash: null };
const schema = z.object({ email: z.string().trim().min(3).max(320) });

const MAX_ATTEMPTS = 5;

/** The record with this customer erased wherever it holds them (another customer stays); null when nowhere. */
function eraseFrom(record: ConversionRecord, emailHash: string): ConversionRecord | null {
  let found = false;
  const erase = (customer: CustomerDetails | undefined) => {
    if (customer?.emailHash !== emailHash) return customer;
    found = true;
    return ERASED;
  };
  const eraseIn = (fields: Record<string, unknown>) =>
    'customer' in fields ? { ...fields, customer: erase(fields.customer as CustomerDetails) } : fields;
  const erased: ConversionRecord = {
    ...record,
    customer: erase(record.customer)!,
    history: record.history.map((entry) => ({
      ...entry,
      previous: eraseIn(entry.previous),
      ...(entry.superseded ? { superseded: eraseIn(entry.superseded) } : {}),
    })),
  };
  return found ? erased : null;
}

/** Conditional like the consumer's writes: a consumer writing the same slot meanwhile is re-read, never undone. */
async function eraseConversion(
  ledger: Pick<ConversionRepository, 'getConversion' | 'putConversion'>,
  target: { accountId: string; orderId: string; slot: ConversionSlot },
  emailHash: string,
  erasedAt: string,
) {
  for (let attempt = 1; ; attempt++) {
    const record = await ledger.getConversion(target.accountId, target.orderId, target.slot);
    const erased = record && eraseFrom(record, emailHash);
    if (!record || !erased) return null;
    // Strictly later than what was read, so a consumer's write conditioned on the old record fails.
    const updatedAt =
      erasedAt > record.updatedAt ? erasedAt : new Date(Date.parse(record.updatedAt) + 1).toISOString();
    try {
      await ledger.putConversion({ ...erased, erasedAt, updatedAt }, record);
      return erased;
    } catch (error) {
      if (!(error instanceof WriteConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Log copies written before the email hash was redacted on write still carry it (`emailhash=`): masked. */
function maskEmailHash(rawQuery: string, emailHash: string): string {
  return rawQuery.replace(new RegExp(emailHash, 'gi'), '[erased]');
}

export async function eraseCustomer(
  deps: { readonly ledger: LedgerRepository; readonly clock: Clock },
  accountId: string,
  query: Record<string, string | undefined>,
) {
  const { email } = validateInput(schema, query, 'erasure request');
  const normalised = readEmailAddress(email).value;
  if (!normalised)
    throw new ValidationError('The erasure request is not valid', { email: ['must be an email address'] });
  const emailHash = hashEmail(normalised);
  const erasedAt = deps.clock.now().toISOString();
  const targets = await deps.ledger.findCustomerConversions(accountId, emailHash);
  let conversions = 0;
  let postbacks = 0;
  for (const { orderId, slot } of targets) {
    const erased = await eraseConversion(deps.ledger, { accountId, orderId, slot }, emailHash, erasedAt);
    if (!erased) continue;
    conversions++;
    for (const postbackId of erased.appliedPostbackIds) {
      const logged = await deps.ledger.getPostback(accountId, postbackId);
      if (!logged) continue;
      const rawQuery = maskEmailHash(logged.rawQuery, emailHash);
      const body = logged.body === null ? null : maskEmailHash(logged.body, emailHash);
      if (rawQuery !== logged.rawQuery || body !== logged.body) {
        await deps.ledger.putPostback({ ...logged, rawQuery, body });
        postbacks++;
      }
    }
  }
  await deps.ledger.removeCustomerIndex(accountId, emailHash);
  return { erasedAt, conversions, postbacks };
}
