/**
 * Report aggregates: the link report's figures kept per quarter-hour of UTC time, so a report of any range
 * in any time zone is answered by adding up stored buckets, never by reading the raw items.
 *
 * Why quarter-hours of UTC: every IANA offset is a multiple of 15 minutes, so a day in any zone is a whole
 * number of quarter-hours; a bucket per day in one zone could not answer another. The quarter-hours of one
 * UTC day live as attributes of one item (sparse: only the slots that had activity), so the read cost is
 * items per day, not per slot.
 *
 * Day totals: beside its quarter-hours, each item holds a total per figure for the whole UTC day (`cD`,
 * `spD`: the figure's code, `D`), moved by the same ADD as the quarter-hour, so a report reads only the
 * totals of the UTC days its range covers whole (see dayTotalAttributes and the link report).
 *
 * Rolled days: traffic is written to 8 shard items per day, link and figure (a link taking a thousand clicks
 * a second makes no hot item), sales to one item per day, link and product. Once a UTC day is over (and at
 * each 3-hour turn of it, for the day so far: functions/use-cases/roll-up-days.ts), these written buckets
 * are rolled (rolledContribution): a day's traffic into one item per link holding both
 * figures (kind `rolled`), its sales into one per link and product (`rolledSales`), each with its quarter-
 * hours and totals, and beside each a small item of its day totals alone (`dayTotals`). A report then reads
 * the days its range covers whole from the small items and only its edge days from the big ones, so the
 * bytes it reads do not grow with the traffic in the buckets. A read adds up whatever it finds (rolled items
 * and written ones alike), so a late click, or a refund by sale date of a day long rolled, is counted all
 * the same, and rolled the next time.
 *
 * Exactly once: an order's contribution (what its conversions and commission events add to which buckets)
 * is computed from the order's stored items alone. The caller keeps the contribution last applied and moves
 * the buckets by the difference, conditionally on that snapshot: any number of recomputations of the same
 * state add nothing, a corrected commission moves the figures by the difference, and a reversal that
 * arrived before its purchase moves to the purchase's link once the purchase is known.
 */
import { isChargeSlot, type ConversionRecord } from './conversion';
import {
  allocateReversals,
  chargesOf,
  conversionReversal,
  eventReversal,
  type CommissionEventRecord,
} from './order';
import { WRITE_SHARDS } from './shards';

export const QUARTER_MS = 15 * 60 * 1000;
export const SLOTS_PER_DAY = 96;

/** The figures, each with its short attribute code (items stay small, so a write stays one unit). */
export const FIGURES = {
  clicks: 'c',
  pageviews: 'v',
  purchases: 'p',
  upsells: 'u',
  refunds: 'r',
  cancels: 'x',
  chargebacks: 'b',
  /** Rebill charges: counted, and grossed like a purchase. */
  rebills: 'e',
  grossCommissionCents: 'g',
  netCommissionCents: 'n',
} as const;
export type Figure = keyof typeof FIGURES;
export type Figures = Record<Figure, number>;

/** Figures that follow a sale: with dateBasis=sale they count on the day of the order's purchase. */
const SALE_PREFIX = 's';

/** A bucket's identity: which item of the aggregate it lives in. */
export type BucketRef =
  | {
      readonly kind: 'traffic';
      readonly figure: 'clicks' | 'pageviews';
      readonly day: string;
      readonly linkId: string | null;
      readonly shard: number;
    }
  | {
      readonly kind: 'sales';
      readonly day: string;
      readonly linkId: string | null;
      readonly productId: string | null;
    }
  | {
      /** A UTC day's clicks and page views of one link (so far, for today): its traffic shard items rolled into one. */
      readonly kind: 'rolled';
      readonly day: string;
      readonly linkId: string | null;
    }
  | {
      /** A UTC day's sales bucket (so far, for today), rolled. */
      readonly kind: 'rolledSales';
      readonly day: string;
      readonly linkId: string | null;
      readonly productId: string | null;
    }
  | {
      /** The day totals alone of a rolled bucket (`of`), read for the days a report covers whole. */
      readonly kind: 'dayTotals';
      readonly of: 'rolled' | 'rolledSales';
      readonly day: string;
      readonly linkId: string | null;
      readonly productId: string | null;
    };

/** The buckets that carry sales figures (with a product, and both date bases). */
export type SalesBucketRef = Extract<BucketRef, { productId: string | null }>;
export function isSalesBucket(ref: BucketRef): ref is SalesBucketRef {
  return (
    ref.kind === 'sales' ||
    ref.kind === 'rolledSales' ||
    (ref.kind === 'dayTotals' && ref.of === 'rolledSales')
  );
}

