/** Lambda entry: creates Buygoods merchants' pixels from the table stream. */
import { catalogDependencies } from '../adapters/wiring';
import { withObservability } from './middleware';
import { createPixelCreatorHandler } from './pixel-creator-handler';

export const handler = withObservability(createPixelCreatorHandler(catalogDependencies()));
