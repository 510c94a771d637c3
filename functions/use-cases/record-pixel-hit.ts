/**
 * A pixel firing: recorded with its click id and order id when they are valid; an unknown pixel is not
 * recorded. The caller answers with the GIF either way.
 */
import { readClickId } from '../domain/click-id';
import { newPixelHitId, PIXEL_HIT_ID_RANDOM_BYTES } from '../domain/ids';
import { readOrderId } from '../domain/order-id';
import { PIXEL_EVENTS, type PixelEvent } from '../domain/pixel';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { Clock } from '../ports/clock';
import type { RandomSource } from '../ports/random-source';
import type { TrafficRepository } from '../ports/traffic-repository';

export interface PixelHitDependencies {
  readonly catalog: Pick<CatalogRepository, 'getPixel'>;
  readonly traffic: Pick<TrafficRepository, 'recordPixelHit'>;
  readonly clock: Clock;
  readonly random: RandomSource;
}

export async function recordPixelHit(
  deps: PixelHitDependencies,
  pixelId: string,
  query: Record<string, string | undefined>,
): Promise<boolean> {
  if (!/^px_[0-9a-f]{24}$/.test(pixelId)) return false;
  const pixel = await deps.catalog.getPixel(pixelId);
  if (!pixel) return false;
  const event = PIXEL_EVENTS.includes(query.event as PixelEvent) ? (query.event as PixelEvent) : pixel.event;
  const clickId = readClickId(query.click_id ?? query.subid ?? null).value;
  const orderId = readOrderId(query.order_id ?? query.orderid ?? null).value;
  await deps.traffic.recordPixelHit({
    hitId: newPixelHitId(deps.random.hex(PIXEL_HIT_ID_RANDOM_BYTES)),
    accountId: pixel.accountId,
    pixelId,
    merchantId: pixel.merchantId,
    event,
    clickId,
    orderId,
    at: deps.clock.now().toISOString(),
  });
  return true;
}
