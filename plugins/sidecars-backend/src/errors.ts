import { InputError, NotAllowedError } from '@backstage/errors';
import type { FieldError } from '@internal/plugin-sidecars-common';

// Errors the domain raises; the HTTP layer (http/errors.ts) renders them as 400 and 403 bodies.

/** A 400 that names each bad field and its fix. */
export class FieldsInputError extends InputError {
  readonly fields: FieldError[];

  constructor(fields: FieldError[], summary = 'the request is invalid') {
    super(
      `${summary}: ${fields.map(f => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ')}`,
    );
    this.fields = fields;
  }
}

export const fieldError = (field: string, message: string) =>
  new FieldsInputError([{ field, message }]);

/** A 403 that says which permission the caller lacks. */
export class MissingPermissionError extends NotAllowedError {
  constructor(
    message: string,
    readonly permission: string,
  ) {
    super(message);
  }
}
