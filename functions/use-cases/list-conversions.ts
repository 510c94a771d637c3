/** An account's conversions, newest first, by time range and kind. */
import { z } from 'zod';
import type { ConversionRecord } from '../domain/conversion';
import { CONVERSION_KINDS } from '../domain/postback';
import type { ConversionRepository } from '../ports/conversion-repository';
import type { Page } from '../ports/page';
import { listQuerySchema, parseQuery } from './list-query';

const schema = listQuerySchema.extend({
  kind: z.enum(CONVERSION_KINDS).optional(),
});

export async function listConversions(
  deps: { ledger: ConversionRepository },
  accountId: string,
  query: Record<string, string | undefined>,
): Promise<Page<ConversionRecord>> {
  const { from, to, kind, limit, cursor } = parseQuery(schema, query);
  return deps.ledger.listConversions(
    accountId,
    { from: from ?? null, to: to ?? null },
    kind ?? null,
    limit,
    cursor ?? null,
  );
}
