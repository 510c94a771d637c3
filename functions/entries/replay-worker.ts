/** Lambda entry and composition root of one function: works on bulk replay jobs, one page per job-queue message. */
import { replayWorkerDependencies } from '../adapters/wiring';
import { withObservability } from '../handlers/middleware';
import { createReplayWorkerHandler } from '../handlers/replay-worker';

export const handler = withObservability(createReplayWorkerHandler(replayWorkerDependencies()));
