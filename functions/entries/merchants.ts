/** Lambda entry and composition root of one function: merchant activation (merchants and products), behind the same access check as the rest of the management API. */
import { catalogDependencies, membershipRepository } from '../adapters/wiring';
import { createMerchantsHandler } from '../handlers/merchants';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(
  createMerchantsHandler({ ...catalogDependencies(), memberships: membershipRepository() }),
);
