/** Small factories for postback messages and queries, as Buygoods would send them. */
import { newPostbackId } from '../../functions/domain/ids';
import type { Channel } from '../../functions/domain/postback';
import type { SQSEvent } from 'aws-lambda';
import type { PostbackMessage } from '../../functions/domain/postback-log';

let clock = Date.parse('2026-11-25T10:00:00.000Z');

export function query(values: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(values).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

export function postbackMessage(options: {
  accountId?: string;
  channel?: Channel;
  query?: Record<string, string | number>;
  body?: string;
  contentType?: string;
  receivedAt?: Date;
}): PostbackMessage {
  const receivedAt = options.receivedAt ?? new Date((clock += 1000));
  return {
    v: 1,
    postbackId: newPostbackId(receivedAt),
    accountId: options.accountId ?? 'acct-1',
    receivedAt: receivedAt.toISOString(),
    sourceIp: '203.0.113.7',
    raw: {
      method: options.body === undefined ? 'GET' : 'POST',
      channel: options.channel ?? 'conversion',
      rawQuery: options.query ? query(options.query) : '',
      body: options.body ?? null,
      contentType: options.contentType ?? (options.body === undefined ? null : 'application/x-www-form-urlencoded'),
    },
    rejection: null,
  };
}

/** An SQS event as Lambda's event source mapping hands it over: one first delivery per message, ids `${batch}-${index}`. */
export function sqsEvent(messages: readonly PostbackMessage[], batch = 'm'): SQSEvent {
  return {
    Records: messages.map((message, index) => ({
      messageId: `${batch}-${index}`, receiptHandle: 'r', body: JSON.stringify(message), messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:0:q', awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    })),
  };
}
