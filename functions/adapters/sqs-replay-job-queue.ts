/** The job queue of bulk replays: one message per page of a job. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ServiceUnavailableError } from '../domain/errors';
import { serialiseReplayJobMessage, type ReplayJobMessage } from '../domain/replay-job';
import type { ReplayJobQueue } from '../ports/replay-job-queue';

export class SqsReplayJobQueue implements ReplayJobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: ReplayJobMessage): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: serialiseReplayJobMessage(message) }));
    } catch (error) {
      throw new ServiceUnavailableError(`The replay job queue is unavailable (${(error as Error).name}); please retry`);
    }
  }
}
