import type { PostbackMessage } from '../domain/postback-log';

/** The postback queue: ingest hands each accepted postback to the consumer through it. */
export interface PostbackPublisher {
  /** Throws ServiceUnavailableError when the queue cannot take it. */
  publish(message: PostbackMessage): Promise<void>;
}

export interface BatchPublishResult {
  /** Messages the queue refused for good (their postback ids and why); transient refusals are retried, then thrown. */
  readonly failed: ReadonlyArray<{ readonly postbackId: string; readonly reason: string }>;
}

/** Many postback messages at once (SendMessageBatch): bulk replay. */
export interface PostbackBatchPublisher {
  publishBatch(messages: readonly PostbackMessage[]): Promise<BatchPublishResult>;
}
