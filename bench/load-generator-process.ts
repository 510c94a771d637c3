/**
 * The load generator's own process (forked by load-generator.ts): it runs the open-loop sender away from
 * the service's event loop, so sending never delays a handler and a busy service never delays a send.
 * Receives `{ requests, ratePerS }`, reports progress, answers with the results and exits.
 */
import { sendOpenLoop } from './sender';
import type { PostbackRequest } from './workload';

interface Job {
  readonly requests: readonly PostbackRequest[];
  readonly ratePerS: number;
}

function reply(message: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())),
  );
}

// The benchmark went away (Ctrl-C, crash): stop sending.
process.on('disconnect', () => process.exit(1));

process.once('message', async (job: Job) => {
  let answered = 0;
  const ticker = setInterval(() => void process.send!({ type: 'progress', answered }), 250);
  const result = await sendOpenLoop({
    count: job.requests.length,
    ratePerS: job.ratePerS,
    next: (index) => job.requests[index]!,
    onAnswer: (done) => (answered = done),
  });
  clearInterval(ticker);
  await reply({ type: 'done', result });
  process.exit(0);
});
