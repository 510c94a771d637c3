/**
 * The queue consumer: records each postback; a passing failure fails only its record (partial batch
 * response, retried by SQS, then the DLQ); a failure that would repeat forever is recorded as rejected and
 * acknowledged so it never blocks its batch.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { countWith, logger, metrics, MetricUnit } from '../adapters/observability';
import { isTransientError } from '../adapters/transient-errors';
import { readPostbackMessage } from '../domain/postback-message';
import type { PostbackMessage } from '../domain/postback-log';
import { TAKE_BACK_KINDS } from '../domain/postback';
import { catalogForOneBatch } from '../use-cases/catalog-per-batch';
import { postbackLogFields } from './log-fields';
import { recordPostback, type RecordDependencies, type RecordResult } from '../use-cases/record-postback';
import { DayTurns, latestTurnPerAccount } from '../use-cases/roll-up-days';
import { rollUpTurns } from './day-turns';

export function createConsumerHandler(baseDeps: RecordDependencies) {
  async function recordOne(
    deps: RecordDependencies,
    record: SQSRecord,
    arrivals: Array<{ accountId: string; at: string }>,
  ): Promise<void> {
    const read = readPostbackMessage(record.body);
    if (!read.ok) {
      // Not ours or corrupted: no account to log it under. Say so loudly and drop it.
      logger.error('unreadable queue message dropped', { messageId: record.messageId, reason: read.reason });
      return;
    }
    const message = read.message;
    arrivals.push({ accountId: message.accountId, at: message.receivedAt });
    try {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      const result = await recordPostback(deps, message, { firstDelivery: receiveCount === 1 });
      observePostback(result);
      const { record: logged, changed, writeConflicts } = result;
      logger.info('postback recorded', {
        ...postbackLogFields(logged),
        outcome: logged.outcome,
        kind: logged.kind,
        clickIdStatus: logged.clickId.status,
        issues: logged.issues,
        reason: logged.reason ?? null,
        changed,
        writeConflicts,
        lagMs: Date.parse(logged.processedAt ?? '') - Date.parse(logged.receivedAt),
        receiveCount,
      });
    } catch (error) {
      if (isTransientError(error)) {
        logger.warn('postback will be retried', {
          postbackId: message.postbackId,
          accountId: message.accountId,
          error: (error as Error).name,
        });
        throw error;
      }
      await recordAsFailed(deps, message, error);
    }
  }

  // A processor per invocation: it holds the batch's successes and failures, and invocations that share
  // one (the local runner's concurrent pollers) would report each other's failures and lose messages.
  // The catalog lookups are shared by the batch's records, and by no other batch.
  const dayTurns = new DayTurns(baseDeps);
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const deps = { ...baseDeps, catalog: catalogForOneBatch(baseDeps.catalog) };
    const arrivals: Array<{ accountId: string; at: string }> = [];
    const response = await processPartialResponse(
      event,
      (record: SQSRecord) => recordOne(deps, record, arrivals),
      new BatchProcessor(EventType.SQS),
      { context, throwOnFullBatchFailure: false },
    );
    // An account whose sales but no clicks are tracked here rolls its days at their turns too.
    await rollUpTurns(dayTurns, latestTurnPerAccount(arrivals));
    return response;
  };
}

/**
 * Metrics per postback: outcome by kind, rejects by reason, malformed click ids, reversals, lag. An ignored
 * event (connection_test, abandon, ...) has no error, so it never counts as a rejection.
 */
function observePostback({ record, changed, writeConflicts }: RecordResult) {
  countWith('Postbacks', { outcome: record.outcome, kind: record.kind ?? 'unknown' });
  if (record.error) countWith('Rejected', { reason: record.error.code });
  if (record.clickId.status === 'malformed') metrics.addMetric('MalformedClickIds', MetricUnit.Count, 1);
  if (record.kind && TAKE_BACK_KINDS.includes(record.kind) && record.outcome === 'accepted')
    metrics.addMetric('Reversals', MetricUnit.Count, 1);
  if (changed.length > 0) metrics.addMetric('Updates', MetricUnit.Count, 1);
  // Concurrent copies of one order racing: a steady count says the same postbacks arrive in bursts.
  if (writeConflicts > 0) metrics.addMetric('WriteConflicts', MetricUnit.Count, writeConflicts);
  const lag = Date.parse(record.processedAt ?? '') - Date.parse(record.receivedAt);
  if (Number.isFinite(lag)) metrics.addMetric('ProcessingLag', MetricUnit.Milliseconds, lag);
}

async function recordAsFailed(deps: RecordDependencies, message: PostbackMessage, error: unknown) {
  logger.error('postback could not be processed; recorded as rejected', {
    postbackId: message.postbackId,
    accountId: message.accountId,
    error: error as Error,
  });
  await recordPostback(deps, {
    ...message,
    rejection: {
      code: 'processing_failed',
      message: 'The postback could not be processed; it can be replayed once fixed',
    },
  });
}
