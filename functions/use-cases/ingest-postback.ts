/**
 * Ingest: check the token and the size limits, make a first verdict, and enqueue the raw postback.
 * Nothing is written here: the consumer records every postback, accepted or rejected, from the queue.
 */
import { PayloadTooLargeError, NotFoundError, UriTooLongError } from '../domain/errors';
import { newPostbackId, POSTBACK_ID_RANDOM_BYTES } from '../domain/ids';
import { parsePostback } from '../domain/parse-postback';
import {
  CHANNELS,
  type Channel,
  type Rejection,
  type HttpMethod,
  type RawPostback,
} from '../domain/postback';
import type { PostbackMessage } from '../domain/postback-log';
import { hashToken, readToken } from '../domain/token';
import type { Clock } from '../ports/clock';
import type { IntegrationRepository } from '../ports/integration-repository';
import type { PostbackPublisher } from '../ports/postback-publisher';
import type { RandomSource } from '../ports/random-source';

export const MAX_URL_BYTES = 8 * 1024;
export const MAX_BODY_BYTES = 64 * 1024;

export interface IngestRequest {
  readonly method: string;
  readonly tokenSegment: string | undefined;
  readonly channelSegment: string | undefined;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly body: string | null;
  readonly contentType: string | null;
  readonly sourceIp: string | null;
}

export type IngestResult =
  | { readonly status: 200; readonly postbackId: string }
  /** Refused by the first verdict: enqueued all the same, so the consumer logs it; the ids are for the ingest log line. */
  | {
      readonly status: 400;
      readonly postbackId: string;
      readonly accountId: string;
      readonly orderId: string | null;
      readonly error: Rejection;
    };

export interface IngestDependencies {
  readonly integrations: Pick<IntegrationRepository, 'findAccountByTokenHash'>;
  readonly publisher: PostbackPublisher;
  readonly clock: Clock;
  readonly random: RandomSource;
}

function sizeError(request: IngestRequest): PayloadTooLargeError | UriTooLongError | null {
  const urlBytes = Buffer.byteLength(request.rawPath) + 1 + Buffer.byteLength(request.rawQuery);
  if (urlBytes > MAX_URL_BYTES)
    return new UriTooLongError(`The URL is ${urlBytes} bytes; the limit is ${MAX_URL_BYTES}`);
  const bodyBytes = request.body === null ? 0 : Buffer.byteLength(request.body);
  if (bodyBytes > MAX_BODY_BYTES)
    return new PayloadTooLargeError(`The body is ${bodyBytes} bytes; the limit is ${MAX_BODY_BYTES}`);
  return null;
}

/**
 * Oversized requests are logged with a truncated copy, so the log shows what was refused: the first
 * `limit` UTF-16 code units (up to three times as many UTF-8 bytes, well inside an item's 400 KB).
 */
function truncate(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

export async function ingestPostback(
  deps: IngestDependencies,
  request: IngestRequest,
): Promise<IngestResult> {
  const channel = CHANNELS.find((c) => c === request.channelSegment) as Channel | undefined;
  const method = request.method.toUpperCase() as HttpMethod;
  const token = readToken(request.tokenSegment).value;
  const tooLarge = sizeError(request);
  const accountId =
    token && channel ? await deps.integrations.findAccountByTokenHash(hashToken(token)) : null;
  if (tooLarge) {
    if (accountId && channel) {
      const raw = {
        method,
        channel,
        rawQuery: truncate(request.rawQuery, MAX_URL_BYTES),
        body: request.body === null ? null : truncate(request.body, MAX_URL_BYTES),
        contentType: request.contentType,
      };
      await enqueue(deps, accountId, raw, request.sourceIp, {
        code: tooLarge.code,
        message: tooLarge.message,
      });
    }
    throw tooLarge;
  }
  if (!accountId || !channel) throw new NotFoundError();

  const raw: RawPostback = {
    method,
    channel,
    rawQuery: request.rawQuery,
    body: request.body,
    contentType: request.contentType,
  };
  const verdict = parsePostback(raw);
  const postbackId = await enqueue(deps, accountId, raw, request.sourceIp, verdict.ok ? null : verdict.error);
  // An IPN event that is not a conversion (the connection test, say) is answered 200 like any accepted one.
  if (verdict.ok || verdict.ignored !== undefined) return { status: 200, postbackId };
  return { status: 400, postbackId, accountId, orderId: verdict.orderId, error: verdict.error };
}

async function enqueue(
  deps: IngestDependencies,
  accountId: string,
  raw: RawPostback,
  sourceIp: string | null,
  rejection: Rejection | null,
) {
  const receivedAt = deps.clock.now();
  const message: PostbackMessage = {
    v: 1,
    postbackId: newPostbackId(receivedAt, deps.random.hex(POSTBACK_ID_RANDOM_BYTES)),
    accountId,
    receivedAt: receivedAt.toISOString(),
    sourceIp,
    raw,
    rejection,
  };
  await deps.publisher.publish(message);
  return message.postbackId;
}
