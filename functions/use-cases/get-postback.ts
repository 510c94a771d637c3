/** One postback record from the log. */
import { NotFoundError } from '../domain/errors';
import type { PostbackRecord } from '../domain/postback-log';
import type { PostbackLog } from '../ports/postback-log';

export async function getPostback(
  deps: { ledger: PostbackLog },
  accountId: string,
  postbackId: string,
): Promise<PostbackRecord> {
  const record = await deps.ledger.getPostback(accountId, postbackId);
  if (!record) throw new NotFoundError('No processed postback has this id (it may still be in the queue)');
  return record;
}
