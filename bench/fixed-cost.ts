/**
 * What a stage costs each month before its first postback: the billed-per-month resources of its
 * synthesized template (KMS keys, secrets, dashboards, alarms by the metrics they watch) and every custom
 * metric the handlers' EMF output defines (each distinct name and dimension values, as seen in the
 * benchmark), at the list prices of bench/prices.json; and that plus the per-postback cost at low volume.
 */
import type { Prices } from './cost';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

export interface FixedCostLine {
  readonly item: string;
  readonly quantity: number;
  readonly usdPerMonth: number;
}

export interface FixedCost {
  readonly lines: readonly FixedCostLine[];
  readonly totalUsdPerMonth: number;
  /** The month's bill at `postbacksPerMonth`: fixed plus the per-postback cost. */
  readonly postbacksPerMonth: number;
  readonly withPostbacksUsdPerMonth: number;
}

export const LOW_VOLUME_POSTBACKS_PER_MONTH = 10_000;

/** An alarm is billed per metric it evaluates: one, or each metric of its math expression. */
function alarmMetrics(alarm: TemplateResource): number {
  const metrics = alarm.Properties?.Metrics as Array<{ MetricStat?: unknown }> | undefined;
  return metrics ? metrics.filter((metric) => metric.MetricStat !== undefined).length : 1;
}

export function fixedMonthlyCost(
  resources: readonly TemplateResource[],
  customMetrics: number,
  costPerMillionUsd: number,
  prices: Prices,
): FixedCost {
  const ofType = (type: string) => resources.filter((resource) => resource.Type === type);
  const alarms = ofType('AWS::CloudWatch::Alarm');
  const alarmMetricCount = alarms.reduce((total, alarm) => total + alarmMetrics(alarm), 0);
  const lines: FixedCostLine[] = [
    {
      item: 'KMS customer managed keys',
      quantity: ofType('AWS::KMS::Key').length,
      usdPerMonth: ofType('AWS::KMS::Key').length * prices.kmsKeyPerMonth,
    },
    {
      item: 'Secrets Manager secrets',
      quantity: ofType('AWS::SecretsManager::Secret').length,
      usdPerMonth: ofType('AWS::SecretsManager::Secret').length * prices.secretsManagerSecretPerMonth,
    },
    {
      item: 'CloudWatch dashboards',
      quantity: ofType('AWS::CloudWatch::Dashboard').length,
      usdPerMonth: ofType('AWS::CloudWatch::Dashboard').length * prices.cloudWatchDashboardPerMonth,
    },
    {
      item: 'CloudWatch alarms (standard resolution, per metric)',
      quantity: alarmMetricCount,
      usdPerMonth: alarmMetricCount * prices.cloudWatchAlarmMetricPerMonth,
    },
    {
      item: 'CloudWatch composite alarms',
      quantity: ofType('AWS::CloudWatch::CompositeAlarm').length,
      usdPerMonth: ofType('AWS::CloudWatch::CompositeAlarm').length * prices.cloudWatchCompositeAlarmPerMonth,
    },
    {
      item: 'CloudWatch custom metrics (EMF: distinct name and dimensions)',
      quantity: customMetrics,
      usdPerMonth: customMetrics * prices.cloudWatchCustomMetricPerMonth,
    },
  ].filter((line) => line.quantity > 0);
  const totalUsdPerMonth = lines.reduce((total, line) => total + line.usdPerMonth, 0);
  return {
    lines,
    totalUsdPerMonth,
    postbacksPerMonth: LOW_VOLUME_POSTBACKS_PER_MONTH,
    withPostbacksUsdPerMonth:
      totalUsdPerMonth + (costPerMillionUsd * LOW_VOLUME_POSTBACKS_PER_MONTH) / 1_000_000,
  };
}
