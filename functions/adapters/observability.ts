/**
 * Powertools for AWS Lambda, set up once: the structured logger (JSON lines with correlation ids) and EMF
 * metrics (X-Ray tracing, where a stage has it, is ./tracing.ts, loaded only there). Customer names and
 * emails are never given to any of them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from './config';

export const serviceName = config.serviceName();

export const logger = new Logger({ serviceName });
/**
 * Metrics' own notices go through the structured logger. Its "no application metrics to publish" notice
 * fires on every management, tracking or merchant call that counts nothing: routine, so at DEBUG.
 */
const metricsNotices = {
  debug: (...args: unknown[]) => logger.debug(String(args[0])),
  info: (...args: unknown[]) => logger.info(String(args[0])),
  warn: (...args: unknown[]) =>
    String(args[0]).startsWith('No application metrics')
      ? logger.debug(String(args[0]))
      : logger.warn(String(args[0])),
  error: (...args: unknown[]) => logger.error(String(args[0])),
};
export const metrics = new Metrics({
  namespace: config.metricsNamespace(),
  serviceName,
  logger: metricsNotices,
});
export { MetricUnit };

/**
 * Counts with their own dimensions (Powertools keeps one dimension set per flush), summed over the
 * invocation and published by publishCounts(): one EMF blob per distinct name and dimensions, not one per
 * postback of a batch.
 */
const pendingCounts = new Map<string, { name: string; dimensions: Record<string, string>; count: number }>();

export function countWith(name: string, dimensions: Record<string, string>): void {
  const key = JSON.stringify([name, dimensions]);
  const pending = pendingCounts.get(key);
  if (pending) pending.count++;
  else pendingCounts.set(key, { name, dimensions, count: 1 });
}

export function publishCounts(): void {
  for (const { name, dimensions, count } of pendingCounts.values()) {
    const single = metrics.singleMetric();
    for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
    single.addMetric(name, MetricUnit.Count, count);
  }
  pendingCounts.clear();
}
