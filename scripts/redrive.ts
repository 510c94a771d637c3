/**
 * Redrive: moves the postbacks parked in a stage's dead-letter queue back to the postback queue, once the
 * cause of their failures is fixed, and reports how many moved.
 *
 *   npm run redrive -- --stage prod                      queues from the stack outputs of BuygoodsPostbacks-Prod-Stateful
 *   npm run redrive -- --dlq-arn ARN --queue-arn ARN     explicit queues (override what --stage finds)
 *   npm run redrive -- --dlq-arn ARN --queue-arn ARN --endpoint http://127.0.0.1:PORT --local
 *
 * In AWS it starts an SQS message move task (the same as "Start DLQ redrive" in the console) and polls it
 * to the end. The local SQS emulator (fauxqs 1.x) has no message move tasks, so `--local` alone switches to
 * moving messages by hand (receive from the DLQ, send to the queue, delete): never used without the flag.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stackOutputs } from './stack-outputs';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

/** Only `send` is used, so tests can hand in a real client or a small fake. */
export type SqsSender = Pick<SQSClient, 'send'>;

export interface RedriveOptions {
  readonly sqs: SqsSender;
  /** The dead-letter queue to empty (the move task's source). */
  readonly deadLetterQueueArn: string;
  /** Where the messages go: the postback queue they came from. */
  readonly destinationArn: string;
  readonly log?: (line: string) => void;
  /** Local emulator only: move by receive/send/delete instead of an SQS message move task. */
  readonly local?: boolean;
  /** How often the move task is polled. @default 5000 */
  readonly pollIntervalMs?: number;
  /** Give up polling after this long (the task itself keeps running in AWS). @default 30 minutes */
  readonly timeoutMs?: number;
}

export interface RedriveResult {
  readonly status: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  /** Messages moved to the destination. */
  readonly moved: number;
  /** Messages in the DLQ when the move started. */
  readonly toMove: number;
  readonly failureReason?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function redrive(options: RedriveOptions): Promise<RedriveResult> {
  const log = options.log ?? (() => undefined);
  log(
    `redrive ${options.deadLetterQueueArn} -> ${options.destinationArn}${options.local ? ' (local: receive/send/delete)' : ''}`,
  );
  const result = options.local ? await moveByHand(options, log) : await moveWithTask(options, log);
  log(
    `${result.status}: moved ${result.moved} of ${result.toMove} message(s)${result.failureReason ? ` (${result.failureReason})` : ''}`,
  );
  return result;
}

async function moveWithTask(options: RedriveOptions, log: (line: string) => void): Promise<RedriveResult> {
  const { sqs, deadLetterQueueArn } = options;
  let taskHandle: string | undefined;
  try {
    ({ TaskHandle: taskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: deadLetterQueueArn,
        DestinationArn: options.destinationArn,
      }),
    ));
  } catch (error) {
    if ((error as Error).name === 'InvalidAction') {
      throw new Error(
        `this SQS endpoint has no message move tasks (a local emulator?): run again with --local`,
        { cause: error },
      );
    }
    throw error;
  }
  log(`message move task started: ${taskHandle}`);
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const { Results: tasks = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueueArn, MaxResults: 10 }),
    );
    // Only a RUNNING task carries its handle; once it ends, it is the newest task of the source (listed first).
    const task: ListMessageMoveTasksResultEntry | undefined =
      tasks.find((entry) => entry.TaskHandle === taskHandle) ?? tasks[0];
    if (!task) throw new Error(`message move task ${taskHandle} is not listed for ${deadLetterQueueArn}`);
    const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
    const toMove = task.ApproximateNumberOfMessagesToMove ?? moved;
    if (task.Status === 'COMPLETED' || task.Status === 'FAILED' || task.Status === 'CANCELLED') {
      return {
        status: task.Status,
        moved,
        toMove,
        ...(task.FailureReason ? { failureReason: task.FailureReason } : {}),
      };
    }
    log(`${task.Status}: ${moved} of ${toMove} moved`);
    if (Date.now() > deadline)
      throw new Error(
        `message move task ${taskHandle} still ${task.Status} after the timeout; it keeps running`,
      );
    await sleep(options.pollIntervalMs ?? 5000);
  }
}

