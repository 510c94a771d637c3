/** Lambda entry and composition root of one function: keeps the report aggregates from the table stream (clicks and pixel hits). */
import { aggregateDependencies } from '../adapters/wiring';
import { createAggregatorHandler } from '../handlers/aggregator';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(createAggregatorHandler(aggregateDependencies()));
