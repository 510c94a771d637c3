/**
 * Where a running `npm start` says which engines and table it uses, so operator commands run locally
 * (`npm run reconcile`) reach the same data. One file per port, removed when the service stops.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface LocalState {
  readonly url: string;
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly tableName: string;
  readonly queueUrl: string;
}

export const localStatePath = (port: number) => path.join(tmpdir(), `buygoods-postbacks-local-${port}.json`);

export function writeLocalState(port: number, state: LocalState): void {
  writeFileSync(localStatePath(port), JSON.stringify(state));
}

export function removeLocalState(port: number): void {
  rmSync(localStatePath(port), { force: true });
}

export function readLocalState(port: number): LocalState {
  try {
    return JSON.parse(readFileSync(localStatePath(port), 'utf8')) as LocalState;
  } catch {
    throw new Error(`no local service on port ${port}: start it with \`npm start\` (PORT=${port}) first`);
  }
}
