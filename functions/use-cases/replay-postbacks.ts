/**
 * Replay of one postback: it runs again through the same queue and consumer, as a new postback that
 * names the one it replays (replaying an accepted one yields `duplicate`), and the call waits briefly for
 * its record. Bulk replay is a background job (start-replay-job.ts).
 */
import { ConflictError, NotFoundError } from '../domain/errors';
import { newPostbackId, POSTBACK_ID_RANDOM_BYTES } from '../domain/ids';
import { isReplayable, replayMessageOf } from '../domain/replay-job';
import type { Clock } from '../ports/clock';
import type { PostbackLog } from '../ports/postback-log';
import type { PostbackPublisher } from '../ports/postback-publisher';
import type { RandomSource } from '../ports/random-source';
import { awaitPostback } from './await-postback';

export interface ReplayDependencies {
  readonly ledger: Pick<PostbackLog, 'getPostback'>;
  readonly publisher: PostbackPublisher;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly waitMs?: number;
}

export async function replayPostback(deps: ReplayDependencies, accountId: string, postbackId: string) {
  const original = await deps.ledger.getPostback(accountId, postbackId);
  if (!original) throw new NotFoundError('No processed postback has this id');
  if (!isReplayable(original))
    throw new ConflictError(
      'not_replayable',
      'This postback was refused for its size and only a truncated copy was kept',
    );
  const receivedAt = deps.clock.now();
  const replayId = newPostbackId(receivedAt, deps.random.hex(POSTBACK_ID_RANDOM_BYTES));
  const message = replayMessageOf(original, replayId, receivedAt);
  await deps.publisher.publish(message);
  const record = await awaitPostback(deps, accountId, message.postbackId, deps.waitMs ?? 5000);
  return record
    ? { processed: true as const, record }
    : { processed: false as const, postbackId: message.postbackId, replayOf: postbackId };
}
