/**
 * Runs the open-loop sender in a child process (load-generator-process.ts, forked with this process's
 * TypeScript loader): the requests go over IPC, the results come back the same way.
 */
import { fork } from 'node:child_process';
import type { OpenLoopResult } from './sender';
import type { PostbackRequest } from './workload';

type Message = { type: 'progress'; answered: number } | { type: 'done'; result: OpenLoopResult };

export function offerLoad(
  requests: readonly PostbackRequest[],
  ratePerS: number,
  onProgress?: (answered: number) => void,
): Promise<OpenLoopResult> {
  const child = fork(new URL('./load-generator-process.ts', import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: OpenLoopResult | null = null;
    child.on('message', (message: Message) => {
      if (message.type === 'progress') onProgress?.(message.answered);
      else result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      result
        ? resolve(result)
        : reject(new Error(`the load generator exited with code ${code} before answering`)),
    );
    child.send({ requests, ratePerS });
  });
}
