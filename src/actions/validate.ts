// Input checking shared by the use cases: a zod schema in, typed values or a validation AppError
// (with a message per field) out.
import type { z } from 'zod';
import { invalid } from '../domain/errors.ts';

/** The form field an issue is shown next to, from the issue's path; the first message per field wins. */
export type FieldOf = (path: PropertyKey[]) => string;

/** The top-level key: a form whose fields are the schema's keys. */
export const topField: FieldOf = (path) => String(path[0] ?? 'form');

export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown, fieldOf: FieldOf = topField): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const i of r.error.issues) fields[fieldOf(i.path)] ??= i.message;
  throw invalid(Object.values(fields).join('; '), fields);
}
