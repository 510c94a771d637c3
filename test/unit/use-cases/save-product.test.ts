import { getProduct, saveProduct } from '../../../functions/use-cases/save-product';
import { saveMerchant } from '../../../functions/use-cases/save-merchant';
import { FixedClock, InMemoryCatalog } from '../../support/fakes';

async function setup() {
  const catalog = new InMemoryCatalog();
  const clock = new FixedClock();
  const deps = { catalog, clock };
  await saveMerchant(deps, 'acme', 'm1', { name: 'Keto Labs', paymentGateway: 'buygoods' });
  return { catalog, clock, deps };
}
const body = {
  name: 'Keto Burn',
  merchantId: 'm1',
  fulfillmentProvider: 'buygoods',
  productCodename: ' keto1 ',
};

describe('saving a product', () => {
  test('a new product of an existing merchant is stored, and postbacks find it by its codename', async () => {
    const { deps, catalog } = await setup();
    const result = await saveProduct(deps, 'acme', 'p1', body);
    expect(result).toEqual({
      created: true,
      product: {
        accountId: 'acme',
        productId: 'p1',
        name: 'Keto Burn',
        merchantId: 'm1',
        fulfillmentProvider: 'buygoods',
        productCodename: 'keto1',
        settings: {},
        createdAt: '2026-11-25T10:00:00.000Z',
        updatedAt: '2026-11-25T10:00:00.000Z',
      },
    });
    expect(await catalog.findProductByCodename('acme', 'KETO1')).toEqual({
      productId: 'p1',
      merchantId: 'm1',
    });
  });

  test.each([
    ['a merchant that does not exist', 'acme', { ...body, merchantId: 'm-none' }],
    ["another account's merchant", 'other', body],
  ])('%s is refused on the merchantId field, and nothing is stored', async (_case, accountId, input) => {
    const { deps, catalog } = await setup();
    await expect(saveProduct(deps, accountId, 'p1', input)).rejects.toMatchObject({
      status: 422,
      message: "The product's merchant does not exist",
      fields: { merchantId: ['must be an existing merchant of this account'] },
    });
    expect(catalog.products.size).toBe(0);
  });

  test.each([
    ['a codename with a space', { productCodename: 'keto 1' }, 'productCodename'],
    ['a codename of 65 characters', { productCodename: 'k'.repeat(65) }, 'productCodename'],
    ['another fulfillment provider', { fulfillmentProvider: 'shopify' }, 'fulfillmentProvider'],
    ['a merchant id that is no id', { merchantId: 'm 1' }, 'merchantId'],
  ])('%s is refused on its field', async (_case, change, field) => {
    const { deps } = await setup();
    const error = await saveProduct(deps, 'acme', 'p1', { ...body, ...change }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, message: 'The product is not valid' });
    expect(Object.keys((error as { fields: object }).fields)).toEqual([field]);
  });

  test('a codename another product of the account holds is a conflict', async () => {
    const { deps } = await setup();
    await saveProduct(deps, 'acme', 'p1', body);
    await expect(
      saveProduct(deps, 'acme', 'p2', { ...body, productCodename: 'KETO1' }),
    ).rejects.toMatchObject({
      status: 409,
      code: 'product_codename_taken',
    });
  });

  test('an update keeps the creation date and hands the previous codename to the catalog, so the old one is released', async () => {
    const { deps, catalog, clock } = await setup();
    await saveProduct(deps, 'acme', 'p1', body);
    clock.advance(1_000);
    const put = jest.spyOn(catalog, 'putProduct');
    const result = await saveProduct(deps, 'acme', 'p1', { ...body, productCodename: 'keto2' });
    expect(put).toHaveBeenCalledWith(expect.objectContaining({ productCodename: 'keto2' }), 'keto1');
    expect(result).toMatchObject({
      created: false,
      product: { createdAt: '2026-11-25T10:00:00.000Z', updatedAt: '2026-11-25T10:00:01.000Z' },
    });
    expect(await catalog.findProductByCodename('acme', 'keto1')).toBeNull();
  });

  test('a new product hands no previous codename', async () => {
    const { deps, catalog } = await setup();
    const put = jest.spyOn(catalog, 'putProduct');
    await saveProduct(deps, 'acme', 'p1', body);
    expect(put).toHaveBeenCalledWith(expect.anything(), null);
  });
});

describe('reading a product', () => {
  test('it is found in its own account only', async () => {
    const { deps } = await setup();
    await saveProduct(deps, 'acme', 'p1', body);
    expect(await getProduct(deps, 'acme', 'p1')).toMatchObject({ productId: 'p1' });
    await expect(getProduct(deps, 'other', 'p1')).rejects.toMatchObject({
      status: 404,
      message: 'No product with this id in this account',
    });
  });
});
