/** Lambda entry and composition root of one function: the public click redirect and pixel endpoints. */
import { catalogDependencies } from '../adapters/wiring';
import { withObservability } from '../handlers/middleware';
import { createTrackingHandler } from '../handlers/tracking';

export const handler = withObservability(createTrackingHandler(catalogDependencies()));
