/**
 * The postback mix the benchmark offers, as Buygoods sends it: affiliate pixel GETs (the activation's
 * URL template with its tokens filled in) and vendor IPN form POSTs, for new purchases, upsells, refunds of
 * earlier orders, exact duplicates of earlier postbacks (Buygoods' retries) and purchases whose click id is
 * malformed or an unfilled placeholder. Seeded, so every run offers the same sequence.
 */
import { createHash } from 'node:crypto';
import { randomGenerator } from '../scripts/random';

export type MixKind = 'purchase' | 'upsell' | 'refund' | 'duplicate' | 'malformedClickId';

/** Shares of the mix (they sum to 1). */
export const MIX: ReadonlyArray<readonly [MixKind, number]> = [
  ['purchase', 0.6],
  ['upsell', 0.12],
  ['refund', 0.08],
  ['duplicate', 0.15],
  ['malformedClickId', 0.05],
];

/** Share of postbacks that come as vendor IPN form posts rather than affiliate pixel GETs. */
const IPN_SHARE = 0.2;

export interface PostbackUrls {
  readonly conversionUrl: string;
  readonly refundUrl: string;
}

export interface PostbackRequest {
  readonly kind: MixKind;
  readonly style: 'pixel' | 'ipn';
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: string;
  readonly contentType?: string;
}

/** What a later refund, upsell or duplicate needs to know about an earlier purchase. */
interface Order {
  readonly orderId: string;
  readonly orderIdGlobal: string;
  readonly clickId: string;
  readonly commissionCents: number;
  readonly style: 'pixel' | 'ipn';
  readonly customer: number;
  readonly request: PostbackRequest;
  readonly at: number;
  refunded: boolean;
}

const FIRST = ['Zephyrine', 'Octavian', 'Marisol', 'Thaddeus', 'Isolde', 'Leopoldo'];
const LAST = ['Quillfeather', 'Vandermolen', 'Okonkwo-Reyes', 'Fitzwalter', 'Szczepanik', 'Hollingbrook'];

