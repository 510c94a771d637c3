/** An order with its conversions, commission events, status and net commission. */
import { NotFoundError } from '../domain/errors';
import { summarizeOrder, type OrderView } from '../domain/order';
import type { LedgerRepository } from '../ports';

export async function getOrder(deps: { ledger: LedgerRepository }, accountId: string, orderId: string): Promise<OrderView> {
  const { conversions, events } = await deps.ledger.getOrderItems(accountId, orderId);
  if (conversions.length === 0 && events.length === 0) throw new NotFoundError('No postback has been recorded for this order');
  return summarizeOrder(orderId, conversions, events);
}
