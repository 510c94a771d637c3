import { saveLink } from '../../../functions/use-cases/save-link';
import { FixedClock, InMemoryCatalog } from '../../support/fakes';

function setup() {
  const catalog = new InMemoryCatalog();
  const clock = new FixedClock();
  return { catalog, clock, deps: { catalog, clock } };
}
const body = { name: 'Spring', destinationUrl: ' https://example.com/offer?x=1 ' };

describe('saving a link', () => {
  test('a new link is stored with its destination trimmed and no campaign', async () => {
    const { deps, catalog } = setup();
    const result = await saveLink(deps, 'acme', 'spring', body);
    const link = {
      accountId: 'acme',
      linkId: 'spring',
      name: 'Spring',
      destinationUrl: 'https://example.com/offer?x=1',
      campaign: null,
      createdAt: '2026-11-25T10:00:00.000Z',
      updatedAt: '2026-11-25T10:00:00.000Z',
    };
    expect(result).toEqual({ link, created: true });
    expect(await catalog.getLink('spring')).toEqual(link);
  });

  test('saving it again updates it: creation date kept, not created', async () => {
    const { deps, clock } = setup();
    await saveLink(deps, 'acme', 'spring', body);
    clock.advance(1_000);
    expect(await saveLink(deps, 'acme', 'spring', { ...body, campaign: 'spring-fb' })).toMatchObject({
      created: false,
      link: {
        campaign: 'spring-fb',
        createdAt: '2026-11-25T10:00:00.000Z',
        updatedAt: '2026-11-25T10:00:01.000Z',
      },
    });
  });

  test("a link id another account holds is a conflict, and that account's link is untouched", async () => {
    const { deps, catalog } = setup();
    await saveLink(deps, 'other', 'spring', body);
    const theirs = await catalog.getLink('spring');
    await expect(
      saveLink(deps, 'acme', 'spring', { ...body, destinationUrl: 'https://evil.example/' }),
    ).rejects.toMatchObject({ status: 409, code: 'link_id_taken' });
    expect(await catalog.getLink('spring')).toEqual(theirs);
  });

  test.each([
    ['a relative URL', '/offer'],
    ['an ftp URL', 'ftp://example.com/offer'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a URL with credentials', 'https://user:secret@example.com/'],
    ['a URL of 2001 characters', `https://example.com/${'a'.repeat(1981)}`],
  ])(
    '%s as destination is refused on destinationUrl, and nothing is stored',
    async (_case, destinationUrl) => {
      const { deps, catalog } = setup();
      const error = await saveLink(deps, 'acme', 'spring', { ...body, destinationUrl }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ status: 422, message: 'The link is not valid' });
      expect(Object.keys((error as { fields: object }).fields)).toEqual(['destinationUrl']);
      expect(catalog.links.size).toBe(0);
    },
  );

  test('the refusal says what a destination must be', async () => {
    const { deps } = setup();
    await expect(
      saveLink(deps, 'acme', 'spring', { ...body, destinationUrl: 'ftp://x' }),
    ).rejects.toMatchObject({
      fields: { destinationUrl: ['must be an absolute http(s) URL without credentials'] },
    });
  });

  test('a blank name is refused', async () => {
    const { deps } = setup();
    await expect(saveLink(deps, 'acme', 'spring', { ...body, name: '' })).rejects.toMatchObject({
      fields: { name: ['is required'] },
    });
  });
});
