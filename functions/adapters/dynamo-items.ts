/**
 * Small DynamoDB helpers shared by the repositories: paging through a query, batch reads that ask again
 * for unprocessed keys, one item by its key, and stripping the table's bookkeeping attributes from an item.
 */
import { BadRequestError } from '../domain/errors';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;

/** Keys, index keys, the entity tag and the TTL attribute: the table's, not the record's. */
const BOOKKEEPING = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'entity',
  'expiresAt',
  'counted',
]);
const BATCH_GET_LIMIT = 100;
const BATCH_GET_ATTEMPTS = 5;

export function stripKeys<T>(item: Item): T {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !BOOKKEEPING.has(name))) as T;
}

/** One item by its key, its bookkeeping stripped; strongly consistent unless `eventual` (null: none). */
export async function getItem<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Item,
  options: { eventual?: boolean } = {},
): Promise<T | null> {
  const result = await client.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: options.eventual !== true }),
  );
  return result.Item ? stripKeys<T>(result.Item) : null;
}

/** Follows a query's pages until the end, or until `enough` items were read. */
export async function queryPages(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  enough = Infinity,
): Promise<{ items: Item[]; lastEvaluatedKey: Item | null }> {
  const items: Item[] = [];
  let exclusiveStartKey = input.ExclusiveStartKey;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }));
    items.push(...((page.Items ?? []) as Item[]));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey && items.length < enough);
  return { items, lastEvaluatedKey: exclusiveStartKey ?? null };
}

/** Reads many items by key, 100 a request; keys DynamoDB leaves unprocessed under load are asked again. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  consistentRead = false,
): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let requested: Item[] | undefined = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 0; requested?.length; attempt++) {
      if (attempt >= BATCH_GET_ATTEMPTS)
        throw Object.assign(new Error('BatchGetItem left keys unprocessed'), {
          name: 'ProvisionedThroughputExceededException',
        });
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: requested, ...(consistentRead ? { ConsistentRead: true } : {}) },
          },
        }),
      );
      found.push(...((result.Responses?.[tableName] ?? []) as Item[]));
      requested = result.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined;
    }
  }
  return found;
}

const BATCH_WRITE_LIMIT = 25;

/** Puts many items, 25 a request; items DynamoDB leaves unprocessed under load are sent again. */
export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests = items
      .slice(start, start + BATCH_WRITE_LIMIT)
      .map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt >= BATCH_GET_ATTEMPTS)
        throw Object.assign(new Error('BatchWriteItem left items unprocessed'), {
          name: 'ProvisionedThroughputExceededException',
        });
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/** A page's LastEvaluatedKey as an opaque cursor, and back (a cursor this listing did not return is a 400). */
export function encodeKeyCursor(key: Item | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export function decodeKeyCursor(cursor: string | null): Item | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      key &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.values(key).every((value) => typeof value === 'string')
    )
      return key as Item;
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError('invalid_cursor', 'The cursor is not one this listing returned');
}
