/**
 * Invitations into the user pool, against a small fake of the Cognito client (the adapter's calls and
 * their answers, as the service documents them): a new user is created with a verified e-mail and an
 * e-mailed invitation, a known one is left alone, and the conflicts are 409s.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserDirectory, LocalUserDirectory } from '../../../functions/adapters/cognito-user-directory';
import { ConflictError } from '../../../functions/domain/errors';

const named = (name: string) => Object.assign(new Error(name), { name });

function fakeCognito(users: Map<string, string>, failCreateWith?: string) {
  const sent: unknown[] = [];
  const client = {
    async send(command: unknown) {
      sent.push(command);
      if (command instanceof AdminGetUserCommand) {
        const email = users.get(command.input.Username!);
        if (email === undefined) throw named('UserNotFoundException');
        return { Username: command.input.Username, UserAttributes: [{ Name: 'email', Value: email }] };
      }
      if (command instanceof AdminCreateUserCommand) {
        if (failCreateWith) throw named(failCreateWith);
        users.set(
          command.input.Username!,
          command.input.UserAttributes!.find((attribute) => attribute.Name === 'email')!.Value!,
        );
        return {};
      }
      throw new Error('unexpected command');
    },
  };
  return { client: client as unknown as CognitoIdentityProviderClient, sent };
}

test('a new user is created in the pool with a verified e-mail and an e-mailed invitation', async () => {
  const { client, sent } = fakeCognito(new Map());
  expect(
    await new CognitoUserDirectory(client, 'us-east-1_pool').ensureUser('alice', 'alice@example.com'),
  ).toBe('invited');
  const create = sent.find((command) => command instanceof AdminCreateUserCommand) as AdminCreateUserCommand;
  expect(create.input).toEqual({
    UserPoolId: 'us-east-1_pool',
    Username: 'alice',
    UserAttributes: [
      { Name: 'email', Value: 'alice@example.com' },
      { Name: 'email_verified', Value: 'true' },
    ],
    DesiredDeliveryMediums: ['EMAIL'],
  });
});

test('a known user with the same e-mail is left alone; with another one it is a conflict', async () => {
  const { client, sent } = fakeCognito(new Map([['alice', 'Alice@Example.com']]));
  const directory = new CognitoUserDirectory(client, 'pool');
  expect(await directory.ensureUser('alice', 'alice@example.com')).toBe('existing');
  await expect(directory.ensureUser('alice', 'mallory@example.com')).rejects.toMatchObject({
    status: 409,
    code: 'user_email_mismatch',
  });
  expect(sent.some((command) => command instanceof AdminCreateUserCommand)).toBe(false);
});

test('an e-mail another user signs in with is a conflict; any other failure is passed on', async () => {
  await expect(
    new CognitoUserDirectory(fakeCognito(new Map(), 'AliasExistsException').client, 'pool').ensureUser(
      'bob',
      'taken@example.com',
    ),
  ).rejects.toBeInstanceOf(ConflictError);
  await expect(
    new CognitoUserDirectory(fakeCognito(new Map(), 'TooManyRequestsException').client, 'pool').ensureUser(
      'bob',
      'b@example.com',
    ),
  ).rejects.toMatchObject({ name: 'TooManyRequestsException' });
});

test('the local stand-in applies the same rules', async () => {
  const directory = new LocalUserDirectory();
  expect(await directory.ensureUser('alice', 'alice@example.com')).toBe('invited');
  expect(await directory.ensureUser('alice', 'alice@example.com')).toBe('existing');
  await expect(directory.ensureUser('alice', 'other@example.com')).rejects.toMatchObject({
    code: 'user_email_mismatch',
  });
  await expect(directory.ensureUser('bob', 'alice@example.com')).rejects.toMatchObject({
    code: 'email_in_use',
  });
});
