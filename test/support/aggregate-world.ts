/** Orders, traffic and the report aggregates over in-memory fakes, read back through the link report. */
import type { ConversionRecord } from '../../functions/domain/conversion';
import type { Click } from '../../functions/domain/traffic';
import { getLinkReport } from '../../functions/use-cases/get-link-report';
import { saveLink } from '../../functions/use-cases/save-link';
import { conversion } from '../contracts/records';
import { FixedClock, InMemoryAggregates, InMemoryCatalog, InMemoryLedger, InMemoryTraffic } from './fakes';

export const click = (
  clickId: string,
  linkId: string,
  at = '2026-12-01T09:20:00.000Z',
  accountId = 'acme',
): Click => ({
  clickId,
  accountId,
  linkId,
  campaign: null,
  at,
  sourceIp: null,
  userAgent: null,
});

/** A conversion of acme carrying a click id (valid), on 1 December. */
export const conversionOf = (
  orderId: string,
  clickId: string | null,
  overrides: Partial<ConversionRecord> = {},
) =>
  conversion('acme', orderId, {
    occurredAt: '2026-12-01T10:00:00.000Z',
    clickId: clickId
      ? { raw: clickId, value: clickId, status: 'valid' }
      : { raw: null, value: null, status: 'missing' },
    ...overrides,
  });

export async function aggregateWorld() {
  const ledger = new InMemoryLedger();
  const catalog = new InMemoryCatalog();
  const traffic = new InMemoryTraffic(catalog);
  const aggregates = new InMemoryAggregates(ledger, traffic);
  for (const linkId of ['spring', 'keto'])
    await saveLink({ catalog, clock: new FixedClock() }, 'acme', linkId, {
      name: linkId,
      destinationUrl: 'https://example.com/',
    });
  /** The report's figures per link (null: no link), all time. */
  const report = async () =>
    Object.fromEntries(
      (await getLinkReport({ catalog, aggregates }, 'acme', {})).rows.map((row) => [
        String('linkId' in row ? row.linkId : '?'),
        { clicks: row.clicks, purchases: row.purchases, refunds: row.refunds, net: row.netCommissionCents },
      ]),
    );
  return { ledger, catalog, traffic, aggregates, report, deps: { aggregates, traffic, ledger } };
}