/** The emulator fallback: batches of 10, each deleted from the DLQ only once the queue has it. */
async function moveByHand(options: RedriveOptions, log: (line: string) => void): Promise<RedriveResult> {
  const { sqs } = options;
  const [sourceUrl, destinationUrl] = await Promise.all([
    queueUrlOf(sqs, options.deadLetterQueueArn),
    queueUrlOf(sqs, options.destinationArn),
  ]);
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const toMove = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
  let moved = 0;
  let failed = 0;
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: sourceUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) break;
    const entries = messages.map((message, index) => ({
      Id: String(index),
      MessageBody: message.Body!,
      MessageAttributes: message.MessageAttributes,
    }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: destinationUrl, Entries: entries }));
    failed += sent.Failed?.length ?? 0;
    const delivered = (sent.Successful ?? []).map(({ Id }) => ({
      Id: Id!,
      ReceiptHandle: messages[Number(Id)]!.ReceiptHandle!,
    }));
    if (delivered.length > 0)
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: sourceUrl, Entries: delivered }));
    moved += delivered.length;
    log(`moved ${moved} of ${toMove}`);
    // A message the queue refused stays in the DLQ (visible again after 30 s); stop rather than spin on it.
    if (failed > 0) break;
  }
  return failed > 0
    ? {
        status: 'FAILED',
        moved,
        toMove,
        failureReason: `${failed} message(s) could not be sent to the destination; they stay in the DLQ`,
      }
    : { status: 'COMPLETED', moved, toMove };
}

async function queueUrlOf(sqs: SqsSender, arn: string): Promise<string> {
  const [, , service, , account, name] = arn.split(':');
  if (service !== 'sqs' || !account || !name) throw new Error(`not an SQS queue ARN: ${arn}`);
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account })))
    .QueueUrl!;
}

/** The DLQ and postback queue ARNs of a deployed stage, from its stateful stack's outputs. */
async function stageQueues(stage: string): Promise<{ deadLetterQueueArn: string; destinationArn: string }> {
  const outputs = await stackOutputs(stage, 'stateful');
  const deadLetterQueueArn = outputs.get('DeadLetterQueueArn');
  const destinationArn = outputs.get('PostbackQueueArn');
  if (!deadLetterQueueArn || !destinationArn)
    throw new Error(
      `the ${stage} stateful stack has no DeadLetterQueueArn/PostbackQueueArn outputs: deploy it first`,
    );
  return { deadLetterQueueArn, destinationArn };
}

const USAGE = `usage: npm run redrive -- --stage dev|staging|prod [--dlq-arn ARN] [--queue-arn ARN]
       npm run redrive -- --dlq-arn ARN --queue-arn ARN [--endpoint URL --local]`;

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stage: { type: 'string' },
      'dlq-arn': { type: 'string' },
      'queue-arn': { type: 'string' },
      endpoint: { type: 'string' },
      local: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const needStage = !values['dlq-arn'] || !values['queue-arn'];
  if (needStage && !values.stage) {
    console.error(USAGE);
    return 2;
  }
  const found = needStage ? await stageQueues(values.stage!) : null;
  const sqs = new SQSClient({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    useQueueUrlAsEndpoint: false,
  });
  try {
    const result = await redrive({
      sqs,
      deadLetterQueueArn: values['dlq-arn'] ?? found!.deadLetterQueueArn,
      destinationArn: values['queue-arn'] ?? found!.destinationArn,
      local: values.local,
      log: (line) => console.log(line),
    });
    return result.status === 'COMPLETED' ? 0 : 1;
  } finally {
    sqs.destroy();
  }
}

// Run as a script (tsx scripts/redrive.ts), not when a test imports the function.
if (path.basename(process.argv[1] ?? '') === 'redrive.ts') {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`redrive failed: ${error.message}`);
      process.exit(1);
    },
  );
}
