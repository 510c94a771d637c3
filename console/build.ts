/**
 * Builds the console: esbuild bundles console/src (Preact, uPlot, the API's shared types) into app.js and
 * app.css next to index.html. One build for every place the console is served: `npm start` keeps it in
 * memory, CDK writes it into the asset it deploys to S3, the tests measure it.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build, buildSync, type BuildOptions } from 'esbuild';
import { findRepoRoot } from '../lib/paths';

export interface ConsoleFile {
  readonly contentType: string;
  readonly body: Buffer;
}

/** Path under the console's root (`index.html`, `app.js`, ...) to its content. */
export type ConsoleFiles = ReadonlyMap<string, ConsoleFile>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

const options = (root: string): BuildOptions => ({
  absWorkingDir: root,
  entryPoints: { app: 'console/src/main.tsx' },
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});

export async function buildConsole(root: string = findRepoRoot()): Promise<ConsoleFiles> {
  const result = await build({ ...options(root), outdir: 'console-out', write: false });
  const files = new Map<string, ConsoleFile>();
  for (const output of result.outputFiles) {
    const name = path.basename(output.path);
    files.set(name, {
      contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
      body: Buffer.from(output.contents),
    });
  }
  files.set('index.html', {
    contentType: CONTENT_TYPES['.html']!,
    body: readFileSync(path.join(root, 'console/index.html')),
  });
  return files;
}

/** Writes the built console into a directory: the CDK asset's local bundling, which must be synchronous. */
export function writeConsoleSync(outdir: string, root: string = findRepoRoot()): void {
  mkdirSync(outdir, { recursive: true });
  buildSync({ ...options(root), outdir });
  copyFileSync(path.join(root, 'console/index.html'), path.join(outdir, 'index.html'));
}
