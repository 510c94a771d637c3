/** In-memory fakes of the ports, for use-case unit tests (no network). */
import type { ConversionRecord, ConversionSlot } from '../../functions/domain/conversion';
import type { CommissionEventRecord } from '../../functions/domain/order';
import type { ConversionKind } from '../../functions/domain/postback';
import {
  findableCodes,
  type PostbackMessage,
  type PostbackOutcome,
  type PostbackRecord,
} from '../../functions/domain/postback-log';
import {
  DAY_TOTAL_ATTRIBUTES,
  isWrittenBucket,
  daySegments,
  isTotalsDay,
  parseBucketId,
  type Contribution,
  type DayRange,
} from '../../functions/domain/aggregates';
import type { PostbackFilter, ReplayJob, ReplayJobMessage } from '../../functions/domain/replay-job';
import type {
  AggregateRepository,
  AppliedContribution,
  UnrolledBucket,
  TrafficCount,
} from '../../functions/ports/aggregate-repository';
import type { CatalogListing, CatalogRepository } from '../../functions/ports/catalog-repository';
import type { Clock } from '../../functions/ports/clock';
import type { RandomSource } from '../../functions/ports/random-source';
import type { IntegrationRepository } from '../../functions/ports/integration-repository';
import type { MembershipRepository } from '../../functions/ports/membership-repository';
import type { Role } from '../../functions/domain/access';
import type { Member } from '../../functions/domain/member';
import type { ConversionRepository } from '../../functions/ports/conversion-repository';
import type { LedgerRepository } from '../../functions/ports/ledger-repository';
import type { Page, TimeRange } from '../../functions/ports/page';
import type { PostbackBatchPublisher, PostbackPublisher } from '../../functions/ports/postback-publisher';
import type { PostbackFinder } from '../../functions/ports/postback-finder';
import type { ReplayJobQueue } from '../../functions/ports/replay-job-queue';
import type { ReplayJobRepository } from '../../functions/ports/replay-job-repository';
import type { TrafficRepository } from '../../functions/ports/traffic-repository';
import type { AccountSettings } from '../../functions/domain/account-settings';
import type { Click, PixelHit } from '../../functions/domain/traffic';
import type { IntegrationState } from '../../functions/domain/integration';
import type { Link, Merchant, Product } from '../../functions/domain/catalog';
import { BadRequestError, ConflictError, WriteConflictError } from '../../functions/domain/errors';
import type { Pixel } from '../../functions/domain/pixel';

