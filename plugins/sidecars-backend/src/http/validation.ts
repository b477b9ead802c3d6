import type { z } from 'zod';
import type { FieldError } from '@internal/plugin-sidecars-common';
import { FieldsInputError } from '../errors';

/** Field errors of a non-spec schema (query strings, control bodies), naming unknown fields and the known ones. */
export function fieldErrors(
  issues: readonly z.core.$ZodIssue[],
  known: readonly string[],
  prefix = '',
): FieldError[] {
  const path = (parts: readonly PropertyKey[]) =>
    [prefix, ...parts.map(String)].filter(Boolean).join('.');
  return issues.flatMap(issue =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map(key => ({
          field: path([...issue.path, key]),
          message: `unknown field "${key}": remove it; the known fields are ${known.join(', ')}`,
        }))
      : [{ field: path(issue.path), message: issue.message }],
  );
}

/** Parses with a zod object schema or throws a 400 naming every bad field. */
export function parseOrThrow<T extends z.ZodObject>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new FieldsInputError(
    fieldErrors(result.error.issues, Object.keys(schema.shape)),
    `invalid ${what}`,
  );
}
