import { listQuerySchema, parseQuery } from '../../../functions/use-cases/list-query';

describe('the listings’ shared query', () => {
  test('defaults: no range, 50 a page, no cursor', () => {
    expect(parseQuery(listQuerySchema, {})).toEqual({ limit: 50 });
  });

  test('dates and date-times, with any offset, become UTC instants; the limit a number', () => {
    expect(
      parseQuery(listQuerySchema, {
        from: ' 2026-12-01 ',
        to: '2026-12-01T10:00:00+02:00',
        limit: '500',
        cursor: 'c',
      }),
    ).toEqual({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T08:00:00.000Z', limit: 500, cursor: 'c' });
  });

  test('every bad parameter is named at once, with what it must be', () => {
    let error: unknown;
    try {
      parseQuery(listQuerySchema, { from: 'soon', limit: '0', cursor: 'c'.repeat(4097) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      status: 422,
      message: 'The query is not valid',
      fields: {
        from: ['must be an ISO-8601 date or date-time'],
        limit: [expect.any(String)],
        cursor: [expect.any(String)],
      },
    });
  });

  test.each(['1', '500'])('a limit of %s is taken', (limit) => {
    expect(parseQuery(listQuerySchema, { limit }).limit).toBe(Number(limit));
  });

  test.each(['0', '501', '-1', '1.5', 'all'])('a limit of %s is refused', (limit) => {
    expect(() => parseQuery(listQuerySchema, { limit })).toThrow('The query is not valid');
  });
});
