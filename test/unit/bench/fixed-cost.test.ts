import { EmfCollector } from '../../../bench/emf';
import { fixedMonthlyCost } from '../../../bench/fixed-cost';
import type { Prices } from '../../../bench/cost';

const prices = {
  kmsKeyPerMonth: 1,
  secretsManagerSecretPerMonth: 0.4,
  cloudWatchDashboardPerMonth: 3,
  cloudWatchAlarmMetricPerMonth: 0.1,
  cloudWatchCompositeAlarmPerMonth: 0.5,
  cloudWatchCustomMetricPerMonth: 0.3,
} as Prices;

const emf = (metric: string, dimensions: Record<string, string>) =>
  JSON.stringify({
    _aws: {
      Timestamp: 1,
      CloudWatchMetrics: [
        {
          Namespace: 'BuygoodsPostbacks',
          Dimensions: [Object.keys(dimensions)],
          Metrics: [{ Name: metric, Unit: 'Count' }],
        },
      ],
    },
    ...dimensions,
    [metric]: 1,
  });

describe('the fixed monthly cost', () => {
  it('prices the template resources billed by the month, alarms by the metrics they evaluate', () => {
    const resources = [
      { Type: 'AWS::KMS::Key' },
      { Type: 'AWS::SecretsManager::Secret' },
      { Type: 'AWS::CloudWatch::Dashboard' },
      { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors' } },
      {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Metrics: [
            { Id: 'a', MetricStat: {} },
            { Id: 'b', MetricStat: {} },
            { Id: 'e', Expression: 'a+b' },
          ],
        },
      },
      { Type: 'AWS::Lambda::Function' },
    ];
    const cost = fixedMonthlyCost(resources, 2, 5, prices);
    expect(cost.lines.map((line) => [line.item.split(' (')[0], line.quantity])).toEqual([
      ['KMS customer managed keys', 1],
      ['Secrets Manager secrets', 1],
      ['CloudWatch dashboards', 1],
      ['CloudWatch alarms', 3],
      ['CloudWatch custom metrics', 2],
    ]);
    expect(cost.totalUsdPerMonth).toBeCloseTo(1 + 0.4 + 3 + 0.3 + 0.6, 10);
    expect(cost.withPostbacksUsdPerMonth).toBeCloseTo(cost.totalUsdPerMonth + 0.05, 10);
  });

  it('counts each distinct metric name and dimension values once, however often it is written, and ignores other lines', () => {
    const collector = new EmfCollector();
    collector.add(emf('Postbacks', { service: 's', outcome: 'accepted' }));
    collector.add(emf('Postbacks', { outcome: 'accepted', service: 's' }));
    collector.add(emf('Postbacks', { service: 's', outcome: 'rejected' }));
    collector.add(emf('PostbacksIngested', { service: 's' }));
    collector.add(JSON.stringify({ level: 'INFO', message: 'postback recorded' }));
    collector.add('{"_aws": not json');
    expect(
      collector
        .distinct()
        .map((metric) => `${metric.name} ${JSON.stringify(metric.dimensions)}`)
        .sort(),
    ).toEqual([
      'Postbacks {"service":"s","outcome":"accepted"}',
      'Postbacks {"service":"s","outcome":"rejected"}',
      'PostbacksIngested {"service":"s"}',
    ]);
  });
});
