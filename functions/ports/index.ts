/**
 * What the use cases need from the outside world. Adapters implement these against AWS; unit tests
 * implement them in memory.
 */
import type { CommissionEventRecord } from '../domain/order';
import type { ConversionRecord, ConversionSlot } from '../domain/conversion';
import type { PostbackMessage, PostbackOutcome, PostbackRecord } from '../domain/postback-log';
import type { ConversionKind } from '../domain/postback';
import type { Link, Merchant, Product, ProductRef } from '../domain/catalog';
import type { Pixel } from '../domain/pixel';
import type { Click, PixelHit } from '../domain/traffic';
import type { IntegrationState } from '../domain/integration';
import type { AccountSettings } from '../domain/account-settings';
import type { PostbackFilter, ReplayJob, ReplayJobMessage } from '../domain/replay-job';
import type { Contribution } from '../domain/aggregates';
import type { StoredBucket } from '../domain/link-report';
import type { Role } from '../domain/access';
import type { Member } from '../domain/member';

export interface Clock {
  now(): Date;
  /** Resolves once `ms` of this clock's time has passed (a test clock just moves on). */
  sleep(ms: number): Promise<void>;
}

export interface Page<T> {
  readonly items: T[];
  readonly cursor: string | null;
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
  /** By outcome and/or issue code: read units proportional to the page (sparse index, issue items). */
  listPostbacks(accountId: string, range: TimeRange, outcome: PostbackOutcome | null, limit: number, cursor: string | null, issue?: string | null): Promise<Page<PostbackRecord>>;
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

export type CatalogListing = 'link' | 'merchant' | 'product';

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
  listProducts(accountId: string): Promise<Product[]>;
  /** One page of the account's links, merchants or products, in id order. */
  pageCatalog(accountId: string, what: CatalogListing, limit: number, cursor: string | null): Promise<Page<Link | Merchant | Product>>;
  /** Creates the pixel unless it exists: returns false when it was already there. */
  createPixel(pixel: Pixel): Promise<boolean>;
  getPixel(pixelId: string): Promise<Pixel | null>;
  listPixels(accountId: string): Promise<Pixel[]>;
}

/** Clicks and pixel hits: the traffic the link report counts. */
export interface TrafficRepository {
  putClick(click: Click): Promise<void>;
  /** `consistent`: a strongly consistent read (a click written a moment ago is seen). */
  getClicks(clickIds: readonly string[], options?: { readonly consistent?: boolean }): Promise<Map<string, Click>>;
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

/** The contribution an order last applied to the aggregates, and its version (for the conditional write). */
export interface AppliedContribution {
  readonly contribution: Contribution;
  readonly version: number;
}

/** A click or pixel hit not yet counted in the aggregates (from the table stream). */
export interface UncountedTraffic {
  readonly key: 'click' | 'pixel_hit';
  readonly id: string;
}

export interface TrafficCount {
  readonly traffic: UncountedTraffic;
  readonly delta: Contribution;
}

/** The report aggregates and what keeps them exact (see functions/domain/aggregates.ts). */
export interface AggregateRepository {
  /** An order's conversions, commission events and last applied contribution: one query of its partition. */
  readOrder(accountId: string, orderId: string): Promise<{ conversions: ConversionRecord[]; events: CommissionEventRecord[]; applied: AppliedContribution | null }>;
  /**
   * Moves the buckets by `delta` and stores `next` as the order's contribution, in one transaction that
   * holds only if the stored contribution is still the one read (`read`): else WriteConflictError.
   */
  applyOrderContribution(accountId: string, orderId: string, delta: Contribution, next: Contribution, read: AppliedContribution | null): Promise<void>;
  /**
   * Adds traffic to the buckets and marks each click or hit counted, in one transaction per group; a
   * group holding an already counted item is left out whole and its items reported, so nothing counts twice.
   */
  countTraffic(accountId: string, items: readonly TrafficCount[]): Promise<{ alreadyCounted: string[] }>;
  /** Buckets whose UTC day is in [fromDay, toDay] (YYYY-MM-DD; null: unbounded). */
  listBuckets(accountId: string, fromDay: string | null, toDay: string | null): Promise<StoredBucket[]>;
  /** Moves buckets by a reconciliation's corrections (no order snapshot involved). */
  addToBuckets(accountId: string, delta: Contribution): Promise<void>;
  /** A conversion whose click is not known yet: the click's arrival refreshes the order (see refreshOrderAggregate). */
  awaitClick(clickId: string, accountId: string, orderId: string): Promise<void>;
  /** The orders waiting for each of these clicks. */
  findClickWaiters(clickIds: readonly string[]): Promise<Map<string, Array<{ accountId: string; orderId: string }>>>;
  getSettings(accountId: string): Promise<AccountSettings | null>;
  putSettings(settings: AccountSettings): Promise<void>;
}

/** Who belongs to which account, with which role (ledger items; read on every member's management call). */
export interface MembershipRepository {
  /** The user's role on the account, or null: one strongly consistent read, so a removal takes effect at once. */
  getRole(accountId: string, userId: string): Promise<Role | null>;
  get(accountId: string, userId: string): Promise<Member | null>;
  put(member: Member): Promise<void>;
  /** Returns false when there was no such membership. */
  remove(accountId: string, userId: string): Promise<boolean>;
  listByAccount(accountId: string): Promise<Member[]>;
}

/** The people who can sign in (the stage's Cognito user pool in AWS). */
export interface UserDirectory {
  /**
   * Makes sure the user exists: invites them by e-mail when they do not (in AWS, Cognito sends the
   * invitation with a temporary password). Fails with ConflictError when the user exists with another
   * e-mail address.
   */
  ensureUser(userId: string, email: string): Promise<'invited' | 'existing'>;
}