/** The buckets the write path moves (traffic shards, sales): the ones a roll-up moves, by their version. */
export function isWrittenBucket(ref: BucketRef): boolean {
  return ref.kind === 'traffic' || ref.kind === 'sales';
}

/** Deltas per bucket id, per attribute name (`{code}{slot}`, `s{code}{slot}`, or a day total `{code}D`, `s{code}D`). */
export type Contribution = Record<string, Record<string, number>>;

const NONE = '~';
const encode = (value: string | null) => (value === null ? NONE : encodeURIComponent(value));
const decode = (value: string) => (value === NONE ? null : decodeURIComponent(value));

export function bucketId(ref: BucketRef): string {
  switch (ref.kind) {
    case 'traffic':
      return `T|${ref.shard}|${ref.day}|${ref.figure}|${encode(ref.linkId)}`;
    case 'sales':
      return `S|${ref.day}|${encode(ref.linkId)}|${encode(ref.productId)}`;
    case 'rolled':
      return `R|${ref.day}|${encode(ref.linkId)}`;
    case 'rolledSales':
      return `Q|${ref.day}|${encode(ref.linkId)}|${encode(ref.productId)}`;
    case 'dayTotals':
      return ref.of === 'rolled'
        ? `D|R|${ref.day}|${encode(ref.linkId)}`
        : `D|Q|${ref.day}|${encode(ref.linkId)}|${encode(ref.productId)}`;
  }
}

export function parseBucketId(id: string): BucketRef {
  const parts = id.split('|');
  if (parts[0] === 'T')
    return {
      kind: 'traffic',
      shard: Number(parts[1]),
      day: parts[2]!,
      figure: parts[3] as 'clicks' | 'pageviews',
      linkId: decode(parts[4]!),
    };
  if (parts[0] === 'R') return { kind: 'rolled', day: parts[1]!, linkId: decode(parts[2]!) };
  if (parts[0] === 'Q')
    return { kind: 'rolledSales', day: parts[1]!, linkId: decode(parts[2]!), productId: decode(parts[3]!) };
  if (parts[0] === 'D')
    return {
      kind: 'dayTotals',
      of: parts[1] === 'R' ? 'rolled' : 'rolledSales',
      day: parts[2]!,
      linkId: decode(parts[3]!),
      productId: parts[1] === 'R' ? null : decode(parts[4]!),
    };
  return { kind: 'sales', day: parts[1]!, linkId: decode(parts[2]!), productId: decode(parts[3]!) };
}

/** A range of UTC days (YYYY-MM-DD), both ends included; null: unbounded. */
export interface DayRange {
  readonly from: string | null;
  readonly to: string | null;
}

const DAY_MS = 86_400_000;
const LAST_DAY = '9999-12-31';
/** A UTC day (YYYY-MM-DD) moved by whole days. */
export const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * [fromDay, toDay] cut into stretches: those inside `wholeDays` (read as day totals, `totals`) and those
 * between (read whole). In day order; together they cover the range once.
 */
export function daySegments(
  fromDay: string | null,
  toDay: string | null,
  wholeDays: readonly DayRange[],
): Array<DayRange & { readonly totals: boolean }> {
  // '' sorts before every day and '~' after: the unbounded ends, as text.
  const high = toDay ?? '~';
  const segments: Array<{ from: string; to: string; totals: boolean }> = [];
  let cursor: string | null = fromDay ?? '';
  for (const run of [...wholeDays].sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''))) {
    if (cursor === null) break;
    const start = (run.from ?? '') > cursor ? run.from! : cursor;
    const end = (run.to ?? '~') < high ? run.to! : high;
    if (start > end) continue;
    if (cursor < start) segments.push({ from: cursor, to: shiftDay(start, -1), totals: false });
    segments.push({ from: start, to: end, totals: true });
    cursor = end === '~' || end >= LAST_DAY ? null : shiftDay(end, 1);
  }
  if (cursor !== null && cursor <= high) segments.push({ from: cursor, to: high, totals: false });
  return segments.map((segment) => ({
    from: segment.from === '' ? null : segment.from,
    to: segment.to === '~' ? null : segment.to,
    totals: segment.totals,
  }));
}

/** Whether a UTC day lies in one of daySegments' stretches read as day totals. */
export function isTotalsDay(segments: ReadonlyArray<DayRange & { readonly totals: boolean }>, day: string) {
  return segments.some(
    (segment) => segment.totals && (segment.from ?? '') <= day && day <= (segment.to ?? LAST_DAY),
  );
}

