import { pixelIdFor } from '../../../functions/domain/pixel';
import { createMerchantPixels } from '../../../functions/use-cases/create-merchant-pixels';
import { recordPixelHit } from '../../../functions/use-cases/record-pixel-hit';
import { CountingRandom, FixedClock, InMemoryCatalog, InMemoryTraffic } from '../../support/fakes';

async function setup() {
  const catalog = new InMemoryCatalog();
  const traffic = new InMemoryTraffic(catalog);
  const clock = new FixedClock();
  await createMerchantPixels({ catalog, clock }, { accountId: 'acme', merchantId: 'm1' });
  clock.advance(1_000);
  return { catalog, traffic, deps: { catalog, traffic, clock, random: new CountingRandom() } };
}
const pageview = pixelIdFor('acme', 'm1', 'pageview');
const conversion = pixelIdFor('acme', 'm1', 'conversion');

describe('a pixel firing', () => {
  test("is recorded as the pixel's event for its account and merchant, with a new ph_ id, and counted on the pixel", async () => {
    const { deps, traffic, catalog } = await setup();
    expect(await recordPixelHit(deps, pageview, { click_id: 'ck_abc' })).toBe(true);
    expect(traffic.hits).toEqual([
      {
        hitId: `ph_${'0'.repeat(22)}01`,
        accountId: 'acme',
        pixelId: pageview,
        merchantId: 'm1',
        event: 'pageview',
        clickId: 'ck_abc',
        orderId: null,
        at: '2026-11-25T10:00:01.000Z',
      },
    ]);
    expect(await catalog.getPixel(pageview)).toMatchObject({
      hits: 1,
      lastHitAt: '2026-11-25T10:00:01.000Z',
    });
  });

  test('the conversion pixel keeps a valid order id, from order_id or orderid, and its click id from subid too', async () => {
    const { deps, traffic } = await setup();
    await recordPixelHit(deps, conversion, { order_id: 'A-1', click_id: 'c1' });
    await recordPixelHit(deps, conversion, { orderid: 'A-2', subid: 'c2' });
    expect(traffic.hits.map(({ event, orderId, clickId }) => ({ event, orderId, clickId }))).toEqual([
      { event: 'conversion', orderId: 'A-1', clickId: 'c1' },
      { event: 'conversion', orderId: 'A-2', clickId: 'c2' },
    ]);
  });

  test.each([
    ['an unfilled placeholder', { click_id: '{SUBID}', order_id: '{ORDERID}' }],
    ['malformed values', { click_id: 'a b<c>', order_id: 'A 1;drop' }],
    ['empty values', { click_id: '', order_id: '' }],
  ])('%s is recorded as no click id and no order id, never stored as given', async (_case, query) => {
    const { deps, traffic } = await setup();
    expect(await recordPixelHit(deps, conversion, query)).toBe(true);
    expect(traffic.hits[0]).toMatchObject({ clickId: null, orderId: null });
  });

  test('an event named in the query is taken when it is a pixel event, else the pixel’s own', async () => {
    const { deps, traffic } = await setup();
    await recordPixelHit(deps, pageview, { event: 'conversion' });
    await recordPixelHit(deps, pageview, { event: 'purchase' });
    expect(traffic.hits.map((hit) => hit.event)).toEqual(['conversion', 'pageview']);
  });

  test('an unknown pixel is not recorded', async () => {
    const { deps, traffic } = await setup();
    expect(await recordPixelHit(deps, `px_${'0'.repeat(24)}`, {})).toBe(false);
    expect(traffic.hits).toEqual([]);
  });

  test.each(['px_short', `px_${'G'.repeat(24)}`, `${pageview}x`, 'ph_0'])(
    'a pixel id shaped wrong (%s) is refused without a lookup',
    async (pixelId) => {
      const { deps, catalog, traffic } = await setup();
      const lookups = jest.spyOn(catalog, 'getPixel');
      expect(await recordPixelHit(deps, pixelId, {})).toBe(false);
      expect(lookups).not.toHaveBeenCalled();
      expect(traffic.hits).toEqual([]);
    },
  );
});
