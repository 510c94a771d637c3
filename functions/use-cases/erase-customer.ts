/**
 * GDPR erasure: removes a customer's name, email and email hash from every conversion that carries them
 * (their history included) and the email hash from those conversions' postback log copies, keeping the
 * anonymised financial trail (orders, amounts, outcomes). Names and emails never reach the log.
 */
import { z } from 'zod';
import type { ConversionRecord } from '../domain/conversion';
import type { CustomerDetails } from '../domain/postback';
import { hashEmail, normaliseEmail } from '../domain/email';
import { ValidationError } from '../domain/errors';
import type { Clock, LedgerRepository } from '../ports';
import { validateInput } from './validate-input';

const ERASED = { name: null, email: null, emailHash: null };
const schema = z.object({ email: z.string().trim().min(3).max(320) });

const isTheirs = (customer: unknown, emailHash: string) => (customer as CustomerDetails | undefined)?.emailHash === emailHash;

/** Every customer a conversion has had (the one in force, and those in its history). */
const customersOf = (record: ConversionRecord) => [record.customer, ...record.history.flatMap((entry) => [entry.previous.customer, entry.superseded?.customer])];

/** Erases this customer wherever the conversion holds them; another customer it held stays. */
function scrub(record: ConversionRecord, emailHash: string, erasedAt: string): ConversionRecord & { erasedAt: string } {
  const scrubFields = (fields: Record<string, unknown>) => (isTheirs(fields.customer, emailHash) ? { ...fields, customer: ERASED } : fields);
  return {
    ...record,
    customer: isTheirs(record.customer, emailHash) ? ERASED : record.customer,
    history: record.history.map((entry) => ({
      ...entry,
      previous: scrubFields(entry.previous),
      ...(entry.superseded ? { superseded: scrubFields(entry.superseded) } : {}),
    })),
    erasedAt,
  };
}

/** Email hashes in affiliate postbacks (`emailhash=`) are personal data too: masked in the log copy. */
function maskEmailHash(rawQuery: string, emailHash: string): string {
  return rawQuery.replace(new RegExp(emailHash, 'gi'), '[erased]');
}

export async function eraseCustomer(deps: { readonly ledger: LedgerRepository; readonly clock: Clock }, accountId: string, query: Record<string, string | undefined>) {
  const { email } = validateInput(schema, query, 'erasure request');
  const normalised = normaliseEmail(email).email;
  if (!normalised) throw new ValidationError('The erasure request is not valid', { email: ['must be an email address'] });
  const emailHash = hashEmail(normalised);
  const erasedAt = deps.clock.now().toISOString();
  const targets = await deps.ledger.findCustomerConversions(accountId, emailHash);
  let conversions = 0;
  let postbacks = 0;
  for (const { orderId, slot } of targets) {
    const record = await deps.ledger.getConversion(accountId, orderId, slot);
    if (!record || !customersOf(record).some((customer) => isTheirs(customer, emailHash))) continue;
    await deps.ledger.putConversion(scrub(record, emailHash, erasedAt), record.version);
    conversions++;
    for (const postbackId of record.appliedPostbackIds) {
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
