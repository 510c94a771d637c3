/** The shared query parameters of the listings: a UTC time range, a page size and a cursor. */
import { z } from 'zod';
import { ValidationError } from '../domain/errors';

const isoInstant = z
  .string()
  .trim()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO-8601 date or date-time')
  .transform((value) => new Date(value).toISOString());

export const listQuerySchema = z.object({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(4096).optional(),
});

export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) (fields[issue.path.join('.') || 'query'] ??= []).push(issue.message);
  throw new ValidationError('Invalid query parameters', fields);
}
