/** Lambda entry: the Buygoods postback routes. */
import { ingestDependencies } from '../adapters/wiring';
import { createIngestHandler } from '../handlers/ingest-handler';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(createIngestHandler(ingestDependencies()));
