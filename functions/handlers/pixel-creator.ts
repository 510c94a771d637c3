/**
 * The table stream consumer that gives each Buygoods merchant its pixels. The event source filter only
 * lets Buygoods merchant inserts and changes through; the handler checks again, since a filter is
 * configuration and the rule is the code's.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../adapters/observability';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { Clock } from '../ports/clock';
import { createMerchantPixels } from '../use-cases/create-merchant-pixels';

export function createPixelCreatorHandler(deps: {
  readonly catalog: Pick<CatalogRepository, 'createPixel'>;
  readonly clock: Clock;
}) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  async function handleRecord(record: DynamoDBRecord): Promise<void> {
    const image = record.dynamodb?.NewImage;
    if (image?.entity?.S !== 'merchant' || image.paymentGateway?.S !== 'buygoods') return;
    const accountId = image.accountId?.S;
    const merchantId = image.merchantId?.S;
    if (!accountId || !merchantId) return;
    let result: Awaited<ReturnType<typeof createMerchantPixels>>;
    try {
      result = await createMerchantPixels(deps, { accountId, merchantId });
    } catch (error) {
      // The batch processor keeps handler errors to itself: without this line a record that ends in the
      // stream-failure queue leaves nothing in this log group to say why.
      logger.error('merchant pixels could not be created; the record fails', {
        accountId,
        merchantId,
        sequenceNumber: record.dynamodb?.SequenceNumber ?? null,
        eventId: record.eventID ?? null,
        error: error as Error,
      });
      throw error;
    }
    metrics.addMetric('PixelsCreated', MetricUnit.Count, result.created.length);
    logger.info('merchant pixels ensured', {
      accountId,
      merchantId,
      created: result.created,
      existing: result.existing,
    });
  }

  return async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
}
