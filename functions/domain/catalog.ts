/**
 * Merchants, products and affiliate links as an account configures them: the shapes the management API
 * accepts (validated with zod, so a bad body gets field-level errors) and the records kept.
 */
import { z } from 'zod';
import { RESOURCE_ID } from './ids';
import { PRODUCT_CODENAME } from './postback';

const name = z.string().trim().min(1, 'is required').max(200);
/** Free-form, but bounded: settings are stored with the record and must stay small. */
const settings = z
  .record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 50, 'at most 50 settings')
  .default({});

export const merchantInputSchema = z.object({
  name,
  paymentGateway: z.literal('buygoods', { error: 'must be "buygoods"' }),
  settings,
});

export const productInputSchema = z.object({
  name,
  merchantId: z.string().regex(RESOURCE_ID, 'must be a merchant id'),
  fulfillmentProvider: z.literal('buygoods', { error: 'must be "buygoods"' }),
  productCodename: z
    .string()
    .trim()
    .regex(PRODUCT_CODENAME, 'must be the Buygoods product codename (letters, digits, ".", "_", "-")'),
  settings,
});

export const linkInputSchema = z.object({
  name,
  destinationUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((value) => {
      try {
        const url = new URL(value);
        return (
          (url.protocol === 'https:' || url.protocol === 'http:') &&
          url.hostname.length > 0 &&
          !url.username &&
          !url.password
        );
      } catch {
        return false;
      }
    }, 'must be an absolute http(s) URL without credentials'),
  campaign: z.string().trim().max(200).nullable().default(null),
});

export type MerchantInput = z.infer<typeof merchantInputSchema>;
export type ProductInput = z.infer<typeof productInputSchema>;
export type LinkInput = z.infer<typeof linkInputSchema>;

interface Stamped {
  readonly accountId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}
export type Merchant = MerchantInput & Stamped & { readonly merchantId: string };
export type Product = ProductInput & Stamped & { readonly productId: string };
/** What a conversion records of its product. */
export type ProductRef = Pick<Product, 'productId' | 'merchantId'>;
export type Link = LinkInput & Stamped & { readonly linkId: string };

/** Adds `subid={clickId}` to the destination, keeping its own query and fragment. */
export function redirectLocation(destinationUrl: string, clickId: string): string {
  const url = new URL(destinationUrl);
  url.searchParams.set('subid', clickId);
  return url.toString();
}
