/**
 * What production runs, read from the prod stage's synthesized CloudFormation (bundling skipped): each
 * function's memory size and environment, and the HTTP API access log format. The cost model prices the
 * measured work at these sizes, and the cold-start probe sets these variables, so neither can drift from
 * lib/.
 */
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_ENTRIES, type FunctionName } from '../lib/resources';
import { createServiceStacks } from '../lib/service-stacks';
import { getStageConfig } from '../lib/stage-config';

export interface ProdFunction {
  readonly memoryMb: number;
  /** Lambda writes its START / END / REPORT lines (text format, or JSON with a system log level below WARN). */
  readonly platformLogLines: boolean;
  /** Active X-Ray tracing (adds the XRAY line to REPORT). */
  readonly tracing: boolean;
  /** The function's variables; values CloudFormation resolves at deploy time (imports, refs) are dummies. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface ProdConfig {
  readonly logLevel: string;
  readonly functions: Readonly<Record<FunctionName, ProdFunction>>;
  /** The $default stage's access log line, with $context variables. */
  readonly accessLogFormat: string;
  /** Every resource of the stage's two stacks (the fixed monthly cost counts them). */
  readonly resources: readonly CfnResource[];
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
}

function withDummies(variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : `dummy-${name.toLowerCase()}`,
    ]),
  );
}

export function readProdConfig(): ProdConfig {
  const config = getStageConfig('prod', { alarmEmails: 'bench@example.com' }); // prod requires a subscriber
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateful, stateless } = createServiceStacks(app, config);
  const resources = Template.fromStack(stateless).toJSON().Resources as Record<string, CfnResource>;
  const statefulResources = Template.fromStack(stateful).toJSON().Resources as Record<string, CfnResource>;
  const functions = Object.fromEntries(
    (Object.keys(FUNCTION_ENTRIES) as FunctionName[]).map((name) => {
      const resource =
        resources[stateless.getLogicalId(stateless.functions[name].node.defaultChild as CfnElement)]!;
      const logging = resource.Properties.LoggingConfig ?? {};
      const platformLogLines =
        logging.LogFormat !== 'JSON' ||
        !['WARN', 'ERROR', 'FATAL'].includes(logging.SystemLogLevel ?? 'INFO');
      return [
        name,
        {
          memoryMb: Number(resource.Properties.MemorySize ?? 128),
          platformLogLines,
          tracing: resource.Properties.TracingConfig?.Mode === 'Active',
          environment: withDummies(resource.Properties.Environment?.Variables ?? {}),
        },
      ];
    }),
  ) as Record<FunctionName, ProdFunction>;
  const stage = Object.values(resources).find((resource) => resource.Type === 'AWS::ApiGatewayV2::Stage');
  return {
    logLevel: config.logLevel,
    functions,
    accessLogFormat: String(stage?.Properties.AccessLogSettings?.Format ?? ''),
    resources: [...Object.values(statefulResources), ...Object.values(resources)],
  };
}
