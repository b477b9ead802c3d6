import { CustomErrorBase } from '@backstage/errors';
import type { ErrorRequestHandler, Request } from 'express';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ApiErrorBody,
  FieldError,
} from '@internal/plugin-sidecars-common';
import {
  fieldError,
  FieldsInputError,
  MissingPermissionError,
} from '../errors';

/** A request refused for its method, headers or size (405, 413, 415), with the headers the answer must carry. */
export class RequestRefusedError extends CustomErrorBase {
  constructor(
    readonly status: 405 | 413 | 415,
    message: string,
    readonly fields: FieldError[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = {
      405: 'MethodNotAllowedError',
      413: 'PayloadTooLargeError',
      415: 'UnsupportedMediaTypeError',
    }[status];
  }
}

export const unsupportedMediaType = (header: string, message: string) =>
  new RequestRefusedError(415, message, [{ field: header, message }]);

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};

/** What express's body parser (and the http-errors it raises) attaches to the errors it passes on. */
interface ParserError {
  status: number;
  type?: string;
  limit?: number;
  message: string;
}

const isParserError = (error: unknown): error is ParserError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as ParserError).status === 'number' &&
  (error as ParserError).status < 500;

/** The body parser's and express's own 4xx errors, turned into errors that name the header or field to fix. */
function fromParserError(error: ParserError, req: Request): CustomErrorBase {
  const encoding = req.headers['content-encoding'];
  switch (error.type) {
    case 'entity.too.large': {
      const message = `the request body is larger than this API accepts${error.limit ? ` (${error.limit} bytes)` : ''}: send a smaller body (a campaign spec takes a few kilobytes)`;
      return new RequestRefusedError(413, message, [{ field: '', message }]);
    }
    case 'encoding.unsupported':
      return unsupportedMediaType(
        'Content-Encoding',
        `Content-Encoding "${encoding}" is not supported: send the body uncompressed, or compressed with gzip or deflate`,
      );
    case 'charset.unsupported':
      return unsupportedMediaType(
        'Content-Type',
        `${error.message}: send the body as UTF-8 (Content-Type: application/json; charset=utf-8)`,
      );
    case 'entity.parse.failed':
      return new FieldsInputError(
        [
          {
            field: '',
            message: `the request body is not valid JSON: ${error.message}`,
          },
        ],
        'invalid request body',
      );
    default:
      if (error instanceof URIError)
        return fieldError(
          'path',
          `the path is not valid percent-encoding (${error.message}): encode each path segment with encodeURIComponent`,
        );
      // A decompression failure carries no type: the body is not what its Content-Encoding says.
      if (encoding !== undefined && encoding !== 'identity') {
        return fieldError(
          'Content-Encoding',
          `the body is not valid ${encoding} data (${error.message}): compress it as the header says, or drop the Content-Encoding header`,
        );
      }
      return fieldError(
        '',
        `the request could not be read (${error.message}): send a complete JSON body`,
      );
  }
}

/** The status an error is answered with; undefined for an unexpected one (a 500). */
function statusOf(error: unknown): number | undefined {
  if (error instanceof RequestRefusedError) return error.status;
  if (error instanceof CustomErrorBase) return STATUS_BY_NAME[error.name];
  return undefined;
}

/** Answers every error with ApiErrorBody (never a stack trace): `fields` names what to fix, `permission` a missing permission. */
export function errorHandler(logger: LoggerService): ErrorRequestHandler {
  return (raw: unknown, req, res, next) => {
    if (res.headersSent) {
      next(raw);
      return;
    }
    const error =
      !(raw instanceof CustomErrorBase) && isParserError(raw)
        ? fromParserError(raw, req)
        : raw;
    const status = statusOf(error);
    if (status === undefined) {
      logger.error(
        'unexpected error',
        error instanceof Error ? error : new Error(String(error)),
      );
      res.status(500).json({
        error: {
          name: 'Error',
          message: error instanceof Error ? error.message : String(error),
        },
      } satisfies ApiErrorBody);
      return;
    }
    const named = error as CustomErrorBase;
    const body: ApiErrorBody & { permission?: string } = {
      error: { name: named.name, message: named.message },
    };
    if (
      (error instanceof FieldsInputError ||
        error instanceof RequestRefusedError) &&
      error.fields.length > 0
    )
      body.fields = error.fields;
    if (error instanceof MissingPermissionError)
      body.permission = error.permission;
    if (error instanceof RequestRefusedError) res.set(error.headers);
    res.status(status).json(body);
  };
}
