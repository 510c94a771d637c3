/**
 * Records as the API shows them: fields in a fixed, readable order (DynamoDB returns maps unordered) and
 * without the bookkeeping that makes recording idempotent.
 */
import type { ClickIdVerdict } from '../domain/postback';
import type { ConversionRecord } from '../domain/conversion';
import { conversionFields } from '../domain/conversion-content';
import type { OrderSummary } from '../domain/order';
import type { PostbackRecord } from '../domain/postback-log';

const clickIdView = (clickId: ClickIdVerdict) => ({
  raw: clickId.raw ?? null,
  value: clickId.value ?? null,
  status: clickId.status,
});

export function toConversionView(record: ConversionRecord) {
  return {
    conversionId: record.conversionId,
    orderId: record.orderId,
    ...conversionFields(record),
    kind: record.kind,
    clickId: clickIdView(record.clickId),
    linkId: record.linkId ?? null,
    campaign: record.campaign ?? null,
    productId: record.productId ?? null,
    merchantId: record.merchantId ?? null,
    chargedAt: record.chargedAt ?? null,
    issues: record.issues,
    version: record.version,
    history: record.history,
    occurredAt: record.occurredAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.erasedAt ? { erasedAt: record.erasedAt } : {}),
  };
}

export type ConversionView = ReturnType<typeof toConversionView> & {
  readonly linkedConversionId: string | null;
};

export type OrderView = Omit<OrderSummary, 'conversions'> & {
  readonly conversions: ReadonlyArray<ConversionView>;
};

export function toOrderView(order: OrderSummary): OrderView {
  return {
    ...order,
    conversions: order.conversions.map(({ linkedConversionId, ...conversion }) => ({
      ...toConversionView(conversion),
      linkedConversionId,
    })),
  };
}

export function toPostbackView(record: PostbackRecord) {
  return {
    postbackId: record.postbackId,
    accountId: record.accountId,
    receivedAt: record.receivedAt,
    processedAt: record.processedAt,
    channel: record.channel,
    method: record.method,
    outcome: record.outcome,
    kind: record.kind,
    orderId: record.orderId,
    clickId: clickIdView(record.clickId),
    issues: record.issues,
    error: record.error ? { code: record.error.code, message: record.error.message } : null,
    reason: record.reason ?? null,
    conversionId: record.conversionId,
    replayOf: record.replayOf ?? null,
    sourceIp: record.sourceIp,
    contentType: record.contentType,
    rawQuery: record.rawQuery,
    body: record.body,
  };
}
