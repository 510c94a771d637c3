/** Lambda entry and composition root of one function: the Buygoods postback routes. */
import { ingestDependencies } from '../adapters/wiring';
import { createIngestHandler } from '../handlers/ingest';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(createIngestHandler(ingestDependencies()));
