// Input checking shared by the use cases: a zod schema in, typed values or a validation AppError
// (with a message per field) out.
import type { z } from 'zod';
import { invalid } from '../domain/errors.ts';

export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const i of r.error.issues) fields[String(i.path[0] ?? 'form')] ??= i.message;
  throw invalid(Object.values(fields).join('; '), fields);
}
