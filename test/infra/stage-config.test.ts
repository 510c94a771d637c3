/** The per-stage settings: what each stage protects, and a loud failure for a stage that does not exist. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { getStageConfig, STAGE_NAMES } from '../../lib/stage-config';

describe('stage config', () => {
  it('retains and protects data in prod only', () => {
    expect(getStageConfig('prod')).toMatchObject({ removalPolicy: RemovalPolicy.RETAIN, pointInTimeRecovery: true, deletionProtection: true });
    expect(getStageConfig('dev')).toMatchObject({ removalPolicy: RemovalPolicy.DESTROY, pointInTimeRecovery: false, deletionProtection: false });
  });

  it('gives every stage a log retention, a log level and a postback throttle', () => {
    for (const stage of STAGE_NAMES) {
      const config = getStageConfig(stage);
      expect(config.stageName).toBe(stage);
      expect(config.logRetention).toBeGreaterThan(0);
      expect(config.postbackLogRetentionDays).toBeGreaterThan(0);
      expect(config.throttling.burstLimit).toBeGreaterThanOrEqual(config.throttling.rateLimit);
    }
  });

  it.each([['qa'], [''], [undefined], [42]])('rejects the unknown stage %p, naming the valid ones', (stage) => {
    expect(() => getStageConfig(stage)).toThrow(/Unknown stage .*-c stage=dev\|staging\|prod/);
  });
});
