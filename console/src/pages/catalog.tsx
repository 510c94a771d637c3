/**
 * Merchants and products: Buygoods as the merchant's payment gateway (which gives it pixels) and as the
 * product's fulfillment provider, and the product codename Buygoods sends in its postbacks.
 */
import { useState } from 'preact/hooks';
import { api, type Merchant, type Product } from '../api';
import { useAccount } from '../account';
import { DataTable, ErrorNote, Loading, type Loaded, useAction, useLoad } from '../ui';
import { Field } from './links';

/** Listed items plus those saved in this page (newest first, no duplicates). */
function merged<T>(saved: T[], listed: T[] | undefined, idOf: (item: T) => string): T[] {
  return [...saved, ...(listed ?? []).filter((item) => !saved.some((s) => idOf(s) === idOf(item)))];
}

function ListState<T>({ listing, what, empty }: { listing: Loaded<T>; what: string; empty: boolean }) {
  if (listing.loading) return <Loading what={what} />;
  if (listing.error) return <ErrorNote error={listing.error} onRetry={listing.reload} />;
  return empty ? <p class="note empty">No {what} yet: add the first one above.</p> : null;
}

function Merchants({
  merchants,
  onSaved,
  listing,
}: {
  merchants: Merchant[];
  onSaved: (m: Merchant) => void;
  listing: Loaded<unknown>;
}) {
  const { accountId } = useAccount();
  const [form, setForm] = useState({ merchantId: '', name: '' });
  const save = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void save.run(async () => {
      onSaved(
        await api.saveMerchant(accountId, form.merchantId.trim(), {
          name: form.name,
          paymentGateway: 'buygoods',
          settings: {},
        }),
      );
      setForm({ merchantId: '', name: '' });
    });
  };
  return (
    <section aria-labelledby="merchants-heading">
      <h2 id="merchants-heading">Merchants</h2>
      <p>
        A merchant whose payment gateway is Buygoods gets a page-view and a conversion pixel (see Links and
        pixels).
      </p>
      <form class="stack" onSubmit={submit} aria-label="Add or update a merchant">
        <Field
          id="merchant-id"
          label="Merchant id"
          required
          value={form.merchantId}
          onInput={(merchantId) => setForm({ ...form, merchantId })}
        />
        <Field
          id="merchant-name"
          label="Merchant name"
          required
          value={form.name}
          onInput={(name) => setForm({ ...form, name })}
        />
        <p>Payment gateway: Buygoods</p>
        <button type="submit" class="primary" disabled={save.busy}>
          Save merchant
        </button>
        <ErrorNote error={save.error} />
      </form>
      <ListState listing={listing} what="merchants" empty={merchants.length === 0} />
      {merchants.length > 0 && (
        <DataTable caption="Merchants" columns={['Merchant', 'Payment gateway']}>
          {merchants.map((merchant) => (
            <tr key={merchant.merchantId}>
              <td>
                {merchant.name} <small>({merchant.merchantId})</small>
              </td>
              <td>{merchant.paymentGateway}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function Products({ merchants }: { merchants: Merchant[] }) {
  const { accountId } = useAccount();
  const listing = useLoad(() => api.listProducts(accountId), [accountId]);
  const [saved, setSaved] = useState<Product[]>([]);
  const [form, setForm] = useState({ productId: '', name: '', merchantId: '', productCodename: '' });
  const save = useAction();
  const products = merged(saved, listing.data?.products, (p) => p.productId);
  const submit = (event: Event) => {
    event.preventDefault();
    void save.run(async () => {
      const product = await api.saveProduct(accountId, form.productId.trim(), {
        name: form.name,
        merchantId: form.merchantId.trim(),
        fulfillmentProvider: 'buygoods',
        productCodename: form.productCodename,
        settings: {},
      });
      setSaved((current) => [product, ...current.filter((p) => p.productId !== product.productId)]);
      setForm({ productId: '', name: '', merchantId: '', productCodename: '' });
    });
  };
  return (
    <section aria-labelledby="products-heading">
      <h2 id="products-heading">Products</h2>
      <p>
        The product codename is the one Buygoods sends as {'{PRODUCT_CODENAME}'}: conversions naming it are
        tied to the product and its merchant.
      </p>
      <form class="stack" onSubmit={submit} aria-label="Add or update a product">
        <Field
          id="product-id"
          label="Product id"
          required
          value={form.productId}
          onInput={(productId) => setForm({ ...form, productId })}
        />
        <Field
          id="product-name"
          label="Product name"
          required
          value={form.name}
          onInput={(name) => setForm({ ...form, name })}
        />
        <div class="field">
          <label for="product-merchant">Merchant</label>
          {merchants.length > 0 ? (
            <select
              id="product-merchant"
              required
              value={form.merchantId}
              onChange={(e) => setForm({ ...form, merchantId: (e.currentTarget as HTMLSelectElement).value })}
            >
              <option value="">Choose a merchant</option>
              {merchants.map((merchant) => (
                <option key={merchant.merchantId} value={merchant.merchantId}>
                  {merchant.name} ({merchant.merchantId})
                </option>
              ))}
            </select>
          ) : (
            <input
              id="product-merchant"
              required
              value={form.merchantId}
              onInput={(e) => setForm({ ...form, merchantId: (e.currentTarget as HTMLInputElement).value })}
            />
          )}
        </div>
        <Field
          id="product-codename"
          label="Product codename"
          required
          value={form.productCodename}
          onInput={(productCodename) => setForm({ ...form, productCodename })}
        />
        <p>Fulfillment provider: Buygoods</p>
        <button type="submit" class="primary" disabled={save.busy}>
          Save product
        </button>
        <ErrorNote error={save.error} />
      </form>
      <ListState listing={listing} what="products" empty={products.length === 0} />
      {products.length > 0 && (
        <DataTable caption="Products" columns={['Product', 'Codename', 'Merchant', 'Fulfillment']}>
          {products.map((product) => (
            <tr key={product.productId}>
              <td>
                {product.name} <small>({product.productId})</small>
              </td>
              <td>
                <code>{product.productCodename}</code>
              </td>
              <td>{product.merchantId}</td>
              <td>{product.fulfillmentProvider}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function CatalogPage() {
  const { accountId } = useAccount();
  const listing = useLoad(() => api.listMerchants(accountId), [accountId]);
  const [saved, setSaved] = useState<Merchant[]>([]);
  const merchants = merged(saved, listing.data?.merchants, (m) => m.merchantId);
  return (
    <>
      <h1>Merchants and products</h1>
      <Merchants
        merchants={merchants}
        listing={listing}
        onSaved={(merchant) =>
          setSaved((current) => [merchant, ...current.filter((m) => m.merchantId !== merchant.merchantId)])
        }
      />
      <Products merchants={merchants} />
    </>
  );
}
