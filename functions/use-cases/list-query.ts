/** The shared query parameters of the listings: a UTC time range, a page size and a cursor. */
import { z } from 'zod';
import { validateInput } from './validate-input';

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

export function parseQuery<S extends z.ZodType>(
  schema: S,
  query: Record<string, string | undefined>,
): z.infer<S> {
  return validateInput(schema, query, 'query');
}
