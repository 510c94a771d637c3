/** The TrafficRepository contract (functions/ports/traffic-repository.ts): clicks and pixel hits, by id and by time. */
import type { Click, PixelHit } from '../../functions/domain/traffic';
import type { Pixel } from '../../functions/domain/pixel';
import type { CatalogRepository } from '../../functions/ports/catalog-repository';
import type { TrafficRepository } from '../../functions/ports/traffic-repository';
import { at, freshAccount } from './records';

export interface TrafficWorld {
  readonly traffic: TrafficRepository;
  /** Where the pixels a hit counts on live. */
  readonly catalog: CatalogRepository;
}

export function describeTrafficRepositoryContract(
  name: string,
  makeWorld: () => TrafficWorld | Promise<TrafficWorld>,
): void {
  describe(`TrafficRepository contract: ${name}`, () => {
    let world: TrafficWorld;
    let account: string;
    beforeEach(async () => {
      world = await makeWorld();
      account = freshAccount('trf');
    });
    const click = (id: string, when: string, accountId = account): Click => ({
      clickId: `${id}@${account}`,
      accountId,
      linkId: 'l-1',
      campaign: 'fall',
      at: when,
      sourceIp: '203.0.113.7',
      userAgent: 'ua',
    });
    const hit = (id: string, pixelId: string, when: string, accountId = account): PixelHit => ({
      hitId: `${id}@${account}`,
      accountId,
      pixelId,
      merchantId: 'm-1',
      event: 'pageview',
      clickId: null,
      orderId: null,
      at: when,
    });

    test('clicks are found by id, consistently or not; unknown ids are left out', async () => {
      const clicks = [click('ck-1', at(0)), click('ck-2', at(1))];
      for (const c of clicks) await world.traffic.putClick(c);
      for (const consistent of [true, false, undefined]) {
        const found = await world.traffic.getClicks(
          [clicks[0]!.clickId, clicks[1]!.clickId, `none@${account}`, clicks[0]!.clickId],
          consistent === undefined ? undefined : { consistent },
        );
        expect(new Map([...found].sort(([a], [b]) => a.localeCompare(b)))).toEqual(
          new Map(clicks.map((c) => [c.clickId, c])),
        );
      }
      expect((await world.traffic.getClicks([])).size).toBe(0);
    });

    test('a pixel hit is recorded and counted on its pixel', async () => {
      const pixel: Pixel = {
        pixelId: `px@${account}`,
        accountId: account,
        merchantId: 'm-1',
        event: 'pageview',
        createdAt: at(0),
        hits: 0,
        lastHitAt: null,
      };
      await world.catalog.createPixel(pixel);
      await world.traffic.recordPixelHit(hit('h-1', pixel.pixelId, at(1)));
      await world.traffic.recordPixelHit(hit('h-2', pixel.pixelId, at(2)));
      expect(await world.catalog.getPixel(pixel.pixelId)).toEqual({ ...pixel, hits: 2, lastHitAt: at(2) });
    });

    test("an account's traffic in a time range, both ends included, no other account's", async () => {
      const clicks = [0, 10, 20, 30].map((minute) => click(`ck-${minute}`, at(minute)));
      for (const c of clicks) await world.traffic.putClick(c);
      await world.traffic.putClick(click('ck-other', at(10), freshAccount()));
      const pixel: Pixel = {
        pixelId: `px@${account}`,
        accountId: account,
        merchantId: 'm-1',
        event: 'pageview',
        createdAt: at(0),
        hits: 0,
        lastHitAt: null,
      };
      await world.catalog.createPixel(pixel);
      const hits = [5, 10, 25].map((minute) => hit(`h-${minute}`, pixel.pixelId, at(minute)));
      for (const h of hits) await world.traffic.recordPixelHit(h);
      for (const range of [
        { from: at(10), to: at(25) },
        { from: null, to: at(10) },
        { from: at(20), to: null },
        { from: null, to: null },
      ]) {
        const inRange = (when: string) =>
          (range.from === null || when >= range.from) && (range.to === null || when <= range.to);
        const listed = await world.traffic.listTraffic(account, range);
        expect([...listed.clicks].sort((a, b) => a.at.localeCompare(b.at))).toEqual(
          clicks.filter((c) => inRange(c.at)),
        );
        expect([...listed.hits].sort((a, b) => a.at.localeCompare(b.at))).toEqual(
          hits.filter((h) => inRange(h.at)),
        );
      }
    });
  });
}
