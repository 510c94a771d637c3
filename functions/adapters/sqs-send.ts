/** One message to a queue; a queue that cannot take it is a 503 the caller may retry. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ServiceUnavailableError } from '../domain/errors';

export async function sendToQueue(
  sqs: SQSClient,
  queueUrl: string,
  body: string,
  queueName: string,
): Promise<void> {
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  } catch (error) {
    throw unavailable(queueName, error);
  }
}

export function unavailable(queueName: string, error: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `The ${queueName} is unavailable (${(error as Error).name}); please retry`,
  );
}
