/**
 * Bulk replay as a background job, through the local service: 300 rejected postbacks (3 pages), the
 * worker dying once mid-page (after a batch was sent, before its checkpoint), every one replayed exactly
 * once and the job's progress reaching `done`. The stress suite (test/stress/replay-job.stress.ts) runs
 * the same scenario with 3,000.
 */
import type { LocalService } from '../../local/service';
import { postbackMessage } from '../support/factories';
import {
  call,
  installWorkerCrash,
  record,
  replaysSince,
  runBulkReplayScenario,
} from '../support/replay-job-scenario';
import { startTestService, until } from '../support/local-service';

const ACCOUNT = 'acct-bulk';
/** Page 2 of 3, its fourth batch. */
const crash = installWorkerCrash(14);

let service: LocalService;
beforeAll(async () => {
  // A short visibility timeout: the crashed page's message comes back in seconds, not the deployed six minutes.
  service = await startTestService({ visibilityTimeoutSeconds: 5 });
});
afterAll(async () => {
  await service?.stop();
});

test('a bulk replay answers 202 at once, survives a worker crash mid-page, and replays each postback exactly once', async () => {
  await runBulkReplayScenario({ service, accountId: ACCOUNT, rejected: 300, crash, waitMs: 240_000 });
}, 480_000);

test('a bulk replay checks its filter, matches nothing as a finished job, and an unknown job is 404', async () => {
  expect(
    (await call(service, 'POST', `/v1/accounts/${ACCOUNT}/postbacks/replay`, { outcome: 'bogus' })).status,
  ).toBe(422);
  expect(
    (await call(service, 'POST', `/v1/accounts/${ACCOUNT}/postbacks/replay`, { issue: 'Not An Issue!' }))
      .status,
  ).toBe(422);
  const empty = await call(service, 'POST', '/v1/accounts/acct-bulk-empty/postbacks/replay', {
    outcome: 'rejected',
  });
  // Done at once when the count finished in its budget, else after the worker's one empty page.
  expect(empty).toMatchObject({
    status: 202,
    body: { matched: 0, sent: 0, state: empty.body.matchedExact ? 'done' : 'queued' },
  });
  const finished = await until(
    'the empty job done',
    async () => {
      const progress = await call(service, 'GET', `/v1/accounts/acct-bulk-empty/replays/${empty.body.jobId}`);
      return progress.body.state === 'done' ? progress.body : null;
    },
    30_000,
  );
  expect(finished).toMatchObject({ matched: 0, matchedExact: true, sent: 0, failed: 0 });
  // Another account cannot read the job.
  expect((await call(service, 'GET', `/v1/accounts/${ACCOUNT}/replays/${empty.body.jobId}`)).status).toBe(
    404,
  );
  expect((await call(service, 'GET', `/v1/accounts/${ACCOUNT}/replays/rj_nope`)).status).toBe(404);
});

test('a bulk replay by issue code matches and replays exactly the postbacks with that issue, with or without an outcome', async () => {
  const account = 'acct-bulk-issue';
  const since = new Date(Date.now() - 60_000);
  const at = (index: number) => new Date(since.getTime() + index * 10);
  const unfilledClick = Array.from({ length: 7 }, (_, index) =>
    postbackMessage({
      accountId: account,
      query: { subid: '{SUBID}', orderid: `ISS-${index}`, commission: '1.00' },
      receivedAt: at(index),
    }),
  );
  const unfilledOrder = Array.from({ length: 4 }, (_, index) =>
    postbackMessage({
      accountId: account,
      query: { subid: `clk-${index}`, orderid: '{ORDERID}' },
      receivedAt: at(100 + index),
    }),
  );
  const clean = Array.from({ length: 5 }, (_, index) =>
    postbackMessage({
      accountId: account,
      query: { subid: `clk-${index}`, orderid: `OK-${index}`, commission: '1.00' },
      receivedAt: at(200 + index),
    }),
  );
  await record([...unfilledClick, ...unfilledOrder, ...clean]);

  const runJob = async (filter: Record<string, string>) => {
    const started = await call(service, 'POST', `/v1/accounts/${account}/postbacks/replay`, filter);
    expect(started.status).toBe(202);
    return until(
      'the job done',
      async () => {
        const progress = await call(service, 'GET', `/v1/accounts/${account}/replays/${started.body.jobId}`);
        return progress.body.state === 'done' ? progress.body : null;
      },
      60_000,
    );
  };
  expect(await runJob({ issue: 'click_id_placeholder' })).toMatchObject({
    matched: 7,
    matchedExact: true,
    sent: 7,
    failed: 0,
  });
  // A rejected postback is found by its error's code too: the reason a person looks for first.
  expect(await runJob({ issue: 'order_id_placeholder', outcome: 'rejected' })).toMatchObject({
    matched: 4,
    sent: 4,
    failed: 0,
  });
  expect(await runJob({ issue: 'order_id_placeholder', outcome: 'accepted' })).toMatchObject({
    matched: 0,
    sent: 0,
  });

  const replays = await until(
    'the replays recorded',
    async () => {
      const found = await replaysSince(account, since.toISOString());
      return found.length >= 11 ? found : null;
    },
    60_000,
  );
  expect(replays.map((replay) => replay.replayOf).sort()).toEqual(
    [...unfilledClick, ...unfilledOrder].map((message) => message.postbackId).sort(),
  );
}, 180_000);
