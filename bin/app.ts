/**
 * The CDK app: one stateful and one stateless stack for the stage given with `-c stage=dev|staging|prod`,
 * checked by cdk-nag's AWS Solutions rules on every synth. Alarm subscribers come from the command line
 * (`-c alarmEmails=...` or `-c alarmTopicArn=...`); prod refuses to synth without one.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createServiceStacks } from '../lib/service-stacks';
import { getStageConfig } from '../lib/stage-config';

const app = new App();
const subscribers = {
  alarmEmails: app.node.tryGetContext('alarmEmails'),
  alarmTopicArn: app.node.tryGetContext('alarmTopicArn'),
};
createServiceStacks(app, getStageConfig(app.node.tryGetContext('stage'), subscribers));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
