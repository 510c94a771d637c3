import { pixelIdFor } from '../../../functions/domain/pixel';
import { createMerchantPixels } from '../../../functions/use-cases/create-merchant-pixels';
import { FixedClock, InMemoryCatalog } from '../../support/fakes';

const merchant = { accountId: 'acme', merchantId: 'm1' };

describe("creating a merchant's pixels", () => {
  test('a page-view and a conversion pixel, with ids derived from the merchant, no hits yet', async () => {
    const catalog = new InMemoryCatalog();
    const result = await createMerchantPixels({ catalog, clock: new FixedClock() }, merchant);
    const ids = [pixelIdFor('acme', 'm1', 'pageview'), pixelIdFor('acme', 'm1', 'conversion')];
    expect(result).toEqual({ created: ids, existing: [] });
    expect(await catalog.getPixel(ids[0]!)).toEqual({
      pixelId: ids[0],
      accountId: 'acme',
      merchantId: 'm1',
      event: 'pageview',
      createdAt: '2026-11-25T10:00:00.000Z',
      hits: 0,
      lastHitAt: null,
    });
    expect((await catalog.getPixel(ids[1]!))!.event).toBe('conversion');
  });

  test('running it again creates nothing and keeps the pixels as they were (hits included)', async () => {
    const catalog = new InMemoryCatalog();
    const clock = new FixedClock();
    const first = await createMerchantPixels({ catalog, clock }, merchant);
    const id = first.created[0]!;
    catalog.pixels.set(id, { ...catalog.pixels.get(id)!, hits: 7 });
    clock.advance(60_000);
    expect(await createMerchantPixels({ catalog, clock }, merchant)).toEqual({
      created: [],
      existing: first.created,
    });
    expect(catalog.pixels.get(id)).toMatchObject({ hits: 7, createdAt: '2026-11-25T10:00:00.000Z' });
  });

  test('only the missing one is created when the other exists', async () => {
    const catalog = new InMemoryCatalog();
    const clock = new FixedClock();
    await createMerchantPixels({ catalog, clock }, merchant);
    catalog.pixels.delete(pixelIdFor('acme', 'm1', 'conversion'));
    expect(await createMerchantPixels({ catalog, clock }, merchant)).toEqual({
      created: [pixelIdFor('acme', 'm1', 'conversion')],
      existing: [pixelIdFor('acme', 'm1', 'pageview')],
    });
  });

  test('the same merchant id in another account gets other pixels', async () => {
    const catalog = new InMemoryCatalog();
    const clock = new FixedClock();
    await createMerchantPixels({ catalog, clock }, merchant);
    const other = await createMerchantPixels({ catalog, clock }, { accountId: 'other', merchantId: 'm1' });
    expect(other.created).toHaveLength(2);
    expect(catalog.pixels.size).toBe(4);
  });
});
