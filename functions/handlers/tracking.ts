/** Lambda entry: the public click redirect and pixel endpoints. */
import { catalogDependencies } from '../adapters/wiring';
import { withObservability } from './middleware';
import { createTrackingHandler } from './tracking-handler';

export const handler = withObservability(createTrackingHandler(catalogDependencies()));
