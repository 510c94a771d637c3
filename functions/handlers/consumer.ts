/** Lambda entry: the postback queue consumer. */
import { recordDependencies } from '../adapters/wiring';
import { createConsumerHandler } from './consumer-handler';
import { withObservability } from './middleware';

export const handler = withObservability(createConsumerHandler(recordDependencies()));
