/** Lambda entry: the Buygoods postback routes. */
import { ingestDependencies } from '../adapters/wiring';
import { createIngestHandler } from './ingest-handler';
import { withObservability } from './middleware';

export const handler = withObservability(createIngestHandler(ingestDependencies()));
