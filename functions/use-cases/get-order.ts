/** An order with its conversions, commission events, status and net commission. */
import type { ConversionRecord } from '../domain/conversion';
import { NotFoundError } from '../domain/errors';
import { summarizeOrder, type OrderSummary } from '../domain/order';
import type { ConversionRepository } from '../ports/conversion-repository';

export async function getOrder(
  deps: { ledger: ConversionRepository },
  accountId: string,
  orderId: string,
): Promise<OrderSummary> {
  const { conversions, events } = await deps.ledger.getOrderItems(accountId, orderId);
  if (conversions.length === 0 && events.length === 0)
    throw new NotFoundError('No postback has been recorded for this order');
  return summarizeOrder(orderId, conversions, events, await findUpsellParent(deps, accountId, conversions));
}

/** An upsell names its front-end order by upsell_parent, or shares its order_id_global. */
async function findUpsellParent(
  deps: { ledger: ConversionRepository },
  accountId: string,
  conversions: readonly ConversionRecord[],
) {
  const upsell = conversions.find((c) => c.kind === 'upsell');
  if (!upsell) return null;
  const parentOrderId =
    upsell.parentOrderId ??
    (upsell.orderIdGlobal ? await deps.ledger.findOrderByGlobalId(accountId, upsell.orderIdGlobal) : null);
  if (!parentOrderId || parentOrderId === upsell.orderId) return null;
  const parent = await deps.ledger.getConversion(accountId, parentOrderId, 'primary');
  return { orderId: parentOrderId, conversionId: parent?.conversionId ?? null };
}
