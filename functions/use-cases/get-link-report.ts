/**
 * The link report, from the aggregate buckets of the range: grouped by link, day, campaign, product or
 * merchant, in the requested time zone (default the account's), by event or by sale date. Its cost is the
 * buckets of the range (days x links x shards), never the clicks and conversions in it.
 */
import { z } from 'zod';
import {
  DATE_BASES,
  GROUP_BY,
  buildLinkReport,
  dayInZone,
  wholeDays,
  type DateBasis,
  type GroupBy,
  type LinkReportRow,
} from '../domain/link-report';
import { ValidationError } from '../domain/errors';
import type { AggregateRepository } from '../ports/aggregate-repository';
import type { CatalogRepository } from '../ports/catalog-repository';
import { getAccountSettings, timeZoneSchema } from './account-settings';
import { listQuerySchema, parseQuery } from './list-query';

export interface ReportDependencies {
  readonly aggregates: Pick<AggregateRepository, 'listBuckets' | 'getSettings'>;
  readonly catalog: Pick<CatalogRepository, 'listLinks' | 'listProducts'>;
}

/** A day-by-day series is zero-filled: this bounds its length. Other groupings cost by stored buckets. */
export const MAX_SERIES_DAYS = 1830;
const DAY_MS = 86_400_000;
/** Instants whose UTC days sort as text (the buckets' sort keys): four-digit years. */
const EARLIEST_MS = Date.parse('1970-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

const schema = listQuerySchema.pick({ from: true, to: true }).extend({
  groupBy: z.enum(GROUP_BY, { error: `must be one of ${GROUP_BY.join(', ')}` }).default('link'),
  dateBasis: z.enum(DATE_BASES, { error: `must be one of ${DATE_BASES.join(', ')}` }).default('event'),
  tz: timeZoneSchema.optional(),
  // Trimmed as reportFormat trims it: a value it reads as CSV is one the report accepts.
  format: z
    .string()
    .trim()
    .pipe(z.enum(['json', 'csv'], { error: 'must be json or csv' }))
    .optional(),
});

export interface LinkReport {
  readonly from: string | null;
  readonly to: string | null;
  readonly groupBy: GroupBy;
  readonly dateBasis: DateBasis;
  readonly timeZone: string;
  readonly rows: LinkReportRow[];
}

export function reportFormat(
  query: Record<string, string | undefined>,
  accept: string | null,
): 'json' | 'csv' {
  if (query.format !== undefined) return query.format.trim() === 'csv' ? 'csv' : 'json';
  return accept !== null && /(^|,)\s*text\/csv\b/i.test(accept) ? 'csv' : 'json';
}

export async function getLinkReport(
  deps: ReportDependencies,
  accountId: string,
  query: Record<string, string | undefined>,
): Promise<LinkReport> {
  const parsed = parseQuery(schema, query) as z.infer<typeof schema>;
  const from = parsed.from ?? null;
  const to = parsed.to ?? null;
  const fromMs = from === null ? null : Date.parse(from);
  const toMs = to === null ? null : Date.parse(to);
  for (const [name, ms] of [
    ['from', fromMs],
    ['to', toMs],
  ] as const) {
    if (ms !== null && (ms < EARLIEST_MS || ms > LATEST_MS))
      throw new ValidationError('The query is not valid', {
        [name]: ['must be between 1970-01-01 and 9999-12-31'],
      });
  }
  if (fromMs !== null && toMs !== null && fromMs > toMs)
    throw new ValidationError('The query is not valid', { to: ['must not be before from'] });
  if (parsed.groupBy === 'day') {
    if (fromMs === null || toMs === null)
      throw new ValidationError('The query is not valid', {
        from: ['from and to are required with groupBy=day'],
      });
    if (toMs - fromMs > MAX_SERIES_DAYS * DAY_MS)
      throw new ValidationError('The query is not valid', {
        to: [`a day-by-day series covers at most ${MAX_SERIES_DAYS} days`],
      });
  }
  const timeZone = parsed.tz ?? (await getAccountSettings(deps, accountId)).timeZone;
  const range = { groupBy: parsed.groupBy, timeZone, fromMs, toMs };
  // The UTC days whose quarter-hours can fall in the range; those it covers whole, read as day totals.
  const utcDay = (ms: number) => dayInZone(ms, 'UTC');
  const [links, products, buckets] = await Promise.all([
    deps.catalog.listLinks(accountId),
    parsed.groupBy === 'merchant' ? deps.catalog.listProducts(accountId) : Promise.resolve([]),
    deps.aggregates.listBuckets(
      accountId,
      fromMs === null ? null : utcDay(fromMs),
      toMs === null ? null : utcDay(toMs),
      wholeDays(range),
    ),
  ]);
  const rows = buildLinkReport(buckets, {
    ...range,
    dateBasis: parsed.dateBasis,
    links: new Map(links.map((link) => [link.linkId, link.campaign ?? null])),
    products: new Map(products.map((product) => [product.productId, product.merchantId])),
  });
  return { from, to, groupBy: parsed.groupBy, dateBasis: parsed.dateBasis, timeZone, rows };
}