export class FixedClock implements Clock {
  constructor(private current = new Date('2026-11-25T10:00:00.000Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
  async sleep(ms: number) {
    this.advance(ms);
  }
}

/**
 * Random bytes that are not random: the n-th draw is n, big-endian, in as many bytes as asked for (zeros
 * before it). Ids come out distinct and predictable (`pb_…00000000000000000001`, then `…02`); `draws`
 * counts the calls.
 */
export class CountingRandom implements RandomSource {
  draws = 0;
  constructor(private readonly start = 0) {}
  private next(bytes: number): Buffer {
    const out = Buffer.alloc(bytes);
    let value = BigInt(this.start + ++this.draws);
    for (let index = bytes - 1; index >= 0 && value > 0n; index--, value >>= 8n)
      out[index] = Number(value & 0xffn);
    return out;
  }
  hex(bytes: number) {
    return this.next(bytes).toString('hex');
  }
  base64url(bytes: number) {
    return this.next(bytes).toString('base64url');
  }
}

const inRange = (at: string, range: TimeRange) =>
  (range.from === null || at >= range.from) && (range.to === null || at <= range.to);
const copy = <T>(value: T): T => structuredClone(value);

/** Code unit order: the order DynamoDB sorts ASCII string keys in (by their bytes), unlike localeCompare. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A listing's cursor: the last key served, opaque; one the fake did not issue is a 400, as with the adapters. */
const encodeCursor = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');
function decodeCursor(cursor: string | null): string | null {
  if (cursor === null) return null;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (decoded && typeof decoded === 'object' && typeof (decoded as { after?: unknown }).after === 'string')
      return (decoded as { after: string }).after;
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError('invalid_cursor', 'The cursor is not one this listing returned');
}

/**
 * A newest-first page by `${time}#${id}` (the sort key the DynamoDB listings merge their shards by): the
 * next page starts right after the cursor's key, with no duplicates or gaps.
 */
function pageNewestFirst<T>(
  items: readonly T[],
  sortKey: (item: T) => string,
  limit: number,
  cursor: string | null,
): Page<T> {
  const after = decodeCursor(cursor);
  const sorted = items
    .map((item) => ({ item, key: sortKey(item) }))
    .filter(({ key }) => after === null || key < after)
    .sort((a, b) => byKey(b.key, a.key));
  const page = sorted.slice(0, limit);
  return {
    items: page.map(({ item }) => copy(item)),
    cursor: sorted.length > limit ? encodeCursor(page[page.length - 1]!.key) : null,
  };
}

export class InMemoryLedger implements LedgerRepository {
  readonly conversions = new Map<string, ConversionRecord>();
  readonly events = new Map<string, CommissionEventRecord>();
  readonly postbacks = new Map<string, PostbackRecord>();
  /** Lets a test lose a race on purpose: called before each conditional conversion write. */
  beforeConversionWrite: ((record: ConversionRecord) => void) | null = null;

  private conversionKey = (accountId: string, orderId: string, slot: string) =>
    `${accountId}|${orderId}|${slot}`;

  async getConversion(accountId: string, orderId: string, slot: ConversionSlot) {
    const found = this.conversions.get(this.conversionKey(accountId, orderId, slot));
    return found ? copy(found) : null;
  }
  async putConversion(
    record: ConversionRecord,
    read: Pick<ConversionRecord, 'version' | 'updatedAt'> | null,
  ) {
    this.beforeConversionWrite?.(record);
    const key = this.conversionKey(record.accountId, record.orderId, record.slot);
    const current = this.conversions.get(key);
    if (
      read === null
        ? current !== undefined
        : current?.version !== read.version || current.updatedAt !== read.updatedAt
    )
      throw new WriteConflictError();
    this.conversions.set(key, copy(record));
  }
  async putCommissionEvent(event: CommissionEventRecord) {
    const key = `${event.accountId}|${event.orderId}|${event.fingerprint}`;
    if (this.events.has(key)) return false;
    this.events.set(key, copy(event));
    return true;
  }
  async getCommissionEvent(accountId: string, orderId: string, fingerprint: string) {
    return copy(this.events.get(`${accountId}|${orderId}|${fingerprint}`) ?? null);
  }
  async listOrderActivity(accountId: string, range: TimeRange) {
    return {
      conversions: [...this.conversions.values()]
        .filter((c) => c.accountId === accountId && inRange(c.occurredAt, range))
        .map(copy),
      events: [...this.events.values()]
        .filter((e) => e.accountId === accountId && inRange(e.receivedAt, range))
        .map(copy),
    };
  }
  async getPrimaryConversions(accountId: string, orderIds: readonly string[]) {
    const found = new Map<string, ConversionRecord>();
    for (const orderId of orderIds) {
      const primary = this.conversions.get(this.conversionKey(accountId, orderId, 'primary'));
      if (primary) found.set(orderId, copy(primary));
    }
    return found;
  }
  readonly customers = new Map<string, Map<string, { orderId: string; slot: ConversionSlot }>>();
  async indexCustomer(accountId: string, emailHash: string, orderId: string, slot: ConversionSlot) {
    const key = `${accountId}|${emailHash}`;
    if (!this.customers.has(key)) this.customers.set(key, new Map());
    this.customers.get(key)!.set(`${orderId}|${slot}`, { orderId, slot });
  }
  async findCustomerConversions(accountId: string, emailHash: string) {
    return [...(this.customers.get(`${accountId}|${emailHash}`)?.values() ?? [])];
  }
  async removeCustomerIndex(accountId: string, emailHash: string) {
    this.customers.delete(`${accountId}|${emailHash}`);
  }
  readonly globalOrders = new Map<string, string>();
  async linkGlobalOrder(accountId: string, orderIdGlobal: string, orderId: string) {
    this.globalOrders.set(`${accountId}|${orderIdGlobal}`, orderId);
  }
  async findOrderByGlobalId(accountId: string, orderIdGlobal: string) {
    return this.globalOrders.get(`${accountId}|${orderIdGlobal}`) ?? null;
  }
  async getOrderItems(accountId: string, orderId: string) {
    return {
      conversions: [...this.conversions.values()]
        .filter((c) => c.accountId === accountId && c.orderId === orderId)
        .map(copy),
      events: [...this.events.values()]
        .filter((e) => e.accountId === accountId && e.orderId === orderId)
        .map(copy),
    };
  }
  async listConversions(
    accountId: string,
    range: TimeRange,
    kind: ConversionKind | null,
    limit: number,
    cursor: string | null = null,
  ): Promise<Page<ConversionRecord>> {
    const items = [...this.conversions.values()].filter(
      (c) => c.accountId === accountId && inRange(c.occurredAt, range) && (kind === null || c.kind === kind),
    );
    return pageNewestFirst(items, (c) => `${c.occurredAt}#${c.conversionId}`, limit, cursor);
  }
  async getPostback(accountId: string, postbackId: string) {
    const found = this.postbacks.get(postbackId);
    return found && found.accountId === accountId ? copy(found) : null;
  }
  async putPostback(record: PostbackRecord) {
    this.postbacks.set(record.postbackId, copy(record));
  }
  async listPostbacks(
    accountId: string,
    range: TimeRange,
    outcome: PostbackOutcome | null,
    limit: number,
    cursor: string | null = null,
    issue: string | null = null,
  ): Promise<Page<PostbackRecord>> {
    const items = [...this.postbacks.values()].filter(
      (p) =>
        p.accountId === accountId &&
        inRange(p.receivedAt, range) &&
        (outcome === null || p.outcome === outcome) &&
        (issue === null || findableCodes(p).includes(issue)),
    );
    return pageNewestFirst(items, (p) => `${p.receivedAt}#${p.postbackId}`, limit, cursor);
  }
}

export class InMemoryIntegrations implements IntegrationRepository {
  readonly states = new Map<string, IntegrationState>();
  readonly tokens = new Map<string, string>();
  async findAccountByTokenHash(tokenHash: string) {
    return this.tokens.get(tokenHash) ?? null;
  }
  async get(accountId: string) {
    return copy(this.states.get(accountId) ?? null);
  }
  /** Conditional like the adapter's transaction: on the previous token (or none active), and on the new hash being free. */
  async saveWithToken(state: IntegrationState, previousTokenHash: string | null) {
    const current = this.states.get(state.accountId);
    const holds =
      previousTokenHash === null
        ? !current || current.status === 'inactive'
        : current?.tokenHash === previousTokenHash;
    if (!holds || this.tokens.has(state.tokenHash!)) throw new ConflictError('concurrent_change', 'changed');
    if (previousTokenHash) this.tokens.delete(previousTokenHash);
    this.tokens.set(state.tokenHash!, state.accountId);
    this.states.set(state.accountId, copy(state));
  }
  async deactivate(accountId: string, tokenHash: string | null, at: string) {
    const state = this.states.get(accountId);
    if (!state) throw new ConflictError('concurrent_change', 'changed');
    if (tokenHash) this.tokens.delete(tokenHash);
    this.states.set(accountId, {
      ...state,
      status: 'inactive',
      tokenHash: null,
      tokenNonce: null,
      deactivatedAt: at,
      updatedAt: at,
    });
  }
}

/** Memberships keyed by account and user, listed in user id order as the adapter's sort key lists them. */
export class InMemoryMemberships implements MembershipRepository {
  readonly members = new Map<string, Member>();
  private key = (accountId: string, userId: string) => `${accountId}|${userId}`;
  async getRole(accountId: string, userId: string): Promise<Role | null> {
    return this.members.get(this.key(accountId, userId))?.role ?? null;
  }
  async get(accountId: string, userId: string) {
    return copy(this.members.get(this.key(accountId, userId)) ?? null);
  }
  async put(member: Member) {
    this.members.set(this.key(member.accountId, member.userId), copy(member));
  }
  async remove(accountId: string, userId: string) {
    return this.members.delete(this.key(accountId, userId));
  }
  async listByAccount(accountId: string) {
    return [...this.members.values()]
      .filter((m) => m.accountId === accountId)
      .sort((a, b) => byKey(a.userId, b.userId))
      .map(copy);
  }
}

export class CollectingPublisher implements PostbackPublisher {
  readonly messages: PostbackMessage[] = [];
  failing = false;
  async publish(message: PostbackMessage) {
    if (this.failing) {
      const { ServiceUnavailableError } = await import('../../functions/domain/errors');
      throw new ServiceUnavailableError();
    }
    this.messages.push(copy(message));
  }
}

export class InMemoryCatalog implements CatalogRepository {
  readonly merchants = new Map<string, Merchant>();
  readonly products = new Map<string, Product>();
  readonly links = new Map<string, Link>();
  readonly pixels = new Map<string, Pixel>();
  async getMerchant(accountId: string, merchantId: string) {
    return copy(this.merchants.get(`${accountId}|${merchantId}`) ?? null);
  }
  async putMerchant(merchant: Merchant) {
    this.merchants.set(`${merchant.accountId}|${merchant.merchantId}`, copy(merchant));
  }
  async getProduct(accountId: string, productId: string) {
    return copy(this.products.get(`${accountId}|${productId}`) ?? null);
  }
  async putProduct(product: Product, _previousCodename: string | null = null) {
    const taken = [...this.products.values()].find(
      (p) =>
        p.accountId === product.accountId &&
        p.productId !== product.productId &&
        p.productCodename.toLowerCase() === product.productCodename.toLowerCase(),
    );
    if (taken) throw new ConflictError('product_codename_taken', 'taken');
    this.products.set(`${product.accountId}|${product.productId}`, copy(product));
  }
  /** The product's ref (its id and merchant), as the adapter's codename item holds it. */
  async findProductByCodename(accountId: string, codename: string) {
    const found = [...this.products.values()].find(
      (p) => p.accountId === accountId && p.productCodename.toLowerCase() === codename.toLowerCase(),
    );
    return found ? { productId: found.productId, merchantId: found.merchantId } : null;
  }
  async getLink(linkId: string) {
    return copy(this.links.get(linkId) ?? null);
  }
  async putLink(link: Link) {
    const current = this.links.get(link.linkId);
    if (current && current.accountId !== link.accountId) throw new ConflictError('link_id_taken', 'taken');
    this.links.set(link.linkId, copy(link));
  }
  async listLinks(accountId: string) {
    return [...this.links.values()].filter((l) => l.accountId === accountId).map(copy);
  }
  async listProducts(accountId: string) {
    return [...this.products.values()].filter((p) => p.accountId === accountId).map(copy);
  }
  async pageCatalog(accountId: string, what: CatalogListing, limit: number, cursor: string | null) {
    const all: Array<Link | Merchant | Product> =
      what === 'link'
        ? await this.listLinks(accountId)
        : what === 'product'
          ? await this.listProducts(accountId)
          : [...this.merchants.values()].filter((m) => m.accountId === accountId).map(copy);
    const id = (item: Link | Merchant | Product) =>
      'linkId' in item ? item.linkId : 'productId' in item ? item.productId : item.merchantId;
    const after = decodeCursor(cursor);
    const sorted = all
      .sort((a, b) => byKey(id(a), id(b)))
      .filter((item) => after === null || id(item) > after);
    const items = sorted.slice(0, limit);
    return { items, cursor: sorted.length > limit ? encodeCursor(id(items[items.length - 1]!)) : null };
  }
  async createPixel(pixel: Pixel) {
    if (this.pixels.has(pixel.pixelId)) return false;
    this.pixels.set(pixel.pixelId, copy(pixel));
    return true;
  }
  async getPixel(pixelId: string) {
    return copy(this.pixels.get(pixelId) ?? null);
  }
  async listPixels(accountId: string) {
    return [...this.pixels.values()].filter((p) => p.accountId === accountId).map(copy);
  }
}

export class InMemoryTraffic implements TrafficRepository {
  readonly clicks = new Map<string, Click>();
  readonly hits: PixelHit[] = [];
  constructor(private readonly catalog?: InMemoryCatalog) {}
  async putClick(click: Click) {
    this.clicks.set(click.clickId, copy(click));
  }
  async getClicks(clickIds: readonly string[], _options?: { readonly consistent?: boolean }) {
    return new Map(
      clickIds.filter((id) => this.clicks.has(id)).map((id) => [id, copy(this.clicks.get(id)!)]),
    );
  }
  async recordPixelHit(hit: PixelHit) {
    this.hits.push(copy(hit));
    const pixel = this.catalog?.pixels.get(hit.pixelId);
    if (pixel) this.catalog!.pixels.set(hit.pixelId, { ...pixel, hits: pixel.hits + 1, lastHitAt: hit.at });
  }
  async listTraffic(accountId: string, range: TimeRange) {
    return {
      clicks: [...this.clicks.values()]
        .filter((c) => c.accountId === accountId && inRange(c.at, range))
        .map(copy),
      hits: this.hits.filter((h) => h.accountId === accountId && inRange(h.at, range)).map(copy),
    };
  }
}

/** The postback log as bulk replay reads it, over an InMemoryLedger: pages by offset, newest first. */
export class InMemoryPostbackFinder implements PostbackFinder {
  /** When set, countPostbacks stops after this many matches and says it is not exact (a slow count). */
  countLimit: number | null = null;
  constructor(private readonly ledger: InMemoryLedger) {}
  private matching(accountId: string, filter: PostbackFilter) {
    return [...this.ledger.postbacks.values()]
      .filter(
        (p) =>
          p.accountId === accountId &&
          inRange(p.receivedAt, filter) &&
          (filter.outcome === null || p.outcome === filter.outcome) &&
          (filter.issue === null || findableCodes(p).includes(filter.issue)),
      )
      .sort((a, b) => `${b.receivedAt}#${b.postbackId}`.localeCompare(`${a.receivedAt}#${a.postbackId}`));
  }
  async findPostbacks(
    accountId: string,
    filter: PostbackFilter,
    limit: number,
    cursor: string | null,
  ): Promise<Page<PostbackRecord>> {
    const start = cursor ? Number(cursor) : 0;
    const all = this.matching(accountId, filter);
    const items = all.slice(start, start + limit).map(copy);
    return { items, cursor: start + limit < all.length ? String(start + limit) : null };
  }
  async countPostbacks(accountId: string, filter: PostbackFilter) {
    const count = this.matching(accountId, filter).length;
    return this.countLimit !== null && count > this.countLimit
      ? { count: this.countLimit, exact: false }
      : { count, exact: true };
  }
}

/** Jobs keyed by account and job id, as the table keys them: a job id is unique within its account. */
export class InMemoryReplayJobs implements ReplayJobRepository {
  readonly jobs = new Map<string, ReplayJob>();
  private key = (accountId: string, jobId: string) => `${accountId}|${jobId}`;
  async createJob(job: ReplayJob) {
    if (this.jobs.has(this.key(job.accountId, job.jobId)))
      throw new ConflictError('replay_job_exists', 'exists');
    this.jobs.set(this.key(job.accountId, job.jobId), copy(job));
  }
  async getJob(accountId: string, jobId: string) {
    return copy(this.jobs.get(this.key(accountId, jobId)) ?? null);
  }
  async saveJob(job: ReplayJob, readVersion: number) {
    if (this.jobs.get(this.key(job.accountId, job.jobId))?.version !== readVersion)
      throw new WriteConflictError();
    this.jobs.set(this.key(job.accountId, job.jobId), copy(job));
  }
}

export class CollectingJobQueue implements ReplayJobQueue {
  readonly messages: ReplayJobMessage[] = [];
  async enqueue(message: ReplayJobMessage) {
    this.messages.push(copy(message));
  }
}

export class CollectingBatchPublisher implements PostbackBatchPublisher {
  readonly batches: PostbackMessage[][] = [];
  /** Called after a batch was taken: a test throws from it to crash the worker right after a send. */
  afterBatch: ((batchNumber: number) => void) | null = null;
  async publishBatch(messages: readonly PostbackMessage[]) {
    this.batches.push(messages.map(copy));
    this.afterBatch?.(this.batches.length);
    return { failed: [] };
  }
}

/** The aggregates over the in-memory ledger and traffic: the same contract as the DynamoDB adapter. */
export class InMemoryAggregates implements AggregateRepository {
  readonly snapshots = new Map<string, AppliedContribution>();
  readonly buckets = new Map<string, Record<string, number>>();
  readonly counted = new Set<string>();
  readonly waiters = new Map<string, Set<string>>();
  readonly settings = new Map<string, AccountSettings>();
  constructor(
    private readonly ledger: Pick<ConversionRepository, 'getOrderItems'>,
    private readonly traffic?: InMemoryTraffic,
  ) {}
  /**
   * Each written bucket's version, as the adapter keeps it (its rolled buckets are added to atomically
   * here): one counter for all, so a bucket deleted by a roll-up and written again never gets back a
   * version an earlier listing read (the adapter starts each new item's count at random).
   */
  readonly versions = new Map<string, number>();
  private lastVersion = 0;
  /** Like the adapter's ADD updates: a bucket with nothing to add is not written. */
  private add(accountId: string, delta: Contribution) {
    for (const [id, attributes] of Object.entries(delta)) {
      if (Object.keys(attributes).length === 0) continue;
      const key = `${accountId}|${id}`;
      const bucket = this.buckets.get(key) ?? {};
      for (const [name, amount] of Object.entries(attributes)) bucket[name] = (bucket[name] ?? 0) + amount;
      this.buckets.set(key, bucket);
      if (isWrittenBucket(parseBucketId(id))) this.versions.set(key, ++this.lastVersion);
    }
  }
  /** Like the adapter: each partition (a traffic shard, the sales) oldest first, `limitPerPartition` of each. */
  async listUnrolled(
    accountId: string,
    fromDay: string | null,
    beforeDay: string,
    limitPerPartition?: number,
  ) {
    const partitions = new Map<string, Array<{ sort: string; entry: UnrolledBucket }>>();
    for (const [key, attributes] of this.buckets) {
      if (!key.startsWith(`${accountId}|`)) continue;
      const id = key.slice(accountId.length + 1);
      const ref = parseBucketId(id);
      if (!isWrittenBucket(ref) || ref.day < (fromDay ?? '') || ref.day >= beforeDay) continue;
      const partition = ref.kind === 'traffic' ? `T${ref.shard}` : 'S';
      const entry = {
        bucket: { ref, attributes: { ...attributes } },
        version: this.versions.get(key) ?? null,
      };
      (partitions.get(partition) ?? partitions.set(partition, []).get(partition)!).push({
        sort: `${ref.day}#${id}`,
        entry,
      });
    }
    return [...partitions.values()].flatMap((items) =>
      items
        .sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0))
        .slice(0, limitPerPartition)
        .map(({ entry }) => entry),
    );
  }
  async rollUpBuckets(
    accountId: string,
    sources: ReadonlyArray<{ readonly id: string; readonly version: number | null }>,
    rolled: Contribution,
  ) {
    for (const { id, version } of sources) {
      const key = `${accountId}|${id}`;
      if (!this.buckets.has(key) || (this.versions.get(key) ?? null) !== version)
        throw new WriteConflictError('buckets changed meanwhile');
    }
    for (const { id } of sources) {
      this.buckets.delete(`${accountId}|${id}`);
      this.versions.delete(`${accountId}|${id}`);
    }
    this.add(accountId, rolled);
  }
  async readOrder(accountId: string, orderId: string) {
    return {
      ...(await this.ledger.getOrderItems(accountId, orderId)),
      applied: copy(this.snapshots.get(`${accountId}|${orderId}`) ?? null),
    };
  }
  async applyOrderContribution(
    accountId: string,
    orderId: string,
    delta: Contribution,
    next: Contribution,
    read: AppliedContribution | null,
  ) {
    const current = this.snapshots.get(`${accountId}|${orderId}`) ?? null;
    if ((current?.version ?? null) !== (read?.version ?? null)) throw new WriteConflictError();
    this.snapshots.set(`${accountId}|${orderId}`, {
      contribution: copy(next),
      version: (read?.version ?? 0) + 1,
    });
    this.add(accountId, delta);
  }
  async countTraffic(accountId: string, items: readonly TrafficCount[]) {
    const alreadyCounted: string[] = [];
    for (const { traffic, delta } of items) {
      const exists =
        traffic.key === 'click'
          ? this.traffic?.clicks.has(traffic.id)
          : this.traffic?.hits.some((h) => h.hitId === traffic.id);
      if (this.counted.has(traffic.id) || !exists) {
        alreadyCounted.push(traffic.id);
        continue;
      }
      this.counted.add(traffic.id);
      this.add(accountId, delta);
    }
    return { alreadyCounted };
  }
  /** Like the adapter: the buckets of whole days with their day totals alone, unless they hold none. */
  async listBuckets(
    accountId: string,
    fromDay: string | null,
    toDay: string | null,
    wholeDays: readonly DayRange[] = [],
  ) {
    const segments = daySegments(fromDay, toDay, wholeDays);
    const within = (day: string, range: DayRange) =>
      (range.from === null || day >= range.from) && (range.to === null || day <= range.to);
    return [...this.buckets.entries()]
      .filter(([key]) => key.startsWith(`${accountId}|`))
      .map(([key, attributes]) => ({ ref: parseBucketId(key.slice(accountId.length + 1)), attributes }))
      .filter(({ ref }) => within(ref.day, { from: fromDay, to: toDay }))
      .flatMap(({ ref, attributes }) => {
        const whole = isTotalsDay(segments, ref.day);
        // Whole days: written buckets and day-totals items; other days: written and rolled buckets.
        if (ref.kind === 'dayTotals' ? !whole : whole && !isWrittenBucket(ref)) return [];
        const totals = Object.entries(attributes).filter(([name]) => DAY_TOTAL_ATTRIBUTES.includes(name));
        const asTotals = whole && totals.length > 0;
        return [{ ref, attributes: asTotals ? Object.fromEntries(totals) : { ...attributes } }];
      });
  }
  async addToBuckets(accountId: string, delta: Contribution) {
    this.add(accountId, delta);
  }
  async awaitClick(clickId: string, accountId: string, orderId: string) {
    (this.waiters.get(clickId) ?? this.waiters.set(clickId, new Set()).get(clickId)!).add(
      `${accountId}|${orderId}`,
    );
  }
  async findClickWaiters(clickIds: readonly string[]) {
    return new Map(
      clickIds
        .filter((id) => this.waiters.has(id))
        .map((id) => [
          id,
          [...this.waiters.get(id)!].map((entry) => ({
            accountId: entry.split('|')[0]!,
            orderId: entry.split('|')[1]!,
          })),
        ]),
    );
  }
  async getSettings(accountId: string) {
    return copy(this.settings.get(accountId) ?? null);
  }
  async putSettings(settings: AccountSettings) {
    this.settings.set(settings.accountId, copy(settings));
  }
}
