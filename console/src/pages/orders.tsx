/** Orders: search by order id; its status, net commission, conversions with versions and history, commission events. */
import { useState } from 'preact/hooks';
import { api, type OrderView } from '../api';
import { useAccount } from '../account';
import { formatCents, formatTime } from '../format';
import { DataTable, ErrorNote, isNotFound, Loading, useLoad } from '../ui';

const STATUS_WORDS: Record<string, string> = {
  purchased: 'Purchased',
  refunded: 'Refunded',
  cancelled: 'Cancelled',
  charged_back: 'Charged back',
  unknown: 'Unknown (only reversals received so far)',
};

function fieldList(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(
      ([key, value]) =>
        `${key}: ${value === null ? 'none' : typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(', ');
}

function Conversion({ conversion }: { conversion: OrderView['conversions'][number] }) {
  const { timeZone } = useAccount();
  return (
    <article class="conversion" aria-labelledby={`conversion-${conversion.conversionId}`}>
      <h3 id={`conversion-${conversion.conversionId}`}>
        {conversion.kind} · {formatCents(conversion.commissionCents)} · version {conversion.version}
      </h3>
      <dl>
        <dt>Click id</dt>
        <dd>
          {conversion.clickId.value ??
            `${conversion.clickId.status}${conversion.clickId.raw ? ` (received ${conversion.clickId.raw})` : ''}`}
        </dd>
        <dt>Link</dt>
        <dd>{conversion.linkId ?? 'not attributed'}</dd>
        <dt>Product</dt>
        <dd>{conversion.productCodename ?? '-'}</dd>
        <dt>Recorded</dt>
        <dd>
          {formatTime(conversion.createdAt, timeZone)}, last changed{' '}
          {formatTime(conversion.updatedAt, timeZone)}
        </dd>
        {conversion.isTest && (
          <>
            <dt>Test</dt>
            <dd>a test order, left out of reports</dd>
          </>
        )}
      </dl>
      {conversion.history.length > 0 && (
        <DataTable caption="History of this conversion" columns={['Version', 'When', 'What changed']}>
          {conversion.history.map((entry) => (
            <tr key={`${entry.version}-${entry.postbackId}`}>
              <td>{entry.version}</td>
              <td>{formatTime(entry.changedAt, timeZone)}</td>
              <td>
                {entry.superseded
                  ? `Arrived late, kept but not applied: ${fieldList(entry.superseded)}`
                  : Object.keys(entry.previous).length
                    ? `Before: ${fieldList(entry.previous)}`
                    : 'First recorded'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </article>
  );
}

function Order({ orderId }: { orderId: string }) {
  const { accountId, timeZone } = useAccount();
  const order = useLoad(() => api.getOrder(accountId, orderId), [accountId, orderId]);
  if (order.loading) return <Loading what={`order ${orderId}`} />;
  if (isNotFound(order.error))
    return (
      <div class="note empty" role="status">
        <p>
          No order {orderId} in this account. Check the id in Buygoods; an order shows here once one of its
          postbacks has been recorded.
        </p>
      </div>
    );
  if (!order.data) return <ErrorNote error={order.error} onRetry={order.reload} />;
  const view = order.data;
  return (
    <section aria-labelledby="order-heading">
      <h2 id="order-heading">Order {view.orderId}</h2>
      <dl class="summary">
        <dt>Status</dt>
        <dd>{STATUS_WORDS[view.status] ?? view.status}</dd>
        <dt>Gross commission</dt>
        <dd>{formatCents(view.grossCommissionCents)}</dd>
        <dt>Reversed</dt>
        <dd>{formatCents(view.reversedCommissionCents)}</dd>
        <dt>Net commission</dt>
        <dd>{formatCents(view.netCommissionCents)}</dd>
      </dl>
      <h2>Conversions</h2>
      {view.conversions.map((conversion) => (
        <Conversion key={conversion.conversionId} conversion={conversion} />
      ))}
      <h2>Commission events</h2>
      {view.commissionEvents.length === 0 ? (
        <p>None: no commission was voided apart from refunds, cancels and chargebacks.</p>
      ) : (
        <ul>
          {view.commissionEvents.map((event) => (
            <li key={event.postbackId}>
              {event.kind} of {formatCents(event.commissionCents)} on {formatTime(event.receivedAt, timeZone)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function OrdersPage({ argument }: { argument: string | null }) {
  const { navigate } = useAccount();
  const [value, setValue] = useState(argument ?? '');
  return (
    <>
      <h1>Orders</h1>
      <form
        role="search"
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim()) navigate('orders', value.trim());
        }}
      >
        <label for="order-id">Order id</label>
        <input
          id="order-id"
          required
          value={value}
          onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit">Find order</button>
      </form>
      {argument ? (
        <Order key={argument} orderId={argument} />
      ) : (
        <p>Enter a Buygoods order id to see its status, conversions and commission.</p>
      )}
    </>
  );
}
