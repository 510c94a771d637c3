/** The job queue of bulk replays: one message per page of a job. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { serialiseReplayJobMessage, type ReplayJobMessage } from '../domain/replay-job';
import type { ReplayJobQueue } from '../ports/replay-job-queue';
import { sendToQueue } from './sqs-send';

export class SqsReplayJobQueue implements ReplayJobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: ReplayJobMessage): Promise<void> {
    await sendToQueue(this.sqs, this.queueUrl, serialiseReplayJobMessage(message), 'replay job queue');
  }
}
