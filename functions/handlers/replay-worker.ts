/**
 * The replay worker: each job-queue message is one page of a bulk replay job. A passing failure fails
 * the message (SQS retries the page, which resumes from its checkpoint); one that would repeat, or a
 * passing one on the last delivery, marks the job failed with the reason, so its progress says so.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { REPLAY_JOB_QUEUE } from '../../lib/resources';
import { logger, metrics, MetricUnit } from '../adapters/observability';
import { isTransientError } from '../adapters/transient-errors';
import { readReplayJobMessage } from '../domain/replay-job';
import {
  failReplayJob,
  runReplayJobPage,
  type ReplayWorkerDependencies,
} from '../use-cases/run-replay-job-page';

export function createReplayWorkerHandler(deps: ReplayWorkerDependencies) {
  async function runOne(record: SQSRecord): Promise<void> {
    const read = readReplayJobMessage(record.body);
    if (!read.ok) {
      logger.error('unreadable replay job message dropped', {
        messageId: record.messageId,
        reason: read.reason,
      });
      return;
    }
    const { message } = read;
    const context = { accountId: message.accountId, jobId: message.jobId, page: message.page };
    try {
      const result = await runReplayJobPage(deps, message);
      for (const failure of result.failed)
        logger.warn('postback not replayed', {
          ...context,
          postbackId: failure.postbackId,
          reason: failure.reason,
        });
      if (result.status !== 'stale') metrics.addMetric('ReplayJobPages', MetricUnit.Count, 1);
      logger.info('replay job page', {
        ...context,
        status: result.status,
        state: result.job?.state ?? null,
        sent: result.job?.sent ?? null,
        failed: result.job?.failed ?? null,
      });
    } catch (error) {
      const lastDelivery =
        Number(record.attributes.ApproximateReceiveCount) >= REPLAY_JOB_QUEUE.maxReceiveCount;
      if (isTransientError(error) && !lastDelivery) {
        logger.warn('replay job page will be retried', { ...context, error: (error as Error).name });
        throw error;
      }
      logger.error('replay job failed', { ...context, error: error as Error });
      await failReplayJob(
        deps,
        message,
        `${(error as Error).name}: ${(error as Error).message}`.slice(0, 500),
      );
    }
  }

  // A processor per invocation, as in the consumer: overlapping invocations must not share one.
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, runOne, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
}
