/**
 * `npm start`: runs the whole service locally on http://127.0.0.1:PORT (PORT overrides 3000) until SIGINT
 * or SIGTERM, then stops the engines it started. The start script execs this process, so a signal sent
 * to npm reaches it; and should whatever started it die without a signal, it stops too, leaving no
 * DynamoDB Local or emulator behind.
 */
import { startLocalService } from './service';
import { removeLocalState, writeLocalState } from './state-file';

const port = Number(process.env.PORT ?? 3000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const auth = process.env.AUTH ?? '';
if (!['', 'required'].includes(auth))
  throw new Error(`AUTH must be "required" or unset, got ${JSON.stringify(auth)}`);

const service = await startLocalService({
  port,
  console: true,
  auth: auth === 'required' ? 'required' : 'loopback-operator',
});
console.log(`buygoods postback service listening on ${service.url}`);
console.log(`  console ${service.url}/console/`);
console.log(
  auth === 'required'
    ? '  sign-in required: npm run login -- --account A --role viewer|editor|owner|operator prints a token'
    : '  management calls with no token act as a local operator (AUTH=required to enforce sign-in); a token, when given, is checked',
);
console.log(`  DynamoDB Local ${service.endpoints.dynamoEndpoint}, table ${service.resources.tableName}`);
writeLocalState(port, {
  url: service.url,
  ...service.endpoints,
  tableName: service.resources.tableName,
  queueUrl: service.resources.queueUrl,
});
console.log(
  `  SQS emulator ${service.endpoints.sqsEndpoint}, queue ${service.resources.queueUrl}, dead-letter queue ${service.resources.deadLetterQueueUrl}`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received, stopping`);
  removeLocalState(port);
  await service.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown('parent process gone');
}, 500).unref();
