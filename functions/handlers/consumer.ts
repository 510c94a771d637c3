/** Lambda entry: the postback queue consumer. */
import { ledgerRepository, systemClock } from '../adapters/wiring';
import { createConsumerHandler } from './consumer-handler';
import { withObservability } from './middleware';

export const handler = withObservability(createConsumerHandler({ ledger: ledgerRepository(), clock: systemClock }));
