/**
 * A local stand-in for Lambda's DynamoDB stream event source mapping: reads every shard of the table's
 * stream (DynamoDB Local has streams), applies the same event filter the CDK stack deploys, invokes the
 * handler in batches and retries a batch that reports failures.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from './api-gateway';
import type { EventSource } from './sqs-event-source';

export interface StreamEventSource extends EventSource {
  /**
   * Resolves once a poll that started after the call found no new record on any shard: everything the table
   * had written when it was called has been delivered (the benchmarks wait for it before timing reads). A
   * table that never stops being written never gets there; stopping the source rejects what waits.
   */
  caughtUp(): Promise<void>;
}

export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse | void>;

export interface StreamSourceOptions {
  readonly streamArn: string;
  readonly handler: StreamHandler;
  /** The function's name in the Lambda context it is given (default pixel-creator). */
  readonly functionName?: string;
  /** Lambda's event filter pattern (arrays list accepted values; objects nest). */
  readonly filter: unknown;
  readonly batchSize: number;
  readonly retryAttempts: number;
  readonly pollIntervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * The subset of Lambda event filtering the stacks use: exact-value lists inside nested objects, and
 * `[{ exists: false }]` (or true) on a leaf that must be absent (or present; as in Lambda, exists rules name
 * the full path to the leaf, e.g. `counted: { BOOL: [{ exists: false }] }`).
 */
export function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern))
    return pattern.some((accepted) =>
      isExistsRule(accepted) ? (value !== undefined) === accepted.exists : accepted === value,
    );
  if (pattern && typeof pattern === 'object') {
    // An absent branch can still match rules that want its leaves absent.
    if (value !== undefined && (value === null || typeof value !== 'object')) return false;
    return Object.entries(pattern).every(([key, nested]) =>
      matchesFilter(nested, (value as Record<string, unknown> | undefined)?.[key]),
    );
  }
  return pattern === value;
}

function isExistsRule(rule: unknown): rule is { exists: boolean } {
  return (
    typeof rule === 'object' && rule !== null && typeof (rule as { exists?: unknown }).exists === 'boolean'
  );
}

function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? process.env.AWS_REGION,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(record.dynamodb as DynamoDBRecord['dynamodb']),
      ApproximateCreationDateTime: created ? Math.floor(new Date(created).getTime() / 1000) : undefined,
    },
  };
}

export function startDynamoDbStreamSource(options: StreamSourceOptions): StreamEventSource {
  const client = new DynamoDBStreamsClient({});
  const iterators = new Map<string, string | null>();
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  let waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  async function discoverShards() {
    const description = await client.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const iterator = await client.send(
        new GetShardIteratorCommand({
          StreamArn: options.streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      iterators.set(shard.ShardId, iterator.ShardIterator ?? null);
    }
  }

  async function deliver(records: DynamoDBRecord[]) {
    for (let start = 0; start < records.length; start += options.batchSize) {
      let batch = records.slice(start, start + options.batchSize);
      for (let attempt = 0; batch.length > 0; attempt++) {
        let failedFrom = -1;
        try {
          const response = await options.handler(
            { Records: batch },
            lambdaContext(options.functionName ?? 'pixel-creator'),
          );
          const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          failedFrom = batch.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
        } catch (error) {
          options.onError?.(error);
          failedFrom = 0;
        }
        if (failedFrom < 0) break;
        if (attempt >= options.retryAttempts) {
          options.onError?.(
            new Error(
              `stream records dropped after ${attempt + 1} attempts (AWS sends them to the on-failure destination)`,
            ),
          );
          break;
        }
        batch = batch.slice(failedFrom); // like Lambda: resume from the first failed record
      }
    }
  }

  async function pollOnce() {
    const waitingAtStart = waiting;
    waiting = [];
    let found = 0;
    let finished = false;
    try {
      await discoverShards();
      for (const [shardId, iterator] of iterators) {
        if (!iterator) continue;
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterators.set(shardId, page.NextShardIterator ?? null);
        found += page.Records?.length ?? 0;
        const records = (page.Records ?? [])
          .map((record) => toLambdaRecord(record, options.streamArn))
          .filter((record) => matchesFilter(options.filter, record));
        if (records.length > 0) await deliver(records);
      }
      finished = true;
    } finally {
      if (finished && found === 0) for (const waiter of waitingAtStart) waiter.resolve();
      else waiting.push(...waitingAtStart);
    }
  }

  function schedule() {
    if (!running) return;
    timer = setTimeout(() => {
      current = pollOnce()
        .catch((error) => options.onError?.(error))
        .finally(schedule);
    }, options.pollIntervalMs ?? 100);
  }
  schedule();

  return {
    caughtUp() {
      return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
      for (const waiter of waiting.splice(0)) waiter.reject(new Error('the stream source stopped'));
      client.destroy();
    },
  };
}
