/**
 * The link report: per affiliate link (or per day, campaign, product or merchant), the traffic and
 * conversions of a time range and the commission they earned, net of reversals and commission voids, in
 * the report's time zone. Built from the stored aggregate buckets (functions/domain/aggregates.ts): the
 * work is proportional to the buckets of the range, never to the clicks and conversions in it.
 *
 * Day totals: a UTC day the range covers whole, and whose figures all go to one row, needs only its
 * buckets' day totals (wholeDays says which days; the repository may then return those buckets with their
 * totals only). The rule that keeps a figure from counting twice: a bucket that holds any quarter-hour is
 * counted by its quarter-hours, its totals ignored; only a bucket that came with totals alone is counted
 * by them, and only for a day the range covers whole (anything else is a bug, and throws).
 */
import {
  QUARTER_MS,
  SLOTS_PER_DAY,
  isSalesBucket,
  parseFigureAttribute,
  slotStart,
  type BucketRef,
  type DayRange,
  type Figure,
} from './aggregates';

export const GROUP_BY = ['link', 'day', 'campaign', 'product', 'merchant'] as const;
export type GroupBy = (typeof GROUP_BY)[number];
export const DATE_BASES = ['event', 'sale'] as const;
export type DateBasis = (typeof DATE_BASES)[number];

/** The figures a row shows, in the order of the row and of the CSV columns. */
const ROW_FIGURES = [
  'clicks',
  'pageviews',
  'purchases',
  'upsells',
  'rebills',
  'refunds',
  'cancels',
  'chargebacks',
  'grossCommissionCents',
  'netCommissionCents',
] as const satisfies readonly Figure[];
type RowFigures = Record<(typeof ROW_FIGURES)[number], number>;
const REPORTED: ReadonlySet<string> = new Set(ROW_FIGURES);

export interface LinkReportRates {
  /** purchases / clicks */
  readonly conversionRate: number;
  /** net commission per click, in cents */
  readonly epcCents: number;
  /** refunds / purchases */
  readonly refundRate: number;
  /** chargebacks / purchases */
  readonly chargebackRate: number;
}

export type ReportKey =
  | { linkId: string | null }
  | { day: string }
  | { campaign: string | null }
  | { productId: string | null }
  | { merchantId: string | null };
export type LinkReportRow = ReportKey & RowFigures & LinkReportRates;

export interface StoredBucket {
  readonly ref: BucketRef;
  readonly attributes: Readonly<Record<string, number>>;
}

export interface ReportRequest {
  readonly groupBy: GroupBy;
  readonly dateBasis: DateBasis;
  readonly timeZone: string;
  /** Inclusive bounds (ms since the epoch); a quarter-hour slot counts when it overlaps them. */
  readonly fromMs: number | null;
  readonly toMs: number | null;
  /** The account's links and their campaigns: every link gets a row; campaigns group by the link's. */
  readonly links: ReadonlyMap<string, string | null>;
  /** The account's products and their merchants. */
  readonly products: ReadonlyMap<string, string | null>;
}

/** The field that names a row's group. */
const KEY_NAME: Record<GroupBy, string> = {
  link: 'linkId',
  day: 'day',
  campaign: 'campaign',
  product: 'productId',
  merchant: 'merchantId',
};

const ratio = (numerator: number, denominator: number, digits = 4) =>
  denominator === 0 ? 0 : Number((numerator / denominator).toFixed(digits));

function zero(): RowFigures {
  return Object.fromEntries(ROW_FIGURES.map((figure) => [figure, 0])) as RowFigures;
}

/** The calendar day of an instant in a time zone, YYYY-MM-DD (formatters cached per zone). */
const formatters = new Map<string, Intl.DateTimeFormat>();
export function dayInZone(ms: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format)
    formatters.set(
      timeZone,
      (format = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      })),
    );
  return format.format(ms);
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Every day of the range in the zone, so a time series has its empty days too. */
function daysOf(fromMs: number, toMs: number, timeZone: string): string[] {
  const days: string[] = [];
  for (let ms = fromMs; ms <= toMs + QUARTER_MS; ms += 3_600_000) {
    const day = dayInZone(Math.min(ms, toMs), timeZone);
    if (days[days.length - 1] !== day) days.push(day);
  }
  return days;
}

const DAY_MS = 86_400_000;
type RangeRequest = Pick<ReportRequest, 'groupBy' | 'timeZone' | 'fromMs' | 'toMs'>;

/**
 * Whether the UTC day starting at `dayStart` is one the day totals answer: each of its quarter-hours
 * counts in the range (overlaps it), and with groupBy=day the whole UTC day is one day of the zone.
 */
function isWholeDay(dayStart: number, request: RangeRequest): boolean {
  if (request.fromMs !== null && dayStart + QUARTER_MS <= request.fromMs) return false;
  if (request.toMs !== null && dayStart + (SLOTS_PER_DAY - 1) * QUARTER_MS > request.toMs) return false;
  return (
    request.groupBy !== 'day' ||
    dayInZone(dayStart, request.timeZone) === dayInZone(dayStart + DAY_MS - 1, request.timeZone)
  );
}

/**
 * The UTC days whose buckets may come as their day totals (isWholeDay), as runs of days: one run, or for a
 * daily series only the days the zone keeps whole (none in New York; the winter in London; all in UTC).
 */
