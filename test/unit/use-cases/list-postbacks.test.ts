import { listPostbacks } from '../../../functions/use-cases/list-postbacks';
import { at, postback } from '../../contracts/records';
import { InMemoryLedger } from '../../support/fakes';

async function setup() {
  const ledger = new InMemoryLedger();
  await ledger.putPostback(postback('acme', at(1), { orderId: 'A1' }));
  await ledger.putPostback(
    postback('acme', at(2), {
      orderId: 'A2',
      outcome: 'rejected',
      error: { code: 'order_id_placeholder', message: 'm' },
    }),
  );
  await ledger.putPostback(postback('acme', at(3), { orderId: 'A3', issues: ['click_id_malformed'] }));
  await ledger.putPostback(postback('other', at(4), { orderId: 'B1' }));
  return { ledger, deps: { ledger } };
}
const orderIds = (page: { items: ReadonlyArray<{ orderId: string | null }> }) =>
  page.items.map((p) => p.orderId);

describe('listing the postback log', () => {
  test("the account's postbacks, newest first", async () => {
    const { deps } = await setup();
    expect(orderIds(await listPostbacks(deps, 'acme', {}))).toEqual(['A3', 'A2', 'A1']);
  });

  test('by outcome, by issue code (a rejection’s error code counts as one), and by range', async () => {
    const { deps } = await setup();
    expect(orderIds(await listPostbacks(deps, 'acme', { outcome: 'rejected' }))).toEqual(['A2']);
    expect(orderIds(await listPostbacks(deps, 'acme', { issue: 'click_id_malformed' }))).toEqual(['A3']);
    expect(orderIds(await listPostbacks(deps, 'acme', { issue: ' order_id_placeholder ' }))).toEqual(['A2']);
    expect(orderIds(await listPostbacks(deps, 'acme', { from: at(2), to: at(2) }))).toEqual(['A2']);
  });

  test('every filter is passed on to the log in one query', async () => {
    const { deps, ledger } = await setup();
    const list = jest.spyOn(ledger, 'listPostbacks');
    await listPostbacks(deps, 'acme', {
      outcome: 'accepted',
      issue: 'product_unknown',
      limit: '10',
      from: at(0),
    });
    expect(list).toHaveBeenCalledWith(
      'acme',
      { from: at(0), to: null },
      'accepted',
      10,
      null,
      'product_unknown',
    );
  });

  test.each([
    [{ outcome: 'lost' }, 'outcome'],
    [{ issue: 'Click-Id' }, 'issue'],
    [{ issue: 'x'.repeat(65) }, 'issue'],
    [{ to: '2026-02-30T25:00:00Z' }, 'to'],
  ])('%j is refused on its field', async (query, field) => {
    const { deps } = await setup();
    const error = await listPostbacks(deps, 'acme', query).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422 });
    expect(Object.keys((error as { fields: object }).fields)).toEqual([field]);
  });

  test('the issue refusal says what an issue code looks like', async () => {
    const { deps } = await setup();
    await expect(listPostbacks(deps, 'acme', { issue: 'Bad Code' })).rejects.toMatchObject({
      fields: { issue: ['must be an issue code such as click_id_malformed'] },
    });
  });
});
