import { pixelSnippet, type Pixel } from '../../../functions/domain/pixel';
import { listPixels } from '../../../functions/use-cases/list-pixels';
import { InMemoryCatalog } from '../../support/fakes';

const pixel = (merchantId: string, event: Pixel['event'], accountId = 'acme'): Pixel => ({
  pixelId: `px_${merchantId}_${event}`,
  accountId,
  merchantId,
  event,
  createdAt: '2026-11-25T10:00:00.000Z',
  hits: 0,
  lastHitAt: null,
});

describe('listing pixels', () => {
  test("the account's pixels by merchant then event, each with its snippet on the request's base URL", async () => {
    const catalog = new InMemoryCatalog();
    for (const p of [
      pixel('m2', 'pageview'),
      pixel('m1', 'pageview'),
      pixel('m1', 'conversion'),
      pixel('m0', 'pageview', 'other'),
    ])
      await catalog.createPixel(p);
    const listed = await listPixels({ catalog }, 'acme', 'https://api.example.com/');
    expect(listed.map((p) => p.pixelId)).toEqual(['px_m1_conversion', 'px_m1_pageview', 'px_m2_pageview']);
    expect(listed[0]!.snippet).toBe(pixelSnippet('https://api.example.com', pixel('m1', 'conversion')));
    expect(listed[0]!.snippet).toContain(
      "src='https://api.example.com/v1/pixel/px_m1_conversion?event=conversion",
    );
  });

  test('hit counts and the last hit are shown, as zero and null for a pixel stored before it had them', async () => {
    const catalog = new InMemoryCatalog();
    await catalog.createPixel({ ...pixel('m1', 'pageview'), hits: 3, lastHitAt: '2026-11-26T00:00:00.000Z' });
    const { hits: _hits, lastHitAt: _lastHitAt, ...legacy } = pixel('m1', 'conversion');
    await catalog.createPixel(legacy as Pixel);
    const listed = await listPixels({ catalog }, 'acme', 'https://api.example.com');
    expect(listed.map(({ event, hits, lastHitAt }) => ({ event, hits, lastHitAt }))).toEqual([
      { event: 'conversion', hits: 0, lastHitAt: null },
      { event: 'pageview', hits: 3, lastHitAt: '2026-11-26T00:00:00.000Z' },
    ]);
  });

  test('an account without pixels lists none', async () => {
    expect(await listPixels({ catalog: new InMemoryCatalog() }, 'acme', 'https://api.example.com')).toEqual(
      [],
    );
  });
});
