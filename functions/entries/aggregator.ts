/** Lambda entry: keeps the report aggregates from the table stream (clicks and pixel hits). */
import { aggregateDependencies } from '../adapters/wiring';
import { createAggregatorHandler } from '../handlers/aggregator-handler';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(createAggregatorHandler(aggregateDependencies()));
