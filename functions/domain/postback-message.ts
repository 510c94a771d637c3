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
}) satisfies z.ZodType<PostbackMessage>;

/**
 * The message as the queue's body: JSON with every character outside printable ASCII escaped (\uXXXX).
 * SQS refuses bodies with some characters (U+FFFE, U+FFFF, and in some emulators anything beyond the
 * BMP), and a postback carrying one would otherwise be refused with a 503 on every retry. JSON.parse
 * restores the exact text; the worst case (all two-byte characters) triples a body, well within SQS's
 * message size for the 64 KiB body and 8 KiB URL ingest accepts.
 */
export function serialisePostbackMessage(message: PostbackMessage): string {
  return JSON.stringify(message).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function readPostbackMessage(body: string): { ok: true; message: PostbackMessage } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'message body is not JSON' };
  }
  const result = postbackMessageSchema.safeParse(json);
  return result.success ? { ok: true, message: result.data } : { ok: false, reason: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
