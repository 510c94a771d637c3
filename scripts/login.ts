/**
 * `npm run login -- --account acme --role owner`: signs a local user in to the running `npm start` (on
 * PORT, default 3000) and prints their access token, for `Authorization: Bearer <token>`. The user gets
 * that role on the account (recorded as a membership, as an owner's invitation would); `--role operator`
 * gives a token of the operators group (every account). `--user ID` names the user (default
 * local-<role>-<account>); `--user ID` alone signs in a member an owner invited. Local mode only: in AWS people sign in through the user pool's hosted page.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

const USAGE =
  'usage: npm run login -- --account A --role viewer|editor|owner [--user ID] | --role operator | --user ID (an invited member) [--port N]';

export async function login(
  baseUrl: string,
  request: { account?: string; role?: string; user?: string },
): Promise<{ accessToken: string; userId: string }> {
  const response = await fetch(`${baseUrl}/local-idp/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as {
    accessToken?: string;
    userId?: string;
    error?: { message: string };
  };
  if (!response.ok || !body.accessToken)
    throw new Error(body.error?.message ?? `login answered ${response.status}`);
  return { accessToken: body.accessToken, userId: body.userId! };
}

async function main() {
  const { values } = parseArgs({
    options: {
      account: { type: 'string' },
      role: { type: 'string' },
      user: { type: 'string' },
      port: { type: 'string' },
    },
  });
  if (!values.role && !values.user) {
    console.error(USAGE);
    process.exit(1);
  }
  const port = values.port ?? process.env.PORT ?? '3000';
  try {
    const { accessToken } = await login(`http://127.0.0.1:${port}`, {
      account: values.account,
      role: values.role,
      user: values.user,
    });
    console.log(accessToken);
  } catch (error) {
    const reason =
      (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED'
        ? `nothing listens on port ${port}: start the service with npm start`
        : (error as Error).message;
    console.error(`login failed: ${reason}\n${USAGE}`);
    process.exit(1);
  }
}

if (path.basename(process.argv[1] ?? '') === 'login.ts') void main();
