/**
 * Counts AWS requests at the SDK, the way they are billed: an SDK middleware that tallies each command by
 * name (and its errors), asks DynamoDB for the capacity every read and write consumed (ReturnConsumedCapacity
 * INDEXES, so index writes are included) and sums it, and sizes SQS requests in the 64 KB chunks SQS bills.
 *
 * The service's clients get it through `instrumentClients` (functions/adapters/clients.ts), registered
 * before the handlers are imported; the local runner's own SQS poller gets it through the local service's
 * `instrumentRunnerSqs` option, so receives and deletes (Lambda's event source mapping in AWS) count too.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type {
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  InitializeMiddleware,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';

/** Who made the request: the service's handlers, or Lambda's SQS event source mapping (the local poller). */
export type RequestSource = 'service' | 'eventSource';

const CAPACITY_COMMANDS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);
const WRITE_COMMANDS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
/**
 * AWS bills a transaction's items at twice the standard rate (2 write units per KB written, 2 read units
 * per 4 KB read); DynamoDB Local reports them at the standard rate (a transaction of two 1 KB puts: 2
 * units, where AWS bills 4). The counter doubles them, so the figures are what AWS would bill.
 */
const TRANSACTION_COMMANDS = new Set(['TransactWriteItems', 'TransactGetItems']);

/** A flat tally of named counts; snapshots and their differences delimit the benchmark's phases. */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(key: string, amount = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + amount);
  }

  snapshot(): ReadonlyMap<string, number> {
    return new Map(this.counts);
  }

  since(snapshot: ReadonlyMap<string, number>): Counts {
    const difference = new Map<string, number>();
    for (const [key, value] of this.counts) {
      const delta = value - (snapshot.get(key) ?? 0);
      if (delta !== 0) difference.set(key, delta);
    }
    return new Counts(difference);
  }
}

/**
 * What one phase counted. Keys: `calls|errors:<source>:<service>:<command>`, `rru|wru|sqsBilled:<source>`,
 * `wruItem:<entity>:<table|index>`.
 */
export class Counts {
  constructor(readonly values: ReadonlyMap<string, number>) {}

  get(key: string): number {
    return this.values.get(key) ?? 0;
  }

  /** Calls of a command (e.g. 'SendMessage'), by one source or all. */
  calls(service: string, command: string, source?: RequestSource): number {
    return this.sum(
      (key) =>
        key.startsWith('calls:') &&
        key.endsWith(`:${service}:${command}`) &&
        (!source || key.startsWith(`calls:${source}:`)),
    );
  }

  readUnits(): number {
    return this.sum((key) => key.startsWith('rru:'));
  }

  writeUnits(): number {
    return this.sum((key) => key.startsWith('wru:'));
  }

  sqsBilledRequests(): number {
    return this.sum((key) => key.startsWith('sqsBilled:'));
  }

  /** Every `calls:`, `errors:` or `wruItem:` (write units of PutItem by item entity and table or index) entry. */
  entries(prefix: 'calls' | 'errors' | 'wruItem'): Array<[string, number]> {
    return [...this.values]
      .filter(([key]) => key.startsWith(`${prefix}:`))
      .map(([key, value]): [string, number] => [key.slice(prefix.length + 1), value])
      .sort();
  }

  private sum(match: (key: string) => boolean): number {
    let total = 0;
    for (const [key, value] of this.values) if (match(key)) total += value;
    return total;
  }
}

interface Capacity {
  readonly CapacityUnits?: number;
  readonly Table?: { readonly CapacityUnits?: number };
  readonly GlobalSecondaryIndexes?: Readonly<Record<string, { readonly CapacityUnits?: number }>>;
}

/** The `entity` attribute of a written item (document or marshalled form), to say which item cost what. */
function entityOf(input: Record<string, unknown>): string {
  const entity = (input.Item as Record<string, unknown> | undefined)?.entity;
  if (typeof entity === 'string') return entity;
  const marshalled = (entity as { S?: string } | undefined)?.S;
  return marshalled ?? 'other';
}

