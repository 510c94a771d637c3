/**
 * A local stand-in for Lambda's SQS event source mapping: long-polls the queue in batches, invokes the
 * consumer with an SQS event, deletes what succeeded and leaves reported failures to reappear after the
 * visibility timeout (the queue's redrive policy moves them to the DLQ after maxReceiveCount).
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './api-gateway';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsEventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: SqsHandler;
  readonly batchSize: number;
  /** Concurrent pollers, like the mapping's concurrent Lambda invocations. */
  readonly pollers?: number;
  readonly onError?: (error: unknown) => void;
}

export interface EventSource {
  stop(): Promise<void>;
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}

export function startSqsEventSource(options: SqsEventSourceOptions): EventSource {
  let running = true;
  const abort = new AbortController();

  async function invoke(messages: Message[]) {
    const records = messages.map((message) => toRecord(message, options.queueArn));
    let failed = new Set(records.map((record) => record.messageId));
    try {
      const response = await options.handler({ Records: records }, lambdaContext('consumer'));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      options.onError?.(error); // a thrown invocation fails the whole batch, as in Lambda
    }
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length > 0) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
    }
  }

  async function poll() {
    while (running) {
      try {
        const received = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        if (received.Messages?.length) await invoke(received.Messages);
      } catch (error) {
        if (!running) return;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  const pollers = Array.from({ length: options.pollers ?? 2 }, () => poll());
  return {
    async stop() {
      running = false;
      abort.abort();
      await Promise.allSettled(pollers);
    },
  };
}
