import type { RequestHandler } from 'express';
import { NotFoundError } from '@backstage/errors';
import { fieldError } from '../errors';
import { RequestRefusedError } from './errors';

export interface RouteMethods {
  /** An express path of literal segments and `:param`s. */
  path: string;
  methods: readonly string[];
}

interface RouteMatch {
  route: RouteMethods;
  /** Each `:param` with its raw (still percent-encoded) segment. */
  params: Array<[name: string, raw: string]>;
}

const segmentsOf = (path: string) =>
  path.replace(/\/+$/, '').split('/').slice(1);

function matchOne(
  route: RouteMethods,
  actual: readonly string[],
): RouteMatch | undefined {
  const expected = segmentsOf(route.path);
  if (expected.length !== actual.length) return undefined;
  const params: RouteMatch['params'] = [];
  for (const [i, segment] of expected.entries()) {
    const raw = actual[i] ?? '';
    if (segment.startsWith(':')) {
      if (raw === '') return undefined;
      params.push([segment.slice(1), raw]);
    } else if (segment.toLowerCase() !== raw.toLowerCase()) {
      return undefined;
    }
  }
  return { route, params };
}

/** The first route whose path has the request path's shape; list literal paths before `:param` paths of the same length. */
function matchRoute(
  routes: readonly RouteMethods[],
  path: string,
): RouteMatch | undefined {
  const actual = segmentsOf(path);
  for (const route of routes) {
    const match = matchOne(route, actual);
    if (match) return match;
  }
  return undefined;
}

function allowedMethods(route: RouteMethods): string[] {
  return route.methods.includes('GET')
    ? [...route.methods, 'HEAD']
    : [...route.methods];
}

/**
 * Answers, before any route runs, what express itself would get wrong: a method the path does not
 * take (405 with Allow, where express falls through to a 404) and a path parameter that is not
 * valid percent-encoding (400 naming the parameter, where express answers 500).
 */
export function routeGuard(routes: readonly RouteMethods[]): RequestHandler {
  return (req, _res, next) => {
    const match = matchRoute(routes, req.path);
    if (!match) {
      next();
      return;
    }
    for (const [name, raw] of match.params) {
      try {
        decodeURIComponent(raw);
      } catch {
        throw fieldError(
          name,
          `the path segment "${raw}" is not valid percent-encoding: encode the ${name} with encodeURIComponent`,
        );
      }
    }
    const allowed = allowedMethods(match.route);
    if (req.method !== 'OPTIONS' && !allowed.includes(req.method)) {
      throw new RequestRefusedError(
        405,
        `${req.method} is not allowed on ${match.route.path}: use ${match.route.methods.join(' or ')}`,
        [],
        { Allow: allowed.join(', ') },
      );
    }
    next();
  };
}

/** The JSON 404 for a path no route serves, listing the ones that exist. */
export function unknownRoute(routes: readonly RouteMethods[]): RequestHandler {
  return req => {
    throw new NotFoundError(
      `there is no route ${req.method} ${req.path}: the API serves ${routes.map(r => `${r.methods.join('|')} ${r.path}`).join(', ')}`,
    );
  };
}
