/**
 * The CDK app: one stateful and one stateless stack for the stage given with `-c stage=dev|staging|prod`,
 * checked by cdk-nag's AWS Solutions rules on every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createServiceStacks } from '../lib/service-stacks';
import { getStageConfig } from '../lib/stage-config';

const app = new App();
createServiceStacks(app, getStageConfig(app.node.tryGetContext('stage')));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
