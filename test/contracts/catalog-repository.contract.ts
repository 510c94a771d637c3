/**
 * The CatalogRepository contract (functions/ports/catalog-repository.ts): merchants, products (and their
 * codename lookup), links and pixels; the conflicts the port names; the paged listing in id order.
 */
import { BadRequestError, ConflictError } from '../../functions/domain/errors';
import type { Link, Merchant, Product } from '../../functions/domain/catalog';
import type { Pixel } from '../../functions/domain/pixel';
import type { CatalogListing, CatalogRepository } from '../../functions/ports/catalog-repository';
import { at, freshAccount } from './records';
import { readAllPages } from './paging';

const stamps = (accountId: string) => ({ accountId, createdAt: at(0), updatedAt: at(0) });
const merchant = (accountId: string, merchantId: string): Merchant => ({
  ...stamps(accountId),
  merchantId,
  name: `Merchant ${merchantId}`,
  paymentGateway: 'buygoods',
  settings: {},
});
const product = (
  accountId: string,
  productId: string,
  productCodename: string,
  merchantId = 'm-1',
): Product => ({
  ...stamps(accountId),
  productId,
  merchantId,
  name: `Product ${productId}`,
  fulfillmentProvider: 'buygoods',
  productCodename,
  settings: { tier: 1 },
});
const link = (accountId: string, linkId: string): Link => ({
  ...stamps(accountId),
  linkId,
  name: `Link ${linkId}`,
  destinationUrl: 'https://offers.example.com/x',
  campaign: null,
});
const pixel = (accountId: string, pixelId: string, createdAt = at(0)): Pixel => ({
  pixelId,
  accountId,
  merchantId: 'm-1',
  event: 'pageview',
  createdAt,
  hits: 0,
  lastHitAt: null,
});
const byId =
  <T>(id: (item: T) => string) =>
  (a: T, b: T) =>
    id(a).localeCompare(id(b));

