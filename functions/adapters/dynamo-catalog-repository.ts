/**
 * Merchants, products, links and pixels in DynamoDB. Links and pixels are keyed by their own id because
 * the public click and pixel endpoints know nothing else; products keep a codename lookup item so a
 * postback's product codename finds its product.
 */
import {
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { decodeKeyCursor, encodeKeyCursor, getItem, queryPages, stripKeys } from './dynamo-items';
import type { Link, Merchant, Product, ProductRef } from '../domain/catalog';
import { ConflictError } from '../domain/errors';
import { keys } from './dynamo-keys';
import type { Pixel } from '../domain/pixel';
import type { CatalogListing, CatalogRepository } from '../ports/catalog-repository';
import type { Page } from '../ports/page';

const isConditionFailure = (error: unknown) =>
  ['ConditionalCheckFailedException', 'TransactionCanceledException'].includes((error as Error).name);

export class DynamoCatalogRepository implements CatalogRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private get<T>(key: Record<string, string>): Promise<T | null> {
    return getItem<T>(this.client, this.tableName, key);
  }

  private async queryIndex<T>(partition: string): Promise<T[]> {
    const { items } = await queryPages(this.client, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    });
    return items.map((item) => stripKeys<T>(item));
  }

  getMerchant(accountId: string, merchantId: string) {
    return this.get<Merchant>(keys.merchant(accountId, merchantId));
  }

  async putMerchant(merchant: Merchant): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...merchant, ...keys.merchant(merchant.accountId, merchant.merchantId), entity: 'merchant' },
      }),
    );
  }

  getProduct(accountId: string, productId: string) {
    return this.get<Product>(keys.product(accountId, productId));
  }

  async findProductByCodename(accountId: string, productCodename: string): Promise<ProductRef | null> {
    const ref = await this.get<Partial<ProductRef> & Pick<ProductRef, 'productId'>>(
      keys.productCodename(accountId, productCodename),
    );
    if (!ref) return null;
    // Codename items written before the merchant rode along: one more read, for the product itself.
    if (ref.merchantId === undefined) return this.getProduct(accountId, ref.productId);
    return { productId: ref.productId, merchantId: ref.merchantId };
  }

  async putProduct(product: Product, previousCodename: string | null): Promise<void> {
    const codenameKey = keys.productCodename(product.accountId, product.productCodename);
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...product, ...keys.product(product.accountId, product.productId), entity: 'product' },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          // The merchant rides along so the consumer attributes a postback with this one read.
          Item: {
            ...codenameKey,
            productId: product.productId,
            merchantId: product.merchantId,
            entity: 'product_codename',
          },
          ConditionExpression: 'attribute_not_exists(pk) OR productId = :productId',
          ExpressionAttributeValues: { ':productId': product.productId },
        },
      },
    ];
    if (previousCodename && previousCodename.toLowerCase() !== product.productCodename.toLowerCase()) {
      items.push({
        Delete: { TableName: this.tableName, Key: keys.productCodename(product.accountId, previousCodename) },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(
          'product_codename_taken',
          'Another product of this account already has this Buygoods product codename',
        );
      throw error;
    }
  }

  getLink(linkId: string) {
    return this.get<Link>(keys.link(linkId));
  }

  async putLink(link: Link): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...link,
            ...keys.link(link.linkId),
            gsi1pk: keys.linkList(link.accountId),
            gsi1sk: link.linkId,
            entity: 'link',
          },
          ConditionExpression: 'attribute_not_exists(pk) OR accountId = :accountId',
          ExpressionAttributeValues: { ':accountId': link.accountId },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(
          'link_id_taken',
          'This link id is already used by another account; choose another',
        );
      throw error;
    }
  }

  listLinks(accountId: string) {
    return this.queryIndex<Link>(keys.linkList(accountId));
  }

  async listProducts(accountId: string): Promise<Product[]> {
    const { items } = await queryPages(this.client, this.catalogQuery(accountId, 'product'));
    return items.map((item) => stripKeys<Product>(item));
  }

  private catalogQuery(accountId: string, what: 'merchant' | 'product') {
    const { pk, sk } = what === 'merchant' ? keys.merchant(accountId, '') : keys.product(accountId, '');
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': sk },
    };
  }

  async pageCatalog(
    accountId: string,
    what: CatalogListing,
    limit: number,
    cursor: string | null,
  ): Promise<Page<Link | Merchant | Product>> {
    const input =
      what === 'link'
        ? {
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.linkList(accountId) },
          }
        : this.catalogQuery(accountId, what);
    const page = await this.client.send(
      new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: decodeKeyCursor(cursor) }),
    );
    return {
      items: (page.Items ?? []).map((item) => stripKeys<Link | Merchant | Product>(item)),
      cursor: encodeKeyCursor(page.LastEvaluatedKey),
    };
  }

  async createPixel(pixel: Pixel): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...pixel,
            ...keys.pixel(pixel.pixelId),
            gsi1pk: keys.pixelList(pixel.accountId),
            gsi1sk: `${pixel.createdAt}#${pixel.pixelId}`,
            entity: 'pixel',
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  getPixel(pixelId: string) {
    return this.get<Pixel>(keys.pixel(pixelId));
  }

  listPixels(accountId: string) {
    return this.queryIndex<Pixel>(keys.pixelList(accountId));
  }
}
