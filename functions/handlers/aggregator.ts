/**
 * The table stream consumer that keeps the report aggregates: new clicks and pixel hits (the event filter
 * lets only their inserts through) are counted in batches. A failed batch is retried whole by Lambda: the
 * items already counted carry their mark, so a retry adds only what was not counted yet. When an account's
 * traffic reaches a new UTC day, the days before it are rolled (functions/use-cases/roll-up-days.ts).
 */
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../adapters/observability';
import { PIXEL_EVENTS, type PixelEvent } from '../domain/pixel';
import { countNewTraffic, type NewTraffic } from '../use-cases/count-new-traffic';
import type { AggregateDependencies } from '../use-cases/refresh-order-aggregate';
import { DayTurns, latestTurns } from '../use-cases/roll-up-days';
import { rollUpTurns } from './day-turns';

function trafficOf(record: DynamoDBRecord): NewTraffic | null {
  const image = record.dynamodb?.NewImage;
  const text = (name: string) => image?.[name]?.S ?? null;
  const accountId = text('accountId');
  const at = text('at');
  // Written already counted (the seed): its contribution is in the aggregates, as the stream filter says.
  if (record.eventName !== 'INSERT' || !accountId || !at || image?.counted) return null;
  if (text('entity') === 'click') {
    const clickId = text('clickId');
    const linkId = text('linkId');
    if (!clickId || !linkId) return null;
    return {
      entity: 'click',
      click: { clickId, accountId, linkId, campaign: text('campaign'), at, sourceIp: null, userAgent: null },
    };
  }
  if (text('entity') === 'pixel_hit') {
    const hitId = text('hitId');
    const event = text('event');
    if (!hitId || !PIXEL_EVENTS.includes(event as PixelEvent)) return null;
    return {
      entity: 'pixel_hit',
      hit: {
        hitId,
        accountId,
        pixelId: text('pixelId') ?? '',
        merchantId: text('merchantId') ?? '',
        event: event as PixelEvent,
        clickId: text('clickId'),
        orderId: text('orderId'),
        at,
      },
    };
  }
  return null;
}

export function createAggregatorHandler(deps: AggregateDependencies) {
  const dayTurns = new DayTurns(deps);
  return async (event: DynamoDBStreamEvent, _context: Context): Promise<void> => {
    const traffic = event.Records.map(trafficOf).filter((t): t is NewTraffic => t !== null);
    if (traffic.length === 0) return;
    const result = await countNewTraffic(deps, traffic);
    metrics.addMetric('TrafficCounted', MetricUnit.Count, result.counted);
    if (result.alreadyCounted > 0)
      metrics.addMetric('TrafficAlreadyCounted', MetricUnit.Count, result.alreadyCounted);
    logger.debug('traffic counted', { ...result });
    await rollUpTurns(dayTurns, latestTurns(traffic));
  };
}