export function describeCatalogRepositoryContract(
  name: string,
  makeRepository: () => CatalogRepository | Promise<CatalogRepository>,
): void {
  describe(`CatalogRepository contract: ${name}`, () => {
    let catalog: CatalogRepository;
    let account: string;
    beforeEach(async () => {
      catalog = await makeRepository();
      account = freshAccount('cat');
    });

    test("a merchant reads back as put, a second put replaces it; another account's id reads as null", async () => {
      expect(await catalog.getMerchant(account, 'm-1')).toBeNull();
      await catalog.putMerchant(merchant(account, 'm-1'));
      const renamed = { ...merchant(account, 'm-1'), name: 'Renamed', updatedAt: at(1) };
      await catalog.putMerchant(renamed);
      expect(await catalog.getMerchant(account, 'm-1')).toEqual(renamed);
      expect(await catalog.getMerchant(freshAccount(), 'm-1')).toBeNull();
    });

    test('a product reads back as put, and its codename (any case) finds its id and merchant', async () => {
      const p = product(account, 'p-1', 'Keto3', 'm-7');
      await catalog.putProduct(p, null);
      expect(await catalog.getProduct(account, 'p-1')).toEqual(p);
      for (const codename of ['Keto3', 'keto3', 'KETO3'])
        expect(await catalog.findProductByCodename(account, codename)).toEqual({
          productId: 'p-1',
          merchantId: 'm-7',
        });
      expect(await catalog.findProductByCodename(account, 'other')).toBeNull();
      expect(await catalog.findProductByCodename(freshAccount(), 'keto3')).toBeNull();
    });

    test("another product's codename (any case) is refused with ConflictError; the product's own is not", async () => {
      await catalog.putProduct(product(account, 'p-1', 'keto3'), null);
      await expect(catalog.putProduct(product(account, 'p-2', 'KETO3'), null)).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await catalog.getProduct(account, 'p-2')).toBeNull();
      const updated = { ...product(account, 'p-1', 'keto3'), name: 'Updated' };
      await catalog.putProduct(updated, 'keto3');
      expect(await catalog.getProduct(account, 'p-1')).toEqual(updated);
      await catalog.putProduct(product(freshAccount(), 'p-2', 'keto3'), null);
    });

    test('a product renamed with its previous codename frees that codename', async () => {
      await catalog.putProduct(product(account, 'p-1', 'old-name'), null);
      await catalog.putProduct(product(account, 'p-1', 'new-name'), 'old-name');
      expect(await catalog.findProductByCodename(account, 'old-name')).toBeNull();
      expect(await catalog.findProductByCodename(account, 'new-name')).toEqual({
        productId: 'p-1',
        merchantId: 'm-1',
      });
      await catalog.putProduct(product(account, 'p-2', 'old-name'), null);
      expect(await catalog.findProductByCodename(account, 'old-name')).toEqual({
        productId: 'p-2',
        merchantId: 'm-1',
      });
    });

    test('a link reads back as put; a link id another account holds is refused with ConflictError', async () => {
      const id = `l-${account}`;
      expect(await catalog.getLink(id)).toBeNull();
      await catalog.putLink(link(account, id));
      const renamed = { ...link(account, id), name: 'Renamed' };
      await catalog.putLink(renamed);
      expect(await catalog.getLink(id)).toEqual(renamed);
      await expect(catalog.putLink(link(freshAccount(), id))).rejects.toBeInstanceOf(ConflictError);
      expect(await catalog.getLink(id)).toEqual(renamed);
    });

    test("an account's links and products are listed, no other account's", async () => {
      const links = [link(account, `l-b-${account}`), link(account, `l-a-${account}`)];
      for (const l of links) await catalog.putLink(l);
      await catalog.putLink(link(freshAccount(), `l-x-${account}`));
      const products = [product(account, 'p-2', 'two'), product(account, 'p-1', 'one')];
      for (const p of products) await catalog.putProduct(p, null);
      await catalog.putProduct(product(freshAccount(), 'p-3', 'three'), null);
      expect((await catalog.listLinks(account)).sort(byId((l) => l.linkId))).toEqual(
        links.sort(byId((l) => l.linkId)),
      );
      expect((await catalog.listProducts(account)).sort(byId((p) => p.productId))).toEqual(
        products.sort(byId((p) => p.productId)),
      );
    });

    describe('pageCatalog', () => {
      // Ids as RESOURCE_ID allows them, mixed case and punctuation: listed in the table's (byte) order.
      const ids = ['c', 'A', 'e', 'b', 'B', '_x', '-y', 'a.1', 'd'];
      const idOf = (item: Link | Merchant | Product) =>
        'linkId' in item ? item.linkId : 'productId' in item ? item.productId : item.merchantId;
      let written: Record<CatalogListing, Array<Link | Merchant | Product>>;
      beforeEach(async () => {
        written = {
          link: ids.map((id) => link(account, `${account}-${id}`)),
          merchant: ids.map((id) => merchant(account, `m-${id}`)),
          product: ids.map((id, index) => product(account, `p-${id}`, `code-${index}`)),
        };
        for (const l of written.link as Link[]) await catalog.putLink(l);
        for (const m of written.merchant as Merchant[]) await catalog.putMerchant(m);
        for (const p of written.product as Product[]) await catalog.putProduct(p, null);
        await catalog.putMerchant(merchant(freshAccount(), 'm-z'));
      });
      test.each(
        (['link', 'merchant', 'product'] as CatalogListing[]).flatMap((what) =>
          [1, 2, 5, 20].map((limit): [CatalogListing, number] => [what, limit]),
        ),
      )(
        '%s in pages of %i: in id order, the cursor continuing without duplicates or gaps',
        async (what, limit) => {
          const { items } = await readAllPages(limit, (cursor) =>
            catalog.pageCatalog(account, what, limit, cursor),
          );
          expect(items).toEqual(
            [...written[what]].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0)),
          );
        },
      );
    });

    test.each(['link', 'merchant', 'product'] as CatalogListing[])(
      '%s: a cursor the listing did not return fails with BadRequestError',
      async (what) => {
        await catalog.putMerchant(merchant(account, 'm-1'));
        await expect(catalog.pageCatalog(account, what, 2, 'not-a-cursor')).rejects.toBeInstanceOf(
          BadRequestError,
        );
      },
    );

    test('a pixel is created once: a second create returns false and keeps the first; pixels list by account', async () => {
      const first = pixel(account, `px-1-${account}`);
      expect(await catalog.getPixel(first.pixelId)).toBeNull();
      expect(await catalog.createPixel(first)).toBe(true);
      expect(await catalog.createPixel({ ...first, merchantId: 'm-2' })).toBe(false);
      expect(await catalog.getPixel(first.pixelId)).toEqual(first);
      const second = pixel(account, `px-2-${account}`, at(1));
      await catalog.createPixel(second);
      await catalog.createPixel(pixel(freshAccount(), `px-3-${account}`));
      expect((await catalog.listPixels(account)).sort(byId((p) => p.pixelId))).toEqual([first, second]);
    });
  });
}
