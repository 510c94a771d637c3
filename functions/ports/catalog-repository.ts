import type { Link, Merchant, Product, ProductRef } from '../domain/catalog';
import type { Pixel } from '../domain/pixel';
import type { Page } from './page';

export type CatalogListing = 'link' | 'merchant' | 'product';

/** Merchants, products, links and pixels: the account's configuration. */
export interface CatalogRepository {
  getMerchant(accountId: string, merchantId: string): Promise<Merchant | null>;
  putMerchant(merchant: Merchant): Promise<void>;
  getProduct(accountId: string, productId: string): Promise<Product | null>;
  /** Fails with ConflictError when another product of the account already has the codename. */
  putProduct(product: Product, previousCodename: string | null): Promise<void>;
  /** The product (its id and merchant) an account's Buygoods product codename names. */
  findProductByCodename(accountId: string, productCodename: string): Promise<ProductRef | null>;
  getLink(linkId: string): Promise<Link | null>;
  /** Fails with ConflictError when the link id belongs to another account. */
  putLink(link: Link): Promise<void>;
  listLinks(accountId: string): Promise<Link[]>;
  listProducts(accountId: string): Promise<Product[]>;
  /** One page of the account's links, merchants or products, in id order. */
  pageCatalog(
    accountId: string,
    what: CatalogListing,
    limit: number,
    cursor: string | null,
  ): Promise<Page<Link | Merchant | Product>>;
  /** Creates the pixel unless it exists: returns false when it was already there. */
  createPixel(pixel: Pixel): Promise<boolean>;
  getPixel(pixelId: string): Promise<Pixel | null>;
  listPixels(accountId: string): Promise<Pixel[]>;
}
