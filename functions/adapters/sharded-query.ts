/**
 * Newest-first pages over a listing split into write shards (see functions/domain/shards.ts): each shard is
 * queried backwards, the results are merged, and the cursor remembers where every shard stopped.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryPages } from './dynamo-items';
import { BadRequestError } from '../domain/errors';

type Key = Record<string, unknown>;
type ShardState = Key | null | 'done';

export interface ShardedQuery {
  readonly tableName: string;
  readonly indexName?: string;
  readonly partitionKeyName: string;
  readonly sortKeyName: string;
  /** The key attributes of an item as ExclusiveStartKey wants them (table keys, plus index keys on an index). */
  readonly keyNames: readonly string[];
  readonly partitions: readonly string[];
  /** Inclusive sort key bounds. */
  readonly lowest: string | null;
  readonly highest: string | null;
  readonly filter?: {
    readonly expression: string;
    readonly names: Record<string, string>;
    readonly values: Record<string, unknown>;
  };
  readonly limit: number;
  readonly cursor: string | null;
}

function decodeCursor(cursor: string | null, shards: number): ShardState[] {
  if (!cursor) return Array.from({ length: shards }, () => null);
  try {
    const states = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(states) && states.length === shards) return states as ShardState[];
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError('invalid_cursor', 'The cursor is not one this listing returned');
}

function encodeCursor(states: ShardState[]): string | null {
  return states.every((state) => state === 'done')
    ? null
    : Buffer.from(JSON.stringify(states)).toString('base64url');
}

function keyCondition(query: Pick<ShardedQuery, 'partitionKeyName' | 'sortKeyName' | 'lowest' | 'highest'>) {
  const names: Record<string, string> = { '#pk': query.partitionKeyName };
  const values: Record<string, unknown> = {};
  let expression = '#pk = :pk';
  if (query.lowest !== null || query.highest !== null) names['#sk'] = query.sortKeyName;
  if (query.lowest !== null && query.highest !== null) {
    expression += ' AND #sk BETWEEN :lo AND :hi';
    Object.assign(values, { ':lo': query.lowest, ':hi': query.highest });
  } else if (query.lowest !== null) {
    expression += ' AND #sk >= :lo';
    values[':lo'] = query.lowest;
  } else if (query.highest !== null) {
    expression += ' AND #sk <= :hi';
    values[':hi'] = query.highest;
  }
  return { expression, names, values };
}

type ShardRange = Pick<
  ShardedQuery,
  'tableName' | 'indexName' | 'partitionKeyName' | 'sortKeyName' | 'lowest' | 'highest' | 'filter'
>;

/** The Query input of one shard: its partition, the sort key range and the filter. */
function shardQueryInput(query: ShardRange, partition: string) {
  const condition = keyCondition(query);
  return {
    TableName: query.tableName,
    IndexName: query.indexName,
    KeyConditionExpression: condition.expression,
    FilterExpression: query.filter?.expression,
    ExpressionAttributeNames: { ...condition.names, ...query.filter?.names },
    ExpressionAttributeValues: { ...condition.values, ...query.filter?.values, ':pk': partition },
  };
}

async function readShard(
  client: DynamoDBDocumentClient,
  query: ShardedQuery,
  partition: string,
  start: Key | null,
) {
  const { items, lastEvaluatedKey } = await queryPages(
    client,
    {
      ...shardQueryInput(query, partition),
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: start ?? undefined,
    },
    query.limit,
  );
  return { items, exhausted: lastEvaluatedKey === null };
}

/**
 * Strings in the order DynamoDB sorts them (by their UTF-8 bytes, which is code point order), so the merge
 * of the shards continues each shard exactly where its cursor stopped: `localeCompare` orders by the
 * locale's rules ('B' before 'a' differs by locale and options), and `<` by UTF-16 units (wrong past U+FFFF).
 */
export function compareAsDynamo(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done || r.done) return l.done && r.done ? 0 : l.done ? -1 : 1;
    const difference = l.value.codePointAt(0)! - r.value.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
}

export async function querySharded(
  client: DynamoDBDocumentClient,
  query: ShardedQuery,
): Promise<{ items: Key[]; cursor: string | null }> {
  const states = decodeCursor(query.cursor, query.partitions.length);
  const shards = await Promise.all(
    query.partitions.map(async (partition, shard) => {
      const state = states[shard]!;
      return state === 'done' ? { items: [], exhausted: true } : readShard(client, query, partition, state);
    }),
  );
  const merged = shards
    .flatMap((result, shard) => result.items.map((item) => ({ item, shard })))
    .sort((a, b) => compareAsDynamo(String(b.item[query.sortKeyName]), String(a.item[query.sortKeyName])))
    .slice(0, query.limit);

  const next = shards.map((result, shard): ShardState => {
    const taken = merged.filter((entry) => entry.shard === shard);
    if (taken.length === result.items.length && result.exhausted) return 'done';
    const last = taken.at(-1);
    if (!last) return states[shard]!;
    return Object.fromEntries(query.keyNames.map((name) => [name, last.item[name]]));
  });
  return { items: merged.map((entry) => entry.item), cursor: encodeCursor(next) };
}

/** Every item of every shard in a sort key range (reports): all pages, shards read in parallel. */
export async function queryAllShards(
  client: DynamoDBDocumentClient,
  query: Pick<
    ShardedQuery,
    'tableName' | 'indexName' | 'partitionKeyName' | 'sortKeyName' | 'partitions' | 'lowest' | 'highest'
  >,
): Promise<Key[]> {
  const condition = keyCondition(query);
  const shards = await Promise.all(
    query.partitions.map((partition) =>
      queryPages(client, {
        TableName: query.tableName,
        IndexName: query.indexName,
        KeyConditionExpression: condition.expression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: { ...condition.values, ':pk': partition },
      }),
    ),
  );
  return shards.flatMap((shard) => shard.items);
}

/** Items a count reads per request: small pages, so the time budget is checked often. */
const COUNT_PAGE_ITEMS = 100;

/**
 * Counts the items of every shard in a sort key range that pass the filter (Select COUNT, shards in
 * parallel, small pages), giving up at `deadline` (epoch ms; requests still in flight are aborted):
 * `exact` false when some shard was not read to its end. A count reads what it counts: its read units
 * are those of reading the items.
 */
export async function countAllShards(
  client: DynamoDBDocumentClient,
  query: ShardRange & Pick<ShardedQuery, 'partitions'>,
  deadline: number,
): Promise<{ count: number; exact: boolean }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - Date.now()));
  try {
    const shards = await Promise.all(
      query.partitions.map(async (partition) => {
        let count = 0;
        let start: Key | undefined;
        try {
          do {
            const page = await client.send(
              new QueryCommand({
                ...shardQueryInput(query, partition),
                Select: 'COUNT',
                Limit: COUNT_PAGE_ITEMS,
                ExclusiveStartKey: start,
              }),
              { abortSignal: abort.signal },
            );
            count += page.Count ?? 0;
            start = page.LastEvaluatedKey;
          } while (start && !abort.signal.aborted);
          return { count, exact: start === undefined };
        } catch (error) {
          if (abort.signal.aborted) return { count, exact: false };
          throw error;
        }
      }),
    );
    return {
      count: shards.reduce((sum, shard) => sum + shard.count, 0),
      exact: shards.every((shard) => shard.exact),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Sort-key bounds for an inclusive UTC time range over keys that start with an ISO instant. */
export function timeBounds(range: { from: string | null; to: string | null }) {
  return { lowest: range.from, highest: range.to === null ? null : `${range.to}#\uffff` };
}
