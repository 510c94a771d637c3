/** Sends postback messages to the SQS queue: one send per postback, or batches of ten for bulk replay. */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ServiceUnavailableError } from '../domain/errors';
import { serialisePostbackMessage, type PostbackMessage } from '../domain/postback-log';
import type {
  BatchPublishResult,
  PostbackBatchPublisher,
  PostbackPublisher,
} from '../ports/postback-publisher';
import { sendToQueue, unavailable } from './sqs-send';

/** SendMessageBatch's limits: ten entries, 256 KiB of message bodies in all. */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 256 * 1024;
/** Entries refused for a passing reason (not the sender's fault) are sent again this many times. */
const BATCH_ATTEMPTS = 3;

/** Splits bodies into requests within both limits (one postback message is at most ~200 KB). */
function batches(entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const result: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody!);
    if (current.length > 0 && (current.length === BATCH_ENTRIES || bytes + size > BATCH_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

export class SqsPostbackPublisher implements PostbackPublisher, PostbackBatchPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(message: PostbackMessage): Promise<void> {
    await sendToQueue(this.sqs, this.queueUrl, serialisePostbackMessage(message), 'postback queue');
  }

  /** Entry ids are the postback ids' positions; an entry the queue refuses as the sender's fault is reported, not retried. */
  async publishBatch(messages: readonly PostbackMessage[]): Promise<BatchPublishResult> {
    const failed: Array<{ postbackId: string; reason: string }> = [];
    const entries = messages.map((message, index) => ({
      Id: String(index),
      MessageBody: serialisePostbackMessage(message),
    }));
    for (const batch of batches(entries)) {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt++) {
        let response;
        try {
          response = await this.sqs.send(
            new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
          );
        } catch (error) {
          throw unavailable('postback queue', error);
        }
        const refused = response.Failed ?? [];
        for (const entry of refused.filter((failure) => failure.SenderFault))
          failed.push({
            postbackId: messages[Number(entry.Id)]!.postbackId,
            reason: entry.Code ?? 'refused',
          });
        const retry = new Set(refused.filter((failure) => !failure.SenderFault).map((failure) => failure.Id));
        pending = pending.filter((entry) => retry.has(entry.Id));
        if (pending.length > 0 && attempt >= BATCH_ATTEMPTS)
          throw new ServiceUnavailableError(
            `The postback queue refused ${pending.length} messages of a batch; please retry`,
          );
      }
    }
    return { failed };
  }
}
