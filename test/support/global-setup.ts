/**
 * Starts the real local DynamoDB engine and the SQS emulator once per test run. Workers inherit the
 * endpoints through the SDK's standard environment variables; each integration suite provisions its own
 * table and queues on them.
 */
import { localAwsEnvironment, startEmulators, type Emulators } from '../../local/emulators';

declare global {
  var __EMULATORS__: Emulators | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const emulators = await startEmulators(process.cwd());
  globalThis.__EMULATORS__ = emulators;
  Object.assign(process.env, localAwsEnvironment(emulators), {
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
  });
  if (process.env.CI) console.log(`\nlocal engines started in ${Date.now() - started} ms`);
}
