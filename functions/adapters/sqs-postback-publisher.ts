/** Sends postback messages to the SQS queue: one send per postback. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ServiceUnavailableError } from '../domain/errors';
import { serialisePostbackMessage, type PostbackMessage } from '../domain/postback-log';
import type { PostbackPublisher } from '../ports';

export class SqsPostbackPublisher implements PostbackPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(message: PostbackMessage): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: serialisePostbackMessage(message) }));
    } catch (error) {
      throw new ServiceUnavailableError(`The postback queue is unavailable (${(error as Error).name}); please retry`);
    }
  }
}
