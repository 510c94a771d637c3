/** Lambda entry: merchant activation (merchants and products), IAM-authorized. */
import { catalogDependencies } from '../adapters/wiring';
import { createMerchantsHandler } from './merchants-handler';
import { withObservability } from './middleware';

export const handler = withObservability(createMerchantsHandler(catalogDependencies()));
