/** Lambda entry: creates Buygoods merchants' pixels from the table stream. */
import { catalogDependencies } from '../adapters/wiring';
import { withObservability } from '../handlers/middleware';
import { createPixelCreatorHandler } from '../handlers/pixel-creator-handler';

export const handler = withObservability(createPixelCreatorHandler(catalogDependencies()));
