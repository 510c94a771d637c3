/**
 * Bundle size and cold import time per function: each FUNCTION_ENTRIES entry bundled with esbuild exactly
 * as CDK deploys it (the options of lib/service-function.ts: ESM, node22, minified, module-first main
 * fields, the createRequire banner, nothing external, the stage's defines, an external source map without
 * sources content);
 * the size reported is the JS file alone. Then imported by fresh Node processes, each timing
 * `await import(bundle)` with performance.now() and the function's prod environment (NODE_OPTIONS
 * --enable-source-maps included, so the map is loaded as in Lambda; resolved-at-deploy values as dummies).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, stop as stopEsbuild } from 'esbuild';
import { FUNCTION_ENTRIES, type FunctionName } from '../lib/resources';

/** lib/service-function.ts `bundling`, as CDK hands it to esbuild. */
const CDK_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  external: [],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
} as const;

export interface Bundle {
  readonly file: string;
  readonly bytes: number;
}

/** The floor's ingest entry (bench/floor): the bare SDK clients and handler, bundled the same way. */
export const FLOOR_INGEST_ENTRY = 'bench/floor/ingest-entry.ts';

export interface BundleSet {
  readonly bundles: Readonly<Record<FunctionName | 'floorIngest', Bundle>>;
  dispose(): void;
}

/** `define`: lib/service-function.ts `bundleDefines` of the stage (its tracing setting). */
export async function buildBundles(
  root: string,
  define: Readonly<Record<string, string>>,
): Promise<BundleSet> {
  const directory = mkdtempSync(path.join(tmpdir(), 'buygoods-bench-bundles-'));
  const bundles = {} as Record<FunctionName | 'floorIngest', Bundle>;
  const entries = [...Object.entries(FUNCTION_ENTRIES), ['floorIngest', FLOOR_INGEST_ENTRY]] as Array<
    [FunctionName | 'floorIngest', string]
  >;
  for (const [name, entry] of entries) {
    const file = path.join(directory, name, 'index.mjs');
    await build({
      ...CDK_BUNDLING,
      mainFields: [...CDK_BUNDLING.mainFields],
      external: [],
      define: { ...define },
      entryPoints: [path.join(root, entry)],
      outfile: file,
      absWorkingDir: root,
    });
    bundles[name] = { file, bytes: statSync(file).size };
  }
  await stopEsbuild(); // its service process would otherwise keep pinging through the whole run
  return { bundles, dispose: () => rmSync(directory, { recursive: true, force: true }) };
}

/** One fresh process: the time `await import(bundle)` took, in ms. */
function importOnce(file: string, environment: Readonly<Record<string, string>>): Promise<number> {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t0)); process.exit(0);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.dirname(file),
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Number(stdout);
      if (code === 0 && Number.isFinite(ms) && stdout !== '') resolve(ms);
      else reject(new Error(`importing ${file} failed (exit ${code}): ${stderr.slice(-2000)}`));
    });
  });
}

/** Import times of `runs` fresh processes, one after another (no two compete for the CPU). */
export async function measureColdImports(
  file: string,
  environment: Readonly<Record<string, string>>,
  runs: number,
  onRun?: (done: number) => void,
): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    times.push(await importOnce(file, environment));
    onRun?.(run + 1);
  }
  return times;
}
