import { listCatalog } from '../../../functions/use-cases/list-catalog';
import { saveLink } from '../../../functions/use-cases/save-link';
import { saveMerchant } from '../../../functions/use-cases/save-merchant';
import { saveProduct } from '../../../functions/use-cases/save-product';
import { FixedClock, InMemoryCatalog } from '../../support/fakes';

async function setup() {
  const catalog = new InMemoryCatalog();
  const deps = { catalog, clock: new FixedClock() };
  for (const id of ['c', 'a', 'e', 'b', 'd'])
    await saveLink(deps, 'acme', `link-${id}`, { name: id, destinationUrl: 'https://example.com/' });
  await saveLink(deps, 'other', 'link-z', { name: 'z', destinationUrl: 'https://example.com/' });
  await saveMerchant(deps, 'acme', 'm1', { name: 'M', paymentGateway: 'buygoods' });
  await saveProduct(deps, 'acme', 'p1', {
    name: 'P',
    merchantId: 'm1',
    fulfillmentProvider: 'buygoods',
    productCodename: 'p1',
  });
  return { catalog, deps };
}
const ids = (items: ReadonlyArray<object>) =>
  items.map((item) =>
    'linkId' in item
      ? item.linkId
      : 'productId' in item
        ? item.productId
        : (item as { merchantId: string }).merchantId,
  );

describe('listing the catalog', () => {
  test("pages through the account's links by id with the cursor it returns, and no other account's", async () => {
    const { deps } = await setup();
    const first = await listCatalog(deps, 'acme', 'link', { limit: '2' });
    expect(ids(first.items)).toEqual(['link-a', 'link-b']);
    const second = await listCatalog(deps, 'acme', 'link', { limit: '2', cursor: first.cursor! });
    expect(ids(second.items)).toEqual(['link-c', 'link-d']);
    const last = await listCatalog(deps, 'acme', 'link', { limit: '2', cursor: second.cursor! });
    expect(ids(last.items)).toEqual(['link-e']);
    expect(last.cursor).toBeNull();
  });

  test('without a limit a page holds up to 50', async () => {
    const { deps, catalog } = await setup();
    const page = jest.spyOn(catalog, 'pageCatalog');
    await listCatalog(deps, 'acme', 'link', {});
    expect(page).toHaveBeenCalledWith('acme', 'link', 50, null);
  });

  test('merchants and products are listed the same way', async () => {
    const { deps } = await setup();
    expect(ids((await listCatalog(deps, 'acme', 'merchant', {})).items)).toEqual(['m1']);
    expect(ids((await listCatalog(deps, 'acme', 'product', {})).items)).toEqual(['p1']);
    expect((await listCatalog(deps, 'other', 'product', {})).items).toEqual([]);
  });

  test.each(['0', '501', '2.5', 'ten'])('a limit of %s is refused on the limit field', async (limit) => {
    const { deps } = await setup();
    const error = await listCatalog(deps, 'acme', 'link', { limit }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, message: 'The query is not valid' });
    expect(Object.keys((error as { fields: object }).fields)).toEqual(['limit']);
  });

  test('a cursor this listing did not return is a bad request', async () => {
    const { deps } = await setup();
    await expect(listCatalog(deps, 'acme', 'link', { cursor: 'made-up' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_cursor',
    });
  });
});
