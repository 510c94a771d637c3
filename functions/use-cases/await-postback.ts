/** Waits briefly for a just-enqueued postback to be processed, for endpoints that answer with its record. */
import type { PostbackRecord } from '../domain/postback-log';
import type { LedgerRepository } from '../ports';

export async function awaitPostback(
  ledger: Pick<LedgerRepository, 'getPostback'>,
  accountId: string,
  postbackId: string,
  timeoutMs: number,
  pollMs = 100,
): Promise<PostbackRecord | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await ledger.getPostback(accountId, postbackId);
    if (record || Date.now() >= deadline) return record;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
