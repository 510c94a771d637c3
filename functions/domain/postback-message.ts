/**
 * The queue message's shape, checked on arrival: a message that does not match can never succeed, so the
 * consumer records it and moves on instead of retrying it forever.
 */
import { z } from 'zod';
import type { PostbackMessage } from './postback-log';

const error = z.object({ code: z.string(), message: z.string() });

export const postbackMessageSchema = z.object({
  v: z.literal(1),
  postbackId: z.string().min(1),
  accountId: z.string().min(1),
  receivedAt: z.string().min(1),
  sourceIp: z.string().nullable(),
  raw: z.object({
    method: z.enum(['GET', 'POST']),
    channel: z.enum(['conversion', 'refund']),
    rawQuery: z.string(),
    body: z.string().nullable(),
    contentType: z.string().nullable(),
  }),
  rejection: error.nullable(),
  replayOf: z.string().nullable().optional(),
  originalReceivedAt: z.string().nullable().optional(),
}) satisfies z.ZodType<PostbackMessage>;

export function readPostbackMessage(
  body: string,
): { ok: true; message: PostbackMessage } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'message body is not JSON' };
  }
  const result = postbackMessageSchema.safeParse(json);
  return result.success
    ? { ok: true, message: result.data }
    : { ok: false, reason: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
