import { trafficContribution } from '../../../functions/domain/aggregates';
import { shardOf } from '../../../functions/domain/shards';
import { saveAccountSettings } from '../../../functions/use-cases/account-settings';
import { getLinkReport, MAX_SERIES_DAYS, reportFormat } from '../../../functions/use-cases/get-link-report';
import { saveLink } from '../../../functions/use-cases/save-link';
import { saveMerchant } from '../../../functions/use-cases/save-merchant';
import { saveProduct } from '../../../functions/use-cases/save-product';
import { FixedClock, InMemoryAggregates, InMemoryCatalog, InMemoryLedger } from '../../support/fakes';

/** Two links with clicks late on 1 December (UTC), which is 2 December in Paris, and one link without any. */
async function setup() {
  const catalog = new InMemoryCatalog();
  const aggregates = new InMemoryAggregates(new InMemoryLedger());
  const clock = new FixedClock();
  for (const [linkId, campaign] of [
    ['spring', 'spring'],
    ['keto', null],
    ['quiet', 'spring'],
  ] as const)
    await saveLink({ catalog, clock }, 'acme', linkId, {
      name: linkId,
      destinationUrl: 'https://example.com/',
      campaign,
    });
  const click = (clickId: string, linkId: string, at: string, accountId = 'acme') =>
    aggregates.addToBuckets(accountId, trafficContribution('clicks', at, linkId, shardOf(clickId)));
  await click('ck_1', 'spring', '2026-12-01T23:30:00.000Z');
  await click('ck_2', 'spring', '2026-12-01T23:40:00.000Z');
  await click('ck_3', 'keto', '2026-12-01T12:00:00.000Z');
  await click('ck_4', 'spring', '2026-11-15T12:00:00.000Z');
  await click('ck_5', 'spring', '2026-12-01T12:00:00.000Z', 'other');
  return { catalog, aggregates, clock, deps: { catalog, aggregates } };
}
const DEC = { from: '2026-12-01T00:00:00Z', to: '2026-12-02T23:59:59Z' };

