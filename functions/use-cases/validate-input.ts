/** Request bodies checked against a zod schema: a failure becomes a 422 with the errors per field. */
import type { z } from 'zod';
import { ValidationError } from '../domain/errors';

export function validateInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues)
    (fields[issue.path.join('.') || 'body'] ??= []).push(issue.message);
  throw new ValidationError(`The ${what} is not valid`, fields);
}
