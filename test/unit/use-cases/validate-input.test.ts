import { z } from 'zod';
import { ValidationError } from '../../../functions/domain/errors';
import { validateInput } from '../../../functions/use-cases/validate-input';

const schema = z.object({
  name: z.string().trim().min(1, 'is required'),
  size: z.number().int().min(1, 'at least 1').max(9, 'at most 9').default(3),
  tags: z.array(z.string().max(3, 'too long')).optional(),
});

const refusal = (input: unknown) => {
  try {
    validateInput(schema, input, 'widget');
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
};

describe('checking a request body', () => {
  test('a valid body comes back parsed: trimmed, defaults filled', () => {
    expect(validateInput(schema, { name: ' w ' }, 'widget')).toEqual({ name: 'w', size: 3 });
  });

  test("a refusal is a 422 naming what was refused and each field's messages", () => {
    const error = refusal({ name: '', size: 12 });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'The widget is not valid',
      fields: { name: ['is required'], size: ['at most 9'] },
    });
  });

  test('a nested field is named by its path', () => {
    expect(refusal({ name: 'w', tags: ['ok', 'toolong'] })).toMatchObject({
      fields: { 'tags.1': ['too long'] },
    });
  });

  test.each([null, 'text', 42, []])('a body that is no object (%j) is refused as the body', (input) => {
    const error = refusal(input) as ValidationError;
    expect(Object.keys(error.fields)).toEqual(['body']);
  });
});
