/**
 * Whether this function traces with X-Ray, and the one way to load the tracer. Powertools' tracer imports
 * the X-Ray SDK, whose async hooks slow every `await` even with tracing off, so it is loaded only where
 * tracing is on: in Lambda (AWS_EXECUTION_ENV), unless POWERTOOLS_TRACE_ENABLED is 'false' (the stage's
 * setting, lib/stage-config.ts). The bundler replaces `process.env.POWERTOOLS_TRACE_ENABLED` with the
 * stage's value (lib/service-function.ts), so a bundle of a stage without tracing holds no X-Ray SDK at
 * all; under the test runner and in local mode there is no AWS_EXECUTION_ENV, so it is never loaded.
 * A dynamic import, not a top-level await: the test runner's CommonJS transform has none.
 */

/** Written out in full in each function so the bundler can fold it to a constant. */
export function tracingOn(): boolean {
  return process.env.POWERTOOLS_TRACE_ENABLED !== 'false' && Boolean(process.env.AWS_EXECUTION_ENV);
}

/** The tracer module (./tracing), loaded on first use; null where tracing is off. */
export function loadTracing(): Promise<typeof import('./tracing')> | null {
  return process.env.POWERTOOLS_TRACE_ENABLED !== 'false' && Boolean(process.env.AWS_EXECUTION_ENV)
    ? import('./tracing')
    : null;
}
