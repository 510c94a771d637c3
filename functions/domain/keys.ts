/**
 * Item keys of the single ledger table. Writes are spread by order id, postback id and token hash;
 * time-ordered listings are split into WRITE_SHARDS partitions per account so a busy account never makes
 * a hot partition, and readers merge the shards (functions/adapters/sharded-query.ts).
 */
import { createHash } from 'node:crypto';

export const WRITE_SHARDS = 8;

export function shardOf(id: string): number {
  return createHash('sha256').update(id).digest()[0]! % WRITE_SHARDS;
}

export const keys = {
  integration: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'INTEGRATION#buygoods' }),
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  order: (accountId: string, orderId: string) => `ORDER#${accountId}#${orderId}`,
  globalOrder: (accountId: string, orderIdGlobal: string) => ({ pk: `GLOBAL#${accountId}#${orderIdGlobal}`, sk: 'FRONTEND' }),
  /** The postback log: partitioned by account and shard, sorted by arrival. */
  postbackPartition: (accountId: string, shard: number) => `PBLOG#${accountId}#${shard}`,
  postbackSort: (receivedAt: string, postbackId: string) => `${receivedAt}#${postbackId}`,
  /** gsi1 partition of an account's conversions, sorted by the time they occurred. */
  conversionListPartition: (accountId: string, shard: number) => `CONV#${accountId}#${shard}`,
};
