import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv, { type ErrorObject } from 'ajv';
import type { OpenAPIV3 } from 'openapi-types';
import { SPEC_PATH } from './generateOpenApi';

/** Checks requests and answers against the OpenAPI contract, for tests: the problems found, none when it conforms. */
export interface ContractCheck {
  /** The contract's operation for a method and a concrete path (no query), if it has one. */
  hasOperation(method: string, path: string): boolean;
  /** Where the request breaks the contract: its path parameters, query and JSON body. */
  requestProblems(method: string, url: string, body: unknown): string[];
  /** Where a JSON answer breaks the schema the contract gives for its status. */
  responseProblems(
    method: string,
    url: string,
    status: number,
    body: unknown,
  ): string[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

const described = (where: string, errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map(
    e =>
      `${where}${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`,
  );

interface Match {
  operation: OpenAPIV3.OperationObject;
  params: Record<string, string>;
}

/** The operation of the first path that matches, concrete paths before templated ones (as OpenAPI says), if it takes the method. */
function matchOperation(
  spec: OpenAPIV3.Document,
  method: string,
  path: string,
): Match | undefined {
  const actual = path.split('/');
  const templates = Object.keys(spec.paths).sort(
    (a, b) => Number(a.includes('{')) - Number(b.includes('{')),
  );
  for (const template of templates) {
    const expected = template.split('/');
    if (expected.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const fits = expected.every((segment, i) => {
      const value = actual[i] ?? '';
      if (!segment.startsWith('{')) return segment === value;
      params[segment.slice(1, -1)] = value;
      return value !== '';
    });
    if (!fits) continue;
    const operation =
      spec.paths[template]?.[method.toLowerCase() as (typeof METHODS)[number]];
    return operation
      ? { operation: operation as OpenAPIV3.OperationObject, params }
      : undefined;
  }
  return undefined;
}

function parameterProblems(
  match: Match,
  where: 'path' | 'query',
  values: Record<string, unknown>,
): string[] {
  const parameters = (match.operation.parameters ??
    []) as OpenAPIV3.ParameterObject[];
  const own = parameters.filter(p => p.in === where);
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: own.filter(p => p.required).map(p => p.name),
    properties: Object.fromEntries(own.map(p => [p.name, p.schema ?? {}])),
  };
  const validate = new Ajv({
    allErrors: true,
    strict: false,
    coerceTypes: true,
  }).compile(schema);
  return validate(structuredClone(values))
    ? []
    : described(where, validate.errors);
}

function decodedParams(
  params: Record<string, string>,
): Record<string, string> | undefined {
  try {
    return Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]),
    );
  } catch {
    return undefined;
  }
}

function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(search.keys())) {
    const all = search.getAll(name);
    query[name] = all.length > 1 ? all : (all[0] ?? '');
  }
  return query;
}

const jsonSchemaOf = (
  holder: OpenAPIV3.RequestBodyObject | OpenAPIV3.ResponseObject | undefined,
) => holder?.content?.['application/json']?.schema;

export async function loadContract(): Promise<ContractCheck> {
  const spec = (await SwaggerParser.dereference(
    SPEC_PATH,
  )) as OpenAPIV3.Document;
  const split = (url: string) => new URL(url, 'http://contract.invalid');
  return {
    hasOperation: (method, path) =>
      matchOperation(spec, method, path) !== undefined,
    requestProblems(method, url, body) {
      const { pathname, searchParams } = split(url);
      const match = matchOperation(spec, method, pathname);
      if (!match)
        return [
          `the contract has no operation ${method.toUpperCase()} ${pathname}`,
        ];
      const params = decodedParams(match.params);
      const problems = params
        ? parameterProblems(match, 'path', params)
        : ['path is not valid percent-encoding'];
      problems.push(
        ...parameterProblems(match, 'query', queryOf(searchParams)),
      );
      const requestBody = match.operation.requestBody as
        OpenAPIV3.RequestBodyObject | undefined;
      const schema = jsonSchemaOf(requestBody);
      if (body === undefined) {
        if (requestBody?.required) problems.push('body is required');
      } else if (!schema) {
        problems.push('the operation takes no body');
      } else {
        const validate = ajv.compile(schema);
        if (!validate(body))
          problems.push(...described('body', validate.errors));
      }
      return problems;
    },
    responseProblems(method, url, status, body) {
      const { pathname } = split(url);
      const match = matchOperation(spec, method, pathname);
      if (!match)
        return [
          `the contract has no operation ${method.toUpperCase()} ${pathname}`,
        ];
      const responses = match.operation.responses as Record<
        string,
        OpenAPIV3.ResponseObject
      >;
      const schema = jsonSchemaOf(
        responses[String(status)] ?? responses.default,
      );
      if (!schema) return [`the contract gives no JSON answer for ${status}`];
      const validate = ajv.compile(schema);
      return validate(body) ? [] : described('response', validate.errors);
    },
  };
}
