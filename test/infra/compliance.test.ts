/**
 * cdk-nag (AWS Solutions) over a whole stage, wired as bin/app.ts wires it. cdk-nag 3 runs as a CDK policy
 * validation plugin: findings land in the assembly's validation-report.json (and synth throws on errors),
 * so the test reads that report and fails on any finding that no acknowledgement covers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createServiceStacks } from '../../lib/service-stacks';
import { getStageConfig, STAGE_NAMES, type StageName } from '../../lib/stage-config';

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{
      ruleName: string;
      severity: string;
      violatingConstructs: Array<{ constructPath: string }>;
    }>;
  }>;
}

/** Synthesizes a stage under cdk-nag and lists every unacknowledged finding as "severity rule at path". */
function nagFindings(
  stage: StageName,
  alter?: (stacks: ReturnType<typeof createServiceStacks>) => void,
): string[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = createServiceStacks(app, getStageConfig(stage, { alarmEmails: 'ops@example.com' }));
  alter?.(stacks);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error; // the report below says why; an error with no finding is rethrown
  }
  const report = JSON.parse(
    readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map(
        (construct) => `${violation.severity} ${violation.ruleName} at ${construct.constructPath}`,
      ),
    ),
  );
  if (synthError && findings.length === 0) throw synthError;
  return findings;
}

describe('cdk-nag AWS Solutions checks', () => {
  it.each(STAGE_NAMES)('find nothing unacknowledged in the %s stage', (stage) => {
    expect(nagFindings(stage)).toEqual([]);
  });

  it('report a queue that accepts plain HTTP (the check is live, not silently skipped)', () => {
    const findings = nagFindings('prod', ({ stateful }) => {
      new sqs.Queue(stateful, 'PlainQueue', { deadLetterQueue: { queue: stateful.dlq, maxReceiveCount: 1 } });
    });
    expect(findings).toEqual([expect.stringMatching(/^error AwsSolutions-SQS4 at .*\/PlainQueue\//)]);
  });

  it('report a wildcard action added to a function role: only the X-Ray "*" resource is acknowledged', () => {
    const findings = nagFindings('prod', ({ stateful, stateless }) => {
      stateless.ingest.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: [stateful.table.tableArn] }),
      );
    });
    expect(findings).toEqual([
      expect.stringMatching(/^error AwsSolutions-IAM5\[Action::dynamodb:\*\] at .*IngestFunctionRole/),
    ]);
  });
});
