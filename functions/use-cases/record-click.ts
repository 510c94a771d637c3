/** A click on an affiliate link: recorded with a new click id, then sent on to the link's destination. */
import { redirectLocation } from '../domain/catalog';
import { NotFoundError } from '../domain/errors';
import { CLICK_ID_RANDOM_BYTES, newClickId } from '../domain/ids';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { Clock } from '../ports/clock';
import type { RandomSource } from '../ports/random-source';
import type { TrafficRepository } from '../ports/traffic-repository';

export interface ClickDependencies {
  readonly catalog: Pick<CatalogRepository, 'getLink'>;
  readonly traffic: Pick<TrafficRepository, 'putClick'>;
  readonly clock: Clock;
  readonly random: RandomSource;
}

export async function recordClick(
  deps: ClickDependencies,
  linkId: string,
  visitor: { sourceIp: string | null; userAgent: string | null },
): Promise<{ clickId: string; location: string }> {
  const link = await deps.catalog.getLink(linkId);
  if (!link) throw new NotFoundError('No such link');
  const clickId = newClickId(deps.random.base64url(CLICK_ID_RANDOM_BYTES));
  await deps.traffic.putClick({
    clickId,
    accountId: link.accountId,
    linkId,
    campaign: link.campaign ?? null,
    at: deps.clock.now().toISOString(),
    ...visitor,
  });
  return { clickId, location: redirectLocation(link.destinationUrl, clickId) };
}
