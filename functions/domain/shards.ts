/**
 * Write sharding: time-ordered listings of an account are split into WRITE_SHARDS partitions, chosen by
 * a hash of the item's id, so a busy account never makes a hot partition; readers merge the shards
 * (functions/adapters/sharded-query.ts).
 */
import { createHash } from 'node:crypto';

export const WRITE_SHARDS = 8;

export function shardOf(id: string): number {
  return createHash('sha256').update(id).digest()[0]! % WRITE_SHARDS;
}
