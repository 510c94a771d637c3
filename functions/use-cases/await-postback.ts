/** Waits briefly for a just-enqueued postback to be processed, for endpoints that answer with its record. */
import type { PostbackRecord } from '../domain/postback-log';
import type { Clock } from '../ports/clock';
import type { PostbackLog } from '../ports/postback-log';

export async function awaitPostback(
  deps: { readonly ledger: Pick<PostbackLog, 'getPostback'>; readonly clock: Clock },
  accountId: string,
  postbackId: string,
  timeoutMs: number,
  pollMs = 100,
): Promise<PostbackRecord | null> {
  const deadline = deps.clock.now().getTime() + timeoutMs;
  for (;;) {
    const record = await deps.ledger.getPostback(accountId, postbackId);
    if (record || deps.clock.now().getTime() >= deadline) return record;
    await deps.clock.sleep(pollMs);
  }
}