export function slotOfInstant(at: string): { day: string; slot: number } {
  const ms = Date.parse(at);
  const day = new Date(ms).toISOString().slice(0, 10);
  return { day, slot: Math.floor((ms - Date.parse(`${day}T00:00:00.000Z`)) / QUARTER_MS) };
}

export function slotStart(day: string, slot: number): number {
  return Date.parse(`${day}T00:00:00.000Z`) + slot * QUARTER_MS;
}

/** Attribute name of a figure in a slot, e.g. `c37` or, for the sale basis, `sr37`. */
export function figureAttribute(figure: Figure, slot: number, saleBasis = false): string {
  return `${saleBasis ? SALE_PREFIX : ''}${FIGURES[figure]}${slot}`;
}

/** The day total's mark: a capital letter, never a figure code (lower case) nor a slot (digits). */
const DAY_TOTAL = 'D';

/** Attribute name of a figure's total over the bucket's whole UTC day, e.g. `cD` or `srD`. */
export function dayTotalAttribute(figure: Figure, saleBasis = false): string {
  return `${saleBasis ? SALE_PREFIX : ''}${FIGURES[figure]}${DAY_TOTAL}`;
}

/** Every day total's name: what a read of whole days projects (with the keys). */
export const DAY_TOTAL_ATTRIBUTES: readonly string[] = (Object.keys(FIGURES) as Figure[]).flatMap(
  (figure) => [dayTotalAttribute(figure), dayTotalAttribute(figure, true)],
);

const CODE_FIGURE = new Map<string, Figure>(
  Object.entries(FIGURES).map(([figure, code]) => [code, figure as Figure]),
);

/** A figure attribute's meaning; `slot` null for the day total. Other names (keys, entity): null. */
export function parseFigureAttribute(
  name: string,
): { figure: Figure; slot: number | null; saleBasis: boolean } | null {
  const match = /^(s?)([a-z])(\d{1,2}|D)$/.exec(name);
  const figure = match && CODE_FIGURE.get(match[2]!);
  if (!match || !figure) return null;
  const slot = match[3] === DAY_TOTAL ? null : Number(match[3]);
  if (slot !== null && slot >= SLOTS_PER_DAY) return null;
  return { figure, slot, saleBasis: match[1] === SALE_PREFIX };
}

function add(contribution: Contribution, ref: BucketRef, attribute: string, amount: number) {
  if (amount === 0) return;
  const bucket = (contribution[bucketId(ref)] ??= {});
  bucket[attribute] = (bucket[attribute] ?? 0) + amount;
}

/**
 * Counts `amount` of a figure in one quarter-hour of a bucket and in the bucket's day total: every
 * contribution is built by this, so every delta, snapshot and reconciliation moves both together.
 */
export function countFigure(
  contribution: Contribution,
  ref: BucketRef,
  figure: Figure,
  slot: number,
  saleBasis: boolean,
  amount: number,
): void {
  add(contribution, ref, figureAttribute(figure, slot, saleBasis), amount);
  add(contribution, ref, dayTotalAttribute(figure, saleBasis), amount);
}

/** One click or page view: one slot of one traffic bucket, sharded by the traffic's own id. */
export function trafficContribution(
  figure: 'clicks' | 'pageviews',
  at: string,
  linkId: string | null,
  shard: number,
): Contribution {
  const { day, slot } = slotOfInstant(at);
  const contribution: Contribution = {};
  countFigure(contribution, { kind: 'traffic', figure, day, linkId, shard }, figure, slot, false, 1);
  return contribution;
}

export interface ClickAttribution {
  readonly linkId: string;
}

export interface OrderState {
  readonly conversions: readonly ConversionRecord[];
  readonly events: readonly CommissionEventRecord[];
  /** The link of a click id, for conversions whose click was not known when they were recorded. */
  readonly clickLinks: ReadonlyMap<string, string>;
}

const KIND_FIGURE = {
  purchase: 'purchases',
  upsell: 'upsells',
  rebill: 'rebills',
  refund: 'refunds',
  cancel: 'cancels',
  chargeback: 'chargebacks',
} as const satisfies Record<ConversionRecord['kind'], Figure>;

/** The click ids whose link an order's contribution needs (its conversions recorded before their click). */
export function unresolvedClickIds(conversions: readonly ConversionRecord[]): string[] {
  return conversions
    .filter((c) => c.linkId === null && c.clickId.value !== null)
    .map((c) => c.clickId.value!);
}

