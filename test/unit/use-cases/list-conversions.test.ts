import { listConversions } from '../../../functions/use-cases/list-conversions';
import { at, conversion } from '../../contracts/records';
import { InMemoryLedger } from '../../support/fakes';

async function setup() {
  const ledger = new InMemoryLedger();
  const put = (
    orderId: string,
    minutes: number,
    kind: 'purchase' | 'refund' = 'purchase',
    accountId = 'acme',
  ) => ledger.putConversion(conversion(accountId, orderId, { kind, occurredAt: at(minutes) }), null);
  await put('A1', 10);
  await put('A2', 20);
  await put('A1', 30, 'refund');
  await put('A3', 40);
  await put('B1', 25, 'purchase', 'other');
  return { ledger, deps: { ledger } };
}
const orders = (page: { items: ReadonlyArray<{ orderId: string; kind: string }> }) =>
  page.items.map((c) => `${c.orderId}:${c.kind}`);

describe('listing conversions', () => {
  test("the account's conversions, newest first", async () => {
    const { deps } = await setup();
    expect(orders(await listConversions(deps, 'acme', {}))).toEqual([
      'A3:purchase',
      'A1:refund',
      'A2:purchase',
      'A1:purchase',
    ]);
  });

  test('by kind, and within a range given as dates or date-times', async () => {
    const { deps } = await setup();
    expect(orders(await listConversions(deps, 'acme', { kind: 'refund' }))).toEqual(['A1:refund']);
    expect(orders(await listConversions(deps, 'acme', { from: at(15), to: at(35) }))).toEqual([
      'A1:refund',
      'A2:purchase',
    ]);
    expect(orders(await listConversions(deps, 'acme', { to: '2026-11-19' }))).toEqual([]);
  });

  test('the range is passed on as UTC instants, with the page size and cursor', async () => {
    const { deps, ledger } = await setup();
    const list = jest.spyOn(ledger, 'listConversions');
    await listConversions(deps, 'acme', { from: '2026-11-20', to: '2026-11-20T02:00:00+01:00', limit: '2' });
    expect(list).toHaveBeenCalledWith(
      'acme',
      { from: '2026-11-20T00:00:00.000Z', to: '2026-11-20T01:00:00.000Z' },
      null,
      2,
      null,
    );
  });

  test('pages follow one another without gaps or repeats', async () => {
    const { deps } = await setup();
    const first = await listConversions(deps, 'acme', { limit: '3' });
    const second = await listConversions(deps, 'acme', { limit: '3', cursor: first.cursor! });
    expect([...orders(first), ...orders(second)]).toEqual(orders(await listConversions(deps, 'acme', {})));
    expect(second.cursor).toBeNull();
  });

  test.each([
    [{ kind: 'sale' }, 'kind'],
    [{ from: 'yesterday' }, 'from'],
    [{ limit: '1000' }, 'limit'],
  ])('%j is refused on its field', async (query, field) => {
    const { deps } = await setup();
    const error = await listConversions(deps, 'acme', query).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, message: 'The query is not valid' });
    expect(Object.keys((error as { fields: object }).fields)).toEqual([field]);
  });
});
