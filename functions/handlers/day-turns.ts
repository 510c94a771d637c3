/**
 * The roll-up of finished days, from the handlers whose batches show an account reaching a new UTC day (the
 * aggregator's clicks, the consumer's postbacks). Run after the batch's own work is done: a roll-up that
 * fails loses nothing (reads add up rolled and written buckets alike), so it never fails the batch; the
 * account's next batch tries again.
 */
import { logger, metrics, MetricUnit } from '../adapters/observability';
import type { DayTurns } from '../use-cases/roll-up-days';

export async function rollFinishedDays(
  dayTurns: DayTurns,
  latest: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [accountId, latestDay] of latest) {
    try {
      const rolled = await dayTurns.reached(accountId, latestDay);
      if (rolled && rolled.sources > 0) {
        metrics.addMetric('BucketsRolled', MetricUnit.Count, rolled.sources);
        logger.info('finished days rolled', { accountId, beforeDay: latestDay, ...rolled });
      }
    } catch (error) {
      metrics.addMetric('RollUpFailed', MetricUnit.Count, 1);
      logger.warn('finished days not rolled; the next batch tries again', { accountId, error });
    }
  }
}