/**
 * What one order adds to the aggregates, by the rules of the link report and the order view: a conversion
 * counts for the link of its own click, else of its order's purchase; gross is the commission of its
 * charges (the purchase or upsell, each rebill); each reversal takes back from the charge it names (else
 * the latest), its amount or the charge's whole commission, never more than the charge earned
 * (allocateReversals); test orders count for nothing. By sale date, everything counts on the purchase's day.
 */
export function orderContribution(state: OrderState): Contribution {
  const contribution: Contribution = {};
  const primary = state.conversions.find((c) => c.slot === 'primary') ?? null;
  if (primary?.isTest) return contribution;
  const linkOf = (c: ConversionRecord | null) =>
    c ? (c.linkId ?? (c.clickId.value ? (state.clickLinks.get(c.clickId.value) ?? null) : null)) : null;
  const primaryLink = linkOf(primary);
  const saleAt = primary?.occurredAt ?? null;

  const count = (
    at: string,
    linkId: string | null,
    productId: string | null,
    figure: Figure,
    amount: number,
  ) => {
    const event = slotOfInstant(at);
    countFigure(
      contribution,
      { kind: 'sales', day: event.day, linkId, productId },
      figure,
      event.slot,
      false,
      amount,
    );
    const sale = slotOfInstant(saleAt ?? at);
    countFigure(
      contribution,
      { kind: 'sales', day: sale.day, linkId, productId },
      figure,
      sale.slot,
      true,
      amount,
    );
  };

  const counted = state.conversions.filter((c) => !c.isTest);
  for (const conversion of counted) {
    const linkId = linkOf(conversion) ?? primaryLink;
    const productId = conversion.productId ?? primary?.productId ?? null;
    count(conversion.occurredAt, linkId, productId, KIND_FIGURE[conversion.kind], 1);
    if (isChargeSlot(conversion.slot)) {
      count(
        conversion.occurredAt,
        linkId,
        productId,
        'grossCommissionCents',
        conversion.commissionCents ?? 0,
      );
      count(conversion.occurredAt, linkId, productId, 'netCommissionCents', conversion.commissionCents ?? 0);
    }
  }

  const reversals = [
    ...counted
      .filter((c) => !isChargeSlot(c.slot))
      .map((c) => ({
        reversal: conversionReversal(c),
        linkId: linkOf(c) ?? primaryLink,
        productId: c.productId,
      })),
    ...state.events
      .filter((e) => !e.isTest)
      .map((e) => ({ reversal: eventReversal(e), linkId: primaryLink, productId: null })),
  ];
  const amounts = allocateReversals(
    chargesOf(counted),
    reversals.map((r) => r.reversal),
  );
  reversals.forEach(({ reversal, linkId, productId }, index) =>
    count(
      reversal.at,
      linkId,
      productId ?? primary?.productId ?? null,
      'netCommissionCents',
      -amounts[index]!,
    ),
  );
  return contribution;
}

/** What moves the aggregates from `before` to `after`: only the non-zero differences. */
export function diffContributions(before: Contribution, after: Contribution): Contribution {
  const delta: Contribution = {};
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[id] ?? {};
    const now = after[id] ?? {};
    for (const attribute of new Set([...Object.keys(old), ...Object.keys(now)])) {
      const change = (now[attribute] ?? 0) - (old[attribute] ?? 0);
      if (change !== 0) (delta[id] ??= {})[attribute] = change;
    }
  }
  return delta;
}

export function sumContributions(parts: readonly Contribution[]): Contribution {
  return parts.reduce<Contribution>((total, part) => {
    for (const [id, attributes] of Object.entries(part))
      for (const [attribute, amount] of Object.entries(attributes))
        add(total, parseBucketId(id), attribute, amount);
    return total;
  }, {});
}

/**
 * The rolled bucket that holds a bucket's figures once its day is rolled: a traffic shard's, its day's and
 * link's `rolled`; a sales bucket's, its `rolledSales`; a day-totals item's, the bucket it is the totals of.
 */
export function rolledRef(ref: BucketRef): BucketRef {
  switch (ref.kind) {
    case 'traffic':
      return { kind: 'rolled', day: ref.day, linkId: ref.linkId };
    case 'sales':
      return { kind: 'rolledSales', day: ref.day, linkId: ref.linkId, productId: ref.productId };
    case 'dayTotals':
      return ref.of === 'rolled'
        ? { kind: 'rolled', day: ref.day, linkId: ref.linkId }
        : { kind: 'rolledSales', day: ref.day, linkId: ref.linkId, productId: ref.productId };
    default:
      return ref;
  }
}

