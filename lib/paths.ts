/**
 * Where the repository root is, for the CDK code that needs absolute paths (Lambda entries, lock file).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The nearest directory at or above the working directory that holds cdk.json.
 *
 * Why not `__dirname` or `import.meta.url`: this code runs as native ESM under tsx (`cdk synth`), where
 * `__dirname` does not exist, and as CommonJS under jest (swc), where `import.meta` is a syntax error.
 * Both runners start at the repository root (cdk.json's directory, jest's rootDir), and walking up keeps
 * it working when jest is started from a sub-folder.
 */
export function findRepoRoot(from: string = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'cdk.json'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`No cdk.json found at or above ${from}: run from the repository`);
  }
}