describe('the link report', () => {
  test('a row per link of the account, its clicks in the range, and zero rows for links without traffic', async () => {
    const { deps } = await setup();
    const report = await getLinkReport(deps, 'acme', DEC);
    expect(report).toMatchObject({
      groupBy: 'link',
      dateBasis: 'event',
      timeZone: 'UTC',
      from: '2026-12-01T00:00:00.000Z',
    });
    const clicks = Object.fromEntries(
      report.rows.map((row) => ['linkId' in row ? row.linkId : '?', row.clicks]),
    );
    expect(clicks).toEqual({ spring: 2, keto: 1, quiet: 0 });
  });

  test('without a range, everything stored', async () => {
    const { deps } = await setup();
    const rows = (await getLinkReport(deps, 'acme', {})).rows;
    expect(rows.reduce((sum, row) => sum + row.clicks, 0)).toBe(4);
  });

  test('by campaign, the links’ campaigns', async () => {
    const { deps } = await setup();
    const rows = (await getLinkReport(deps, 'acme', { ...DEC, groupBy: 'campaign' })).rows;
    expect(rows.map((row) => ['campaign' in row ? row.campaign : '?', row.clicks])).toEqual(
      expect.arrayContaining([
        ['spring', 2],
        [null, 1],
      ]),
    );
  });

  test("by day, in the account's time zone unless the query names one", async () => {
    const { deps, clock } = await setup();
    await saveAccountSettings({ ...deps, clock }, 'acme', { timeZone: 'Europe/Paris' });
    const byDay = async (query: Record<string, string>) =>
      Object.fromEntries(
        (await getLinkReport(deps, 'acme', { ...DEC, groupBy: 'day', ...query })).rows.map((row) => [
          'day' in row ? row.day : '?',
          row.clicks,
        ]),
      );
    expect(await byDay({})).toEqual({ '2026-12-01': 1, '2026-12-02': 2, '2026-12-03': 0 });
    expect(await byDay({ tz: 'UTC' })).toEqual({ '2026-12-01': 3, '2026-12-02': 0 });
    expect((await getLinkReport(deps, 'acme', { ...DEC, tz: 'Asia/Tokyo' })).timeZone).toBe('Asia/Tokyo');
  });

  test("reads only the buckets of the range's UTC days, and the products only when grouping by merchant", async () => {
    const { deps, catalog, aggregates, clock } = await setup();
    const buckets = jest.spyOn(aggregates, 'listBuckets');
    const products = jest.spyOn(catalog, 'listProducts');
    await getLinkReport(deps, 'acme', { from: '2026-12-01T10:00:00+02:00', to: '2026-12-02T01:00:00+02:00' });
    expect(buckets).toHaveBeenCalledWith('acme', '2026-12-01', '2026-12-01', []); // no UTC day covered whole
    expect(products).not.toHaveBeenCalled();

    await saveMerchant({ catalog, clock }, 'acme', 'm1', { name: 'M', paymentGateway: 'buygoods' });
    await saveProduct({ catalog, clock }, 'acme', 'p1', {
      name: 'P',
      merchantId: 'm1',
      fulfillmentProvider: 'buygoods',
      productCodename: 'p1',
    });
    await getLinkReport(deps, 'acme', { ...DEC, groupBy: 'merchant' });
    expect(products).toHaveBeenCalledWith('acme');
  });

  test.each([
    [{ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }, { to: ['must not be before from'] }],
    [{ from: '1969-12-31T00:00:00Z' }, { from: ['must be between 1970-01-01 and 9999-12-31'] }],
    [{ to: '+010000-01-01T00:00:00Z' }, { to: ['must be between 1970-01-01 and 9999-12-31'] }],
    [{ groupBy: 'day', from: '2026-12-01' }, { from: ['from and to are required with groupBy=day'] }],
    [
      { groupBy: 'day', from: '2020-01-01', to: '2026-01-01' },
      { to: [`a day-by-day series covers at most ${MAX_SERIES_DAYS} days`] },
    ],
    [{ groupBy: 'week' }, { groupBy: ['must be one of link, day, campaign, product, merchant'] }],
    [{ dateBasis: 'paid' }, { dateBasis: ['must be one of event, sale'] }],
    [{ tz: 'Mars/Olympus' }, { tz: ['must be an IANA time zone name, e.g. "Europe/Paris" or "UTC"'] }],
    [{ format: 'xml' }, { format: ['must be json or csv'] }],
  ])('%j is refused: %j', async (query, fields) => {
    const { deps, aggregates } = await setup();
    const buckets = jest.spyOn(aggregates, 'listBuckets');
    await expect(getLinkReport(deps, 'acme', query)).rejects.toMatchObject({ status: 422, fields });
    expect(buckets).not.toHaveBeenCalled();
  });

  test('a day-by-day series of exactly the longest span is taken', async () => {
    const { deps } = await setup();
    const to = new Date(Date.parse('2020-01-01T00:00:00Z') + MAX_SERIES_DAYS * 86_400_000).toISOString();
    const report = await getLinkReport(deps, 'acme', {
      groupBy: 'day',
      from: '2020-01-01T00:00:00Z',
      to,
      tz: 'UTC',
    });
    expect(report.rows).toHaveLength(MAX_SERIES_DAYS + 1);
  });
});

describe('the report format', () => {
  test('a format the picker reads as CSV is one the report takes (a padded value was read as csv, then refused)', async () => {
    const { deps } = await setup();
    for (const format of ['csv', ' csv ', 'json ']) {
      await expect(getLinkReport(deps, 'acme', { ...DEC, format })).resolves.toMatchObject({
        groupBy: 'link',
      });
      expect(reportFormat({ format }, null)).toBe(format.trim());
    }
  });

  test.each([
    [{ format: 'csv' }, null, 'csv'],
    [{ format: ' csv ' }, null, 'csv'],
    [{ format: 'json' }, 'text/csv', 'json'],
    [{}, 'text/csv', 'csv'],
    [{}, 'application/json, text/csv;q=0.5', 'csv'],
    [{}, 'TEXT/CSV', 'csv'],
    [{}, 'text/csvx', 'json'],
    [{}, null, 'json'],
  ])('query %j with Accept %j is %s', (query, accept, format) => {
    expect(reportFormat(query, accept)).toBe(format);
  });
});
