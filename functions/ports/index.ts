/**
 * What the use cases need from the outside world. Adapters implement these against AWS; unit tests
 * implement them in memory.
 */
import type { CommissionEventRecord } from '../domain/order';
import type { ConversionRecord, ConversionSlot } from '../domain/conversion';
import type { PostbackMessage, PostbackOutcome, PostbackRecord } from '../domain/postback-log';
import type { ConversionKind } from '../domain/postback';
import type { Link, Merchant, Product, ProductRef } from '../domain/catalog';
import type { Pixel, PixelEvent } from '../domain/pixel';
import type { PostbackFilter, ReplayJob, ReplayJobMessage } from '../domain/replay-job';

export interface Clock {
  now(): Date;
}

export interface Page<T> {
  readonly items: T[];
  readonly cursor: string | null;
}

export interface IntegrationState {
  readonly accountId: string;
  readonly status: 'active' | 'inactive';
  readonly tokenNonce: string | null;
  readonly tokenHash: string | null;
  readonly activatedAt: string;
  readonly updatedAt: string;
  readonly rotatedAt: string | null;
  readonly deactivatedAt: string | null;
}

export interface IntegrationRepository {
  /** The account an active token belongs to, or null. */
  findAccountByTokenHash(tokenHash: string): Promise<string | null>;
  get(accountId: string): Promise<IntegrationState | null>;
  /** Stores the integration with a new token, retiring the previous token in the same transaction. */
  saveWithToken(state: IntegrationState, previousTokenHash: string | null): Promise<void>;
  deactivate(accountId: string, tokenHash: string | null, at: string): Promise<void>;
}

export interface PostbackPublisher {
  /** Throws ServiceUnavailableError when the queue cannot take it. */
  publish(message: PostbackMessage): Promise<void>;
}

export interface TimeRange {
  readonly from: string | null;
  readonly to: string | null;
}

export interface LedgerRepository {
  getConversion(accountId: string, orderId: string, slot: ConversionSlot): Promise<ConversionRecord | null>;
  /**
   * Conditional on the slot still holding what was read (its version and updatedAt; empty when null):
   * fails with WriteConflictError when another write came first.
   */
  putConversion(record: ConversionRecord, read: Pick<ConversionRecord, 'version' | 'updatedAt'> | null): Promise<void>;
  /** Conditional on the event not existing: returns false when it was already there. */
  putCommissionEvent(event: CommissionEventRecord): Promise<boolean>;
  getCommissionEvent(accountId: string, orderId: string, fingerprint: string): Promise<CommissionEventRecord | null>;
  /** Remembers which conversions carry a customer (by email hash), so an erasure request can find them. */
  indexCustomer(accountId: string, emailHash: string, orderId: string, slot: ConversionSlot): Promise<void>;
  findCustomerConversions(accountId: string, emailHash: string): Promise<Array<{ orderId: string; slot: ConversionSlot }>>;
  removeCustomerIndex(accountId: string, emailHash: string): Promise<void>;
  /** Remembers which front-end order an IPN order_id_global belongs to, so upsells can find it. */
  linkGlobalOrder(accountId: string, orderIdGlobal: string, orderId: string): Promise<void>;
  findOrderByGlobalId(accountId: string, orderIdGlobal: string): Promise<string | null>;
  /** Conversions and commission events that occurred in the range (for reports). */
  listOrderActivity(accountId: string, range: TimeRange): Promise<{ conversions: ConversionRecord[]; events: CommissionEventRecord[] }>;
  getPrimaryConversions(accountId: string, orderIds: readonly string[]): Promise<Map<string, ConversionRecord>>;
  getOrderItems(accountId: string, orderId: string): Promise<{ conversions: ConversionRecord[]; events: CommissionEventRecord[] }>;
  listConversions(accountId: string, range: TimeRange, kind: ConversionKind | null, limit: number, cursor: string | null): Promise<Page<ConversionRecord>>;

  getPostback(accountId: string, postbackId: string): Promise<PostbackRecord | null>;
  putPostback(record: PostbackRecord): Promise<void>;
  listPostbacks(accountId: string, range: TimeRange, outcome: PostbackOutcome | null, limit: number, cursor: string | null): Promise<Page<PostbackRecord>>;
}

