import express, { type RequestHandler } from 'express';
import { FieldsInputError } from '../errors';
import { unsupportedMediaType } from './errors';
import { jsonShapeProblem, reservedQueryKey } from './jsonShape';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Refuses a body in any other media type than JSON (an empty body needs no Content-Type). */
export const requireJsonContentType: RequestHandler = (req, _res, next) => {
  const hasContent =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (hasContent && !req.is(JSON_TYPES)) {
    const sent = req.headers['content-type'];
    throw unsupportedMediaType(
      'Content-Type',
      `${sent === undefined ? 'the body has no Content-Type' : `Content-Type "${sent}" is not accepted`}: send the body as JSON with Content-Type: application/json`,
    );
  }
  next();
};

export const jsonBodyParser = () => express.json({ limit: '1mb' });

/** Rejects, before anything merges or validates it, a body nested too deep or a body or query with a reserved key at any level. */
export const rejectUnsafeInput: RequestHandler = (req, _res, next) => {
  const query = req.originalUrl.indexOf('?');
  const problem =
    (query >= 0
      ? reservedQueryKey(
          new URLSearchParams(req.originalUrl.slice(query + 1)).keys(),
        )
      : undefined) ?? jsonShapeProblem(req.body);
  if (problem) throw new FieldsInputError([problem], 'invalid request');
  next();
};
