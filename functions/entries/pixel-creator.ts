/** Lambda entry and composition root of one function: creates Buygoods merchants' pixels from the table stream. */
import { catalogDependencies } from '../adapters/wiring';
import { withObservability } from '../handlers/middleware';
import { createPixelCreatorHandler } from '../handlers/pixel-creator';

export const handler = withObservability(createPixelCreatorHandler(catalogDependencies()));