/** A conditional write lost a race; the caller re-reads and decides again. */
export class WriteConflictError extends Error {
  constructor(message = 'conditional write failed') {
    super(message);
    this.name = 'WriteConflictError';
  }
}

/** The server-side secret tokens are derived from (Secrets Manager in AWS). */
export interface TokenSecretSource {
  get(): Promise<string>;
}

export interface IntegrationDependencies {
  readonly integrations: IntegrationRepository;
  readonly tokenSecret: TokenSecretSource;
  readonly clock: Clock;
}

export interface Click {
  readonly clickId: string;
  readonly accountId: string;
  readonly linkId: string;
  readonly campaign: string | null;
  readonly at: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
}

export interface PixelHit {
  readonly hitId: string;
  readonly accountId: string;
  readonly pixelId: string;
  readonly merchantId: string;
  readonly event: PixelEvent;
  readonly clickId: string | null;
  readonly orderId: string | null;
  readonly at: string;
}

/** Merchants, products, links and pixels: the account's configuration. */
export interface CatalogRepository {
  getMerchant(accountId: string, merchantId: string): Promise<Merchant | null>;
  putMerchant(merchant: Merchant): Promise<void>;
  getProduct(accountId: string, productId: string): Promise<Product | null>;
  /** Fails with ConflictError when another product of the account already has the codename. */
  putProduct(product: Product, previousCodename: string | null): Promise<void>;
  /** The product (its id and merchant) an account's Buygoods product codename names. */
  findProductByCodename(accountId: string, productCodename: string): Promise<ProductRef | null>;
  getLink(linkId: string): Promise<Link | null>;
  /** Fails with ConflictError when the link id belongs to another account. */
  putLink(link: Link): Promise<void>;
  listLinks(accountId: string): Promise<Link[]>;
  /** Creates the pixel unless it exists: returns false when it was already there. */
  createPixel(pixel: Pixel): Promise<boolean>;
  getPixel(pixelId: string): Promise<Pixel | null>;
  listPixels(accountId: string): Promise<Pixel[]>;
}

/** Clicks and pixel hits: the traffic the link report counts. */
export interface TrafficRepository {
  putClick(click: Click): Promise<void>;
  getClicks(clickIds: readonly string[]): Promise<Map<string, Click>>;
  recordPixelHit(hit: PixelHit): Promise<void>;
  listTraffic(accountId: string, range: TimeRange): Promise<{ clicks: Click[]; hits: PixelHit[] }>;
}

/**
 * The postback log as bulk replay reads it: pages of the postbacks a filter matches (newest first, one
 * cursor over the shards) and how many match. The issue filter is applied to the pages for now; an index
 * by issue code can take its place behind this port.
 */
export interface PostbackFinder {
  findPostbacks(accountId: string, filter: PostbackFilter, limit: number, cursor: string | null): Promise<Page<PostbackRecord>>;
  /** Counts what the filter matches, giving up after `budgetMs`: `exact` false means `count` is what was counted by then. */
  countPostbacks(accountId: string, filter: PostbackFilter, budgetMs: number): Promise<{ count: number; exact: boolean }>;
}

export interface ReplayJobRepository {
  /** Fails with ConflictError if the id exists (it never should: ids are random). */
  createJob(job: ReplayJob): Promise<void>;
  getJob(accountId: string, jobId: string): Promise<ReplayJob | null>;
  /** Conditional on the job still having the version it was read with: WriteConflictError when another save came first. */
  saveJob(job: ReplayJob, readVersion: number): Promise<void>;
}

/** The job queue: each message asks a worker for one page of a replay job. */
export interface ReplayJobQueue {
  enqueue(message: ReplayJobMessage): Promise<void>;
}

export interface BatchPublishResult {
  /** Messages the queue refused for good (their postback ids and why); transient refusals are retried, then thrown. */
  readonly failed: ReadonlyArray<{ readonly postbackId: string; readonly reason: string }>;
}

/** Many postback messages at once (SendMessageBatch): bulk replay. */
export interface PostbackBatchPublisher {
  publishBatch(messages: readonly PostbackMessage[]): Promise<BatchPublishResult>;
}
