import { saveMember } from '../../../functions/use-cases/save-member';
import { memberWorld, operator, owner } from '../../support/member-world';

describe('granting a role', () => {
  test('a new person is invited, then their membership recorded with the e-mail normalised and the granter named', async () => {
    const { deps, memberships, invitations } = memberWorld();
    const result = await saveMember(deps, owner, 'acme', 'alice', {
      email: ' Alice@Example.COM ',
      role: 'editor',
    });
    const member = {
      accountId: 'acme',
      userId: 'alice',
      email: 'alice@example.com',
      role: 'editor',
      createdAt: '2026-11-25T10:00:00.000Z',
      updatedAt: '2026-11-25T10:00:00.000Z',
      grantedBy: 'user:olga',
    };
    expect(result).toEqual({ member, created: true, invitation: 'invited' });
    expect(invitations).toHaveBeenCalledWith('alice', 'alice@example.com');
    expect(await memberships.get('acme', 'alice')).toEqual(member);
  });

  test('someone who can already sign in is not invited again; another account is another membership', async () => {
    const { deps } = memberWorld();
    await saveMember(deps, owner, 'acme', 'alice', { email: 'alice@example.com', role: 'viewer' });
    const result = await saveMember(deps, operator, 'other', 'alice', {
      email: 'alice@example.com',
      role: 'owner',
    });
    expect(result).toMatchObject({
      created: true,
      invitation: 'existing',
      member: { grantedBy: operator.id },
    });
  });

  test('changing a role keeps the creation date and names who changed it', async () => {
    const { deps, clock } = memberWorld();
    await saveMember(deps, owner, 'acme', 'alice', { email: 'alice@example.com', role: 'viewer' });
    clock.advance(60_000);
    const result = await saveMember(deps, operator, 'acme', 'alice', {
      email: 'alice@example.com',
      role: 'owner',
    });
    expect(result).toMatchObject({
      created: false,
      member: {
        role: 'owner',
        createdAt: '2026-11-25T10:00:00.000Z',
        updatedAt: '2026-11-25T10:01:00.000Z',
        grantedBy: operator.id,
      },
    });
  });

  test('nobody changes their own membership: refused before any invitation or write', async () => {
    const { deps, memberships, invitations } = memberWorld();
    await expect(
      saveMember(deps, owner, 'acme', 'olga', { email: 'olga@example.com', role: 'viewer' }),
    ).rejects.toMatchObject({ status: 409, code: 'own_membership' });
    expect(invitations).not.toHaveBeenCalled();
    expect(memberships.members.size).toBe(0);
  });

  test('an operator is no member, so may set any membership', async () => {
    const { deps } = memberWorld();
    await expect(
      saveMember(deps, operator, 'acme', 'olga', { email: 'olga@example.com', role: 'owner' }),
    ).resolves.toMatchObject({ created: true });
  });

  test.each([
    ['an e-mail that is none', { email: 'alice', role: 'viewer' }, { email: ['must be an e-mail address'] }],
    [
      'an unfilled placeholder',
      { email: '{EMAIL}', role: 'viewer' },
      { email: ['must be an e-mail address'] },
    ],
    [
      'a role that is none',
      { email: 'a@example.com', role: 'admin' },
      { role: ['must be one of viewer, editor, owner'] },
    ],
    [
      'operator as a role',
      { email: 'a@example.com', role: 'operator' },
      { role: ['must be one of viewer, editor, owner'] },
    ],
  ])('%s is refused on its field, with no invitation', async (_case, body, fields) => {
    const { deps, invitations } = memberWorld();
    await expect(saveMember(deps, owner, 'acme', 'alice', body)).rejects.toMatchObject({
      status: 422,
      message: 'The member is not valid',
      fields,
    });
    expect(invitations).not.toHaveBeenCalled();
  });

  test('a user id that signs in with another e-mail is a conflict, and no membership is written', async () => {
    const { deps, memberships } = memberWorld();
    await saveMember(deps, owner, 'acme', 'alice', { email: 'alice@example.com', role: 'viewer' });
    await expect(
      saveMember(deps, owner, 'other', 'alice', { email: 'mallory@example.com', role: 'owner' }),
    ).rejects.toMatchObject({ status: 409, code: 'user_email_mismatch' });
    expect(await memberships.get('other', 'alice')).toBeNull();
  });
});