/** Fills the activation's query template like Buygoods does: every token replaced, unknown ones emptied. */
function fillTemplate(url: string, values: Readonly<Record<string, string>>): string {
  return url.replace(/\{([A-Z0-9_]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

function amount(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export class Workload {
  private readonly next01: () => number;
  private readonly orders: Order[] = [];
  private sequence = 0;

  /**
   * @param prefix makes order ids unique to this workload (one per phase).
   * @param minAge a duplicate, refund or upsell refers to an order at least this many postbacks older
   *   (about a second of traffic), as retries and refunds come later than the purchase.
   */
  constructor(
    private readonly urls: PostbackUrls,
    private readonly productCodename: string,
    private readonly prefix: string,
    seed: number,
    private readonly minAge = 0,
  ) {
    this.next01 = randomGenerator(seed);
  }

  /** The next postback of the mix. */
  next(): PostbackRequest {
    const roll = this.next01();
    let cumulative = 0;
    const kind = MIX.find(([, share]) => (cumulative += share) > roll)?.[0] ?? 'purchase';
    return this.make(kind);
  }

  /** A fresh purchase of the given style (the controlled write-unit phases). */
  purchase(style: 'pixel' | 'ipn'): PostbackRequest {
    return this.newOrder('purchase', style, this.clickId());
  }

  private make(kind: MixKind): PostbackRequest {
    const style = this.next01() < IPN_SHARE ? 'ipn' : 'pixel';
    if (kind === 'purchase') return this.newOrder('purchase', style, this.clickId());
    if (kind === 'malformedClickId')
      return this.newOrder(
        'malformedClickId',
        style,
        this.next01() < 0.5 ? `clk ${this.sequence}<b>` : '{SUBID}',
      );
    // Too early in the run for an earlier order to refer to: a purchase instead.
    const earlier = this.earlierOrder();
    if (!earlier || (kind === 'refund' && earlier.refunded))
      return this.newOrder('purchase', style, this.clickId());
    if (kind === 'upsell') return this.upsellOf(earlier);
    if (kind === 'refund') return this.refundOf(earlier);
    this.sequence++;
    return { ...earlier.request, kind: 'duplicate' };
  }

  private clickId(): string {
    return `clk_${Math.floor(this.next01() * 2 ** 40).toString(36)}`;
  }

  /** A random order at least minAge postbacks old (orders are kept in arrival order: a binary search). */
  private earlierOrder(): Order | null {
    const newest = this.sequence - this.minAge;
    let low = 0;
    let high = this.orders.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.orders[middle]!.at <= newest) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? null : this.orders[Math.floor(this.next01() * low)]!;
  }

  private newOrder(
    kind: 'purchase' | 'malformedClickId',
    style: 'pixel' | 'ipn',
    clickId: string,
  ): PostbackRequest {
    const n = this.sequence++;
    const orderId = `${this.prefix}${n}`;
    const commissionCents = 500 + Math.floor(this.next01() * 9000);
    const order = {
      orderId,
      orderIdGlobal: `G${orderId}`,
      clickId,
      commissionCents,
      style,
      customer: n,
      at: n,
      refunded: false,
    };
    const request =
      style === 'pixel'
        ? this.pixel(kind, this.urls.conversionUrl, {
            SUBID: clickId,
            ORDERID: orderId,
            COMMISSION_AMOUNT: amount(commissionCents),
            CONV_TYPE: 'frontend',
            EMAILHASH: this.emailHash(n),
          })
        : this.ipn(kind, { ...order, action: 'neworder', upsell: false });
    this.orders.push({ ...order, request });
    return request;
  }

  private upsellOf(parent: Order): PostbackRequest {
    const n = this.sequence++;
    const orderId = `${this.prefix}${n}U`;
    const commissionCents = 300 + Math.floor(this.next01() * 4000);
    const order = { ...parent, orderId, commissionCents, at: n, refunded: false };
    const request =
      parent.style === 'pixel'
        ? this.pixel('upsell', this.urls.conversionUrl, {
            SUBID: parent.clickId,
            ORDERID: orderId,
            COMMISSION_AMOUNT: amount(commissionCents),
            CONV_TYPE: 'upsell',
            EMAILHASH: this.emailHash(parent.customer),
          })
        : this.ipn('upsell', { ...order, action: 'neworder', upsell: true });
    this.orders.push({ ...order, request });
    return request;
  }

  private refundOf(order: Order): PostbackRequest {
    this.sequence++;
    order.refunded = true;
    return order.style === 'pixel'
      ? this.pixel('refund', this.urls.refundUrl, {
          SUBID: order.clickId,
          ORDERID: order.orderId,
          COMMISSION_AMOUNT: amount(order.commissionCents),
        })
      : this.ipn('refund', { ...order, action: 'refund', upsell: false });
  }

  private pixel(kind: MixKind, template: string, values: Record<string, string>): PostbackRequest {
    return {
      kind,
      style: 'pixel',
      method: 'GET',
      url: fillTemplate(template, { PRODUCT_CODENAME: this.productCodename, ...values }),
    };
  }

  /** A vendor IPN: a few dozen of Buygoods' fixed fields, order_id and subid given twice as Buygoods does. */
  private ipn(
    kind: MixKind,
    order: Omit<Order, 'request' | 'refunded'> & { action: string; upsell: boolean },
  ): PostbackRequest {
    const first = FIRST[order.customer % FIRST.length]!;
    const last = LAST[order.customer % LAST.length]!;
    const total = amount(order.commissionCents * 2 + 1900);
    const fields: Array<[string, string]> = [
      ['action_type', order.action],
      ['order_id', order.orderId],
      ['order_id_global', order.orderIdGlobal],
      ['flag_upsell', order.upsell ? '1' : '0'],
      ['upsell_parent', ''],
      ['product_codename', this.productCodename],
      ['product_name', 'Keto X3 (3 bottles)'],
      ['product_price', total],
      ['quantity', '1'],
      ['customer_name', `${first} ${last}`],
      ['customer_emailaddress', `${first}.${last}${order.customer}@example-shop.com`.toLowerCase()],
      ['customer_phone', `+1555${String(order.customer).padStart(7, '0')}`],
      ['customer_address', `${100 + (order.customer % 800)} Main Street`],
      ['customer_city', 'Springfield'],
      ['customer_state', 'IL'],
      ['customer_zip', '62701'],
      ['customer_country', 'US'],
      ['subid', order.clickId],
      ['subid2', 'fb-campaign-7'],
      ['subid3', ''],
      ['subid4', ''],
      ['subid5', ''],
      ['aff_commission', amount(order.commissionCents)],
      ['total_clean', total],
      ['total_tax', '0.00'],
      ['total_shipping', '0.00'],
      ['currency', 'USD'],
      ['payment_method', 'card'],
      ['is_test', '0'],
      ['vendor_id', '4417'],
      ['affiliate_id', '90210'],
      ['date_created', '2026-11-25 10:00:00'],
      ['order_id', order.orderId],
      ['subid', order.clickId],
    ];
    return {
      kind,
      style: 'ipn',
      method: 'POST',
      url: this.urls.conversionUrl.split('?')[0]!,
      body: new URLSearchParams(fields).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  }

  private emailHash(customer: number): string {
    return createHash('sha256').update(`buyer${customer}@example-shop.com`).digest('hex');
  }
}
