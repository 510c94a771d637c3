import { recordClick } from '../../../functions/use-cases/record-click';
import { saveLink } from '../../../functions/use-cases/save-link';
import { CountingRandom, FixedClock, InMemoryCatalog, InMemoryTraffic } from '../../support/fakes';

async function setup() {
  const catalog = new InMemoryCatalog();
  const traffic = new InMemoryTraffic(catalog);
  const clock = new FixedClock();
  await saveLink({ catalog, clock }, 'acme', 'spring', {
    name: 'Spring',
    destinationUrl: 'https://example.com/offer?utm=fb#top',
    campaign: 'spring',
  });
  clock.advance(1_000);
  return { traffic, deps: { catalog, traffic, clock, random: new CountingRandom() } };
}
const visitor = { sourceIp: '203.0.113.9', userAgent: 'Mozilla/5.0' };

describe('a click on a link', () => {
  test('is recorded under a new ck_ id for the link’s account and campaign, and sent on with subid added', async () => {
    const { deps, traffic } = await setup();
    const result = await recordClick(deps, 'spring', visitor);
    const clickId = `ck_${'A'.repeat(15)}B`; // the first draw: 12 bytes, base64url
    expect(result).toEqual({
      clickId,
      location: `https://example.com/offer?utm=fb&subid=${clickId}#top`,
    });
    expect(traffic.clicks.get(clickId)).toEqual({
      clickId,
      accountId: 'acme',
      linkId: 'spring',
      campaign: 'spring',
      at: '2026-11-25T10:00:01.000Z',
      ...visitor,
    });
  });

  test('every click gets its own id', async () => {
    const { deps, traffic } = await setup();
    const a = await recordClick(deps, 'spring', visitor);
    const b = await recordClick(deps, 'spring', { sourceIp: null, userAgent: null });
    expect(a.clickId).not.toBe(b.clickId);
    expect(traffic.clicks.size).toBe(2);
  });

  test('an unknown link is a not-found and records nothing', async () => {
    const { deps, traffic } = await setup();
    await expect(recordClick(deps, 'autumn', visitor)).rejects.toMatchObject({
      status: 404,
      message: 'No such link',
    });
    expect(traffic.clicks.size).toBe(0);
    expect(deps.random.draws).toBe(0);
  });
});
