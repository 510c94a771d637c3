/**
 * Builds a stage's two stacks, shared by bin/app.ts and the infra tests so they check what deploys.
 */
import type { App } from 'aws-cdk-lib';
import { type StageConfig, stackNames } from './stage-config';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export function createServiceStacks(
  app: App,
  config: StageConfig,
): { stateful: StatefulStack; stateless: StatelessStack } {
  const names = stackNames(config);
  const description = `Buygoods affiliate postback service (${config.stageName})`;
  const stateful = new StatefulStack(app, names.stateful, { config, description: `${description}: data` });
  const stateless = new StatelessStack(app, names.stateless, {
    config,
    description: `${description}: functions and API`,
    table: stateful.table,
    queue: stateful.queue,
    deadLetterQueue: stateful.dlq,
    streamFailureQueue: stateful.streamFailureQueue,
    replayJobQueue: stateful.replayJobQueue,
    replayJobDeadLetterQueue: stateful.replayJobDlq,
    secret: stateful.secret,
    userPool: stateful.userPool,
  });
  return { stateful, stateless };
}
