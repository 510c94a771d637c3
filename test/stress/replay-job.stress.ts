/**
 * Bulk replay at the size of a real request ("every rejected postback of last week"): 3,000 rejected
 * postbacks, the replay worker dying once mid-job right after a batch was sent, every one replayed
 * exactly once and the job reaching `done` (test/support/replay-job-scenario.ts).
 */
import type { LocalService } from '../../local/service';
import { installWorkerCrash, runBulkReplayScenario } from '../support/replay-job-scenario';
import { startTestService } from '../support/local-service';
import { captureLogs, type LogCapture } from './support/log-capture';

/** Page 6 of 30, its fourth batch. */
const crash = installWorkerCrash(54);
let service: LocalService;
let logs: LogCapture;

beforeAll(async () => {
  logs = captureLogs('replay-job');
  service = await startTestService({ visibilityTimeoutSeconds: 5, pollers: 4 });
});
afterAll(async () => {
  await service?.stop();
  logs?.stop();
});

test('a bulk replay of 3,000 rejected postbacks survives a worker crash and replays each exactly once', async () => {
  await runBulkReplayScenario({
    service,
    accountId: 'acct-bulk-stress',
    rejected: 3000,
    crash,
    waitMs: 600_000,
  });
  // The service logs at DEBUG in the stress suites; the capture keeps its lines out of the output.
  expect(
    logs.linesAt('ERROR').filter((line) => !line.message.includes('replay job page will be retried')),
  ).toEqual([]);
}, 1_200_000);
