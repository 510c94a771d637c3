/**
 * Gathers a link report's inputs: the account's links, clicks and pixel hits in the range, conversions
 * and commission events in the range, each touched order's purchase, and the charges of each order with
 * a reversal in the range. Links are resolved at read time
 * from click ids, so a conversion whose click became known later is still attributed.
 */
import { z } from 'zod';
import { isChargeSlot, type ConversionRecord } from '../domain/conversion';
import { chargesOf } from '../domain/order';
import { buildLinkReport, type LinkReportRow } from '../domain/link-report';
import type { CatalogRepository, LedgerRepository, TrafficRepository } from '../ports';
import { listQuerySchema, parseQuery } from './list-query';

export interface ReportDependencies {
  readonly ledger: Pick<LedgerRepository, 'listOrderActivity' | 'getPrimaryConversions' | 'getOrderItems'>;
  readonly catalog: Pick<CatalogRepository, 'listLinks'>;
  readonly traffic: Pick<TrafficRepository, 'listTraffic' | 'getClicks'>;
}

const schema = listQuerySchema.pick({ from: true, to: true });

export async function getLinkReport(deps: ReportDependencies, accountId: string, query: Record<string, string | undefined>): Promise<{ from: string | null; to: string | null; rows: LinkReportRow[] }> {
  const { from, to } = parseQuery(schema as z.ZodType<{ from?: string; to?: string }>, query);
  const range = { from: from ?? null, to: to ?? null };
  const [links, traffic, activity] = await Promise.all([deps.catalog.listLinks(accountId), deps.traffic.listTraffic(accountId, range), deps.ledger.listOrderActivity(accountId, range)]);

  const orderIds = [...activity.conversions.map((c) => c.orderId), ...activity.events.map((e) => e.orderId)];
  // What a reversal takes back depends on every charge of its order (a rebill may be out of the range):
  // one query per order with a reversal in the range.
  const reversed = [...new Set([...activity.conversions.filter((c) => !isChargeSlot(c.slot)).map((c) => c.orderId), ...activity.events.map((e) => e.orderId)])];
  const [primaries, charges] = await Promise.all([
    deps.ledger.getPrimaryConversions(accountId, orderIds),
    Promise.all(reversed.map(async (orderId) => [orderId, chargesOf((await deps.ledger.getOrderItems(accountId, orderId)).conversions)] as const)),
  ]);
  const clickIds = [
    ...activity.conversions.map((c) => c.clickId.value),
    ...[...primaries.values()].map((c) => c.clickId.value),
    ...traffic.hits.map((h) => h.clickId),
  ].filter((id): id is string => id !== null);
  const clicks = await deps.traffic.getClicks(clickIds);
  const linkOfClick = (clickId: string | null) => {
    const click = clickId ? clicks.get(clickId) : undefined;
    return click && click.accountId === accountId ? click.linkId : null;
  };
  const linkOf = (conversion: ConversionRecord | undefined) => (conversion ? (conversion.linkId ?? linkOfClick(conversion.clickId.value)) : null);
  const orderLink = (orderId: string, own: string | null) => own ?? linkOf(primaries.get(orderId));

  return {
    ...range,
    rows: buildLinkReport({
      linkIds: links.map((l) => l.linkId),
      clicks: traffic.clicks,
      pageviews: traffic.hits.filter((h) => h.event === 'pageview').map((h) => ({ linkId: linkOfClick(h.clickId) })),
      conversions: activity.conversions.map((c) => ({ ...c, resolvedLinkId: orderLink(c.orderId, linkOf(c)) })),
      events: activity.events.map((e) => ({ ...e, resolvedLinkId: orderLink(e.orderId, null) })),
      primaries,
      charges: new Map(charges),
    }),
  };
}
