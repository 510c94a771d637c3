import type { ConversionRecord, ConversionSlot } from '../domain/conversion';
import type { CommissionEventRecord } from '../domain/order';
import type { ConversionKind } from '../domain/postback';
import type { Page, TimeRange } from './page';

/** Orders in the ledger: their conversions and commission events, and the IPN global order ids of upsells. */
export interface ConversionRepository {
  getConversion(accountId: string, orderId: string, slot: ConversionSlot): Promise<ConversionRecord | null>;
  /**
   * Conditional on the slot still holding what was read (its version and updatedAt; empty when null):
   * fails with WriteConflictError when another write came first.
   */
  putConversion(
    record: ConversionRecord,
    read: Pick<ConversionRecord, 'version' | 'updatedAt'> | null,
  ): Promise<void>;
  /** Conditional on the event not existing: returns false when it was already there. */
  putCommissionEvent(event: CommissionEventRecord): Promise<boolean>;
  getCommissionEvent(
    accountId: string,
    orderId: string,
    fingerprint: string,
  ): Promise<CommissionEventRecord | null>;
  /** Remembers which front-end order an IPN order_id_global belongs to, so upsells can find it. */
  linkGlobalOrder(accountId: string, orderIdGlobal: string, orderId: string): Promise<void>;
  findOrderByGlobalId(accountId: string, orderIdGlobal: string): Promise<string | null>;
  /** Conversions and commission events that occurred in the range (for reports). */
  listOrderActivity(
    accountId: string,
    range: TimeRange,
  ): Promise<{ conversions: ConversionRecord[]; events: CommissionEventRecord[] }>;
  getPrimaryConversions(
    accountId: string,
    orderIds: readonly string[],
  ): Promise<Map<string, ConversionRecord>>;
  getOrderItems(
    accountId: string,
    orderId: string,
  ): Promise<{ conversions: ConversionRecord[]; events: CommissionEventRecord[] }>;
  listConversions(
    accountId: string,
    range: TimeRange,
    kind: ConversionKind | null,
    limit: number,
    cursor: string | null,
  ): Promise<Page<ConversionRecord>>;
}
