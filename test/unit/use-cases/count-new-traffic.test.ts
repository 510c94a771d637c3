import {
  countNewTraffic,
  trafficCounts,
  type NewTraffic,
} from '../../../functions/use-cases/count-new-traffic';
import type { Click, PixelHit } from '../../../functions/domain/traffic';
import { InMemoryAggregates, InMemoryLedger, InMemoryTraffic } from '../../support/fakes';

const click = (clickId: string, linkId: string, at = '2026-12-01T09:20:00.000Z'): Click => ({
  clickId,
  accountId: 'acme',
  linkId,
  campaign: null,
  at,
  sourceIp: null,
  userAgent: null,
});
const view = (hitId: string, clickId: string | null, at = '2026-12-01T09:21:00.000Z'): PixelHit => ({
  hitId,
  accountId: 'acme',
  pixelId: 'px1',
  merchantId: 'm1',
  event: 'pageview',
  clickId,
  orderId: null,
  at,
});

function setup() {
  const traffic = new InMemoryTraffic();
  const aggregates = new InMemoryAggregates(new InMemoryLedger(), traffic);
  const reads: string[][] = [];
  const getClicks = traffic.getClicks.bind(traffic);
  traffic.getClicks = async (ids, options) => (reads.push([...ids]), getClicks(ids, options));
  return { traffic, aggregates, reads, deps: { traffic, aggregates, ledger: new InMemoryLedger() } as never };
}

/** The figure of one kind in the buckets, over all shards and slots. */
function total(aggregates: InMemoryAggregates, code: 'c' | 'v', linkId: string) {
  let sum = 0;
  for (const [key, attributes] of aggregates.buckets) {
    if (!key.includes(`|${linkId}`)) continue;
    for (const [name, amount] of Object.entries(attributes))
      if (new RegExp(`^${code}\\d+$`).test(name)) sum += amount;
  }
  return sum;
}

describe('counting new traffic', () => {
  it('counts each click once and each page view for its click’s link, however often the batch comes', async () => {
    const { traffic, aggregates, deps } = setup();
    const clicks = [click('ck_a', 'spring'), click('ck_b', 'keto')];
    const hits = [view('ph_1', 'ck_a'), view('ph_2', 'ck_b'), view('ph_3', null)];
    for (const c of clicks) await traffic.putClick(c);
    for (const h of hits) await traffic.recordPixelHit(h);
    const batch: NewTraffic[] = [
      ...clicks.map((c) => ({ entity: 'click' as const, click: c })),
      ...hits.map((h) => ({ entity: 'pixel_hit' as const, hit: h })),
    ];

    expect(await countNewTraffic(deps, batch)).toEqual({ counted: 5, alreadyCounted: 0, ordersRefreshed: 0 });
    expect(await countNewTraffic(deps, batch)).toEqual({ counted: 0, alreadyCounted: 5, ordersRefreshed: 0 });
    expect([total(aggregates, 'c', 'spring'), total(aggregates, 'c', 'keto')]).toEqual([1, 1]);
    expect([
      total(aggregates, 'v', 'spring'),
      total(aggregates, 'v', 'keto'),
      total(aggregates, 'v', '~'),
    ]).toEqual([1, 1, 1]);
  });

  it('reads only the clicks of page views whose click is not in the same batch', async () => {
    const { traffic, reads } = setup();
    await traffic.putClick(click('ck_old', 'retarget'));
    const counts = await trafficCounts(
      { traffic },
      [click('ck_new', 'spring')],
      [view('ph_1', 'ck_new'), view('ph_2', 'ck_old')],
    );
    expect(reads).toEqual([['ck_old']]);
    const views = counts
      .filter((count) => count.traffic.key === 'pixel_hit')
      .map((count) => Object.keys(count.delta)[0]!.split('|')[4]);
    expect(views).toEqual(['spring', 'retarget']);
  });

  it('leaves a page view of another account’s click without a link', async () => {
    const { traffic } = setup();
    await traffic.putClick({ ...click('ck_x', 'theirs'), accountId: 'other' });
    const [count] = await trafficCounts({ traffic }, [], [view('ph_1', 'ck_x')]);
    expect(Object.keys(count!.delta)[0]!.split('|')[4]).toBe('~');
  });
});
