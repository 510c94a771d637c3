/**
 * Replay: a stored postback runs again through the same queue and consumer, as a new postback that names
 * the one it replays (replaying an accepted one yields `duplicate`). In bulk, by outcome and time range,
 * for example every rejected postback since a fix.
 */
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../domain/errors';
import { newPostbackId } from '../domain/ids';
import type { PostbackMessage, PostbackRecord } from '../domain/postback-log';
import type { Clock, LedgerRepository, PostbackPublisher } from '../ports';
import { awaitPostback } from './await-postback';
import { listQuerySchema } from './list-query';
import { validateInput } from './validate-input';

export interface ReplayDependencies {
  readonly ledger: Pick<LedgerRepository, 'getPostback' | 'listPostbacks'>;
  readonly publisher: PostbackPublisher;
  readonly clock: Clock;
  readonly waitMs?: number;
}

/** Oversized requests were logged truncated: replaying them would record half a postback. */
const NOT_REPLAYABLE = new Set(['uri_too_long', 'payload_too_large']);
const MAX_BULK = 1000;

async function enqueueReplay(deps: ReplayDependencies, original: PostbackRecord): Promise<string> {
  const receivedAt = deps.clock.now();
  const message: PostbackMessage = {
    v: 1,
    postbackId: newPostbackId(receivedAt),
    accountId: original.accountId,
    receivedAt: receivedAt.toISOString(),
    sourceIp: original.sourceIp,
    raw: { method: original.method, channel: original.channel, rawQuery: original.rawQuery, body: original.body, contentType: original.contentType },
    rejection: null,
    replayOf: original.postbackId,
    originalReceivedAt: original.originalReceivedAt ?? original.receivedAt,
  };
  await deps.publisher.publish(message);
  return message.postbackId;
}

export async function replayPostback(deps: ReplayDependencies, accountId: string, postbackId: string) {
  const original = await deps.ledger.getPostback(accountId, postbackId);
  if (!original) throw new NotFoundError('No processed postback has this id');
  if (original.error && NOT_REPLAYABLE.has(original.error.code)) throw new ConflictError('not_replayable', 'This postback was refused for its size and only a truncated copy was kept');
  const replayId = await enqueueReplay(deps, original);
  const record = await awaitPostback(deps.ledger, accountId, replayId, deps.waitMs ?? 5000);
  return record ? { processed: true as const, record } : { processed: false as const, postbackId: replayId, replayOf: postbackId };
}

const bulkSchema = listQuerySchema.pick({ from: true, to: true }).extend({
  outcome: z.enum(['accepted', 'duplicate', 'updated', 'rejected', 'ignored']).optional(),
  limit: z.number().int().min(1).max(MAX_BULK).default(MAX_BULK),
});

export async function replayPostbacks(deps: ReplayDependencies, accountId: string, body: unknown) {
  const filter = validateInput(bulkSchema, body ?? {}, 'replay filter');
  const replayed: Array<{ postbackId: string; replayOf: string }> = [];
  const skipped: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await deps.ledger.listPostbacks(accountId, { from: filter.from ?? null, to: filter.to ?? null }, filter.outcome ?? null, 100, cursor);
    for (const original of page.items) {
      if (replayed.length >= filter.limit) break;
      if (original.error && NOT_REPLAYABLE.has(original.error.code)) skipped.push(original.postbackId);
      else replayed.push({ postbackId: await enqueueReplay(deps, original), replayOf: original.postbackId });
    }
    cursor = page.cursor;
  } while (cursor && replayed.length < filter.limit);
  return { replayed: replayed.length, skipped: skipped.length, postbacks: replayed, skippedPostbackIds: skipped };
}
