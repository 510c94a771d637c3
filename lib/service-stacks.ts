/**
 * Builds a stage's two stacks, shared by bin/app.ts and the infra tests so they check what deploys.
 */
import type { App } from 'aws-cdk-lib';
import type { StageConfig } from './stage-config';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export function createServiceStacks(app: App, config: StageConfig): { stateful: StatefulStack; stateless: StatelessStack } {
  const prefix = `BuygoodsPostbacks-${config.stackLabel}`;
  const description = `Buygoods affiliate postback service (${config.stageName})`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, { config, description: `${description}: data` });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    config,
    description: `${description}: functions and API`,
    table: stateful.table,
    queue: stateful.queue,
    secret: stateful.secret,
  });
  return { stateful, stateless };
}
