/**
 * Item keys of the single ledger table. Writes are spread by order id, postback id and token hash;
 * time-ordered listings are split into write shards per account (functions/domain/shards.ts) so a busy
 * account never makes a hot partition, and readers merge the shards (functions/adapters/sharded-query.ts).
 */
import { parseBucketId } from '../domain/aggregates';

/** The table's two global secondary indexes, as the sharded queries name them (lib/resources.ts defines them). */
export const indexes = {
  gsi1: { indexName: 'gsi1', partitionKeyName: 'gsi1pk', sortKeyName: 'gsi1sk' },
  /** Sparse: only the items a listing filters by (postbacks by outcome, conversions by kind). */
  gsi2: { indexName: 'gsi2', partitionKeyName: 'gsi2pk', sortKeyName: 'gsi2sk' },
} as const;

/** The key attributes of an item read through each index, as a sharded query's cursor keeps them. */
export const indexKeyNames = {
  gsi1: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
  gsi2: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
} as const;

const AGGREGATE_PARTS = { sales: 'S', rolled: 'R', dayTotals: 'D' } as const;

export const keys = {
  integration: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'INTEGRATION#buygoods' }),
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  order: (accountId: string, orderId: string) => `ORDER#${accountId}#${orderId}`,
  /** On the order's partition: a conversion by its slot, a commission event by its fingerprint. */
  conversionSort: (slot: string) => `CONV#${slot}`,
  commissionEventSort: (fingerprint: string) => `EVENT#${fingerprint}`,
  merchant: (accountId: string, merchantId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `MERCHANT#${merchantId}`,
  }),
  /** A person's role on an account; the account's members share its partition, after MEMBER#. */
  member: (accountId: string, userId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `MEMBER#${userId}` }),
  product: (accountId: string, productId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `PRODUCT#${productId}`,
  }),
  productCodename: (accountId: string, codename: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `PRODUCTCODE#${codename.toLowerCase()}`,
  }),
  link: (linkId: string) => ({ pk: `LINK#${linkId}`, sk: 'LINK' }),
  linkList: (accountId: string) => `LINKS#${accountId}`,
  pixel: (pixelId: string) => ({ pk: `PIXEL#${pixelId}`, sk: 'PIXEL' }),
  pixelList: (accountId: string) => `PIXELS#${accountId}`,
  click: (clickId: string) => ({ pk: `CLICK#${clickId}`, sk: 'CLICK' }),
  pixelHit: (hitId: string) => ({ pk: `HIT#${hitId}`, sk: 'HIT' }),
  /** gsi1 partition of an account's clicks and pixel hits, sorted by time. */
  trafficPartition: (accountId: string, shard: number) => `TRAFFIC#${accountId}#${shard}`,
  customer: (accountId: string, emailHash: string) => `CUSTOMER#${accountId}#${emailHash}`,
  /** On the customer's partition: one conversion carrying the customer. */
  customerConversionSort: (orderId: string, slot: string) => `ORDER#${orderId}#${slot}`,
  globalOrder: (accountId: string, orderIdGlobal: string) => ({
    pk: `GLOBAL#${accountId}#${orderIdGlobal}`,
    sk: 'FRONTEND',
  }),
  /** The postback log: partitioned by account and shard, sorted by arrival. */
  postbackPartition: (accountId: string, shard: number) => `PBLOG#${accountId}#${shard}`,
  postbackSort: (receivedAt: string, postbackId: string) => `${receivedAt}#${postbackId}`,
  /** A bulk replay job: one item, saved after each batch it sends. */
  replayJob: (accountId: string, jobId: string) => ({ pk: `REPLAYJOB#${accountId}#${jobId}`, sk: 'JOB' }),
  /** gsi1 partition of an account's conversions, sorted by the time they occurred. */
  conversionListPartition: (accountId: string, shard: number) => `CONV#${accountId}#${shard}`,
  /** The time-ordered sort key of the listings (conversions, commission events, traffic): time, then id. */
  timelineSort: (at: string, id: string) => `${at}#${id}`,
  /**
   * Aggregate buckets (functions/domain/aggregates.ts): traffic in write-shard partitions per account
   * (a busy link's clicks spread over as many items), sales in one; the rolled buckets in one and
   * their day-totals items in another (both written by the roll-up alone); sorted by UTC day, then bucket id.
   */
  aggregatePartition: (accountId: string, part: number | 'sales' | 'rolled' | 'dayTotals') =>
    `AGG#${accountId}#${typeof part === 'number' ? `T${part}` : AGGREGATE_PARTS[part]}`,
  aggregateSort: (day: string, bucketId: string) => `${day}#${bucketId}`,
  /** A bucket's item, by its id (bucketId): its partition follows its kind (and a traffic bucket's shard). */
  aggregateBucket(accountId: string, id: string) {
    const ref = parseBucketId(id);
    const partition = ref.kind === 'traffic' ? ref.shard : ref.kind === 'rolledSales' ? 'rolled' : ref.kind;
    return { pk: keys.aggregatePartition(accountId, partition), sk: keys.aggregateSort(ref.day, id) };
  },
  /** On the order's own partition: the contribution the order last applied to the aggregates. */
  orderAggregateSort: 'AGGREGATE',
  /** Orders recorded before their click, waiting for it. */
  clickWait: (clickId: string) => ({ pk: `CLICKWAIT#${clickId}`, sk: 'WAIT' }),
  settings: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'SETTINGS' }),
  /** gsi2 (sparse) partitions: postbacks by outcome (all but accepted), conversions by kind (all but purchase). */
  postbackOutcomePartition: (accountId: string, outcome: string, shard: number) =>
    `PBOUT#${accountId}#${outcome}#${shard}`,
  conversionKindPartition: (accountId: string, kind: string, shard: number) =>
    `CONVKIND#${accountId}#${kind}#${shard}`,
  /** One small item per issue code a postback carries, sorted by arrival like the log. */
  postbackIssuePartition: (accountId: string, issue: string, shard: number) =>
    `PBISSUE#${accountId}#${issue}#${shard}`,
};
