/** Stops the engines the global setup started: no java process outlives the run. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__EMULATORS__?.stop();
}
