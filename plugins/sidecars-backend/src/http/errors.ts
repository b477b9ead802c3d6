import { CustomErrorBase, InputError, NotAllowedError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ApiErrorBody, FieldError } from '@internal/plugin-sidecars-common';

/** A 400 that names each bad field and its fix. */
export class FieldsInputError extends InputError {
  readonly fields: FieldError[];

  constructor(fields: FieldError[], summary = 'the request is invalid') {
    super(`${summary}: ${fields.map(f => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ')}`);
    this.fields = fields;
  }
}

export const fieldError = (field: string, message: string) => new FieldsInputError([{ field, message }]);

/** A 403 that says which permission the caller lacks. */
export class MissingPermissionError extends NotAllowedError {
  constructor(
    message: string,
    readonly permission: string,
  ) {
    super(message);
  }
}

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};

interface BodyParserError {
  type?: string;
  status?: number;
  message: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string' && typeof (error as BodyParserError).status === 'number';

/** Answers every error with ApiErrorBody: `fields` for field-level input errors, `permission` for a missing permission. */
export function errorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (isBodyParserError(error) && (error.status ?? 500) < 500) {
      const body: ApiErrorBody = {
        error: { name: 'InputError', message: `the request body is not valid JSON (${error.message}): send a JSON object` },
        fields: [{ field: '', message: `the request body is not valid JSON: ${error.message}` }],
      };
      res.status(400).json(body);
      return;
    }
    const known = error instanceof CustomErrorBase ? STATUS_BY_NAME[error.name] : undefined;
    if (known === undefined) {
      logger.error('unexpected error', error instanceof Error ? error : new Error(String(error)));
      res.status(500).json({ error: { name: 'Error', message: error instanceof Error ? error.message : String(error) } } satisfies ApiErrorBody);
      return;
    }
    const named = error as CustomErrorBase;
    const body: ApiErrorBody & { permission?: string } = { error: { name: named.name, message: named.message } };
    if (error instanceof FieldsInputError) body.fields = error.fields;
    if (error instanceof MissingPermissionError) body.permission = error.permission;
    res.status(known).json(body);
  };
}
