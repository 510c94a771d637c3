/**
 * The roll-up of finished days and of the day so far, from the handlers whose batches show an account
 * reaching a new turn (a UTC day's 3-hour part; the aggregator's clicks, the consumer's postbacks). Run after the batch's own work is done: a roll-up that
 * fails loses nothing (reads add up rolled and written buckets alike), so it never fails the batch; the
 * account's next batch tries again.
 */
import { logger, metrics, MetricUnit } from '../adapters/observability';
import type { DayTurns } from '../use-cases/roll-up-days';

export async function rollUpTurns(dayTurns: DayTurns, latest: ReadonlyMap<string, string>): Promise<void> {
  for (const [accountId, turn] of latest) {
    try {
      const rolled = await dayTurns.reached(accountId, turn);
      if (rolled && rolled.sources > 0) {
        metrics.addMetric('BucketsRolled', MetricUnit.Count, rolled.sources);
        logger.info('buckets rolled', { accountId, turn, ...rolled });
      }
    } catch (error) {
      metrics.addMetric('RollUpFailed', MetricUnit.Count, 1);
      logger.warn('buckets not rolled; the next batch tries again', { accountId, error });
    }
  }
}
