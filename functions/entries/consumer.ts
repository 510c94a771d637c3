/** Lambda entry and composition root of one function: the postback queue consumer. */
import { recordDependencies } from '../adapters/wiring';
import { createConsumerHandler } from '../handlers/consumer';
import { withObservability } from '../handlers/middleware';

export const handler = withObservability(createConsumerHandler(recordDependencies()));
