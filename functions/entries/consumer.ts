/** Lambda entry: the postback queue consumer. */
import { recordDependencies } from '../adapters/wiring';
import { createConsumerHandler } from '../handlers/consumer-handler';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(createConsumerHandler(recordDependencies()));
