/** The postback log, newest first, filtered by outcome, issue code and time range. */
import { z } from 'zod';
import { ISSUE_CODE, POSTBACK_OUTCOMES, type PostbackRecord } from '../domain/postback-log';
import type { PostbackLog } from '../ports/postback-log';
import type { Page } from '../ports/page';
import { listQuerySchema, parseQuery } from './list-query';

const schema = listQuerySchema.extend({
  outcome: z.enum(POSTBACK_OUTCOMES).optional(),
  issue: z.string().trim().regex(ISSUE_CODE, 'must be an issue code such as click_id_malformed').optional(),
});

export async function listPostbacks(
  deps: { ledger: PostbackLog },
  accountId: string,
  query: Record<string, string | undefined>,
): Promise<Page<PostbackRecord>> {
  const { from, to, outcome, issue, limit, cursor } = parseQuery(schema, query);
  return deps.ledger.listPostbacks(
    accountId,
    { from: from ?? null, to: to ?? null },
    outcome ?? null,
    limit,
    cursor ?? null,
    issue ?? null,
  );
}
