/** Lambda entry and composition root of one function: the management API (Cognito tokens on the console API, SigV4 on the operator API). */
import { managementDependencies } from '../adapters/wiring';
import { createManagementHandler } from '../handlers/management';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(createManagementHandler(managementDependencies()));