export function wholeDays(request: RangeRequest): DayRange[] {
  const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  // The first day whose first quarter-hour overlaps the range; the last whose last quarter-hour does.
  const first =
    request.fromMs === null ? null : Math.ceil((request.fromMs - QUARTER_MS + 1) / DAY_MS) * DAY_MS;
  const last =
    request.toMs === null
      ? null
      : Math.floor((request.toMs - (SLOTS_PER_DAY - 1) * QUARTER_MS) / DAY_MS) * DAY_MS;
  if (first !== null && last !== null && first > last) return [];
  if (request.groupBy !== 'day' || first === null || last === null)
    return [{ from: first === null ? null : utcDay(first), to: last === null ? null : utcDay(last) }];
  const runs: Array<{ from: string; to: string }> = [];
  let previousWhole = false;
  for (let dayStart = first; dayStart <= last; dayStart += DAY_MS) {
    const whole = isWholeDay(dayStart, request);
    if (whole && previousWhole) runs[runs.length - 1]!.to = utcDay(dayStart);
    else if (whole) runs.push({ from: utcDay(dayStart), to: utcDay(dayStart) });
    previousWhole = whole;
  }
  return runs;
}

export function buildLinkReport(buckets: readonly StoredBucket[], request: ReportRequest): LinkReportRow[] {
  const rows = new Map<string | null, RowFigures>();
  const row = (key: string | null) => rows.get(key) ?? rows.set(key, zero()).get(key)!;
  if (request.groupBy === 'link') for (const linkId of request.links.keys()) row(linkId);
  if (request.groupBy === 'day' && request.fromMs !== null && request.toMs !== null)
    for (const day of daysOf(request.fromMs, request.toMs, request.timeZone)) row(day);

  const dayCache = new Map<number, string>();
  const keyOf = (ref: BucketRef, startMs: number): string | null | undefined => {
    switch (request.groupBy) {
      case 'link':
        return ref.linkId;
      case 'campaign':
        return ref.linkId === null ? null : (request.links.get(ref.linkId) ?? null);
      case 'day': {
        let day = dayCache.get(startMs);
        if (day === undefined) dayCache.set(startMs, (day = dayInZone(startMs, request.timeZone)));
        return day;
      }
      // Clicks and page views belong to links, not products: product and merchant rows carry sales only.
      case 'product':
        return isSalesBucket(ref) ? ref.productId : undefined;
      case 'merchant':
        return isSalesBucket(ref)
          ? ref.productId === null
            ? null
            : (request.products.get(ref.productId) ?? null)
          : undefined;
    }
  };

  const saleBasis = request.dateBasis === 'sale';
  // A month of buckets holds a few hundred thousand attributes but only a few thousand distinct names:
  // each name is parsed once, each bucket's day start computed once.
  const names = new Map<string, ReturnType<typeof parseFigureAttribute>>();
  const parse = (name: string) =>
    names.has(name) ? names.get(name)! : names.set(name, parseFigureAttribute(name)).get(name)!;
  const dayTotals: Array<[keyof RowFigures, number]> = [];
  for (const { ref, attributes } of buckets) {
    const dayStart = slotStart(ref.day, 0);
    let hasSlots = false;
    dayTotals.length = 0;
    for (const name in attributes) {
      const amount = attributes[name];
      const parsed = parse(name);
      if (!parsed || typeof amount !== 'number') continue;
      if (parsed.slot !== null) hasSlots = true;
      // Traffic has one time only; sales figures are kept by event time and by sale time.
      if (isSalesBucket(ref) && parsed.saleBasis !== saleBasis) continue;
      if (!REPORTED.has(parsed.figure)) continue;
      if (parsed.slot === null) {
        dayTotals.push([parsed.figure as keyof RowFigures, amount]);
        continue;
      }
      const start = dayStart + parsed.slot * QUARTER_MS;
      if (
        (request.fromMs !== null && start + QUARTER_MS <= request.fromMs) ||
        (request.toMs !== null && start > request.toMs)
      )
        continue;
      const key = keyOf(ref, start);
      if (key === undefined) continue;
      row(key)[parsed.figure as keyof RowFigures] += amount;
    }
    // A bucket that came with its day totals alone: the whole day, in one row.
    if (hasSlots || dayTotals.length === 0) continue;
    if (!isWholeDay(dayStart, request))
      throw new Error(`bucket of ${ref.day} came as day totals, but the range does not cover that day whole`);
    const key = keyOf(ref, dayStart);
    if (key === undefined) continue;
    for (const [figure, amount] of dayTotals) row(key)[figure] += amount;
  }

  const keyName = KEY_NAME[request.groupBy];
  return [...rows.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([key, figures]) => ({
      [keyName]: key,
      ...figures,
      conversionRate: ratio(figures.purchases, figures.clicks),
      epcCents: ratio(figures.netCommissionCents, figures.clicks, 2),
      refundRate: ratio(figures.refunds, figures.purchases),
      chargebackRate: ratio(figures.chargebacks, figures.purchases),
    })) as LinkReportRow[];
}

/** RFC 4180: a header row of the JSON field names, CRLF line ends, fields quoted when they need it. */
export function toCsv(rows: readonly object[], columns: readonly string[]): string {
  const field = (value: unknown) => {
    // A text that a spreadsheet would run as a formula (a campaign named "=HYPERLINK(...)") is kept as text.
    const text =
      value === null || value === undefined
        ? ''
        : typeof value === 'string' && /^[=+\-@\t\r]/.test(value)
          ? `'${value}`
          : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return (
    [
      columns.map(field).join(','),
      ...rows.map((row) =>
        columns.map((column) => field((row as Record<string, unknown>)[column])).join(','),
      ),
    ].join('\r\n') + '\r\n'
  );
}

export function reportColumns(groupBy: GroupBy): string[] {
  return [KEY_NAME[groupBy], ...ROW_FIGURES, 'conversionRate', 'epcCents', 'refundRate', 'chargebackRate'];
}
