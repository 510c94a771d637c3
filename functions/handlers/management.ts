/** Lambda entry: the management API (IAM-authorized in AWS). */
import { managementDependencies } from '../adapters/wiring';
import { createManagementHandler } from './management-handler';
import { withObservability } from './middleware';

export const handler = withObservability(createManagementHandler(managementDependencies()));