/** The day-totals item beside a rolled bucket. */
export function dayTotalsRef(ref: BucketRef): BucketRef {
  const rolled = rolledRef(ref);
  if (rolled.kind === 'rolled')
    return { kind: 'dayTotals', of: 'rolled', day: rolled.day, linkId: rolled.linkId, productId: null };
  if (rolled.kind === 'rolledSales')
    return {
      kind: 'dayTotals',
      of: 'rolledSales',
      day: rolled.day,
      linkId: rolled.linkId,
      productId: rolled.productId,
    };
  throw new Error(`no day totals item for ${bucketId(ref)}`);
}

/**
 * Every bucket that holds figures of one rolled bucket (a roll-up's group): the written buckets it gathers
 * (a traffic day's 8 shards of both figures, or the one sales bucket), itself, and its day-totals item. A
 * roll-up moves figures only inside a group, so a read of a group's buckets in one snapshot counts its
 * figures once, whatever rolls.
 */
export function groupOf(ref: BucketRef): { written: BucketRef[]; rolled: BucketRef; dayTotals: BucketRef } {
  const rolled = rolledRef(ref);
  const written: BucketRef[] =
    rolled.kind === 'rolled'
      ? Array.from({ length: WRITE_SHARDS }, (_, shard) =>
          (['clicks', 'pageviews'] as const).map((figure): BucketRef => ({
            kind: 'traffic',
            figure,
            day: rolled.day,
            linkId: rolled.linkId,
            shard,
          })),
        ).flat()
      : rolled.kind === 'rolledSales'
        ? [{ kind: 'sales', day: rolled.day, linkId: rolled.linkId, productId: rolled.productId }]
        : [];
  return { written, rolled, dayTotals: dayTotalsRef(rolled) };
}

/**
 * A contribution folded per rolled bucket: the same figures whichever items hold them (written or rolled).
 * Reconciliation compares stored and expected figures in this form. A day-totals item folds into the bucket
 * it repeats the totals of: fold a read of whole days (which finds the day-totals items, never their rolled
 * buckets) or a read of quarter-hours (the reverse), never both together.
 */
export function foldRolled(contribution: Contribution): Contribution {
  const folded: Contribution = {};
  for (const [id, attributes] of Object.entries(contribution)) {
    const ref = rolledRef(parseBucketId(id));
    for (const [attribute, amount] of Object.entries(attributes)) add(folded, ref, attribute, amount);
  }
  return folded;
}

/** Only the day-total attributes of each bucket. */
export function dayTotalsOf(contribution: Contribution): Contribution {
  const totals: Contribution = {};
  for (const [id, attributes] of Object.entries(contribution))
    for (const [name, amount] of Object.entries(attributes))
      if (parseFigureAttribute(name)?.slot === null) add(totals, parseBucketId(id), name, amount);
  return totals;
}

/**
 * Where a contribution to rolled buckets is written: each rolled bucket as it is, and its day totals again
 * in its day-totals item, so the two never disagree (the roll-up and reconciliation both write through this).
 */
export function withDayTotalsItems(rolled: Contribution): Contribution {
  const written: Contribution = {};
  for (const [id, attributes] of Object.entries(rolled)) {
    const ref = parseBucketId(id);
    for (const [name, amount] of Object.entries(attributes)) {
      add(written, ref, name, amount);
      if (parseFigureAttribute(name)?.slot === null) add(written, dayTotalsRef(ref), name, amount);
    }
  }
  return written;
}

/**
 * What a day's written buckets roll into: their figures added up per rolled bucket, and the day
 * totals again in each one's day-totals item (withDayTotalsItems). A bucket written before day totals existed
 * gets its totals from its quarter-hours here, so a rolled bucket's totals cover every bucket rolled into it.
 */
export function rolledContribution(
  buckets: ReadonlyArray<{ readonly ref: BucketRef; readonly attributes: Readonly<Record<string, number>> }>,
): Contribution {
  const rolled: Contribution = {};
  for (const { ref, attributes } of buckets) {
    const target = rolledRef(ref);
    const derived: Record<string, number> = {};
    for (const [name, amount] of Object.entries(attributes)) {
      const parsed = parseFigureAttribute(name);
      if (!parsed) continue;
      add(rolled, target, name, amount);
      const total = dayTotalAttribute(parsed.figure, parsed.saleBasis);
      if (parsed.slot !== null && !(total in attributes)) derived[total] = (derived[total] ?? 0) + amount;
    }
    for (const [name, amount] of Object.entries(derived)) add(rolled, target, name, amount);
  }
  return withDayTotalsItems(rolled);
}