/** Write units of one single-item write, split between the table and each index. */
function recordItemWrite(tally: Tally, input: Record<string, unknown>, output: unknown): void {
  const consumed = (output as { ConsumedCapacity?: Capacity }).ConsumedCapacity;
  if (!consumed || Array.isArray(consumed)) return;
  const entity = entityOf(input);
  tally.add(`wruItem:${entity}:table`, consumed.Table?.CapacityUnits ?? consumed.CapacityUnits ?? 0);
  for (const [index, capacity] of Object.entries(consumed.GlobalSecondaryIndexes ?? {}))
    tally.add(`wruItem:${entity}:${index}`, capacity.CapacityUnits ?? 0);
}

function consumedUnits(output: unknown): number {
  const consumed = (output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce((total, capacity) => total + (capacity.CapacityUnits ?? 0), 0);
}

const utf8Bytes = (text: string | undefined) => (text ? Buffer.byteLength(text) : 0);

/** SQS bills each 64 KB chunk of a request's payload as one request (at least one per request). */
function sqsPayloadBytes(command: string, input: Record<string, unknown>, output: unknown): number {
  if (command === 'SendMessage') return utf8Bytes(input.MessageBody as string);
  if (command === 'SendMessageBatch')
    return ((input.Entries as Array<{ MessageBody?: string }>) ?? []).reduce(
      (total, entry) => total + utf8Bytes(entry.MessageBody),
      0,
    );
  if (command === 'ReceiveMessage')
    return ((output as { Messages?: Array<{ Body?: string }> }).Messages ?? []).reduce(
      (total, message) => total + utf8Bytes(message.Body),
      0,
    );
  return 0;
}

export interface CounterHooks {
  /** Called with each SendMessage body the service sends (the ingest ratio replays one). */
  readonly onSqsSend?: (body: string) => void;
}

/** The counting middleware for one client. */
export function countingMiddleware(
  tally: Tally,
  source: RequestSource,
  service: string,
  chunkBytes: number,
  hooks: CounterHooks = {},
): Pluggable<any, any> {
  const middleware: InitializeMiddleware<any, MetadataBearer> =
    (next, context) =>
    async (args: InitializeHandlerArguments<any>): Promise<InitializeHandlerOutput<MetadataBearer>> => {
      const command = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      if (service === 'dynamodb' && CAPACITY_COMMANDS.has(command))
        input.ReturnConsumedCapacity ??= 'INDEXES';
      if (service === 'sqs' && command === 'SendMessage') hooks.onSqsSend?.(input.MessageBody as string);
      tally.add(`calls:${source}:${service}:${command}`);
      try {
        const result = await next(args);
        const attempts = result.output.$metadata?.attempts ?? 1;
        if (service === 'dynamodb')
          tally.add(
            `${WRITE_COMMANDS.has(command) ? 'wru' : 'rru'}:${source}`,
            consumedUnits(result.output) * (TRANSACTION_COMMANDS.has(command) ? 2 : 1),
          );
        if (service === 'dynamodb' && command === 'PutItem') recordItemWrite(tally, input, result.output);
        if (service === 'sqs')
          tally.add(
            `sqsBilled:${source}`,
            attempts * Math.max(1, Math.ceil(sqsPayloadBytes(command, input, result.output) / chunkBytes)),
          );
        return result;
      } catch (error) {
        tally.add(`errors:${source}:${service}:${command}:${(error as Error).name}`);
        // A failed request is still a billed SQS request; a failed conditional write still consumes write
        // units, but DynamoDB does not return how many: they are counted apart (errors), not guessed.
        if (service === 'sqs') tally.add(`sqsBilled:${source}`);
        throw error;
      }
    };
  return {
    applyToStack(stack) {
      stack.add(middleware, { step: 'initialize', name: 'benchRequestCounter', priority: 'high' });
    },
  };
}

/** Adds the counter to the local runner's SQS client (the event source mapping's receives and deletes). */
export function instrumentEventSourceClient(tally: Tally, chunkBytes: number): (sqs: SQSClient) => void {
  return (sqs) => sqs.middlewareStack.use(countingMiddleware(tally, 'eventSource', 'sqs', chunkBytes));
}
