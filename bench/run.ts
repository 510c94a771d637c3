/**
 * `npm run bench`: the performance and cost benchmark of the local service (see README, Performance).
 *
 * This entry only prepares the process as production runs the handlers: the prod functions' Powertools
 * settings (log level, service name, EMF metrics on or off as the stage has them). It must do so before
 * any service module loads (the logger reads its level when it is created), hence the dynamic import of
 * the benchmark itself.
 */
import { readProdConfig } from './prod-config';

const prod = readProdConfig();
for (const [name, value] of Object.entries(prod.functions.consumer.environment)) {
  if (name.startsWith('POWERTOOLS_')) process.env[name] = value;
}
// Lambda publishes EMF metrics unless told not to (the local runner's default is off).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'false';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { runBenchmark } = await import('./benchmark');
await runBenchmark(prod);
