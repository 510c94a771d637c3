/** Small factories for postback messages and queries, as Buygoods would send them. */
import { cryptoRandomSource } from '../../functions/adapters/crypto-random-source';
import { newPostbackId, POSTBACK_ID_RANDOM_BYTES } from '../../functions/domain/ids';
import type { Channel } from '../../functions/domain/postback';
import type { SQSEvent } from 'aws-lambda';
import type { PostbackMessage } from '../../functions/domain/postback-log';

let clock = Date.parse('2026-11-25T10:00:00.000Z');

export function query(values: Record<string, string | number>): string {
  return new URLSearchParams(
    Object.entries(values).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
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
    // Random, as in production: integration tests on one shared table must never reuse an id.
    postbackId: newPostbackId(receivedAt, cryptoRandomSource.hex(POSTBACK_ID_RANDOM_BYTES)),
    accountId: options.accountId ?? 'acct-1',
    receivedAt: receivedAt.toISOString(),
    sourceIp: '203.0.113.7',
    raw: {
      method: options.body === undefined ? 'GET' : 'POST',
      channel: options.channel ?? 'conversion',
      rawQuery: options.query ? query(options.query) : '',
      body: options.body ?? null,
      contentType:
        options.contentType ?? (options.body === undefined ? null : 'application/x-www-form-urlencoded'),
    },
    rejection: null,
  };
}

/** An SQS event as Lambda's event source mapping hands it over: one first delivery per message, ids `${batch}-${index}`. */
export function sqsEvent(messages: readonly PostbackMessage[], batch = 'm'): SQSEvent {
  return {
    Records: messages.map((message, index) => ({
      messageId: `${batch}-${index}`,
      receiptHandle: 'r',
      body: JSON.stringify(message),
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:0:q',
      awsRegion: 'us-east-1',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 's',
        ApproximateFirstReceiveTimestamp: '0',
      },
    })),
  };
}

/**
 * A vendor IPN form body shaped like Buygoods': its field order, keys sent twice with equal values
 * (account_id, product_codename, user_id, aff_id), rr_createdate in `YYYY-MM-DD HH:MM:SS` and the dates it
 * does not have as `0000-00-00 00:00:00`. `fields` overrides or adds; a value of null leaves the key out.
 */
export function buygoodsIpn(fields: Record<string, string | null>): string {
  const base: Array<[string, string]> = [
    ['sessid2', 'sessid20261201103000123'],
    ['account_id', '6490'],
    ['action_type', 'neworder'],
    ['product_codename', 'keto3'],
    ['product_id', '130'],
    ['user_id', '146150'],
    ['storecheckedoutcarts_id', '139038'],
    ['aff_id', '1712'],
    ['rr_createdate', '2026-12-01 10:30:00'],
    ['order_id_global', '5AFZ6R9A'],
    ['user_id', '146150'],
    ['customer_name', 'Ivan Simic'],
    ['was_fulfilled', '0'],
    ['date_fulfillment', '0000-00-00 00:00:00'],
    ['was_canceled', '0'],
    ['date_canceled', '0000-00-00 00:00:00'],
    ['aff_id', '1712'],
    ['aff_commission', '30.00'],
    ['is_test', '0'],
    ['customer_emailaddress', 'ivan@example.com'],
    ['subid', 'clk-ipn'],
    ['subid2', ''],
    ['flag_upsell', '0'],
    ['sale_saved_date', '0000-00-00 00:00:00'],
    ['total_clean', '56.24'],
    ['currency', 'USD'],
    ['charges_count', ''],
    ['order_id', '290650'],
    ['account_id', '6490'],
    ['product_codename', 'keto3'],
  ];
  const overridden = base.map(([key, value]): [string, string | null] => [
    key,
    key in fields ? fields[key]! : value,
  ]);
  const added = Object.entries(fields).filter(([key]) => !base.some(([k]) => k === key));
  return new URLSearchParams(
    [...overridden, ...added].filter((pair): pair is [string, string] => pair[1] !== null),
  ).toString();
}
